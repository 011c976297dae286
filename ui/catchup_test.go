package ui

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// followCaps are a followed log's: read-only, in the log's times, now the wall clock's.
var followCaps = oktell.Capabilities{Kind: oktell.SourceFollow, ReadOnly: true, Line: true, LogTimes: true}

// newFollow is a dashboard on a followed log at t0, ringing its bell into bell.
func newFollow(t *testing.T, bell *bytes.Buffer) (Model, *clocktest.Clock) {
	t.Helper()
	f := newFake()
	f.caps = followCaps
	clk := clocktest.New(t0)
	o := testOptions(f, clk, language.English)
	o.Bell, o.BellOut = true, bell
	m := New(o)
	return step(m, tea.WindowSizeMsg{Width: 80, Height: 24}), clk
}

// feed applies updates one by one, running what they ask for at once (a bell rings).
func feed(t *testing.T, m Model, us ...oktell.Update) Model {
	t.Helper()
	for _, u := range us {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, updateMsg{u})
		runCmd(m, cmd)
	}
	return m
}

func past(u oktell.Update) oktell.Update { u.Backlog = true; return u }

func header(m Model) string {
	first, _, _ := strings.Cut(ansi.Strip(m.View()), "\n")
	return first
}

// A followed log whose last state change was written 30 minutes ago shows 30:00 in that
// state, and counts on (before: 00:00, the moment the log was read).
func TestFollowTimeInStateFromTheLog(t *testing.T) {
	m, _ := newFollow(t, &bytes.Buffer{})
	m = feed(t, m,
		oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkReadOnly, Why: oktell.Quoted("following CommonLog.txt")}},
		past(oktell.Update{At: t0.Add(-2 * time.Hour), Event: evState(oktell.UserLunch, false)}),
		past(oktell.Update{At: t0.Add(-30 * time.Minute), Event: evState(oktell.UserReady, true)}),
		oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkReadOnly, Why: oktell.Quoted("up to date")}},
	)
	assert.Contains(t, header(m), "Ready 30:00")
	m = tickAt(m, t0.Add(time.Second))
	assert.Contains(t, header(m), "Ready 30:01")
	m = tickAt(m, t0.Add(65*time.Second))
	assert.Contains(t, header(m), "Ready 31:05")
	// News arrives now: its time in state starts at its own time.
	m = feed(t, m, oktell.Update{At: t0.Add(60 * time.Second), Event: evState(oktell.UserOff, false)})
	assert.Contains(t, header(m), "Away 00:05")
}

// Catch-up is quiet: a backlog of 50 notifications (calls and sticky errors among them)
// and 10 messages makes no toast, no bell and no unread count, and fills the history and
// the messages; after it, a new notification toasts and a new call rings.
func TestFollowBacklogIsQuiet(t *testing.T) {
	var bell bytes.Buffer
	m, _ := newFollow(t, &bell)
	m = step(m, keyPress("n")) // on the history screen, where a new message counts unread
	var backlog []oktell.Update
	for i := range 50 {
		typ := []oktell.NotifyType{oktell.NltPBXinfo, oktell.NltIncomingCall, oktell.NltApplicationErr}[i%3]
		at := t0.Add(time.Duration(i-60) * time.Minute)
		backlog = append(backlog, past(oktell.Update{At: at, Event: evNotify(typ, false, false, "", "АТС", fmt.Sprintf("старое %d", i))}))
		if i%5 == 0 {
			backlog = append(backlog, past(oktell.Update{At: at, Event: evMessage("", "u-petrova", "Петрова Анна", fmt.Sprintf("утром %d", i))}))
		}
	}
	backlog = append(backlog, past(oktell.Update{At: t0.Add(-time.Minute), Err: fmt.Errorf("CommonLog.txt: byte 10: skipped a malformed document")}))
	m = feed(t, m, backlog...)
	assert.Empty(t, m.toasts.list, "no toast from the backlog")
	assert.Empty(t, bell.String(), "no bell from the backlog")
	require.Len(t, m.history.notes, 51, "the history has every one")
	assert.Equal(t, "старое 0", m.history.notes[0].n.text)
	assert.True(t, m.history.notes[0].n.at.Equal(t0.Add(-60*time.Minute)), "at its time in the log")
	assert.Equal(t, "CommonLog.txt: byte 10: skipped a malformed document", m.history.notes[50].n.text)
	assert.True(t, m.history.notes[50].n.at.Equal(t0.Add(-time.Minute)), "a skipped document at its place in the log")
	assert.Len(t, m.messages.items, 10, "the messages are there")
	assert.Zero(t, m.messages.unread, "marked read")
	_, unread := m.messages.title()
	assert.Empty(t, unread)

	m = step(m, keyPress("esc"))
	screen := ansi.Strip(m.View())
	assert.Contains(t, screen, "утром 45", "the newest message on screen")
	assert.NotContains(t, screen, "старое", "no toast on screen")

	m = feed(t, m,
		oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkReadOnly, Why: oktell.Quoted("up to date")}},
		oktell.Update{At: t0, Event: evNotify(oktell.NltPBXinfo, false, false, "", "АТС", "новое")},
	)
	assert.Equal(t, []string{"новое"}, toastTexts(m), "after the catch-up, a notification toasts")
	assert.Empty(t, bell.String())
	m = feed(t, m, oktell.Update{At: t0, Event: evNotify(oktell.NltIncomingCall, false, false, "", "", "звонок")})
	assert.Equal(t, "\a", bell.String(), "and a call rings")
	m = step(m, keyPress("n"))
	m = feed(t, m, oktell.Update{At: t0, Event: evMessage("", "u-petrova", "Петрова Анна", "сейчас")})
	assert.Equal(t, 1, m.messages.unread, "a new message counts unread")
	assert.Equal(t, "\a\a", bell.String())
}

