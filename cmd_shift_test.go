package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/shift"
	"github.com/okdash/okdash/sshserve"
	"github.com/okdash/okdash/ui"
)

// stateSession reports one state and stays open until closed.
type stateSession struct {
	*nullSession
	caps oktell.Capabilities
}

func (s stateSession) Capabilities() oktell.Capabilities { return s.caps }

func TestShiftKey(t *testing.T) {
	assert.Equal(t, shift.Key{Source: "demo"}, shiftKey(sourceFlags{}))
	assert.Equal(t, shift.Key{Source: "demo:x.scn"}, shiftKey(sourceFlags{Source: "demo", Scenario: "x.scn"}))
	assert.Equal(t, shift.Key{Source: "ws://h:1", Login: "ivanov"}, shiftKey(sourceFlags{Source: "ws://h:1", Login: "ivanov"}))
}

func shiftFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// walk moves clock on by d in the shift's ticks, as a running okdash lives through it:
// a jump longer than a few ticks would read as the machine asleep.
func walk(t *testing.T, clock *clocktest.Clock, d time.Duration) {
	t.Helper()
	end := clock.Now().Add(d)
	for clock.Now().Before(end) {
		require.True(t, clock.WaitPending(1, 5*time.Second), "the shift ticks")
		step := min(shift.DefaultTickEvery, end.Sub(clock.Now()))
		clock.Advance(step)
	}
}

func readyAt(at time.Time) oktell.Update {
	ev := oktell.Event{Type: oktell.UserStateChanged, Props: []oktell.Property{oktell.SimpleProp("newstate", "1", "usReady")}}
	return oktell.Update{At: at, Event: &ev}
}

func TestWatchShiftKeepsAFileAndSaysTheLine(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.Local)
	clock := clocktest.New(start)
	ns := newNullSession(oktell.SourceWS)
	w := watchShift(stateSession{ns, oktell.Capabilities{Kind: oktell.SourceWS, Line: true}}, sourceFlags{Source: "ws://h:1", Login: "ivanov"}, clock)
	ns.updates <- readyAt(start)
	<-w.Updates()
	walk(t, clock, 2*time.Hour+5*time.Minute)
	var out, errb bytes.Buffer
	shiftFarewell(w, language.English, &out, &errb)
	assert.Equal(t, "okdash: shift 2h05m — ready 2h05m, 0 calls\n", out.String())
	assert.Empty(t, errb.String())
	files := shiftFiles(t, filepath.Join(state, "okdash"))
	require.Len(t, files, 1)
	assert.Contains(t, filepath.Base(files[0]), "shift-ivanov-")
	fi, err := os.Stat(files[0])
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// A replay keeps none, and says nothing when nothing was counted.
	state2 := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state2)
	r := watchShift(stateSession{newNullSession(oktell.SourceFile), oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true}}, sourceFlags{Source: "file:x"}, clock)
	out.Reset()
	shiftFarewell(r, language.English, &out, &errb)
	assert.Empty(t, out.String())
	assert.Empty(t, shiftFiles(t, state2))
}

