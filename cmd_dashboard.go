package main

// The dashboard subcommand (the default). Owned by the dashboard work; newModel is the
// contract the SSH server uses to build one dashboard per session.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/okdash/okdash/internal/termquery"
	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/shift"
	"github.com/okdash/okdash/theme"
	"github.com/okdash/okdash/ttyinput"
	"github.com/okdash/okdash/ui"
)

// uiFlags are the flags of the dashboard's look; shared by the dashboard and serve.
type uiFlags struct {
	Lang           string
	Icons          string
	NoColor        bool
	Bell           bool
	Theme          string // auto, dark or light
	MaxMessages    int
	MaxHistory     int
	ConfirmTimeout time.Duration
	ToastTTL       time.Duration
}

// uiOptions turns the flags and the terminal's environment into the dashboard's options.
func uiOptions(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (ui.Options, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	lang, err := ui.ResolveLang(uf.Lang, env)
	if err != nil {
		return ui.Options{}, err
	}
	icons, err := theme.Icons(uf.Icons, env("TERM"))
	if err != nil {
		return ui.Options{}, err
	}
	var light bool
	switch uf.Theme {
	case "", "auto":
		light = r != nil && !r.HasDarkBackground()
	case "dark":
	case "light":
		light = true
	default:
		return ui.Options{}, fmt.Errorf("--theme %q: want auto, dark or light", uf.Theme)
	}
	if uf.MaxMessages < 1 || uf.MaxHistory < 1 {
		return ui.Options{}, fmt.Errorf("--max-messages and --max-history must be at least 1")
	}
	o := ui.Options{
		Session: sess, Clock: clock, Lang: lang, Bell: uf.Bell,
		Theme:       theme.New(r, theme.Options{Light: light, NoColor: uf.NoColor || env("NO_COLOR") != "", Icons: icons}),
		MaxMessages: uf.MaxMessages, MaxHistory: uf.MaxHistory, ConfirmTimeout: uf.ConfirmTimeout, ToastTTL: uf.ToastTTL,
	}
	if r != nil {
		o.BellOut = r.Output() // the renderer's own terminal: over SSH, the client's
	}
	if w, ok := sess.(*shift.Watched); ok {
		o.Shift = w // the shift view reads the shift the quit line prints (okdash and okdash serve alike)
	}
	return o, nil
}

// newModel builds the dashboard for one terminal: r renders for it, env reads its
// environment (os.Getenv locally, the client's environment over SSH).
func newModel(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
	o, err := uiOptions(sess, r, uf, env, clock)
	if err != nil {
		return nil, err
	}
	return ui.New(o), nil
}

var dashboardCmd = &command{
	name:   "okdash",
	usage:  usageText,
	groups: []group{groupSource, groupLook},
	config: true,
	extra: func(fs *flag.FlagSet, x *extraFlags) {
		fs.BoolVar(&x.version, "version", false, "")
	},
}

// checkBeforeConnecting finds what is wrong before a session is opened: the look flags,
// the source flags (checkSourceFlags, then each of more), a terminal where the source
// needs one.
func checkBeforeConnecting(io stdio, sf sourceFlags, uf uiFlags, clock oktell.Clock, more ...func(sourceFlags) error) error {
	if _, err := uiOptions(nil, nil, uf, os.Getenv, clock); err != nil {
		return err
	}
	for _, check := range append([]func(sourceFlags) error{checkSourceFlags}, more...) {
		if err := check(sf); err != nil {
			return err
		}
	}
	return needTerminal(io, sf.Source)
}

func cmdDashboard(args []string, io stdio) int {
	p, err := dashboardCmd.parse(args, os.Getenv)
	if err != nil {
		return parseFail(io, dashboardCmd, err)
	}
	if p.extra.version {
		return cmdVersion(nil, io)
	}
	if len(p.args) > 0 { // a mistyped subcommand must not open the dashboard
		fmt.Fprintf(io.err, "okdash: unknown subcommand or argument %q; see \"okdash help\"\n", p.args[0])
		return 2
	}
	sf, uf := p.opts.Source, p.opts.UI
	ctx := context.Background()
	clock := oktell.RealClock{}
	if err := checkBeforeConnecting(io, sf, uf, clock); err != nil {
		fmt.Fprintf(io.err, "okdash: %v\n", err)
		return 2
	}
	sess, err := openSession(ctx, sf, clock, localConsole(io))
	if err != nil {
		fmt.Fprintf(io.err, "okdash: %v\n", err)
		return 1
	}
	shifted := watchShift(sess, sf, clock) // the operator's day, printed when okdash quits
	sess = shifted
	defer sess.Close()
	r := localRenderer(uf.Theme)
	m, err := newModel(sess, r, uf, os.Getenv, clock)
	if err != nil {
		fmt.Fprintf(io.err, "okdash: %v\n", err)
		return 1
	}
	in, releaseIn, err := ttyinput.Open() // whole letters: Bubble Tea drops one cut between reads
	if err != nil {
		fmt.Fprintf(io.err, "okdash: %v\n", err)
		return 1
	}
	defer releaseIn() //nolint:errcheck
	if _, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(in)).Run(); err != nil {
		fmt.Fprintf(io.err, "okdash: %v\n", err)
		return 1
	}
	lang, _ := ui.ResolveLang(uf.Lang, os.Getenv) // checked by uiOptions above
	shiftFarewell(shifted, lang, io.out, io.err)
	return 0
}

// localRenderer is the renderer of the local terminal. Only --theme auto asks the
// terminal for its background, with a short wait (termquery.Wait); dark when it does
// not say. Bubble Tea's init asked nothing (package earlyterm).
func localRenderer(themeName string) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(os.Stdout)
	dark := true
	if (themeName == "" || themeName == "auto") && termquery.Asks(os.Getenv("TERM")) {
		if a := termquery.Ask(os.Stdin, os.Stdout, termquery.Wait); a.Known {
			dark = a.Dark
		}
	}
	r.SetHasDarkBackground(dark)
	lipgloss.SetHasDarkBackground(dark) // for styles made on the default renderer
	return r
}
