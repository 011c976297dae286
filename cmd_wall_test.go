package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/internal/syncbuf"
	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// A source without colleagues is refused at start, with what would work; one with them
// gets as far as the terminal.
func TestWallRefusesSourcesWithoutColleagues(t *testing.T) {
	dir := t.TempDir()
	noRoster := filepath.Join(dir, "alone.txt")
	require.NoError(t, os.WriteFile(noRoster, []byte("state usReady\nwait 1s\n"), 0o600))
	capture := filepath.Join(dir, "shift.capture")
	require.NoError(t, os.WriteFile(capture, []byte(`{"okdash":"ws-capture","version":1,"url":"ws://10.0.0.5:4066","login":"wall"}`+"\n"), 0o600))
	works := "; it works with " + wallSources + "\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--source", "bridge:tcp://10.0.0.5:7766"}, "okdash wall: --source bridge:tcp://10.0.0.5:7766 reports no colleagues, and the wall shows nothing else" + works},
		{[]string{"--source", "follow:/var/log/oktell/common.log"}, "okdash wall: --source follow:/var/log/oktell/common.log reports no colleagues, and the wall shows nothing else" + works},
		{[]string{"--source", "-"}, "okdash wall: --source - reports no colleagues, and the wall shows nothing else" + works},
		{[]string{"--source", "file:testdata/streams/record.log"}, "okdash wall: --source file:testdata/streams/record.log is not a capture of a ws session: a replayed log carries no colleagues, and the wall shows nothing else" + works},
		{[]string{"--scenario", noRoster}, "okdash wall: --scenario " + noRoster + " lists no colleague (\"colleague LOGIN NUMBER NAME\"): the wall would have nobody to show\n"},
		{[]string{"--source", "ws://10.0.0.5:4066"}, "okdash wall: --source ws://10.0.0.5:4066: --login is required for ws:// and wss:// sources\n"},
		{[]string{"--page-time", "-1s"}, "okdash wall: --page-time -1s: cannot be negative (0 turns it off)\n"},
		{[]string{"--bell"}, "okdash wall: --bell is refused: the wall sets no state and shows no message\n"},
		{[]string{"extra"}, "okdash wall: unexpected argument \"extra\"\n"},
		// these have colleagues: the next thing missing is the terminal
		{nil, "okdash wall: standard output is not a terminal"},
		{[]string{"--source", "file:" + capture}, "okdash wall: standard output is not a terminal"},
		{[]string{"--source", "ws://10.0.0.5:4066", "--login", "wall"}, "okdash wall: standard output is not a terminal"},
	} {
		code, out, errOut := runCapture(append([]string{"wall"}, tc.args...)...)
		assert.Equal(t, 2, code, "%v", tc.args)
		assert.Empty(t, out, "%v", tc.args)
		assert.True(t, strings.HasPrefix(errOut, tc.want), "%v:\n got %q\nwant %q", tc.args, errOut, tc.want)
	}
}

