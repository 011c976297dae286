package wssim

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/unicode"
)

// A users file saved by Notepad as UTF-16: read as the trainer wrote it.
func TestLoadUsersFromNotepad(t *testing.T) {
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("# trainees\r\nivanova Пароль 305 Иванова Мария\r\n"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "users.txt")
	require.NoError(t, os.WriteFile(path, b, 0o600))
	us, err := LoadUsers(path)
	require.NoError(t, err)
	require.Len(t, us, 1)
	assert.Equal(t, User{Login: "ivanova", Password: "Пароль", Line: "305", Name: "Иванова Мария"}, us[0])

	_, err = LoadUsers(filepath.Dir(path))
	assert.EqualError(t, err, filepath.Dir(path)+": is a directory, not a file")
}
