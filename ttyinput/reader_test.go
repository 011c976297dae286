package ttyinput

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"
	"github.com/stretchr/testify/require"
)

// script is a source that returns its parts one read at a time (a part larger than
// the reader's buffer is returned over several reads), then err (io.EOF if nil).
type script struct {
	parts [][]byte
	err   error
	calls int
}

func newScript(parts ...string) *script {
	s := &script{}
	for _, p := range parts {
		s.parts = append(s.parts, []byte(p))
	}
	return s
}

func (s *script) Read(p []byte) (int, error) {
	s.calls++
	if len(s.parts) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		return 0, io.EOF
	}
	n := copy(p, s.parts[0])
	if n == len(s.parts[0]) {
		s.parts = s.parts[1:]
	} else {
		s.parts[0] = s.parts[0][n:]
	}
	return n, nil
}

// reads reads r to its end with a buffer of size bytes, and returns what each read
// returned (empty reads included) and the error that ended it.
func reads(t *testing.T, r io.Reader, size int) ([]string, error) {
	t.Helper()
	var out []string
	buf := make([]byte, size)
	zeros := 0
	for {
		n, err := r.Read(buf)
		if err != nil {
			require.Zero(t, n, "bytes come before the error, never with it")
			return out, err
		}
		out = append(out, string(buf[:n]))
		if n == 0 {
			zeros++
			require.LessOrEqual(t, zeros, maxHeld, "reads that return nothing must end")
		} else {
			zeros = 0
		}
	}
}

// characters has one character of each UTF-8 length, and Alt with a letter.
var characters = []string{"a", "д", "€", "😀", "\x1bд"}

func TestEverySplitOfEveryCharacter(t *testing.T) {
	for _, c := range characters {
		for _, before := range []string{"", "x", "Щё"} {
			data := before + c + "z"
			for k := 1; k < len(data); k++ {
				out, err := reads(t, New(newScript(data[:k], data[k:])), 256)
				require.ErrorIs(t, err, io.EOF)
				require.Equal(t, data, strings.Join(out, ""), "split at %d of %q", k, data)
				for _, o := range out {
					require.True(t, utf8.ValidString(o), "split at %d of %q: a read of %q", k, data, o)
				}
				if strings.HasPrefix(c, "\x1b") && k != len(before)+1 { // not cut right after the Esc
					require.True(t, containsOne(out, c), "split at %d of %q: Alt and its letter apart in %q", k, data, out)
				}
			}
		}
	}
}

// Bubble Tea's own case: a read that fills its 256 bytes and ends inside a character.
func TestEverySplitAtAFullRead(t *testing.T) {
	for _, c := range characters {
		for k := 1; k < len(c); k++ {
			data := strings.Repeat("ы", 200)[:256-k] + c + "конец"
			src := &script{parts: [][]byte{[]byte(data)}}
			out, err := reads(t, New(src), 256)
			require.ErrorIs(t, err, io.EOF)
			require.Equal(t, data, strings.Join(out, ""))
			require.True(t, containsOne(out, c), "%q cut at %d: reads %q", c, k, out)
		}
	}
}

// A key cut at the end of a full read goes on whole with the next; cut by a short
// read (the terminal sent just that) it goes on at once.
func TestKeysCutAtAFullRead(t *testing.T) {
	for _, key := range []string{"\x1b", "\x1b[A", "\x1bOP", "\x1b[6~", "\x1b[1;5C", "\x1b[200~", "\x1b\x1b[B"} {
		for k := 1; k < len(key); k++ {
			data := strings.Repeat("a", 256-k) + key + "b"
			out, err := reads(t, New(newScript(data)), 256)
			require.ErrorIs(t, err, io.EOF)
			require.Equal(t, data, strings.Join(out, ""))
			require.True(t, containsOne(out, key), "%q cut at %d: reads %q", key, k, out)
		}
	}
	src := newScript("ab\x1b[", "A")
	out, err := reads(t, New(src), 256)
	require.ErrorIs(t, err, io.EOF)
	require.Equal(t, []string{"ab\x1b[", "A"}, out)
}

func TestLoneEscGoesOnAtOnce(t *testing.T) {
	for _, typed := range []string{"\x1b", "текст\x1b", "\x1b\x1b", "\x1b["} {
		src := newScript(typed)
		buf := make([]byte, 256)
		n, err := New(src).Read(buf)
		require.NoError(t, err)
		require.Equal(t, typed, string(buf[:n]))
		require.Equal(t, 1, src.calls, "one read of the terminal, no waiting for more")
	}
}

// Bytes that cannot become a character are not held; a held start that the next
// bytes do not continue goes on with them, and at the end of input it goes on alone.
func TestBytesThatCannotBecomeCharactersGoOn(t *testing.T) {
	for _, tc := range []struct {
		parts []string
		want  []string
	}{
		{[]string{"\xff"}, []string{"\xff"}},
		{[]string{"a\x80"}, []string{"a\x80"}},
		{[]string{"\xc0"}, []string{"\xc0"}},                          // never a start
		{[]string{"\xe0\x80"}, []string{"\xe0\x80"}},                  // overlong: invalid already
		{[]string{"\xed\xa0"}, []string{"\xed\xa0"}},                  // a surrogate half
		{[]string{"a\xd0", "b"}, []string{"a", "\xd0b"}},              // not continued
		{[]string{"\xd0", "\xd0", "\xb4"}, []string{"", "\xd0", "д"}}, // a new start instead
		{[]string{"x\xd0"}, []string{"x", "\xd0"}},                    // the end of input
		{[]string{"\xf0\x9f", "\x98", "\x80"}, []string{"", "", "😀"}}, // one byte at a time
	} {
		out, err := reads(t, New(newScript(tc.parts...)), 256)
		require.ErrorIs(t, err, io.EOF)
		require.Equal(t, tc.want, out, "parts %q", tc.parts)
	}
}