// okdash wall's flags: the source and look flags it has a use for, and its own; in the
// configuration file, its own under [wall].
func TestWallFlagsAndConfig(t *testing.T) {
	code, usage, _ := runCapture("wall", "-h")
	require.Equal(t, 0, code)
	for _, f := range []string{"--page-time D", "--department TEXT", "--source SOURCE", "--login LOGIN", "--lang LANG", "--icons SET", "--no-color", "--config FILE"} {
		assert.Contains(t, usage, "\n  "+f+"\n")
	}
	for _, f := range []string{"--bell", "--toast-time", "--max-messages", "--confirm-timeout", "--break-reason", "--listen"} {
		assert.NotContains(t, usage, "  "+f+"\n")
		assert.NotContains(t, usage, "  "+f+" ")
	}
	assert.Contains(t, usage, "The wall:")

	path := writeConfig(t, "lang = \"ru\"\n\n[wall]\npage-time = \"30s\"\nicons = \"ascii\"\ndepartment = \"Продажи\"\n")
	env := envOf(map[string]string{"OKDASH_CONFIG": path, "OKDASH_WALL_DEPARTMENT": "Поддержка"})
	p, err := wallCmd.parse(nil, env)
	require.NoError(t, err)
	assert.Equal(t, wallFlags{PageTime: 30 * time.Second, Department: "Поддержка"}, p.opts.Wall, "the environment wins over the file")
	assert.Equal(t, "ascii", p.opts.UI.Icons, "[wall] sets a look key for the wall only")
	assert.Equal(t, "ru", p.opts.UI.Lang)
	d, err := dashboardCmd.parse(nil, env)
	require.NoError(t, err)
	assert.Equal(t, "", d.opts.UI.Icons, "the dashboard does not read [wall]")

	for _, tc := range []struct{ text, want string }{
		{"page-time = \"5s\"\n", `:1: page-time is a key of okdash wall: put it under [wall]`},
		{"[wall]\nbell = true\n", `:2: [wall] bell is not a key of okdash wall (the wall sets no state and shows no message)`},
		{"[wall]\npage-tme = \"5s\"\n", `:2: [wall] unknown key "page-tme" (did you mean page-time?)`},
		{"[wall]\npage-time = 5\n", `:2: [wall] page-time: want a duration in quotes`},
		{"[serve]\ndepartment = \"x\"\n", `:2: [serve] department is a key of okdash wall: put it under [wall]`},
		{"wall = 3\n", `:1: wall: want the table [wall] of okdash wall's keys`},
	} {
		_, err := parseConfig("c.toml", tc.text)
		require.Error(t, err, tc.text)
		assert.Contains(t, err.Error(), tc.want, tc.text)
	}

	code, shown, errOut := runCapture("config", "--config", path, "--page-time", "1m")
	require.Equal(t, 0, code, errOut)
	for _, line := range []string{"[wall]", `page-time = "1m0s"`, "# flag --page-time", `department = "Продажи"`, "# file " + path + ":6", `icons = "ascii"`} {
		assert.Contains(t, shown, line)
	}
	f, err := parseConfig("shown.toml", shown)
	require.NoError(t, err, shown)
	assert.Equal(t, time.Minute, f.wall["page-time"].value)
}

// wallProgram runs a wall in a Bubble Tea program of 80x24 writing to a buffer.
type wallProgram struct {
	t    *testing.T
	p    *tea.Program
	out  *syncbuf.Buffer
	seen bytes.Buffer
	done chan struct{}
}

func runWall(t *testing.T, m tea.Model) *wallProgram {
	t.Helper()
	w := &wallProgram{t: t, out: &syncbuf.Buffer{}, done: make(chan struct{})}
	w.p = tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(w.out), tea.WithoutSignals())
	go func() { defer close(w.done); w.p.Run() }() //nolint:errcheck
	t.Cleanup(func() { w.p.Kill(); <-w.done })
	w.p.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return w
}

// wait polls what the wall has drawn until it holds every one of texts.
func (w *wallProgram) wait(texts ...string) {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		w.seen.Write(w.out.Take())
		missing := ""
		for _, s := range texts {
			if !bytes.Contains(w.seen.Bytes(), []byte(s)) {
				missing = s
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the wall never showed %q; it showed:\n%s", missing, w.seen.String())
		}
		time.Sleep(10 * time.Millisecond) // polling the output, with a deadline
	}
}

func plainRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// The wall on a live ws source (the fake Oktell server): the colleagues by department,
// a state change pushed by the server; then the same from the capture the session
// recorded, replayed with --source file:.
func TestWallOnWSAndItsCapture(t *testing.T) {
	dir := t.TempDir()
	srv := wssim.New([]wssim.User{
		{Login: "wall", Password: "pw-wall", Name: "Wall Screen", Line: "200"},
		{Login: "ivanova", Password: "pw", Name: "Иванова Мария", Line: "305", Department: "Поддержка"},
		{Login: "petrov", Password: "pw", Name: "Петров Иван", Line: "306", Department: "Поддержка"},
		{Login: "sidorova", Password: "pw", Name: "Сидорова Анна", Line: "401", Department: "Продажи"},
	})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Drop("")
	pw := filepath.Join(dir, "wall.pass")
	require.NoError(t, os.WriteFile(pw, []byte("pw-wall\n"), 0o600))
	capture := filepath.Join(dir, "wall.capture")
	uf := defaultOptions().UI
	uf.Lang, uf.Theme = "en", "dark"
	sf := sourceFlags{Source: "ws://" + ts.Listener.Addr().String(), Login: "wall", PasswordFile: pw, Record: capture, Speed: 1, Timeout: 10 * time.Second}
	require.NoError(t, checkWallSource(sf))
	clock := oktell.RealClock{}
	sess, err := openSession(context.Background(), sf, clock, noConsole)
	require.NoError(t, err)
	m, err := newWallModel(sess, plainRenderer(), uf, wallFlags{PageTime: 15 * time.Second}, func(string) string { return "" }, clock)
	require.NoError(t, err)
	live := runWall(t, m)
	live.wait("Поддержка · 2", "Продажи · 1", "Иванова Мария", "Сидорова Анна", "In queue")
	_, err = srv.Command("state ivanova break")
	require.NoError(t, err)
	live.wait("◐ Break")
	live.p.Quit()
	<-live.done
	require.NoError(t, sess.Close())

	replayed := sourceFlags{Source: "file:" + capture, Speed: 1000}
	require.NoError(t, checkWallSource(replayed))
	sess, err = openSession(context.Background(), replayed, clock, noConsole)
	require.NoError(t, err)
	defer sess.Close()
	m, err = newWallModel(sess, plainRenderer(), uf, wallFlags{}, func(string) string { return "" }, clock)
	require.NoError(t, err)
	runWall(t, m).wait("Поддержка · 2", "Продажи · 1", "Иванова Мария", "◐ Break")
}

