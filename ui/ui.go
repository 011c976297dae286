// Package ui holds the Bubble Tea models of the okdash dashboard: the operator's state
// and its hotkeys, the messenger, toasts, the notification history and the help.
//
// Data flows one way: the Session's updates become pane state in Update, and View turns
// pane state into text. Requests (SetUserState, a reply) go back to the Session as
// tea.Cmds, never from inside Update, and every timer is a Cmd on the injected clock.
package ui

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/theme"
)

// Minimum terminal size; below it the dashboard shows a "terminal too small" screen.
const (
	MinWidth  = 60
	MinHeight = 16
)

// maxToastsKept bounds the toasts waiting on screen (the history keeps them all anyway).
const maxToastsKept = 100

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
	Session  oktell.Session
	Renderer *lipgloss.Renderer // the terminal's renderer: one per SSH session
	Clock    oktell.Clock
	Lang     language.Tag
	Icons    string // "unicode" or "ascii"
	Light    bool   // light background
	Bell     bool

	NoColor bool      // no colour at all (NO_COLOR, --no-color)
	Term    string    // the terminal's TERM: picks the icon set when Icons is empty
	BellOut io.Writer // where the bell rings (the terminal: stdout, or the SSH channel)

	MaxMessages    int           // messages kept (DefaultMaxMessages)
	MaxHistory     int           // notifications kept in the history (DefaultMaxHistory)
	MaxToasts      int           // toasts shown at once; the rest are counted as "+N more"
	ConfirmTimeout time.Duration // how long a state request waits for its UserStateChanged
	RequestTimeout time.Duration // context timeout of one SetUserState or SendMessage call
	ToastTTL       time.Duration // life of an autohide toast
	ShutdownAfter  time.Duration // countdown of ShutdownRequested
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

// ShutdownMsg starts the visible countdown to a clean exit, as ShutdownRequested does.
// The SSH server sends it to every session on SIGTERM.
type ShutdownMsg struct {
	Reason string
	After  time.Duration
}

type view int

const (
	viewMain view = iota
	viewHistory
	viewHelp
)

// request is a SetUserState on its way: shown as pending until confirmed. It remembers
// the state it was asked from, to tell a repeat of that state (keep waiting) from a
// different state the server chose itself (the request was superseded).
type request struct {
	id       int
	active   bool
	state    oktell.UserState
	redirect bool
	label    string

	fromKnown    bool
	from         oktell.UserState
	fromRedirect bool
}

// redirectOnly says whether the request only flips the redirect flag, keeping the state.
func (r request) redirectOnly() bool {
	return r.fromKnown && r.state == r.from && r.redirect != r.fromRedirect
}

// requestOutcome is what a UserStateChanged means to a pending request.
type requestOutcome int

const (
	requestWaiting    requestOutcome = iota // nothing new yet: the old state, repeated
	requestConfirmed                        // the server applied what was asked
	requestSuperseded                       // the server set something else: a call came in, a supervisor acted
)

// outcome judges a state the server reports against the request. A state request is
// confirmed by its state (the server may set redirect on its own), a redirect request by
// its flag (a call may move the state at the same moment). Before any state was known
// there is nothing to tell a repeat from, so an unexpected state keeps the request waiting.
func (r request) outcome(s oktell.UserState, redirect bool) requestOutcome {
	switch {
	case r.redirectOnly() && redirect == r.redirect:
		return requestConfirmed
	case r.redirectOnly() && s == r.from:
		return requestWaiting
	case r.redirectOnly():
		return requestSuperseded
	case s == r.state:
		return requestConfirmed
	case !r.fromKnown || s == r.from:
		return requestWaiting
	}
	return requestSuperseded
}

// Model is the root dashboard model.
type Model struct {
	o    Options
	th   *theme.Theme
	p    *message.Printer
	keys KeyMap
	help help.Model
	in   textinput.Model

	width, height int
	now           time.Time
	tickID        int

	caps       oktell.Capabilities
	link       oktell.Link
	linkReason string
	operator   string
	line       string
	ended      bool

	known     bool
	state     oktell.UserState
	stateName string
	redirect  bool
	since     time.Time
	stale     bool
	banner    string

	req    request
	reqSeq int

	voicemail int

	msgs     *messenger
	toasts   []*toast
	toastSeq int
	history  *ring[note]
	histOff  int

	view     view
	replying bool
	replyTo  *msgEntry
	sending  bool
	title    string
	shutdown bool
	shutAt   time.Time
	shutWhy  string
	shutSeq  int
	quitting bool
}

