package main

// The dashboard subcommand (the default). Owned by the dashboard work; newModel is the
// contract the SSH server uses to build one dashboard per session.

import (
	"context"
	"flag"
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/ui"
)

// uiFlags are the flags of the dashboard's look; shared by the dashboard and serve.
type uiFlags struct {
	Lang    string
	Icons   string
	NoColor bool
	Bell    bool
}

func (f *uiFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Lang, "lang", "", "language of the dashboard: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVar(&f.Icons, "icons", "", "icon set: unicode or ascii (default: ascii on TERM=linux and TERM=dumb)")
	fs.BoolVar(&f.NoColor, "no-color", false, "no colour (also when NO_COLOR is set)")
	fs.BoolVar(&f.Bell, "bell", false, "ring the terminal bell on new messages and incoming-call notifications")
}

// newModel builds the dashboard for one terminal: r renders for it, env reads its
// environment (os.Getenv locally, the client's environment over SSH).
func newModel(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
	return ui.New(ui.Options{Session: sess, Renderer: r, Clock: clock, Bell: uf.Bell}), nil
}

func cmdDashboard(args []string, io stdio) int {
	fs := flag.NewFlagSet("okdash", flag.ContinueOnError)
	fs.SetOutput(io.err)
	var sf sourceFlags
	var uf uiFlags
	sf.register(fs)
	uf.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx := context.Background()
	clock := oktell.RealClock{}
	sess, err := openSession(ctx, sf, clock)
	if err != nil {
		fmt.Fprintf(io.err, "okdash: %v\n", err)
		return 1
	}
	defer sess.Close()
	m, err := newModel(sess, lipgloss.NewRenderer(os.Stdout), uf, os.Getenv, clock)
	if err != nil {
		fmt.Fprintf(io.err, "okdash: %v\n", err)
		return 1
	}
	if _, err := tea.NewProgram(m, tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintf(io.err, "okdash: %v\n", err)
		return 1
	}
	return 0
}
