//go:build linux || darwin || freebsd || dragonfly || netbsd || openbsd || solaris

package sshserve

import (
	"os"

	"github.com/charmbracelet/ssh"
	"golang.org/x/sys/unix"
)

// openTTY opens a second descriptor of the PTY's terminal side for the program. The
// ssh package closes its own when the client goes, possibly while the program still
// reads; with a descriptor of its own the program just sees the terminal hang up.
func openTTY(pty ssh.Pty) (*os.File, error) {
	f := pty.Slave
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	nfd := -1
	if cerr := rc.Control(func(fd uintptr) { nfd, err = unix.Dup(int(fd)) }); cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(nfd)
	return os.NewFile(uintptr(nfd), f.Name()), nil
}