// New returns the dashboard.
func New(opts Options) Model {
	opts.defaults()
	icons, err := theme.Icons(opts.Icons, opts.Term)
	if err != nil {
		icons = theme.Unicode()
	}
	th := theme.New(opts.Renderer, theme.Options{Light: opts.Light, NoColor: opts.NoColor, Icons: icons})
	p := newPrinter(opts.Lang)
	m := Model{
		o: opts, th: th, p: p, keys: DefaultKeyMap(p),
		now:     opts.Clock.Now(),
		msgs:    newMessenger(opts.MaxMessages),
		history: &ring[note]{max: opts.MaxHistory},
	}
	if opts.Session != nil {
		m.caps = opts.Session.Capabilities()
	}
	m.link = oktell.LinkConnected
	if m.caps.ReadOnly {
		m.link = oktell.LinkReadOnly
	}
	if th.Icons.Up != "" {
		// the arrows' names follow the icon set: a console without Unicode reads "up/k"
		m.keys.Up.SetHelp(th.Icons.Up+"/k", m.keys.Up.Help().Desc)
		m.keys.Down.SetHelp(th.Icons.Down+"/j", m.keys.Down.Help().Desc)
	}
	m.help = help.New()
	m.help.Styles = help.Styles{
		Ellipsis: th.HelpSep, ShortKey: th.HelpKey, ShortDesc: th.HelpDesc, ShortSeparator: th.HelpSep,
		FullKey: th.HelpKey, FullDesc: th.HelpDesc, FullSeparator: th.HelpSep,
	}
	m.help.Ellipsis = th.Icons.Ellipsis
	m.help.ShortSeparator = " " + th.Icons.Sep + " "
	m.in = textinput.New()
	m.in.Cursor.SetMode(cursor.CursorStatic) // no blinking: nothing animates on an idle screen
	m.in.PromptStyle = th.Accent
	m.in.TextStyle = th.Input
	m.in.PlaceholderStyle = th.Muted
	m.in.CompletionStyle = th.Muted
	m.in.Cursor.Style = th.Cursor
	m.in.Cursor.TextStyle = th.Input
	m.in.CharLimit = 2000
	m.refreshKeys()
	return m
}

// Init implements tea.Model: start listening to the session and the clock.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tickCmd(m.o.Clock, m.tickID)}
	if m.o.Session != nil {
		cmds = append(cmds, waitUpdate(m.o.Session.Updates()))
	}
	return tea.Batch(cmds...)
}

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.sizeInput()
		m.msgs.ensureVisible(m.bodyWidth(), m.msgPaneHeight())
	case tickMsg:
		if msg.id != m.tickID {
			return m, nil // a tick of an earlier chain: one chain only, or the screen redraws twice a second
		}
		if msg.t.After(m.now) {
			m.now = msg.t
		}
		cmds = append(cmds, tickCmd(m.o.Clock, m.tickID))
	case updateMsg:
		cmds = append(cmds, m.onUpdate(msg.u)...)
		if m.o.Session != nil {
			cmds = append(cmds, waitUpdate(m.o.Session.Updates()))
		}
	case sessionEndedMsg:
		m.ended = true
		if !m.caps.ReadOnly {
			m.stale = true
		}
		// A session that said why it closed (the ws session's "start okdash again") keeps
		// that reason on screen: it is what the operator must do next.
		if m.link == oktell.LinkClosed && m.linkReason != "" {
			m.banner = m.p.Sprintf("Source ended: %s", m.linkReason)
		} else {
			m.banner = m.p.Sprintf("Source ended")
		}
		cmds = append(cmds, m.failPending())
	case setStateDoneMsg:
		if msg.err != nil && m.req.active && m.req.id == msg.id {
			cmds = append(cmds, m.addLocalError(m.p.Sprintf("Asked for %s: %v", m.req.label, m.requestError(msg.err))))
			m.req.active = false
		}
	case confirmTimeoutMsg:
		if m.req.active && m.req.id == msg.id {
			cmds = append(cmds, m.addLocalError(m.p.Sprintf("No answer to %s within %s", m.req.label, m.o.ConfirmTimeout)))
			m.req.active = false
		}
	case sentMsg:
		cmds = append(cmds, m.onSent(msg))
	case expireToastMsg:
		m.expireToast(msg)
	case ShutdownMsg:
		cmds = append(cmds, m.startShutdown(msg.Reason, msg.After))
	case shutdownNowMsg:
		if m.shutdown && msg.seq == m.shutSeq {
			m.quitting = true
			return m, tea.Quit
		}
	case tea.KeyMsg:
		cmd, quit := m.onKey(msg)
		if quit {
			m.quitting = true
			return m, tea.Quit
		}
		cmds = append(cmds, cmd)
	default:
		if m.replying {
			var cmd tea.Cmd
			m.in, cmd = m.in.Update(msg)
			cmds = append(cmds, cmd)
		}
	}
	m.refreshKeys()
	if t := m.windowTitle(); t != m.title {
		m.title = t
		cmds = append(cmds, tea.SetWindowTitle(t))
	}
	return m, tea.Batch(cmds...)
}

