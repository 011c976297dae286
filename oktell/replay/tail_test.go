package replay

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// readAsync reads once from t on another goroutine.
func readAsync(tl *tail) <-chan string {
	ch := make(chan string, 1)
	go func() {
		buf := make([]byte, 64)
		n, err := tl.Read(buf)
		if err != nil {
			ch <- "error: " + err.Error()
			return
		}
		ch <- string(buf[:n])
	}()
	return ch
}

// expectRead moves the fake clock on poll by poll until the pending read returns, or
// fails the test.
func expectRead(t *testing.T, clk *clocktest.Clock, ch <-chan string, want string) {
	t.Helper()
	var got string
	if err := clocktest.Drive(clk, ch, 5*time.Second, func(s string) bool { got = s; return true }); err != nil {
		t.Fatalf("read of %q did not return: %v", want, err)
	}
	if got != want {
		t.Fatalf("read %q, want %q", got, want)
	}
}

func TestTailFollowsAppendRotationAndTruncation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "CommonLog.txt")
	clk := clocktest.New(t0)
	tl, notesp := startTail(t, context.Background(), path, "AAA", clk)
	defer tl.Close()

	expectRead(t, clk, readAsync(tl), "AAA")

	// Every change to the files is made while the reader is parked on the clock.
	parked := func() {
		t.Helper()
		if !clk.WaitPending(1, 5*time.Second) {
			t.Fatal("the reader did not wait at the end of the file")
		}
	}
	ch := readAsync(tl)
	parked()
	appendFile(t, path, "BBB")
	expectRead(t, clk, ch, "BBB")

	// Rotation: what was appended to the old file before the rename is still read,
	// then the recreated file from its start.
	ch = readAsync(tl)
	parked()
	appendFile(t, path, "b")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("CC"), 0o644); err != nil {
		t.Fatal(err)
	}
	expectRead(t, clk, ch, "b")
	expectRead(t, clk, readAsync(tl), "error: EOF") // the end of the old file's segment
	expectRead(t, clk, readAsync(tl), "CC")

	// Truncation in place: back to the start.
	ch = readAsync(tl)
	parked()
	if err := os.WriteFile(path, []byte("D"), 0o644); err != nil { // O_TRUNC, same file
		t.Fatal(err)
	}
	expectRead(t, clk, ch, "error: EOF")
	expectRead(t, clk, readAsync(tl), "D")

	// Gone, then back.
	ch = readAsync(tl)
	parked()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	clk.Advance(DefaultPoll)
	parked()
	if err := os.WriteFile(path, []byte("E"), 0o644); err != nil {
		t.Fatal(err)
	}
	expectRead(t, clk, ch, "error: EOF")
	expectRead(t, clk, readAsync(tl), "E")
	if want := path + " (file 4: rotated at 12:00:01)"; tl.name.String() != want {
		t.Errorf("the last file is called %q, want %q", tl.name.String(), want)
	}

	want := []string{"up to date, waiting for new documents", "rotated; reading the new file", "truncated; reading from the start",
		"the file is gone; waiting for it to come back", "rotated; reading the new file"}
	if len((*notesp)) != len(want) {
		t.Fatalf("(*notesp) = %q, want %q", (*notesp), want)
	}
	for i := range want {
		if (*notesp)[i] != want[i] {
			t.Errorf("note %d = %q, want %q", i, (*notesp)[i], want[i])
		}
	}
}

func TestTailStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tl, _ := startTail(t, ctx, filepath.Join(t.TempDir(), "log"), "", clocktest.New(t0))
	defer tl.Close()
	ch := readAsync(tl)
	cancel()
	select {
	case got := <-ch:
		if got != "error: context canceled" {
			t.Errorf("read = %q, want the context's error", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("read did not end with the context")
	}
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// A log truncated and written again past its old size between two looks: its size only
// grew, its identity is the same, but the bytes already read are not there any more.
func TestTailNoticesARefilledTruncation(t *testing.T) {
	long := strings.Repeat("H", 3*fingerprintLen)
	for _, tc := range []struct {
		name          string
		before, after string // the file when read, and what it is rewritten to
		appended      string // appended to before instead of a rewrite: not a truncation
	}{
		{name: "small file", before: "0123456789", after: "abcdefghijklmnopqrstuvwxyz"},
		{name: "same start, different end", before: long + "xyz", after: long + "XYZ and more"},
		{name: "same end, different start", before: "A" + long, after: "B" + long + "more"},
		{name: "appended to a long file", before: long + "tail", appended: "more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "CommonLog.txt")
			clk := clocktest.New(t0)
			tl, notesp := startTail(t, context.Background(), path, tc.before, clk)
			defer tl.Close()
			readAll(t, clk, tl, len(tc.before))

			ch := readAsync(tl)
			if !clk.WaitPending(1, 5*time.Second) {
				t.Fatal("the reader did not wait at the end of the file")
			}
			if tc.appended != "" {
				appendFile(t, path, tc.appended)
				expectRead(t, clk, ch, tc.appended)
				if len((*notesp)) != 1 {
					t.Errorf("(*notesp) %q: an append was taken for something else", (*notesp))
				}
				return
			}
			// The same file, truncated and refilled while the reader is parked.
			if err := os.WriteFile(path, []byte(tc.after), 0o644); err != nil {
				t.Fatal(err)
			}
			expectRead(t, clk, ch, "error: EOF")
			if got := readAll(t, clk, tl, len(tc.after)); got != tc.after {
				t.Errorf("read %.40q... after the rewrite, want the whole new file %.40q...", got, tc.after)
			}
			if len((*notesp)) != 2 || (*notesp)[1] != "rewritten; reading from the start" {
				t.Errorf("(*notesp) %q", (*notesp))
			}
			if want := path + " (file 2: rewritten at 12:00:00)"; tl.name.String() != want {
				t.Errorf("the file is now called %q, want %q", tl.name.String(), want)
			}
		})
	}
}

// readAll reads n bytes from the tail.
func readAll(t *testing.T, clk *clocktest.Clock, tl *tail, n int) string {
	t.Helper()
	var b strings.Builder
	for b.Len() < n {
		ch := make(chan string, 1)
		go func() {
			buf := make([]byte, 4096)
			k, err := tl.Read(buf)
			if err != nil {
				ch <- "error: " + err.Error()
				return
			}
			ch <- string(buf[:k])
		}()
		if err := clocktest.Drive(clk, ch, 5*time.Second, func(s string) bool { b.WriteString(s); return true }); err != nil {
			t.Fatalf("read after %d of %d bytes: %v", b.Len(), n, err)
		}
	}
	return b.String()
}

// startTail writes content to path and tails it on clk; the notes the tail makes are
// collected in the returned slice.
func startTail(t *testing.T, ctx context.Context, path, content string, clk *clocktest.Clock) (*tail, *[]string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	notes := new([]string)
	return newTail(ctx, path, f, info, clk, DefaultPoll, func(s oktell.Reason) { *notes = append(*notes, s.String()) }), notes
}
