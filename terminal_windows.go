package main

import "os"

// controllingTerminal tells whether the process has a console to read keys from
// (Bubble Tea opens CONIN$ when standard input is not one).
func controllingTerminal() bool {
	f, err := os.OpenFile("CONIN$", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
