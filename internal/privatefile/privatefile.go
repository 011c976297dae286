// Package privatefile writes a file only its owner may read, whole or not at all: the
// operator's saved WebSocket session and their shift hold a session id, colleagues'
// names and phone numbers.
package privatefile

import (
	"os"
	"path/filepath"
)

// Write puts data in path, mode 0600, making its directory (mode 0700) when it does
// not exist. It writes a temporary file beside path, syncs it and renames it over path,
// so that a crash or a full disk never leaves half a file, nor an empty one (the rename
// must not land before the bytes).
func Write(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // a no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}
