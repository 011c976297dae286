//go:build !(linux || darwin || freebsd || dragonfly || netbsd || openbsd || solaris)

package sshserve

import (
	"errors"
	"os"

	"github.com/charmbracelet/ssh"
)

// openTTY: the ssh package allocates real PTYs only on Unix systems.
func openTTY(ssh.Pty) (*os.File, error) {
	return nil, errors.New("okdash serve needs a Unix system for its terminals")
}
