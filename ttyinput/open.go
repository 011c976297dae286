package ttyinput

import (
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// Open returns the keyboard of the local dashboard, wrapped by New: standard input
// when it is a terminal, else the process's own terminal, as Bubble Tea picks it when
// given no input of its own. release closes what Open opened.
func Open() (in io.Reader, release func() error, err error) {
	if term.IsTerminal(os.Stdin.Fd()) {
		return New(os.Stdin), func() error { return nil }, nil
	}
	f, err := openTTY()
	if err != nil {
		return nil, nil, fmt.Errorf("no keyboard: standard input is not a terminal, and %w", err)
	}
	return New(f), f.Close, nil
}
