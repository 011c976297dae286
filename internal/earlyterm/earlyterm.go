// Package earlyterm keeps Bubble Tea v1's package initialisation from asking the
// terminal for its background colour.
//
// Bubble Tea's init asks, through Lip Gloss and termenv, and termenv waits for the
// answer up to a constant 5 s: on a terminal that answers nothing (script, a serial
// console, some multiplexers) okdash showed a blank screen for 5 s before main ran.
// termenv asks no terminal whose TERM is "dumb", so this package's init hides TERM
// and package restore, initialised right after Bubble Tea, puts it back. The
// dashboard then asks for the background itself, only when the theme needs it, with a
// short wait (package termquery).
//
// This package runs before Bubble Tea's init because it imports nothing but syscall:
// Go initialises, of the packages whose imports are ready, the one whose import path
// sorts first, and every path of this module sorts before "os", which Bubble Tea
// needs (the Go specification, "Package initialization"; TestInitOrder checks it).
package earlyterm

import (
	"runtime"
	"syscall"
)

var (
	term    string // TERM as the process was given it
	hadTerm bool   // whether TERM was set at all
	hidden  bool   // whether init hid it
)

func init() {
	if runtime.GOOS == "windows" {
		return // termenv asks nothing there
	}
	term, hadTerm = syscall.Getenv("TERM")
	hidden = syscall.Setenv("TERM", "dumb") == nil
}

// Hidden reports whether TERM is hidden now (between this package's init and Restore).
func Hidden() bool { return hidden }

// Restore puts TERM back as the process was given it. Package restore calls it once
// Bubble Tea's init has run; later calls do nothing.
func Restore() {
	if !hidden {
		return
	}
	hidden = false
	if hadTerm {
		syscall.Setenv("TERM", term) //nolint:errcheck // it was set before, with this value
	} else {
		syscall.Unsetenv("TERM") //nolint:errcheck
	}
}
