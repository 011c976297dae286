package demo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const notepadShift = "# первый день\r\nwait 2s\r\nstate usReady\r\nreply Спасибо, понял!\r\nwait 1s\r\n"

// A trainer's scenario saved by Notepad: UTF-16 with a BOM ("Unicode"), UTF-8 with a BOM.
func TestLoadReadsNotepadEncodings(t *testing.T) {
	dir := t.TempDir()
	le, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(notepadShift))
	require.NoError(t, err)
	be, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(notepadShift))
	require.NoError(t, err)
	for name, b := range map[string][]byte{"utf16le.txt": le, "utf16be.txt": be, "utf8bom.txt": append([]byte("\xef\xbb\xbf"), notepadShift...)} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, b, 0o600))
		sc, err := Load(path)
		require.NoError(t, err, name)
		assert.Len(t, sc.Steps, 3, name)
		assert.Equal(t, []string{"Спасибо, понял!"}, sc.Replies, name)
	}
}

// Other encodings, a directory, an empty file: the file and line to fix, in plain words.
func TestLoadSaysWhatIsWrongWithTheFile(t *testing.T) {
	dir := t.TempDir()
	cp, err := charmap.Windows1251.NewEncoder().Bytes([]byte("wait 2s\nreply Спасибо\n"))
	require.NoError(t, err)
	cpPath := filepath.Join(dir, "cp1251.txt")
	require.NoError(t, os.WriteFile(cpPath, cp, 0o600))
	empty := filepath.Join(dir, "empty.txt")
	require.NoError(t, os.WriteFile(empty, []byte("\n\n"), 0o600))

	for path, want := range map[string]string{
		cpPath:                         cpPath + ":2: not UTF-8 text (it looks like Windows-1251); save the file as UTF-8",
		dir:                            dir + ": is a directory, not a file",
		filepath.Join(dir, "none.txt"): filepath.Join(dir, "none.txt") + ": no such file",
		empty:                          empty + ": the file is empty; okdash sim --print-scenario writes the built-in shift to start from",
	} {
		_, err := Load(path)
		assert.EqualError(t, err, want)
	}
}
