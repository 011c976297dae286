//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package termquery

import (
	"errors"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// Ask asks the terminal (keyboard in, screen out) and waits at most wait for its
// answers. A terminal that is not in the foreground, or either file not a terminal,
// is not asked. Keys typed while it waits are lost, as with termenv's question.
func Ask(in, out *os.File, wait time.Duration) Answer {
	fd := int(in.Fd())
	if !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		return Answer{}
	}
	if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || pgrp != unix.Getpgrp() {
		return Answer{} // in the background: the terminal is not ours to read
	}
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return Answer{}
	}
	defer term.Restore(in.Fd(), state) //nolint:errcheck
	if _, err := out.WriteString(Question); err != nil {
		return Answer{}
	}
	deadline := time.Now().Add(wait)
	var got []byte
	buf := make([]byte, 256)
	for len(got) < maxAnswer {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || n == 0 || fds[0].Revents&unix.POLLIN == 0 {
			break
		}
		m, err := unix.Read(fd, buf)
		if err != nil || m <= 0 {
			break
		}
		got = append(got, buf[:m]...)
		if a, done := Parse(got); done {
			return a
		}
	}
	a, _ := Parse(got)
	return a
}