// okdash serve keeps each session's shift under the server's state directory, per key,
// and writes its line under the closed dashboard in the session's language.
func TestServeShiftPerKey(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	clock := clocktest.New(time.Date(2026, 3, 10, 9, 0, 0, 0, time.Local))
	open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
		ns := newNullSession(oktell.SourceDemo)
		ns.updates = make(chan oktell.Update, 1)
		ns.updates <- readyAt(clock.Now())
		return ns, nil
	}
	build := func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
		return sourceModel{source: string(sess.Capabilities().Kind)}, nil
	}
	dash := sessionDashboard(sourceFlags{Source: "demo", Speed: 1}, uiFlags{}, true, clock, open, build)
	for _, tc := range []struct {
		fp, lang, want string
	}{
		{"SHA256:trainee1", "LANG=ru_RU.UTF-8", "okdash: смена 10 мин — готов 10 мин"},
		{"SHA256:trainee2", "LANG=C.UTF-8", "okdash: shift 10m — ready 10m"},
		{"", "LANG=C.UTF-8", "okdash: shift 10m — ready 10m"},
	} {
		c := &sshserve.Client{Fingerprint: tc.fp, Environ: []string{tc.lang}, Renderer: lipgloss.NewRenderer(io.Discard)}
		_, closer, err := dash(context.Background(), c)
		require.NoError(t, err)
		<-closer.(*shift.Watched).Updates() // the dashboard read the state
		walk(t, clock, 10*time.Minute)
		require.NotNil(t, c.Farewell)
		assert.Equal(t, tc.want, c.Farewell(), tc.fp)
		require.NoError(t, closer.Close())
	}
	keys, err := os.ReadDir(filepath.Join(state, "okdash", "serve"))
	require.NoError(t, err)
	require.Len(t, keys, 2, "one directory per key; none for a session without one")
	for _, k := range keys {
		files := shiftFiles(t, filepath.Join(state, "okdash", "serve", k.Name()))
		require.Len(t, files, 1, k.Name())
		assert.Contains(t, filepath.Base(files[0]), "shift-demo-")
	}
}

// The operator quits the dashboard and reads the shift on the terminal it gave back;
// started again the same day, okdash goes on with the same shift.
func TestTmuxShiftLineWhenOkdashQuits(t *testing.T) {
	state := t.TempDir()
	env := []string{"XDG_STATE_HOME=" + state, "TERM=xterm-256color", "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES="}
	s := startTmux(t, env, "--icons", "unicode")
	s.waitFor("Ready in the header", stateShown("● Ready"))
	s.keys("q")
	s.waitExit()
	screen := s.capture()
	i := strings.Index(screen, "okdash: shift ")
	require.GreaterOrEqual(t, i, 0, "the shift's line under the dashboard:\n%s", screen)
	first, _, _ := strings.Cut(screen[i:], "\n")
	// Seconds in, the demo's "no phone" and the first seconds of Ready: a part under a
	// second is left out, so which states the line names depends on the machine's pace.
	assert.Regexp(t, `^okdash: shift \d+s — .*\d+ calls?$`, strings.TrimSpace(first), "the demo reports calls")
	files := shiftFiles(t, filepath.Join(state, "okdash"))
	require.Len(t, files, 1, "the demo's shift is kept")
	before, err := os.ReadFile(files[0])
	require.NoError(t, err)
	var saved struct {
		Source  string    `json:"source"`
		State   int       `json:"state"`
		HoursMS [][]int64 `json:"hours_ms"`
	}
	require.NoError(t, json.Unmarshal(before, &saved))
	assert.Equal(t, "demo", saved.Source)
	assert.Equal(t, int(oktell.UserReady), saved.State, "quit while Ready")
	var ready int64
	for _, row := range saved.HoursMS {
		ready += row[0]
	}
	assert.Positive(t, ready, "time in Ready, from the moment it was shown")

	s = startTmux(t, append(env[:len(env):len(env)], "LANG=ru_RU.UTF-8"))
	s.waitFor("the Russian dashboard", func(sc string) bool { return strings.Contains(sc, "Сообщения") })
	s.keys("й")
	s.waitExit()
	s.waitText("okdash: смена ")
	after := shiftFiles(t, filepath.Join(state, "okdash"))
	require.Equal(t, files, after, "the same file goes on")
	var a, b struct {
		Start string `json:"start"`
	}
	require.NoError(t, json.Unmarshal(before, &a))
	raw, err := os.ReadFile(after[0])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &b))
	assert.Equal(t, a.Start, b.Start, "the shift started with the first run")
}

