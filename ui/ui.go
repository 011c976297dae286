// Package ui holds the Bubble Tea models of the okdash dashboard: the operator's state
// and its hotkeys, the messenger, toasts, the notification history and the help.
//
// The dashboard is a root Model over panes (glow's shape): each pane is a value in
// this package with its own state, its update, its key bindings (each knowing whether
// its action is possible now and why not, see binding) and its view; they share one
// common (theme, printer, clock, size, screen). The root routes messages to the panes,
// lays them out (layout.go) and derives the help and the window title from them.
//
// Data flows one way: the Session's updates become pane state in Update, and View turns
// pane state into text. Requests (SetUserState, a reply) go back to the Session as
// tea.Cmds, never from inside Update, and every timer is a Cmd on the injected clock.
package ui

import (
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/room"
	"github.com/okdash/okdash/theme"
)

// Minimum terminal size; below it the dashboard shows a "terminal too small" screen.
const (
	MinWidth  = 60
	MinHeight = 16
)

// Defaults of the Options that are left zero.
const (
	DefaultMaxMessages    = 1000
	DefaultMaxHistory     = 500
	DefaultMaxToasts      = 3
	DefaultConfirmTimeout = 10 * time.Second
	DefaultRequestTimeout = 10 * time.Second
	DefaultToastTTL       = 8 * time.Second
	DefaultShutdownAfter  = 10 * time.Second
)

// Options configure one dashboard, for one terminal.
type Options struct {
	Session oktell.Session
	// Theme is the look, built for the terminal's renderer (one per SSH session):
	// palette, styles, icon set. Nil: no colour, Unicode icons.
	Theme   *theme.Theme
	Clock   oktell.Clock
	Lang    language.Tag
	Bell    bool
	BellOut io.Writer // where the bell rings (the terminal: stdout, or the SSH channel)
	// Shift is the operator's shift, counted by the caller from the session's updates
	// (an oktell/shift.Watched around Session); nil: none is counted, no shift view.
	Shift ShiftSource

	MaxMessages    int           // messages kept (DefaultMaxMessages)
	MaxHistory     int           // notifications kept in the history (DefaultMaxHistory)
	MaxToasts      int           // toasts shown at once; the rest are counted as "+N more"
	ConfirmTimeout time.Duration // how long a state request waits for its UserStateChanged
	RequestTimeout time.Duration // context timeout of one SetUserState or SendMessage call
	ToastTTL       time.Duration // life of an autohide toast
	ShutdownAfter  time.Duration // countdown of ShutdownRequested

	// Publish, when set, is told what the dashboard shows (state, request, last key)
	// after every Update that changed it, for the trainer's room of okdash serve. It
	// must not wait: it is called from Update.
	Publish func(room.Snapshot)
}

func (o *Options) defaults() {
	if o.Clock == nil {
		o.Clock = oktell.RealClock{}
	}
	if o.MaxMessages <= 0 {
		o.MaxMessages = DefaultMaxMessages
	}
	if o.MaxHistory <= 0 {
		o.MaxHistory = DefaultMaxHistory
	}
	if o.MaxToasts <= 0 {
		o.MaxToasts = DefaultMaxToasts
	}
	if o.ConfirmTimeout <= 0 {
		o.ConfirmTimeout = DefaultConfirmTimeout
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.ToastTTL <= 0 {
		o.ToastTTL = DefaultToastTTL
	}
	if o.ShutdownAfter <= 0 {
		o.ShutdownAfter = DefaultShutdownAfter
	}
}

// Model is the root dashboard model: it routes, lays out, and owns only the window
// title, the clock's tick and the exit.
type Model struct {
	c *common
	panes

	tickID   int
	title    string // the window title last set
	quitting bool
}

// New returns the dashboard.
func New(opts Options) Model {
	opts.defaults()
	if opts.Theme == nil {
		opts.Theme = theme.New(nil, theme.Options{})
	}
	c := &common{
		opts:    opts,
		theme:   opts.Theme,
		print:   newPrinter(opts.Lang),
		clock:   opts.Clock,
		session: opts.Session,
		wall:    opts.Clock.Now(),
	}
	if opts.Session != nil {
		c.caps = opts.Session.Capabilities()
	}
	c.now = c.present()
	return Model{c: c, panes: newPanes(c)}
}

// Init implements tea.Model: start listening to the session and the clock.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tickCmd(m.c.clock, m.tickID)}
	if m.c.session != nil {
		cmds = append(cmds, waitUpdates(m.c.session.Updates()))
	}
	return tea.Batch(cmds...)
}

