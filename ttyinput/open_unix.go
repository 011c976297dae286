//go:build !windows

package ttyinput

import (
	"fmt"
	"os"
)

func openTTY() (*os.File, error) {
	f, err := os.Open("/dev/tty")
	if err != nil {
		return nil, fmt.Errorf("the terminal cannot be opened: %w", err)
	}
	return f, nil
}
