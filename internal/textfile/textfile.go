// Package textfile reads the text files a person writes for okdash (a scenario, a
// password file, a users file, authorized keys, the configuration) the way an editor
// may have saved them: UTF-8 with or without a byte-order mark, or UTF-16 with one
// (Windows Notepad's "Unicode"). Anything else is refused with the line to fix and the
// advice to save the file as UTF-8, and file-system errors are said in a user's words.
package textfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/okdash/okdash/internal/bytesize"
)

// Error is a problem with a text file: the file itself (Line 0) or one of its lines.
type Error struct {
	Path string
	Line int // from 1; 0: the file as a whole
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Read reads the file at path, at most max bytes of it, and decodes it with Decode.
func Read(path string, max int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", PathError(path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return "", &Error{Path: path, Msg: "is a directory, not a file"}
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return "", PathError(path, err)
	}
	if int64(len(b)) > max {
		return "", &Error{Path: path, Msg: fmt.Sprintf("larger than %s; is it the right file?", bytesize.Format(max))}
	}
	return Decode(path, b)
}

// Decode turns the bytes of a text file into a string: a UTF-8 byte-order mark is
// dropped, UTF-16 (little- or big-endian) with a byte-order mark is converted. Text in
// any other encoding (Windows-1251, UTF-16 without a mark) is an error naming the first
// line that is not UTF-8.
func Decode(path string, b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		if len(b)%2 != 0 {
			return "", &Error{Path: path, Msg: "UTF-16 text cut short (an odd number of bytes); save it again, as UTF-8"}
		}
		u, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil { // ExpectBOM with a BOM present: cannot fail, but say so if it does
			return "", &Error{Path: path, Msg: "cannot read this UTF-16 text; save it as UTF-8"}
		}
		b = u
		if bytes.ContainsRune(b, utf8.RuneError) {
			return "", &Error{Path: path, Line: lineOf(b, bytes.IndexRune(b, utf8.RuneError)), Msg: "broken UTF-16 text (a lone surrogate); save the file as UTF-8"}
		}
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return "", &Error{Path: path, Line: lineOf(b, i), Msg: "a NUL byte: the file looks like UTF-16 without a byte-order mark; save it as UTF-8"}
	}
	if !utf8.Valid(b) {
		i := firstInvalid(b)
		msg := "not UTF-8 text; save the file as UTF-8"
		if looksLikeCP1251(b) {
			msg = "not UTF-8 text (it looks like Windows-1251); save the file as UTF-8"
		}
		return "", &Error{Path: path, Line: lineOf(b, i), Msg: msg}
	}
	return string(b), nil
}

// PathError says what went wrong opening or reading path in a user's words: "no such
// file", "permission denied", rather than Go's "open PATH: no such file or directory".
func PathError(path string, err error) error {
	var msg string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = "no such file"
	case errors.Is(err, fs.ErrPermission):
		msg = "permission denied (okdash may not read it)"
	default:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // drop Go's "open PATH:", the path is said once
		}
		if err.Error() == "is a directory" {
			msg = "is a directory, not a file"
		} else {
			msg = err.Error()
		}
	}
	return &Error{Path: path, Msg: msg}
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// lineOf is the line (from 1) holding byte i of b.
func lineOf(b []byte, i int) int { return bytes.Count(b[:i], []byte("\n")) + 1 }

// looksLikeCP1251 tells whether the bytes above 0x7F are mostly Windows-1251's
// Cyrillic letters (0xC0-0xFF, 0xA8, 0xB8) in runs, as the words of a Russian text
// saved in the ANSI code page are ("café" in Latin-1 has one such byte alone).
func looksLikeCP1251(b []byte) bool {
	var high, cyr, inRuns int
	for i, c := range b {
		if c < 0x80 {
			continue
		}
		high++
		if c >= 0xC0 || c == 0xA8 || c == 0xB8 {
			cyr++
		}
		if (i > 0 && b[i-1] >= 0x80) || (i+1 < len(b) && b[i+1] >= 0x80) {
			inRuns++
		}
	}
	return high > 0 && cyr*10 >= high*8 && inRuns*2 >= high
}