// A session without colleagues behind a source that looked right (a scenario edited
// since the server checked it) is refused when the wall is built.
func TestWallModelRefusesASessionWithoutColleagues(t *testing.T) {
	_, err := newWallModel(newNullSession(oktell.SourceBridge), plainRenderer(), defaultOptions().UI, wallFlags{}, nil, oktell.RealClock{})
	require.ErrorContains(t, err, "this source (bridge) reports no colleagues")
}

// okdash-wall=true and its options are checked at start, as every okdash-* option is,
// and a wall key whose source has no colleagues names it.
func TestServeChecksWallKeysAtStart(t *testing.T) {
	dir := t.TempDir()
	good, _ := writeClientKey(t, dir, "good")
	bad, _ := writeClientKey(t, dir, "bad")
	alone := filepath.Join(dir, "alone.txt")
	require.NoError(t, os.WriteFile(alone, []byte("state usReady\n"), 0o600))
	for _, tc := range []struct{ options, want string }{
		{`okdash-wall=true,okdash-source="bridge:tcp://10.0.0.5:7766"`, `okdash-wall=true: --source bridge:tcp://10.0.0.5:7766 reports no colleagues, and the wall shows nothing else; it works with demo`},
		{`okdash-wall=true,okdash-source="file:testdata/streams/record.log"`, `okdash-wall=true: --source file:testdata/streams/record.log is not a capture of a ws session`},
		{`okdash-wall=true,okdash-scenario=` + alone, `okdash-wall=true: --scenario ` + alone + ` lists no colleague`},
		{`okdash-wall=maybe`, `okdash-wall="maybe": want true or false`},
		{`okdash-wall=true,okdash-page-time=fast`, `okdash-page-time="fast": want a duration such as 15s or 1m`},
		{`okdash-department=Продажи`, `okdash-department is an option of the wall: add okdash-wall=true, or remove it`},
		{`okdash-walls=true`, `unknown option okdash-walls`},
	} {
		t.Run(tc.options, func(t *testing.T) {
			keys := filepath.Join(t.TempDir(), "authorized_keys")
			require.NoError(t, os.WriteFile(keys, []byte(pubLine(good)+" good@room\n"+tc.options+" "+pubLine(bad)+" bad@room\n"), 0o600))
			r := runServeMain(t, "--authorized-keys", keys, "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"))
			require.Equal(t, 2, r.exit())
			require.Contains(t, r.logs.String(), "okdash serve: "+keys+":2: "+tc.want)
		})
	}
	// The server's own source without colleagues: a wall key that does not name one.
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte("okdash-wall=true "+pubLine(bad)+" wall@room\n"), 0o600))
	r := runServeMain(t, "--authorized-keys", keys, "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"), "--source", "bridge:tcp://10.0.0.5:7766")
	require.Equal(t, 2, r.exit())
	require.Contains(t, r.logs.String(), keys+":1: okdash-wall=true: --source bridge:tcp://10.0.0.5:7766 reports no colleagues")
}