// errAfter returns its bytes and an error in the same read, as a hung-up terminal may.
type errAfter struct {
	data string
	err  error
	done bool
}

func (e *errAfter) Read(p []byte) (int, error) {
	if e.done {
		return 0, io.EOF
	}
	e.done = true
	return copy(p, e.data), e.err
}

func TestTheSourcesErrorComesAfterItsBytes(t *testing.T) {
	hangup := errors.New("input/output error")
	out, err := reads(t, New(&errAfter{data: "ab\xd0", err: hangup}), 256)
	require.ErrorIs(t, err, hangup)
	require.Equal(t, []string{"ab\xd0"}, out)
}

func TestTinyBuffersLoseNothing(t *testing.T) {
	data := "Привет 😀 \x1b[A€\x1bд\x1b[200~ё\x1b[201~"
	for size := 1; size <= 8; size++ {
		for part := 1; part <= 8; part++ {
			var parts []string
			for s := data; s != ""; {
				n := min(part, len(s))
				parts = append(parts, s[:n])
				s = s[n:]
			}
			out, err := reads(t, New(newScript(parts...)), size)
			require.ErrorIs(t, err, io.EOF)
			require.Equal(t, data, strings.Join(out, ""), "buffer %d, parts of %d", size, part)
		}
	}
}

// A terminal stays a terminal: Bubble Tea puts only a term.File in raw mode, and
// cancels reads (on quit) only of a cancelreader.File.
func TestAFileStaysAFile(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer w.Close()
	in := New(r)
	f, ok := in.(term.File)
	require.True(t, ok)
	require.Equal(t, r.Fd(), f.Fd())
	cf, ok := in.(cancelreader.File)
	require.True(t, ok)
	require.Equal(t, r.Name(), cf.Name())
	require.NoError(t, cf.Close())
	_, err = r.Read(make([]byte, 1))
	require.ErrorIs(t, err, os.ErrClosed, "Close closes the terminal")

	_, ok = New(strings.NewReader("x")).(term.File)
	require.False(t, ok, "a reader that is no file does not claim to be one")
}

// containsOne reports whether one of the reads holds s whole.
func containsOne(out []string, s string) bool {
	for _, o := range out {
		if strings.Contains(o, s) {
			return true
		}
	}
	return false
}

// FuzzReader: whatever the bytes and however the terminal and the consumer cut
// them, what comes out is what went in, and with a buffer roomy enough no read ends
// inside a character whose other bytes follow.
func FuzzReader(f *testing.F) {
	f.Add([]byte("Здравствуйте! прокрутку."), []byte{7, 1, 3}, uint16(256))
	f.Add([]byte("a\xd0\xd0\xb4\xff\x1b[A\x1b\xd0\xb4"), []byte{1}, uint16(1))
	f.Add([]byte("\x1b[200~привет\x1b[201~"), []byte{5, 2}, uint16(6))
	f.Add([]byte(strings.Repeat("я", 300)), []byte{255, 1}, uint16(256))
	f.Fuzz(func(t *testing.T, data, cuts []byte, size uint16) {
		if len(cuts) == 0 {
			cuts = []byte{0}
		}
		src := &script{}
		for i, rest := 0, data; len(rest) > 0; i++ {
			n := min(int(cuts[i%len(cuts)])+1, len(rest))
			src.parts = append(src.parts, rest[:n])
			rest = rest[n:]
		}
		bufSize := int(size)%512 + 1
		out, err := reads(t, New(src), bufSize)
		require.ErrorIs(t, err, io.EOF)
		got := strings.Join(out, "")
		require.Equal(t, string(data), got)
		if bufSize <= maxHeld+utf8.UTFMax {
			return
		}
		inside := insideCharacters(data)
		end := 0
		for _, o := range out[:max(len(out)-1, 0)] {
			end += len(o)
			require.False(t, inside[end], "a read ends at %d, inside a character: %q", end, out)
		}
	})
}

// insideCharacters marks the offsets that fall strictly inside a valid multi-byte
// character of b.
func insideCharacters(b []byte) []bool {
	inside := make([]bool, len(b)+1)
	for i := 0; i < len(b); {
		r, w := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || w > 1 {
			for k := i + 1; k < i+w; k++ {
				inside[k] = true
			}
		}
		i += w
	}
	return inside
}

func TestInsideCharacters(t *testing.T) {
	got := insideCharacters([]byte("aд\xd0b"))
	require.Equal(t, []bool{false, false, true, false, false, false}, got)
}

// BenchmarkReader: the cost of whole letters on a fast typist's or a paste's input,
// 256 bytes a read as Bubble Tea reads.
func BenchmarkReader(b *testing.B) {
	data := []byte(strings.Repeat("Здравствуйте! прокрутку \x1b[A", 64))
	buf := make([]byte, 256)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := New(&script{parts: [][]byte{data}})
		for {
			if _, err := r.Read(buf); err != nil {
				break
			}
		}
	}
}