// onUpdate applies one update from the session.
func (m *Model) onUpdate(u oktell.Update) []tea.Cmd {
	at := u.At
	if at.IsZero() {
		at = m.o.Clock.Now()
	}
	if at.After(m.now) {
		m.now = at
	}
	var cmds []tea.Cmd
	if u.Err != nil {
		// The session goes on; the operator should still learn that something was skipped.
		cmds = append(cmds, m.addLocalWarning(translateReason(m.p, Sanitize(u.Err.Error()))))
	}
	if s := u.Status; s != nil {
		m.link = s.Link
		m.linkReason = translateReason(m.p, Sanitize(s.Reason))
		if s.Operator != "" {
			m.operator = Sanitize(s.Operator)
		}
		if s.Line != "" {
			m.line = Sanitize(s.Line)
		}
		switch s.Link {
		case oktell.LinkConnected:
			m.stale, m.banner = false, ""
		case oktell.LinkReconnecting, oktell.LinkClosed:
			cmds = append(cmds, m.linkDown(m.lostBanner("Link to Oktell lost", m.linkReason)))
		case oktell.LinkConnecting:
			cmds = append(cmds, m.linkDown(""))
		}
	}
	e := u.Event
	if e == nil {
		return cmds
	}
	switch e.Type {
	case oktell.UserStateChanged:
		sc, err := e.StateChange()
		if err != nil {
			return append(cmds, m.addLocalError(m.p.Sprintf("Bad %s event: %v", e.Type, Sanitize(err.Error()))))
		}
		if !m.known || sc.State != m.state {
			m.since = at
		}
		m.known, m.state, m.stateName, m.redirect = true, sc.State, Sanitize(sc.StateName), sc.Redirect
		m.stale = false // a fresh state from the server: the link works
		if m.link != oktell.LinkReadOnly {
			m.link = oktell.LinkConnected
		}
		m.banner = ""
		if m.req.active {
			switch m.req.outcome(sc.State, sc.Redirect) {
			case requestConfirmed:
				m.req.active = false
			case requestSuperseded:
				// Not a failure of okdash or of the link: say what happened, calmly, at once.
				m.req.active = false
				cmds = append(cmds, m.addLocalNote(m.p.Sprintf("%s was not applied: the server set %s", m.req.label, m.stateWord())))
			}
		}
	case oktell.Notify:
		n, err := e.Notification()
		if m.seenNote(n.GUID) {
			break // delivered again (a followed log rewritten): shown once
		}
		nt := note{guid: n.GUID,
			at: n.Time, typ: n.Type, argb: n.BackColorARGB, sender: Sanitize(n.Sender), text: Sanitize(n.Text),
			dbsaved: n.DBSaved, autohide: n.AutoHide,
		}
		if nt.at.IsZero() {
			nt.at = at
		}
		if err != nil && nt.text == "" {
			nt.text = Sanitize(err.Error())
		}
		m.history.add(nt)
		cmds = append(cmds, m.addToast(nt))
		if n.Type == oktell.NltIncomingCall {
			cmds = append(cmds, m.bell())
		}
	case oktell.VoiceMail:
		m.voicemail++
	case oktell.UserMessage:
		msg, err := e.Message()
		if m.seenMessage(msg.GUID) {
			break // delivered again: shown once
		}
		entry := &msgEntry{guid: msg.GUID, at: msg.Time, senderID: Sanitize(msg.SenderID), sender: Sanitize(msg.SenderName), text: SanitizeText(msg.Text)}
		if entry.at.IsZero() || err != nil {
			entry.at = at
		}
		if entry.sender == "" {
			entry.sender = entry.senderID
		}
		m.addMessage(entry)
		cmds = append(cmds, m.bell())
	case oktell.ShutdownRequested:
		cmds = append(cmds, m.startShutdown("", m.o.ShutdownAfter))
	case oktell.ConnectionLost:
		cmds = append(cmds, m.linkDown(m.lostBanner("Link to Oktell lost", "")))
	case oktell.RestartRequested:
		cmds = append(cmds, m.linkDown(m.lostBanner("Oktell restarts", "")))
	}
	return cmds
}

