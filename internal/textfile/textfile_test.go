package textfile

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const shift = "# смена\r\nwait 2s\r\nstate usReady\r\nreply Спасибо!\r\n"

func TestDecodeReadsWhatEditorsSave(t *testing.T) {
	le, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(shift))
	require.NoError(t, err)
	be, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(shift))
	require.NoError(t, err)
	for name, b := range map[string][]byte{
		"UTF-8":             []byte(shift),
		"UTF-8 with a BOM":  append([]byte{0xEF, 0xBB, 0xBF}, shift...),
		"UTF-16LE with BOM": le,
		"UTF-16BE with BOM": be,
	} {
		got, err := Decode("shift.txt", b)
		require.NoError(t, err, name)
		assert.Equal(t, shift, got, name)
	}
}

func TestDecodeRefusesOtherEncodingsNamingTheLine(t *testing.T) {
	cp1251, err := charmap.Windows1251.NewEncoder().Bytes([]byte(shift))
	require.NoError(t, err)
	noBOM, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(shift))
	require.NoError(t, err)
	latin := []byte("wait 1s\nreply caf\xe9\n")
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"Windows-1251", cp1251, "shift.txt:1: not UTF-8 text (it looks like Windows-1251); save the file as UTF-8"},
		{"UTF-16 without a BOM", noBOM, "shift.txt:1: a NUL byte: the file looks like UTF-16 without a byte-order mark; save it as UTF-8"},
		{"Latin-1 on line 2", latin, "shift.txt:2: not UTF-8 text; save the file as UTF-8"},
		{"odd UTF-16", []byte{0xFF, 0xFE, '#', 0, 'x'}, "shift.txt: UTF-16 text cut short (an odd number of bytes); save it again, as UTF-8"},
		{"lone surrogate", []byte{0xFF, 0xFE, 'a', 0, '\n', 0, 0x00, 0xD8, 'b', 0}, "shift.txt:2: broken UTF-16 text (a lone surrogate); save the file as UTF-8"},
		{"NUL in UTF-8", []byte("a\nb\nc\x00"), "shift.txt:3: a NUL byte"},
	} {
		_, err := Decode("shift.txt", c.b)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
		var te *Error
		assert.ErrorAs(t, err, &te, c.name)
	}
}

func TestReadSaysWhatIsWrongWithTheFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	require.NoError(t, os.WriteFile(big, make([]byte, 2048), 0o600))
	ok := filepath.Join(dir, "ok.txt")
	require.NoError(t, os.WriteFile(ok, []byte("\xef\xbb\xbfsecret\n"), 0o600))

	for _, c := range []struct{ path, want string }{
		{dir, dir + ": is a directory, not a file"},
		{filepath.Join(dir, "none.txt"), filepath.Join(dir, "none.txt") + ": no such file"},
		{big, big + ": larger than 1 KiB; is it the right file?"},
	} {
		_, err := Read(c.path, 1024)
		assert.EqualError(t, err, c.want)
	}
	got, err := Read(ok, 1024)
	require.NoError(t, err)
	assert.Equal(t, "secret\n", got)
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(shift))
	f.Add([]byte{0xFF, 0xFE, '#', 0})
	f.Add([]byte{0xFE, 0xFF, 0, '#', 0xD8, 0})
	f.Add([]byte{0xEF, 0xBB, 0xBF, 0xC0})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Decode("f", b)
		if err != nil {
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("Decode returned invalid UTF-8 %q", s)
		}
		for i := 0; i < len(s); i++ {
			if s[i] == 0 {
				t.Fatalf("Decode returned a NUL byte in %q", s)
			}
		}
	})
}