// The dashboard okdash and okdash serve build over a watched session has the shift
// view, with the watcher's figures; over a session without a shift the key says why not.
func TestDashboardsShowTheWatchedShift(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.Local)
	clock := clocktest.New(start)
	view := func(m tea.Model, keys ...string) string {
		m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		for _, k := range keys {
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		}
		return m.View()
	}
	ns := newNullSession(oktell.SourceWS)
	w := watchShift(stateSession{ns, oktell.Capabilities{Kind: oktell.SourceWS, Line: true}}, sourceFlags{Source: "ws://h:1", Login: "ivanov"}, clock)
	defer w.Close()
	ns.updates <- readyAt(start)
	<-w.Updates()
	clock.Set(start.Add(90 * time.Second))
	m, err := newModel(w, lipgloss.NewRenderer(io.Discard), parseUIFlags(t), envOf(nil), clock)
	require.NoError(t, err)
	v := view(m, "s")
	assert.Contains(t, v, "Shift 2026-03-10")
	assert.Contains(t, v, "Total time")

	// okdash serve: the session's own watched shift, in the session's language.
	open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
		return newNullSession(oktell.SourceDemo), nil
	}
	dash := sessionDashboard(sourceFlags{Source: "demo", Speed: 1}, parseUIFlags(t), true, clock, open, newModel)
	c := &sshserve.Client{Environ: []string{"LANG=ru_RU.UTF-8"}, Renderer: lipgloss.NewRenderer(io.Discard)}
	sm, closer, err := dash(context.Background(), c)
	require.NoError(t, err)
	defer closer.Close()
	assert.Contains(t, view(sm, "ы"), "Смена 10.03.2026")

	m, err = newModel(newNullSession(oktell.SourceWS), lipgloss.NewRenderer(io.Discard), parseUIFlags(t), envOf(nil), clock)
	require.NoError(t, err)
	assert.NotContains(t, view(m, "s"), "Shift 2026", "no shift counted, no view")
}

// A replay played long after it was written: the quit line prints the shift the view
// showed, counted up to the log's last document, not up to the wall clock (okdash with
// --source file:, and okdash serve with okdash-source="file:...").
func TestReplayShiftLineEndsAtTheLastDocument(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	const log = "file:testdata/streams/record.log"
	ended := func(u oktell.Update) bool { return u.Status != nil && u.Status.Why.Code == oktell.ReasonInputEnded }
	played := func(t *testing.T, clock *clocktest.Clock, w *shift.Watched) shift.Summary {
		t.Helper()
		require.NoError(t, clocktest.Drive(clock, w.Updates(), 10*time.Second, ended))
		clock.Advance(12*time.Hour + 40*time.Minute) // the operator reads the view, then quits
		view := w.SummaryAt(clock.Now())
		assert.Equal(t, 12*time.Second, view.Length(), "the view: the log's 12 s")
		return view
	}
	sf := sourceFlags{Source: log, Speed: 50}

	t.Run("dashboard", func(t *testing.T) {
		clock := clocktest.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.Local))
		sess, err := openSession(context.Background(), sf, clock, console{})
		require.NoError(t, err)
		w := watchShift(sess, sf, clock)
		view := played(t, clock, w)
		var out, errb bytes.Buffer
		shiftFarewell(w, language.English, &out, &errb)
		assert.Equal(t, ui.ShiftLine(language.English, view)+"\n", out.String(), "the quit line is the view's shift")
		assert.Equal(t, "okdash: shift 12s — ready 8s, no phone 4s, 0 calls\n", out.String())
		assert.Empty(t, errb.String())
	})
	t.Run("serve", func(t *testing.T) {
		clock := clocktest.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.Local))
		open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
			return openSession(ctx, sf, clock, console{})
		}
		build := func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
			return sourceModel{source: string(sess.Capabilities().Kind)}, nil
		}
		dash := sessionDashboard(sourceFlags{Speed: 50}, uiFlags{}, false, clock, open, build)
		c := &sshserve.Client{Fingerprint: "SHA256:trainee1", Environ: []string{"LANG=C.UTF-8"}, Renderer: lipgloss.NewRenderer(io.Discard),
			Options: map[string]string{"source": log}}
		_, closer, err := dash(context.Background(), c)
		require.NoError(t, err)
		view := played(t, clock, closer.(*shift.Watched))
		assert.Equal(t, ui.ShiftLine(language.English, view), c.Farewell(), "the quit line is the view's shift")
		require.NoError(t, closer.Close())
	})
}