// realGUID says whether a GUID identifies one delivery: not empty, not all zeros.
func realGUID(g string) bool {
	return strings.Trim(g, "{}-0 ") != ""
}

// seenNote says whether a notification with this GUID is already in the history.
func (m *Model) seenNote(guid string) bool {
	if !realGUID(guid) {
		return false
	}
	for i := len(m.history.items) - 1; i >= 0; i-- {
		if strings.EqualFold(m.history.items[i].guid, guid) {
			return true
		}
	}
	return false
}

// seenMessage says whether a message with this GUID is already in the list.
func (m *Model) seenMessage(guid string) bool {
	if !realGUID(guid) {
		return false
	}
	for i := len(m.msgs.items) - 1; i >= 0; i-- {
		if strings.EqualFold(m.msgs.items[i].guid, guid) {
			return true
		}
	}
	return false
}

func (m *Model) lostBanner(what, reason string) string {
	if reason == "" {
		return m.p.Sprintf(what)
	}
	return m.p.Sprintf(what+": %s", reason)
}

// linkDown marks the state stale (it is the last thing the server said), shows banner
// when there is one, and fails a pending request: nothing can confirm it now.
func (m *Model) linkDown(banner string) tea.Cmd {
	m.stale = m.stale || m.known
	if banner != "" {
		m.banner = banner
	}
	return m.failPending()
}

// failPending ends a pending request when the link that would confirm it is gone.
func (m *Model) failPending() tea.Cmd {
	if !m.req.active {
		return nil
	}
	m.req.active = false
	return m.addLocalError(m.p.Sprintf("Request for %s lost with the link", m.req.label))
}

func (m *Model) addMessage(e *msgEntry) {
	m.msgs.add(e)
	if !m.msgs.following() || m.view != viewMain {
		m.msgs.unread++
	}
}

// addToast shows a notification, coalescing a repeat of one already on screen.
func (m *Model) addToast(n note) tea.Cmd {
	for _, t := range m.toasts {
		if t.n.same(n) {
			t.count++
			t.n.at = n.at
			t.gen++
			// move it to the newest position, so the repeat is noticed
			m.removeToast(t.id)
			m.toasts = append(m.toasts, t)
			if n.autohide {
				return expireCmd(m.o.Clock, t.id, t.gen, m.o.ToastTTL)
			}
			return nil
		}
	}
	m.toastSeq++
	t := &toast{id: m.toastSeq, n: n, count: 1}
	m.toasts = append(m.toasts, t)
	if len(m.toasts) > maxToastsKept {
		// Sticky toasts nobody dismisses must not grow without bound; the history keeps them.
		m.toasts = append(m.toasts[:0:0], m.toasts[len(m.toasts)-maxToastsKept:]...)
	}
	if n.autohide {
		return expireCmd(m.o.Clock, t.id, t.gen, m.o.ToastTTL)
	}
	return nil
}

// addLocal raises a toast of okdash's own and keeps it in the history, marked as
// okdash's, so an operator who looked away can still read it there.
func (m *Model) addLocal(typ oktell.NotifyType, text string, autohide bool) tea.Cmd {
	n := note{at: m.now, typ: typ, text: text, autohide: autohide, local: true}
	m.history.add(n)
	return m.addToast(n)
}

// addLocalError raises an error of okdash's own (a refusal, a timeout, a failed send).
// It stays until dismissed: a break that was not set must not go unnoticed.
func (m *Model) addLocalError(text string) tea.Cmd {
	return m.addLocal(oktell.NltApplicationErr, text, false)
}

