package privatefile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWriteIsPrivateWholeAndLeavesNothingBeside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "okdash")
	path := filepath.Join(dir, "shift.json")
	require.NoError(t, Write(path, []byte("one\n")))
	require.NoError(t, Write(path, []byte("two\n")), "over an existing file")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "two\n", string(b))
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
		di, err := os.Stat(dir)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o700), di.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file is left: %v", entries)
}

func TestWriteFailsWithoutTouchingTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	require.NoError(t, Write(path, []byte("kept")))
	require.Error(t, Write(filepath.Join(path, "under-a-file"), []byte("x")), "a directory that is a file")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "kept", string(b))
}
