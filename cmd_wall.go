package main

// The wall subcommand: the call centre's wall screen. The colleagues by department, the
// queue in large type, the counts per state, full screen and read-only (ui.Wall). okdash
// serve opens the same for a key with okdash-wall=true.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/demo"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/ttyinput"
	"github.com/okdash/okdash/ui"
)

var wallCmd = &command{
	name: "okdash wall",
	usage: `Usage: okdash wall [flags]

The call centre's wall screen, read from across the room: every colleague by
department, in tiles sized to the terminal (name, number, state, time in state), the
queue's length and its longest wait in large type, and the count of colleagues in each
state. Read-only: its keys turn the pages (left, right), filter the departments (/),
show the help (?) and quit (q); nothing reaches Oktell.

It needs a source that reports colleagues: demo (the default), ws://HOST:PORT or
wss://HOST:PORT, or file:PATH of a capture of a ws session (--record on a ws://
source). A key of okdash serve with okdash-wall=true opens the same wall over SSH.
`,
	groups: []group{groupWall, groupSource, groupLook},
	noWall: true,
	config: true,
}

// wallSources are the sources that report colleagues, in the words of the usage.
const wallSources = "demo (the default), ws://HOST:PORT, wss://HOST:PORT, or file:PATH of a capture of a ws session (--record on a ws:// source)"

func cmdWall(args []string, io stdio) int {
	p, err := wallCmd.parse(args, os.Getenv)
	if err != nil {
		return parseFail(io, wallCmd, err)
	}
	if len(p.args) > 0 {
		return usageFail(io, wallCmd, usagef("unexpected argument %q", p.args[0]))
	}
	sf, uf, wf := p.opts.Source, p.opts.UI, p.opts.Wall
	clock := oktell.RealClock{}
	if err := checkBeforeConnecting(io, sf, uf, clock, checkWallSource); err != nil {
		fmt.Fprintf(io.err, "okdash wall: %v\n", err)
		return 2
	}
	sess, err := openSession(context.Background(), sf, clock, localConsole(io))
	if err != nil {
		fmt.Fprintf(io.err, "okdash wall: %v\n", err)
		return 1
	}
	defer sess.Close()
	r := localRenderer(uf.Theme)
	m, err := newWallModel(sess, r, uf, wf, os.Getenv, clock)
	if err != nil {
		fmt.Fprintf(io.err, "okdash wall: %v\n", err)
		return 1
	}
	in, releaseIn, err := ttyinput.Open()
	if err != nil {
		fmt.Fprintf(io.err, "okdash wall: %v\n", err)
		return 1
	}
	defer releaseIn() //nolint:errcheck
	if _, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(in)).Run(); err != nil {
		fmt.Fprintf(io.err, "okdash wall: %v\n", err)
		return 1
	}
	return 0
}

// newWallModel builds the wall for one terminal, as newModel builds the dashboard: r
// renders for it, env reads its environment. A session that reports no colleagues is
// refused (checkWallSource tells it before anything is opened; this is what opened).
func newWallModel(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, wf wallFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
	if !sess.Capabilities().Colleagues {
		return nil, fmt.Errorf("this source (%s) reports no colleagues, and the wall shows nothing else; it works with %s", sess.Capabilities().Kind, wallSources)
	}
	o, err := uiOptions(sess, r, uf, env, clock)
	if err != nil {
		return nil, err
	}
	return ui.NewWall(ui.WallOptions{Session: sess, Theme: o.Theme, Clock: clock, Lang: o.Lang, PageTime: wf.PageTime, Department: wf.Department}), nil
}

// checkWallSource says why sf's source cannot feed the wall, without connecting: the
// wall shows colleagues, and only the demo (when its scenario lists some), the
// WebSocket protocol and the replay of a capture of it report them.
func checkWallSource(sf sourceFlags) error {
	src := sf.Source
	switch sourceKindOf(src) {
	case sourceDemo:
		sc, err := demo.Load(sf.Scenario)
		if err != nil {
			return flagFile("--scenario", err)
		}
		if len(sc.Roster) == 0 {
			return fmt.Errorf("--scenario %s lists no colleague (\"colleague LOGIN NUMBER NAME\"): the wall would have nobody to show", sf.Scenario)
		}
		return nil
	case sourceWS:
		return nil
	case sourceFile:
		f, err := openInput(strings.TrimPrefix(src, "file:"))
		if err != nil {
			return nil // the source's own opening says what is wrong with the file
		}
		defer f.Close()
		head, _ := bufio.NewReaderSize(f, 4096).Peek(4096) // what there is of it
		if ws.IsCapture(head) {
			return nil
		}
		return fmt.Errorf("--source %s is not a capture of a ws session: a replayed log carries no colleagues, and the wall shows nothing else; it works with %s", src, wallSources)
	}
	return fmt.Errorf("--source %s reports no colleagues, and the wall shows nothing else; it works with %s", src, wallSources)
}