// maxPosted bounds the messages panes post to each other in one Update: they answer
// what they hear, so a chain longer than this is a bug, not a busy shift.
const maxPosted = 1000

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	c := m.c
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.width, c.height = msg.Width, msg.Height
		m.place(c)
		cmds = append(cmds, m.route(msg)...)
	case tickMsg:
		if msg.id != m.tickID {
			return m, nil // a tick of an earlier chain: one chain only, or the screen redraws twice a second
		}
		c.ticked(msg.t)
		cmds = append(cmds, tickCmd(c.clock, m.tickID))
		cmds = append(cmds, m.route(msg)...)
	case updatesMsg:
		// Every update that waited, applied before one frame draws them all.
		for _, u := range msg.updates {
			cmds = append(cmds, m.apply(u)...)
		}
		if msg.ended {
			cmds = append(cmds, m.route(sessionEndedMsg{})...)
		} else {
			cmds = append(cmds, waitUpdates(c.session.Updates()))
		}
	case updateMsg:
		cmds = append(cmds, m.apply(msg.u)...)
	case tea.KeyMsg:
		cmds = append(cmds, m.key(msg))
	default:
		cmds = append(cmds, m.route(msg)...)
	}
	m.settle()
	cmds = append(cmds, c.rung())
	if m.quitting {
		return m, tea.Quit
	}
	m.publish()
	if t := m.windowTitle(); t != m.title {
		m.title = t
		cmds = append(cmds, tea.SetWindowTitle(t))
	}
	return m, tea.Batch(cmds...)
}

// apply routes one update from the session, stamped with its time when it has none. A
// live source's times move the wall clock on; a log's are its own (Capabilities.LogTimes)
// and move only a replay's now, which is its place in the log.
func (m *Model) apply(u oktell.Update) []tea.Cmd {
	m.c.arrived(&u)
	return m.route(updateMsg{u})
}

// route hands msg to the panes, then what they posted.
func (m *Model) route(msg tea.Msg) []tea.Cmd {
	return append(m.panes.route(msg), m.deliver()...)
}

// deliver hands what the panes posted to the panes, in order, until nothing is left.
func (m *Model) deliver() []tea.Cmd {
	c := m.c
	var cmds []tea.Cmd
	for n := 0; len(c.posted) > 0 && n < maxPosted; n++ {
		next := c.posted[0]
		c.posted = c.posted[1:]
		switch next := next.(type) {
		case quitMsg:
			m.quitting = true
		case screenMsg:
			c.screen = next.to
			m.place(c) // the lists' rows depend on the screen (the toasts are on the main one only)
		}
		cmds = append(cmds, m.panes.route(next)...)
	}
	c.posted = c.posted[:0]
	return cmds
}

// key handles a key: ctrl+c quits from anywhere; a pane holding the focus gets every
// key; otherwise the first binding the key presses acts, or says why it cannot.
func (m *Model) key(k tea.KeyMsg) tea.Cmd {
	c := m.c
	if k.Type == tea.KeyCtrlC {
		m.quitting = true
		return nil
	}
	var cmd tea.Cmd
	keys, take := m.modal(c)
	c.pub.pressed(k, keys != nil, c.clock.Now())
	if keys != nil {
		var took bool
		if cmd, took = press(c, keys, k); !took {
			cmd = take(k)
		}
	} else {
		cmd, _ = press(c, m.liveKeys(c), k)
	}
	return tea.Batch(append(m.deliver(), cmd)...) // what the action posted
}

// View implements tea.Model. It draws only what is visible: the cost of a frame does
// not grow with the history.
func (m Model) View() string {
	if m.c.width <= 0 || m.c.height <= 0 || m.quitting {
		return ""
	}
	return m.panes.view(m.c)
}
