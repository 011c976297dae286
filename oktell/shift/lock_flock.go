//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package shift

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lockFile takes an advisory lock on f without waiting. The lock belongs to the open
// file, so a second okdash, or a second session of okdash serve, is refused alike.
func lockFile(f *os.File) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return ErrLocked
	}
	return err
}