// addLocalWarning raises a warning of okdash's own (a skipped malformed document); it
// hides itself, the history keeps it.
func (m *Model) addLocalWarning(text string) tea.Cmd {
	return m.addLocal(oktell.NltApplicationWarn, text, true)
}

// addLocalNote raises an informative toast of okdash's own (nothing went wrong, but the
// operator should know); it hides itself, the history keeps it.
func (m *Model) addLocalNote(text string) tea.Cmd {
	return m.addLocal(oktell.NltApplicationInfo, text, true)
}

func (m *Model) removeToast(id int) {
	for i, t := range m.toasts {
		if t.id == id {
			m.toasts = append(m.toasts[:i], m.toasts[i+1:]...)
			return
		}
	}
}

func (m *Model) expireToast(msg expireToastMsg) {
	for _, t := range m.toasts {
		if t.id == msg.id && t.gen == msg.gen && t.n.autohide {
			m.removeToast(t.id)
			return
		}
	}
}

// orderedToasts are all toasts in the order they are drawn: incoming calls on top, then
// the rest newest first.
func (m *Model) orderedToasts() (all []*toast, calls int) {
	var rest []*toast
	for i := len(m.toasts) - 1; i >= 0; i-- {
		if t := m.toasts[i]; t.n.typ == oktell.NltIncomingCall {
			all = append(all, t)
		} else {
			rest = append(rest, t)
		}
	}
	calls = len(all)
	return append(all, rest...), calls
}

// visibleToasts are the toasts under the messages of a narrow terminal, and how many
// more there are. On a wide terminal the column shows them all as they fit.
func (m *Model) visibleToasts() (shown []*toast, more int) {
	all, _ := m.orderedToasts()
	if m.wide() {
		return all, 0
	}
	n := min(len(all), m.maxToasts())
	return all[:n], len(all) - n
}

func (m *Model) maxToasts() int {
	return min(m.o.MaxToasts, max((m.height-MinHeight)/4+2, 1))
}

func (m *Model) startShutdown(reason string, after time.Duration) tea.Cmd {
	if after <= 0 {
		after = m.o.ShutdownAfter
	}
	at := m.now.Add(after)
	if m.shutdown && !at.Before(m.shutAt) {
		return nil // an earlier countdown ends sooner; keep it
	}
	m.shutdown, m.shutAt, m.shutWhy = true, at, translateReason(m.p, Sanitize(reason))
	m.shutSeq++
	return shutdownCmd(m.o.Clock, m.shutSeq, after)
}

func (m *Model) bell() tea.Cmd {
	if !m.o.Bell || m.o.BellOut == nil {
		return nil
	}
	return bellCmd(m.o.BellOut)
}

// linkUsable says whether a request to the server can go out now: a session that
// writes, on a link that is up and not stale.
func (m *Model) linkUsable() bool {
	return m.o.Session != nil && !m.caps.ReadOnly && !m.ended && !m.stale && m.link == oktell.LinkConnected
}

// stateKeysAllowed says whether the operator may ask for a state now.
func (m *Model) stateKeysAllowed() bool {
	return m.linkUsable() && m.caps.SetUserState && !m.req.active && !m.shutdown
}

// refreshKeys enables exactly the keys whose action is possible now; help hides the rest.
func (m *Model) refreshKeys() {
	k := &m.keys
	ok := m.stateKeysAllowed()
	k.Ready.SetEnabled(ok && !(m.known && m.state == oktell.UserReady))
	k.Break.SetEnabled(ok && !(m.known && m.state == oktell.UserLunch))
	k.Away.SetEnabled(ok && !(m.known && m.state == oktell.UserOff))
	// Redirect is re-sent with the current state, so only from a state the operator may ask for.
	k.Redirect.SetEnabled(ok && m.known && m.state.Requestable())
	if m.redirect {
		k.Redirect.SetHelp("4/f", m.p.Sprintf("redirect off"))
	} else {
		k.Redirect.SetHelp("4/f", m.p.Sprintf("redirect on"))
	}
	has := len(m.msgs.items) > 0
	main := m.view == viewMain
	scroll := (main && has) || m.view == viewHistory
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown} {
		b.SetEnabled(scroll)
	}
	k.Newest.SetEnabled(main && has && (!m.msgs.following() || m.msgs.sel >= 0))
	// A reply may be written while the link is down: sending then fails with the reason
	// and keeps the text. Were the key disabled, an operator already typing their answer
	// would fire hotkeys instead, and a 'q' in it would quit.
	canWrite := m.o.Session != nil && !m.caps.ReadOnly && !m.ended && m.caps.SendMessage
	k.Reply.SetEnabled(main && canWrite && m.msgs.replyTarget() != nil)
	k.Dismiss.SetEnabled(main && len(m.toasts) > 0)
	k.DismissAll.SetEnabled(main && len(m.toasts) > 1)
	k.VoiceMail.SetEnabled(m.voicemail > 0)
	k.History.SetEnabled(true)
	k.Back.SetEnabled(m.view != viewMain || m.msgs.sel >= 0)
}

