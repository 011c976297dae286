package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedStream is n copies of the seven documents of the vendor's page, UTF-16LE with a
// BOM each, as a bridge delivers them.
func seedStream(t testing.TB, n int) []byte {
	var block []byte
	for _, name := range []string{"101_shutdownrequested", "102_restartrequested", "103_connectionlost", "111_userstatechanged", "112_notify", "113_voicemail", "114_usermessage"} {
		b, err := os.ReadFile(filepath.Join("testdata", "seed", name+".xml"))
		require.NoError(t, err)
		block = append(block, b...)
	}
	return bytes.Repeat(block, n)
}

// TestHelperDecodeProcess is okdash decode as a process of its own, for the tests that
// need a real standard output; it runs only when started by them.
func TestHelperDecodeProcess(t *testing.T) {
	if os.Getenv("OKDASH_TEST_DECODE_PROCESS") != "1" {
		t.Skip("started by TestDecodeIntoHead")
	}
	os.Exit(run([]string{"decode"}, stdio{os.Stdin, os.Stdout, os.Stderr}))
}

// `okdash decode | head -1`: when the reader of the output goes away, okdash ends at
// once and says nothing about a broken pipe (issue 14), however much input remains.
func TestDecodeIntoHead(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^TestHelperDecodeProcess$")
	cmd.Env = append(os.Environ(), "OKDASH_TEST_DECODE_PROCESS=1")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())

	// an endless stream: it stops only when okdash stops reading
	go func() {
		block := seedStream(t, 100)
		for {
			if _, err := stdin.Write(block); err != nil {
				stdin.Close()
				return
			}
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(line, `{"offset":0,"id":101,`), line)
	stdout.Close() // head -1 exits

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("okdash decode still running 20 s after its reader went away")
	}
	assert.Empty(t, stderr.String(), "nothing is said about the broken pipe")
}

// epipeWriter takes limit bytes, then fails as a write into a closed pipe does.
type epipeWriter struct {
	n, limit int
	refused  int // writes refused
}

func (w *epipeWriter) Write(p []byte) (int, error) {
	if w.refused > 0 || w.n+len(p) > w.limit {
		w.refused++
		return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
	}
	w.n += len(p)
	return len(p), nil
}

// countingReader counts what is read of r.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// When the output is a closed pipe, decoding stops at the next write: the rest of the
// input is not read, and no problem is told (the status stays 0).
func TestDecodeStopsWhenTheOutputCloses(t *testing.T) {
	in := &countingReader{r: bytes.NewReader(seedStream(t, 2000))} // 8.9 MB
	out := &epipeWriter{limit: 100 << 10}
	var errb bytes.Buffer
	code := run([]string{"decode", "-", "-"}, stdio{in: in, out: out, err: &errb})
	assert.Equal(t, 0, code)
	assert.Empty(t, errb.String())
	assert.Less(t, in.n, 1<<20, "input read after the output closed")
	assert.Equal(t, 1, out.refused, "no write is tried after the first refused")
}

// A disk that fills up is another matter: it is told, once, and the status is 1.
func TestDecodeOutputFails(t *testing.T) {
	out := &failAfter{err: errors.New("no space left on device")}
	var errb bytes.Buffer
	code := run([]string{"decode", "-", "-"}, stdio{in: bytes.NewReader(seedStream(t, 500)), out: out, err: &errb})
	assert.Equal(t, 1, code)
	assert.Equal(t, "okdash: decode: writing the output: no space left on device\n", errb.String())
}

type failAfter struct{ err error }

func (f *failAfter) Write([]byte) (int, error) { return 0, f.err }

// journal records writes to standard output and standard error in the order they come.
type journal struct {
	mu      sync.Mutex
	entries []string // "out:..." or "err:..."
}

type journalWriter struct {
	j      *journal
	stream string
}

func (w journalWriter) Write(p []byte) (int, error) {
	w.j.mu.Lock()
	defer w.j.mu.Unlock()
	w.j.entries = append(w.j.entries, w.stream+":"+string(p))
	return len(p), nil
}

