//go:build !windows

package main

import "os"

// controllingTerminal tells whether the process has a terminal to read keys from
// (Bubble Tea opens /dev/tty when standard input is not one).
func controllingTerminal() bool {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
