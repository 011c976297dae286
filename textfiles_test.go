package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func utf16LE(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// A password file saved by Notepad: its BOM is not part of the password.
func TestPasswordFileFromNotepad(t *testing.T) {
	dir := t.TempDir()
	for name, b := range map[string][]byte{
		"utf8bom": []byte("\xef\xbb\xbfПароль 1\r\n"),
		"utf16":   utf16LE(t, "Пароль 1\r\n"),
	} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, b, 0o600))
		pw, err := readPasswordFile(path)
		require.NoError(t, err, name)
		assert.Equal(t, "Пароль 1", pw, name)
	}
	cp, err := charmap.Windows1251.NewEncoder().Bytes([]byte("Пароль\n"))
	require.NoError(t, err)
	path := filepath.Join(dir, "cp1251")
	require.NoError(t, os.WriteFile(path, cp, 0o600))
	_, err = readPasswordFile(path)
	assert.EqualError(t, err, "--password-file "+path+":1: not UTF-8 text (it looks like Windows-1251); save the file as UTF-8")
	_, err = readPasswordFile(dir)
	assert.EqualError(t, err, "--password-file "+dir+": is a directory, not a file")
}
