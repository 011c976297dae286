// Package restore puts back the TERM that package earlyterm hid from Bubble Tea's
// init, and gives termenv and Lip Gloss an output that sees it. Importing it (for its
// init) is all a main package does; it imports Bubble Tea so that Go runs its init
// after Bubble Tea's.
package restore

import (
	"os"

	_ "github.com/charmbracelet/bubbletea" // initialised before this package
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okdash/okdash/internal/earlyterm"
)

func init() {
	if !earlyterm.Hidden() {
		return
	}
	earlyterm.Restore()
	// termenv's default output took its colour profile while TERM was hidden; Lip
	// Gloss's default renderer keeps the dark background Bubble Tea's init was told
	// (nobody was asked), which the dashboard overrides with what it learns itself.
	out := termenv.NewOutput(os.Stdout)
	termenv.SetDefaultOutput(out)
	lipgloss.DefaultRenderer().SetOutput(out)
}