// onKey handles a key. Focus gates first: while the reply line is open no hotkey fires.
func (m *Model) onKey(k tea.KeyMsg) (tea.Cmd, bool) {
	if k.Type == tea.KeyCtrlC {
		return nil, true
	}
	if m.replying {
		return m.onReplyKey(k), false
	}
	if m.width < MinWidth || m.height < MinHeight {
		return nil, key.Matches(k, m.keys.Quit)
	}
	keys := &m.keys
	switch {
	case key.Matches(k, keys.Quit):
		return nil, true
	case key.Matches(k, keys.Ready):
		return m.requestState(oktell.UserReady, m.redirect, "Ready"), false
	case key.Matches(k, keys.Break):
		return m.requestState(oktell.UserLunch, m.redirect, "Break"), false
	case key.Matches(k, keys.Away):
		return m.requestState(oktell.UserOff, m.redirect, "Away"), false
	case key.Matches(k, keys.Redirect):
		label := "Redirect on"
		if m.redirect {
			label = "Redirect off"
		}
		return m.requestState(m.state, !m.redirect, label), false
	case key.Matches(k, keys.VoiceMail):
		m.voicemail = 0
		return nil, false
	case key.Matches(k, keys.Help):
		if m.view == viewHelp {
			m.view = viewMain
		} else {
			m.view = viewHelp
		}
		m.afterViewChange()
		return nil, false
	case key.Matches(k, keys.History):
		if m.view == viewHistory {
			m.view = viewMain
		} else {
			m.view, m.histOff = viewHistory, 0
		}
		m.afterViewChange()
		return nil, false
	}
	switch m.view {
	case viewHelp:
		if key.Matches(k, keys.Back) {
			m.view = viewMain
			m.afterViewChange()
		}
	case viewHistory:
		page := max(m.msgPaneHeight()-1, 1)
		switch {
		case key.Matches(k, keys.Back):
			m.view = viewMain
			m.afterViewChange()
		case key.Matches(k, keys.Up):
			m.histOff--
		case key.Matches(k, keys.Down):
			m.histOff++
		case key.Matches(k, keys.PageUp):
			m.histOff -= page
		case key.Matches(k, keys.PageDown):
			m.histOff += page
		}
		// wrapped entries take several lines, so scrolling may go on until the oldest is at the top
		m.histOff = min(max(m.histOff, 0), max(m.history.len()-1, 0))
	case viewMain:
		w, h := m.bodyWidth(), m.msgPaneHeight()
		switch {
		case key.Matches(k, keys.Up):
			m.msgs.move(-1, w, h)
		case key.Matches(k, keys.Down):
			m.msgs.move(1, w, h)
		case key.Matches(k, keys.PageUp):
			m.msgs.move(-max(h/3, 1), w, h)
		case key.Matches(k, keys.PageDown):
			m.msgs.move(max(h/3, 1), w, h)
		case key.Matches(k, keys.Newest), key.Matches(k, keys.Back):
			m.msgs.follow()
		case key.Matches(k, keys.Reply):
			m.openReply()
		case key.Matches(k, keys.Dismiss):
			if shown, _ := m.visibleToasts(); len(shown) > 0 {
				m.removeToast(shown[0].id)
			}
		case key.Matches(k, keys.DismissAll):
			m.toasts = nil
		}
	}
	return nil, false
}

func (m *Model) afterViewChange() {
	if m.view == viewMain && m.msgs.following() {
		m.msgs.unread = 0
	}
}

