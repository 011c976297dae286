package ui

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/theme"
)

// fakeSession is an in-memory oktell.Session driven by the test.
type fakeSession struct {
	caps    oktell.Capabilities
	updates chan oktell.Update

	mu       sync.Mutex
	stateErr error
	sendErr  error
	states   []stateCall
	sent     []sentCall
}

type stateCall struct {
	State    oktell.UserState
	Redirect bool
}

type sentCall struct{ To, Text string }

func newFake() *fakeSession {
	return &fakeSession{
		caps:    oktell.Capabilities{Kind: oktell.SourceDemo, SetUserState: true, SendMessage: true},
		updates: make(chan oktell.Update, 64),
	}
}

func (f *fakeSession) Updates() <-chan oktell.Update     { return f.updates }
func (f *fakeSession) Capabilities() oktell.Capabilities { return f.caps }
func (f *fakeSession) SetUserState(ctx context.Context, s oktell.UserState, redirect bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states = append(f.states, stateCall{s, redirect})
	return f.stateErr
}
func (f *fakeSession) SendMessage(ctx context.Context, to, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, sentCall{to, text})
	return f.sendErr
}
func (f *fakeSession) Close() error { return nil }

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	return r
}

func testOptions(s oktell.Session, c oktell.Clock, lang language.Tag) Options {
	return Options{Session: s, Theme: look(asciiRenderer(), "unicode", false, false), Clock: c, Lang: lang}
}

// look is the theme of a test terminal: its renderer (its colour profile), the icon set,
// a light background, no colour.
func look(r *lipgloss.Renderer, icons string, light, noColor bool) *theme.Theme {
	set, err := theme.Icons(icons, "")
	if err != nil {
		panic(err)
	}
	return theme.New(r, theme.Options{Light: light, NoColor: noColor, Icons: set})
}

// goldenLook is the theme of a golden screen: the colour profile the case names, its
// icon set (unicode unless it says), the light palette or the dark, colour dropped when
// it says NO_COLOR.
func goldenLook(profile termenv.Profile, icons string, light, noColor bool) *theme.Theme {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(profile)
	if icons == "" {
		icons = "unicode"
	}
	return look(r, icons, light, noColor)
}

// newTest returns a model of the given size on a fake session and a fake clock.
func newTest(w, h int) (Model, *fakeSession, *clocktest.Clock) {
	f := newFake()
	c := clocktest.New(t0)
	m := New(testOptions(f, c, language.English))
	m = step(m, tea.WindowSizeMsg{Width: w, Height: h})
	return m, f, c
}

func step(m Model, msg tea.Msg) Model {
	nm, _ := m.Update(msg)
	return nm.(Model)
}

func stepCmd(m Model, msg tea.Msg) (Model, tea.Cmd) {
	nm, cmd := m.Update(msg)
	return nm.(Model), cmd
}

func prop(k, v string) oktell.Property {
	return oktell.Property{Kind: oktell.Simple, Key: k, Value: v, HasValue: true}
}

func named(k, v, name string) oktell.Property {
	p := prop(k, v)
	p.Name, p.HasName = name, true
	return p
}