// Oktell asking the client to close hours ago, in a followed log, does not close okdash.
func TestFollowBacklogShutdownIsThePast(t *testing.T) {
	m, _ := newFollow(t, &bytes.Buffer{})
	m = feed(t, m, past(oktell.Update{At: t0.Add(-3 * time.Hour), Event: evBare(oktell.ShutdownRequested)}))
	assert.False(t, m.shutdown.active, "an old request to close")
	m = feed(t, m, oktell.Update{At: t0, Event: evBare(oktell.ShutdownRequested)})
	assert.True(t, m.shutdown.active, "a new one counts down")
}

// position is a replay's place in its log, set by the test.
type position struct {
	mu sync.Mutex
	t  time.Time
}

func (p *position) Now() time.Time  { p.mu.Lock(); defer p.mu.Unlock(); return p.t }
func (p *position) set(t time.Time) { p.mu.Lock(); p.t = t; p.mu.Unlock() }

// A replay's now is its place in the log: time in state as it was then, okdash's own
// notes at the log's time; a toast still lives its seconds of the wall clock, however
// fast the replay plays (before: the dashboard's now was today's).
func TestReplayNowIsItsPlaceInTheLog(t *testing.T) {
	yesterday := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	pos := &position{t: yesterday}
	f := newFake()
	f.caps = oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true, LogTimes: true, Position: pos}
	clk := clocktest.New(t0)
	m := New(testOptions(f, clk, language.English))
	m = step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = feed(t, m, oktell.Update{At: yesterday, Event: evState(oktell.UserReady, false)})
	assert.Contains(t, header(m), "Ready 00:00")

	pos.set(yesterday.Add(5 * time.Minute)) // at speed 300, a second of the wall clock
	m = tickAt(m, t0.Add(time.Second))
	assert.Contains(t, header(m), "Ready 05:00")
	m = feed(t, m,
		oktell.Update{At: yesterday.Add(5 * time.Minute), Event: evNotify(oktell.NltPBXinfo, true, false, "", "АТС", "очередь")},
		oktell.Update{Err: fmt.Errorf("yesterday.log: byte 99: skipped a malformed document")})
	require.Len(t, m.toasts.list, 2)
	for _, n := range m.history.notes {
		assert.Equal(t, "08:05", n.n.at.Format("15:04"), "%q at the log's time", n.n.text)
	}
	pos.set(yesterday.Add(time.Hour))
	m = tickAt(m, t0.Add(5*time.Second))
	assert.Contains(t, header(m), "Ready 1:00:00")
	assert.Len(t, m.toasts.list, 2, "4 s of the wall clock: the toasts stay")
	m = tickAt(m, t0.Add(9*time.Second))
	assert.Empty(t, m.toasts.list, "8 s of the wall clock: gone")
}
