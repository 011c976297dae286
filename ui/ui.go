// Package ui holds the Bubble Tea models of the okdash dashboard.
package ui

// STUB (skeleton): the dashboard work replaces this file. The exported names below are a
// contract used by main and by the SSH server.

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
)

// Options configure one dashboard, for one terminal.
type Options struct {
	Session  oktell.Session
	Renderer *lipgloss.Renderer // the terminal's renderer: one per SSH session
	Clock    oktell.Clock
	Lang     language.Tag
	Icons    string // "unicode" or "ascii"
	Light    bool   // light background
	Bell     bool
}

// ShutdownMsg starts the visible countdown to a clean exit, as ShutdownRequested does.
// The SSH server sends it to every session on SIGTERM.
type ShutdownMsg struct {
	Reason string
	After  time.Duration
}

// Model is the root dashboard model.
type Model struct{ opts Options }

// New returns the dashboard.
func New(opts Options) Model { return Model{opts: opts} }

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && (k.String() == "q" || k.String() == "ctrl+c") {
		return m, tea.Quit
	}
	return m, nil
}

// View implements tea.Model.
func (m Model) View() string { return "okdash (skeleton): press q to quit\n" }
