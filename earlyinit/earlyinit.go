// Package earlyinit keeps Bubble Tea's init from asking the terminal for its
// background colour, a question that could hold okdash on a blank screen for 5 s.
//
// Bubble Tea v1 asks it in its own init (tea_init.go) through Lip Gloss and termenv,
// which waits a fixed 5 s (termenv.OSCTimeout, a constant) for an answer. A terminal
// that answers nothing (script, a serial console, some multiplexers) held okdash 5 s
// before main even began, 10 s with --theme auto, which asked again. This init settles
// the default renderer's answer first, so that Bubble Tea's question returns at once;
// okdash asks the terminal itself, within a bound it chooses, only for --theme auto.
//
// Go initializes packages in the order of their import paths, among those whose own
// imports are initialized (the spec, "Package initialization"). This module's path
// sorts before github.com/charmbracelet/bubbletea, so its init runs right after Lip
// Gloss's and before Bubble Tea's. It is a module of its own because no import path
// inside github.com/okdash/okdash sorts that early; the okdash module replaces it with
// this directory.
package earlyinit

import "github.com/charmbracelet/lipgloss"

func init() {
	// The default renderer draws none of okdash's styles (each dashboard has its own
	// renderer); saying "dark" here only spares the question.
	lipgloss.SetHasDarkBackground(true)
}