func cdata(k, text string) oktell.Property {
	return oktell.Property{Kind: oktell.CData, Key: k, Text: text, HasText: true}
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

var guidSeq atomic.Int64

// nextGUID gives every event a helper builds its own GUID: two calls are two deliveries.
func nextGUID() string { return fmt.Sprintf("{00000000-0000-0000-0000-%012d}", guidSeq.Add(1)) }

func evState(s oktell.UserState, redirect bool) *oktell.Event {
	return &oktell.Event{Type: oktell.UserStateChanged, ID: 111, Name: "userstatechanged", Props: []oktell.Property{
		named("newstate", strconv.Itoa(int(s)), s.String()), prop("redirect", b01(redirect)),
	}}
}

func evNotify(t oktell.NotifyType, autohide, dbsaved bool, at, sender, text string) *oktell.Event {
	return &oktell.Event{Type: oktell.Notify, ID: 112, Name: "notify", Props: []oktell.Property{
		cdata("guid", nextGUID()), prop("autohide", b01(autohide)), prop("backcolor_argb", "0"),
		named("type", strconv.Itoa(int(t)), t.String()), prop("datetime", at), prop("dbsaved", b01(dbsaved)),
		cdata("sender", sender), cdata("text", text),
	}}
}

func evColor(argb uint32, text string) *oktell.Event {
	e := evNotify(oktell.NltColor, false, false, "24.11.2026 09:00:00", "Сценарий", text)
	e.Props[2] = prop("backcolor_argb", strconv.FormatUint(uint64(argb), 10))
	return e
}

func evMessage(at, senderID, sender, text string) *oktell.Event {
	return &oktell.Event{Type: oktell.UserMessage, ID: 114, Name: "usermessage", Props: []oktell.Property{
		cdata("guid", nextGUID()), prop("datetime", at), prop("senderid", senderID), cdata("sendername", sender), cdata("text", text),
	}}
}

func evBare(t oktell.EventType) *oktell.Event {
	return &oktell.Event{Type: t, ID: int(t), Name: t.WireName()}
}

func upd(at time.Time, e *oktell.Event) updateMsg { return updateMsg{oktell.Update{At: at, Event: e}} }

func linkStatus(at time.Time, l oktell.Link, reason string) updateMsg {
	return updateMsg{oktell.Update{At: at, Status: &oktell.Status{Link: l, Why: oktell.Quoted(reason)}}}
}

// linkWhy is a status as okdash's sources give it: its reason as a code.
func linkWhy(at time.Time, l oktell.Link, why oktell.Reason) updateMsg {
	return updateMsg{oktell.Update{At: at, Status: &oktell.Status{Link: l, Why: why}}}
}

// runCmd runs a command of m and every command it batches, returning the messages they
// produced, but only those that return at once: a command that parks on m's fake clock
// (a timer) is left there, seen by the clock's count of waiters, not by a guessed delay.
func runCmd(m Model, cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	clk, _ := m.c.clock.(*clocktest.Clock)
	parked := 0
	if clk != nil {
		parked = clk.Pending()
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case msg := <-done:
			if b, ok := msg.(tea.BatchMsg); ok {
				var out []tea.Msg
				for _, c := range b {
					out = append(out, runCmd(m, c)...)
				}
				return out
			}
			if msg == nil {
				return nil
			}
			return []tea.Msg{msg}
		default:
		}
		if (clk != nil && clk.Pending() > parked) || time.Now().After(deadline) {
			return nil // a timer waiting on the fake clock (or a command that waits on the session)
		}
		time.Sleep(100 * time.Microsecond) // polling a condition, not guessing a duration
	}
}

// keyPress builds the key message a terminal sends for s ("r", "к", "enter", "esc").
func keyPress(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "f1":
		return tea.KeyMsg{Type: tea.KeyF1}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// keyEnabled says whether the binding named (by the first letter of its Latin key, or
// its name) is possible now on the screen shown: "Ready", "Break", "Reply", "r", "esc".
func keyEnabled(m Model, name string) bool {
	k := map[string]string{"Ready": "r", "Break": "b", "Away": "a", "Redirect": "f", "Reply": "m", "VoiceMail": "v",
		"Up": "k", "Newest": "G", "Dismiss": "x", "DismissAll": "X", "History": "n", "Help": "?", "Quit": "q"}[name]
	if k == "" {
		k = name
	}
	for _, b := range m.liveKeys(m.c) {
		if b.presses(keyPress(k)) {
			return b.Enabled()
		}
	}
	return false
}

// binding returns the live binding that key k presses.
func liveBinding(t *testing.T, m Model, k string) binding {
	t.Helper()
	for _, b := range m.liveKeys(m.c) {
		if b.presses(keyPress(k)) {
			return b
		}
	}
	t.Fatalf("no live binding for %q", k)
	return binding{}
}

// tickAt delivers the clock's tick at t, as the running program would.
func tickAt(m Model, t time.Time) Model { return step(m, tickMsg{id: m.tickID, t: t}) }