// requestState sends SetUserState and marks it pending until the server confirms it.
func (m *Model) requestState(s oktell.UserState, redirect bool, label string) tea.Cmd {
	m.reqSeq++
	m.req = request{
		id: m.reqSeq, active: true, state: s, redirect: redirect, label: m.p.Sprintf(label),
		fromKnown: m.known, from: m.state, fromRedirect: m.redirect,
	}
	return tea.Batch(
		setStateCmd(m.o.Session, m.reqSeq, s, redirect, m.o.RequestTimeout),
		confirmTimeoutCmd(m.o.Clock, m.reqSeq, m.o.ConfirmTimeout),
	)
}

func (m *Model) openReply() {
	t := m.msgs.replyTarget()
	if t == nil {
		return
	}
	m.replying, m.replyTo, m.sending = true, t, false
	m.in.Reset()
	m.in.Prompt = m.p.Sprintf("Reply to %s: ", t.sender)
	m.sizeInput()
	m.in.Focus()
}

// sizeInput fits the reply line to the terminal: the prompt, the text, the cursor.
func (m *Model) sizeInput() {
	m.in.Width = max(m.width-2-ansi.StringWidth(m.in.Prompt), 1)
}

func (m *Model) closeReply() {
	m.replying, m.replyTo, m.sending = false, nil, false
	m.in.Blur()
	m.in.Reset()
}

func (m *Model) onReplyKey(k tea.KeyMsg) tea.Cmd {
	switch k.Type {
	case tea.KeyEsc:
		m.closeReply()
		return nil
	case tea.KeyEnter:
		text := strings.TrimSpace(m.in.Value())
		if text == "" || m.sending {
			return nil
		}
		m.sending = true
		return sendCmd(m.o.Session, m.replyTo, text, m.o.RequestTimeout)
	}
	if m.sending {
		return nil // the text is on its way; editing it now would not change what is sent
	}
	var cmd tea.Cmd
	m.in, cmd = m.in.Update(k)
	return cmd
}

// requestError says why a request failed, in the operator's words: "refused" only when
// the server refused it, a plain "no answer" when it did not answer in time.
func (m *Model) requestError(err error) string {
	var refused *oktell.RefusedError
	switch {
	case errors.As(err, &refused):
		if refused.Reason == "" {
			return m.p.Sprintf("refused")
		}
		return m.p.Sprintf("refused: %s", translateReason(m.p, Sanitize(refused.Reason)))
	case errors.Is(err, context.DeadlineExceeded):
		return m.p.Sprintf("no answer from Oktell within %s", m.o.RequestTimeout)
	case errors.Is(err, oktell.ErrTimeout), isTimeout(err):
		// a timeout of the source's own, whose length the dashboard does not know
		return m.p.Sprintf("no answer from Oktell in time")
	}
	return translateReason(m.p, Sanitize(err.Error()))
}

// isTimeout recognises a timeout reported by the network (net.Error) rather than by the
// request's context.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func (m *Model) onSent(msg sentMsg) tea.Cmd {
	if msg.to == nil {
		return nil
	}
	if msg.err != nil {
		m.sending = false
		return m.addLocalError(m.p.Sprintf("Could not send to %s: %v", msg.to.sender, m.requestError(msg.err)))
	}
	if m.replying && m.replyTo == msg.to {
		m.closeReply()
	}
	m.addMessage(&msgEntry{at: m.now, senderID: msg.to.senderID, sender: msg.to.sender, text: SanitizeText(msg.text), outgoing: true})
	m.msgs.follow()
	return nil
}

// windowTitle is the terminal's title: the state, so a minimised window still tells it.
func (m *Model) windowTitle() string {
	s := "okdash"
	if m.known {
		s += ": " + m.stateWord()
		if m.redirect {
			s += " " + m.th.Icons.Redirect
		}
		if m.stale {
			s += " (" + m.p.Sprintf("stale") + ")"
		}
	}
	return s
}

func (m *Model) stateWord() string {
	if !m.known {
		return m.p.Sprintf("Unknown")
	}
	switch m.state {
	case oktell.UserDisconnected:
		return m.p.Sprintf("Disconnected")
	case oktell.UserReady:
		return m.p.Sprintf("Ready")
	case oktell.UserLunch:
		return m.p.Sprintf("Break")
	case oktell.UserOff:
		return m.p.Sprintf("Away")
	case oktell.UserFullbusy:
		return m.p.Sprintf("Busy")
	case oktell.UserReserved:
		return m.p.Sprintf("Reserved")
	case oktell.UserWOphone:
		return m.p.Sprintf("No phone")
	}
	if m.stateName != "" {
		return m.stateName
	}
	return m.state.String()
}