// A key with okdash-wall=true opens the wall, over SSH, with x/crypto's client; the
// other keys their dashboards. --idle-timeout closes an idle dashboard, never the wall.
func TestServeWallKeyOpensTheWall(t *testing.T) {
	dir := t.TempDir()
	wallKey, _ := writeClientKey(t, dir, "wall_key")
	opKey, _ := writeClientKey(t, dir, "op_key")
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte(
		`okdash-wall=true,okdash-lang=en,okdash-department="Продажи",okdash-page-time=0 `+pubLine(wallKey)+" wall@hall\n"+
			`okdash-lang=en `+pubLine(opKey)+" op@desk\n"), 0o600))
	addr, logs, srv := startServe(t, serveFlags{AuthorizedKeys: keys, HostKey: filepath.Join(dir, "host"), IdleTimeout: time.Second, ShutdownAfter: time.Second},
		sourceFlags{Source: "demo", Speed: 1, Timeout: 10 * time.Second}, serveOpen, newModel)

	wall := dialScreen(t, addr, wallKey)
	wall.wait("In queue")
	wall.wait("Longest wait")
	wall.wait("Продажи · 6")
	wall.wait("Волков Сергей")
	require.NotContains(t, wall.text(), "Поддержка · 6", "okdash-department chose the department")
	require.NotContains(t, wall.text(), "Messages")

	op := dialScreen(t, addr, opKey)
	op.wait("Messages")
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), `reason="no input for 1s"`) },
		20*time.Second, 20*time.Millisecond, "the idle dashboard is closed; log:\n%s", logs.String())
	// The wall connected first: its countdown, had it one, would have been on its screen
	// for a second by the time the dashboard's ended.
	require.NotContains(t, wall.text(), "closing in")
	require.Equal(t, 1, srv.Sessions(), "the wall stays; log:\n%s", logs.String())

	_, err := wall.in.Write([]byte("q"))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return srv.Sessions() == 0 }, 10*time.Second, 10*time.Millisecond)
	require.Contains(t, logs.String(), `key_comment=wall@hall source="demo (wall)"`)
	require.Contains(t, logs.String(), `reason="dashboard quit"`)
}

// The built okdash wall on the demo, in a real 80x24 terminal (tmux): the departments,
// the states changing, the help, the filter, a terminal too small and back, q.
func TestTmuxWallOnTheDemo(t *testing.T) {
	s := startTmux(t, []string{"TERM=xterm-256color", "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES="}, "wall", "--icons", "unicode", "--speed", "2")
	screen := s.waitFor("the wall", func(sc string) bool {
		return strings.Contains(sc, "In queue") && strings.Contains(sc, "Поддержка · 6") && strings.Contains(sc, "Продажи · 6")
	})
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	require.LessOrEqual(t, len(lines), 24)
	for i, l := range lines {
		assert.LessOrEqual(t, ansi.StringWidth(l), 80, "line %d: %q", i, l)
	}
	// The demo's colleagues change state, and the wall times them from then.
	s.waitFor("a break timed", func(sc string) bool { return strings.Contains(sc, "◐ Break") && strings.Contains(sc, " min") })
	s.waitText("● Ready")

	s.keys("?")
	s.waitText("── Help")
	s.waitText("Tiles keep their places")
	s.keys("Escape")
	s.waitText("Поддержка · 6")

	s.keys("/")
	s.waitText("Department:")
	s.keys("-l", "Прод")
	s.waitFor("one department", func(sc string) bool {
		return strings.Contains(sc, "departments: “Прод”") && strings.Contains(sc, "Продажи · 6") && !strings.Contains(sc, "Поддержка")
	})
	s.keys("Enter")
	s.waitText("esc all departments")
	s.keys("Escape")
	s.waitText("Поддержка · 6")

	s.resize(30, 10)
	s.waitText("Terminal too small")
	s.resize(80, 24)
	s.waitText("Поддержка · 6")
	s.keys("q")
	s.waitExit()
}

// In Russian, on the Linux console's ASCII and without colour: the words, the glyphs
// and the seven-segment digits still tell everything.
func TestTmuxWallRussianASCII(t *testing.T) {
	s := startTmux(t, []string{"TERM=linux", "LANG=ru_RU.UTF-8", "LC_ALL=", "LC_MESSAGES=", "NO_COLOR=1"}, "wall")
	screen := s.waitFor("the Russian wall", func(sc string) bool {
		return strings.Contains(sc, "В очереди") && strings.Contains(sc, "-- Поддержка · 6") && strings.Contains(sc, "+ Готов")
	})
	assert.NotContains(t, screen, "█", "TERM=linux: the ASCII digits")
	assert.Contains(t, screen, "|_|")
	s.keys("й")
	s.waitExit()
}