// Lines go out in large writes, yet every problem still follows the events before it
// in the input and precedes those after (issue 14): offsets read in the order of the
// writes, across both streams, only grow.
func TestDecodeProblemsFollowTheirEvents(t *testing.T) {
	var in []byte
	mixed := readFile(t, filepath.Join("testdata", "oktell", "mixed.log"))
	for range 300 { // 1.2 MB: more than one write's worth of lines
		in = append(in, mixed...)
	}
	var j journal
	code := run([]string{"decode"}, stdio{in: bytes.NewReader(in), out: journalWriter{&j, "out"}, err: journalWriter{&j, "err"}})
	assert.Equal(t, 1, code)
	var offsets []int64
	outWrites, lines := 0, 0
	for _, e := range j.entries {
		stream, text, _ := strings.Cut(e, ":")
		if stream == "out" {
			outWrites++
			for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				var v struct{ Offset int64 }
				require.NoError(t, json.Unmarshal([]byte(l), &v), l)
				offsets = append(offsets, v.Offset)
				lines++
			}
			continue
		}
		// okdash: decode: stdin:OFFSET: REASON
		rest := strings.TrimPrefix(text, "okdash: decode: stdin:")
		n, err := strconv.ParseInt(rest[:strings.IndexByte(rest, ':')], 10, 64)
		require.NoError(t, err, text)
		offsets = append(offsets, n)
	}
	for i := 1; i < len(offsets); i++ {
		require.LessOrEqual(t, offsets[i-1], offsets[i], "entry %d out of order", i)
	}
	assert.Equal(t, 300*8, lines)
	assert.LessOrEqual(t, outWrites, 300*4+1, "at most one write before each problem, and one at the end")
}

// Lines go out in a few large writes, not one each (issue 14: 32,000 writes for 20 MB).
func TestDecodeWritesInBatches(t *testing.T) {
	in := seedStream(t, 500) // 2.2 MB, 3,500 lines
	var j journal
	code := run([]string{"decode"}, stdio{in: bytes.NewReader(in), out: journalWriter{&j, "out"}, err: journalWriter{&j, "err"}})
	assert.Equal(t, 0, code)
	lines := 0
	for _, e := range j.entries {
		lines += strings.Count(e, "\n")
	}
	assert.Equal(t, 3500, lines)
	assert.LessOrEqual(t, len(j.entries), len(in)/(32<<10)+1, "%d writes for %d lines", len(j.entries), lines)
}

// A stream that pauses shows each event as soon as its document has arrived: lines are
// written before okdash waits for more input.
func TestDecodeLiveStreamShowsEachEvent(t *testing.T) {
	pr, pw := io.Pipe()
	lines := make(chan string, 10)
	out := lineWriter{lines}
	done := make(chan int)
	go func() { done <- run([]string{"decode"}, stdio{in: pr, out: out, err: io.Discard}) }()
	for i, name := range []string{"111_userstatechanged", "112_notify", "113_voicemail"} {
		doc := readFile(t, filepath.Join("testdata", "seed", name+".xml"))
		go func() { _, _ = pw.Write(doc) }()
		select {
		case l := <-lines:
			assert.Contains(t, l, fmt.Sprintf(`"id":%s`, name[:3]), "line %d", i)
		case <-time.After(10 * time.Second):
			t.Fatalf("no line for %s while the stream is idle", name)
		}
	}
	pw.Close()
	assert.Equal(t, 0, <-done)
}

type lineWriter struct{ lines chan string }

func (w lineWriter) Write(p []byte) (int, error) {
	for _, l := range strings.SplitAfter(string(p), "\n") {
		if l != "" {
			w.lines <- l
		}
	}
	return len(p), nil
}

// BenchmarkDecodeStream runs okdash decode in-process on 20 MB of the seed's events
// (UTF-16LE, a BOM each), output discarded: MB/s of UTF-16 input, events/s, and
// allocations per event (go test -run '^$' -bench DecodeStream). The whole process,
// start-up and a pipe included, is measured by scripts/bench-decode.sh.
func BenchmarkDecodeStream(b *testing.B) {
	in := seedStream(b, 20<<20/4454)
	lines := 7 * (20 << 20 / 4454)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"decode"}, stdio{in: bytes.NewReader(in), out: io.Discard, err: io.Discard}); code != 0 {
			b.Fatal(code)
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
