// Package ttyinput hands the terminal's keyboard to Bubble Tea in whole characters
// and keys.
//
// Bubble Tea v1 reads input 256 bytes at a time and drops a UTF-8 character whose
// bytes two reads split: a Russian reply typed fast, or pasted, loses a letter at
// every read boundary. A Reader holds a character's first bytes back until the rest
// has come, so that every read ends between characters. When a read filled the whole
// buffer (more is on its way), it also holds back a key's escape sequence cut at the
// end (PgDn, F5, the start of a bracketed paste), which Bubble Tea would otherwise
// take apart. It never waits on its own: a read returns at once with whatever is
// whole, so a lone Esc goes on at once, and at most maxHeld bytes are held.
package ttyinput

import (
	"bytes"
	"io"
	"sync"
	"unicode/utf8"
)

const (
	esc = 0x1b
	// maxHeld bounds what is held: a character (utf8.UTFMax) or a key's sequence as
	// terminals send them ("\x1b[1;5C", "\x1b[200~"); a longer unfinished tail is
	// not a key, and goes on as it is.
	maxHeld = 16
)

// Reader passes its source's bytes on unchanged, each read ending between two UTF-8
// characters.
type Reader struct {
	src io.Reader

	mu   sync.Mutex // a read loop cancelled late may overlap the next one
	held [maxHeld]byte
	n    int   // held[:n]: the start of a character or key whose last bytes are still to come
	err  error // the source's error, returned once the bytes read with it are out
}

// New wraps r. When r is a file, as a terminal is, the result is one too (Fd, Name,
// Write and Close are r's): Bubble Tea then still puts the terminal in raw mode and
// can cancel a read when the program quits.
func New(r io.Reader) io.Reader {
	rd := &Reader{src: r}
	if f, ok := r.(file); ok {
		return fileReader{rd, f}
	}
	return rd
}

// Read reads from the source into p after the bytes held back from the last read,
// and holds back a trailing character that is not yet whole (and an Esc before it:
// Alt with that letter); when the source filled p, also a trailing escape sequence
// that lacks its last byte. It returns 0 and no error when all it has is such a
// beginning: the rest comes with the next read.
func (r *Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n >= len(p) || r.err != nil {
		// No room to read more, or nothing more to read: what is held goes as it is.
		n := copy(p, r.held[:r.n])
		r.n = copy(r.held[:], r.held[n:r.n])
		if n > 0 {
			return n, nil
		}
		err := r.err
		r.err = nil
		return 0, err
	}
	n := copy(p, r.held[:r.n])
	m, err := r.src.Read(p[n:])
	full := n+m == len(p)
	n += m
	r.n = 0
	if err != nil {
		if n == 0 {
			return 0, err
		}
		r.err = err // the bytes first; nothing will complete a held character now
		return n, nil
	}
	whole := wholeUntil(p[:n])
	if whole == n && full {
		whole = keyUntil(p[:n])
	}
	r.n = copy(r.held[:], p[whole:n])
	return whole, nil
}

// wholeUntil is where b stops ending between characters: the start of a trailing
// valid character that lacks its last bytes, or of the Esc just before it. Bytes
// that can never become a character (a stray continuation byte, 0xFF, an overlong
// start) count as whole, so that they go on and never stall the input.
func wholeUntil(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-(utf8.UTFMax-1); i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return len(b)
			}
			if i > 0 && b[i-1] == esc {
				return i - 1
			}
			return i
		}
	}
	return len(b)
}

// keyUntil is where b stops ending between keys, for a read that filled its buffer:
// the start of a trailing escape sequence that lacks its final byte (a lone Esc,
// "\x1b[", "\x1b[1;5", "\x1bO"), with an Esc before it (Alt), if it is short
// enough to be a key.
func keyUntil(b []byte) int {
	j := bytes.LastIndexByte(b, esc)
	if j < 0 || len(b)-j >= maxHeld {
		return len(b)
	}
	switch tail := b[j+1:]; {
	case len(tail) == 0, len(tail) == 1 && (tail[0] == '[' || tail[0] == 'O'):
	case tail[0] == '[' && unfinishedCSI(tail[1:]):
	default:
		return len(b)
	}
	if j > 0 && b[j-1] == esc {
		j--
	}
	return j
}

// unfinishedCSI reports whether b, what follows "\x1b[", is parameters and
// intermediates only, with the final byte still to come.
func unfinishedCSI(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x3f {
			return false
		}
	}
	return true
}

// file is what Bubble Tea and its cancelreader look for in a terminal.
type file interface {
	io.ReadWriteCloser
	Fd() uintptr
	Name() string
}

// fileReader is a Reader over a file that still shows itself as that file.
type fileReader struct {
	*Reader
	f file
}

func (r fileReader) Write(p []byte) (int, error) { return r.f.Write(p) }
func (r fileReader) Close() error                { return r.f.Close() }
func (r fileReader) Fd() uintptr                 { return r.f.Fd() }
func (r fileReader) Name() string                { return r.f.Name() }
