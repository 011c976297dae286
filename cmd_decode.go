package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/okdash/okdash/internal/textfile"
	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/eventjson"
	"github.com/okdash/okdash/oktell/ws"
)

var decodeCmd = &command{
	name: "okdash decode",
	usage: `Usage: okdash decode [--pretty] [FILE ...]

Reads Oktell service-event documents from each FILE (standard input when there is none,
or for "-"): a bridge stream, a CommonLog with xmlevent headings, concatenated documents
in UTF-16 or UTF-8. Prints one JSON object per event, one per line; with more than one
input, each object starts with "input": the FILE it came from ("stdin" for "-"), as
problems name it. Problems go to standard error as "okdash: decode: INPUT:OFFSET:
REASON"; the exit status is 1 when anything could not be read. Flags may follow the
files.
`,
	groups: []group{groupDecode},
	mixed:  true,
}

// cmdDecode is "okdash decode".
func cmdDecode(args []string, io stdio) int {
	p, err := decodeCmd.parse(args, os.Getenv)
	if err != nil {
		return parseFail(io, decodeCmd, err)
	}
	files, pretty := p.args, &p.opts.Pretty
	if len(files) == 0 {
		files = []string{"-"}
	}
	// With several inputs, offsets alone cannot say where a line came from.
	d := decoder{out: io.out, errw: io.err, enc: eventjson.Encoder{Pretty: *pretty}, named: len(files) > 1,
		buf: make([]byte, 0, outBuf+outBuf/2)}
	for _, f := range files {
		if d.broken {
			break
		}
		if f == "-" {
			d.input(io.in, "stdin")
			continue
		}
		file, err := openInput(f)
		if err != nil {
			fmt.Fprintf(io.err, "okdash: decode: %v\n", err)
			d.failed = true
			continue
		}
		d.input(file, f)
		file.Close()
	}
	if d.failed {
		return 1
	}
	return 0
}

// openInput opens a file to decode; a directory is refused here, not as a read error.
func openInput(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, textfile.PathError(path, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, &textfile.Error{Path: path, Msg: "is a directory, not a file"}
	}
	return f, nil
}

type decoder struct {
	out, errw io.Writer
	enc       eventjson.Encoder
	named     bool // every line names its input
	failed    bool
	broken    bool   // the output cannot be written
	buf       []byte // lines not written yet
}

// outBuf is how many bytes of lines are kept before they are written.
const outBuf = 64 << 10

func (d *decoder) problem(input string, off int64, reason string) {
	d.failed = true
	d.flush() // the events before the problem come before it
	fmt.Fprintf(d.errw, "okdash: decode: %s:%d: %s\n", input, off, reason)
}

// flush writes the lines kept so far. A reader that went away (a pipe into head) ends
// decoding without a word: it has what it wanted. Any other failure is told once.
func (d *decoder) flush() {
	if len(d.buf) == 0 || d.broken {
		d.buf = d.buf[:0]
		return
	}
	_, err := d.out.Write(d.buf)
	d.buf = d.buf[:0]
	if err != nil {
		d.broken = true
		if !errors.Is(err, syscall.EPIPE) {
			d.failed = true
			fmt.Fprintf(d.errw, "okdash: decode: writing the output: %v\n", err)
		}
	}
}

// errOutputGone stops the scanner once the output cannot be written.
var errOutputGone = errors.New("the output is gone")

// flushingReader writes the lines decoded so far before each read of the input: a
// stream that pauses (a live bridge, a log being written) shows every event it sent at
// once, while a file goes out in one write per read of it, not one per line.
type flushingReader struct {
	r io.Reader
	d *decoder
}

func (f flushingReader) Read(p []byte) (int, error) {
	f.d.flush()
	if f.d.broken {
		return 0, errOutputGone
	}
	return f.r.Read(p)
}

// blankReader notes whether its reader gave anything but blanks: spaces, line ends,
// the zero bytes of UTF-16 and byte-order marks.
type blankReader struct {
	r        io.Reader
	n        int64
	nonBlank bool
}

func (b *blankReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if !b.nonBlank && len(bytes.Trim(p[:n], " \t\r\n\x00\xef\xbb\xbf\xfe\xff")) > 0 {
		b.nonBlank = true
	}
	return n, err
}

// errReader gives the error the first read met, else reads on.
type errReader struct {
	r   io.Reader
	err error
}

func (e errReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return e.r.Read(p)
}

// input decodes one input to the end; its lines are all written when it returns.
// An input that holds text but no document is a problem, never an empty success.
func (d *decoder) input(r io.Reader, name string) {
	defer d.flush()
	d.enc.Input = ""
	if d.named {
		d.enc.Input = name
	}
	// One read, not a Peek of a fixed size: a live stream shows its first event at once.
	head := make([]byte, 4096)
	n, err := 0, error(nil)
	for n == 0 && err == nil {
		n, err = r.Read(head)
	}
	head = head[:n]
	if ws.IsCapture(head) {
		replay := "with --source file:" + name
		if name == "stdin" {
			replay = "from a file, with --source file:FILE"
		}
		d.failed = true
		fmt.Fprintf(d.errw, "okdash: decode: %s: a WebSocket capture (JSON lines from --record of a ws:// source), not Oktell XML documents; replay it %s\n", name, replay)
		return
	}
	r = io.MultiReader(bytes.NewReader(head), errReader{r, err})
	blank := &blankReader{r: r}
	items, unread := 0, false // documents and problems; a read error
	defer func() {
		if items == 0 && blank.nonBlank && !d.broken && !unread {
			d.failed = true
			fmt.Fprintf(d.errw, "okdash: decode: %s: no Oktell documents in its %d bytes (a document starts with <?xml, <oktellcommapper or <oktellxmlmapper)\n", name, blank.n)
		}
	}()
	var at int64 // the document being written, for its field problems
	report := func(dst []byte, problem error) []byte {
		d.buf = dst
		d.problem(name, at, problem.Error())
		return d.buf
	}
	s := oktell.NewScanner(flushingReader{blank, d})
	s.ReuseDocuments() // each document is written out before the next is read
	for {
		it, err := s.Next()
		if d.broken || errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			d.failed, unread = true, true
			d.flush()
			fmt.Fprintf(d.errw, "okdash: decode: %v\n", textfile.PathError(name, err))
			return
		}
		items++
		if it.Err != nil {
			var e *oktell.Error
			if errors.As(it.Err, &e) {
				d.problem(name, e.Offset, e.Msg)
			} else {
				d.problem(name, it.Offset, it.Err.Error())
			}
			continue
		}
		at = it.Offset
		d.buf = d.enc.AppendDocument(d.buf, it, report)
		if len(d.buf) >= outBuf {
			d.flush()
		}
	}
}
