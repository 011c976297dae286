package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/demo"
	"github.com/okdash/okdash/room"
)

// panes are tmux sessions of one test, each an OpenSSH client, on the test's own socket.
type panes struct {
	t    *testing.T
	tmux string
	sock string
	logs interface{ String() string }
}

// newPanes is a tmux server on its own socket in dir, killed when the test ends; logs
// is the server log shown when a screen does not come.
func newPanes(t *testing.T, tmux, dir string, logs interface{ String() string }) *panes {
	p := &panes{t: t, tmux: tmux, sock: filepath.Join(dir, "tmux.sock"), logs: logs}
	t.Cleanup(func() { exec.Command(tmux, "-S", p.sock, "kill-server").Run() }) //nolint:errcheck
	return p
}

func (p *panes) run(args ...string) string {
	p.t.Helper()
	out, err := exec.Command(p.tmux, append([]string{"-S", p.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	require.NoError(p.t, err, "tmux %v: %s", args, out)
	return string(out)
}

func (p *panes) screen(name string) string { return p.run("capture-pane", "-p", "-t", name) }

// wait polls name's screen until cond holds, with a deadline.
func (p *panes) wait(name, what string, cond func(string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := p.screen(name)
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: no %s within 20s; screen:\n%s\nserver log:\n%s", name, what, s, p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *panes) waitText(name, text string) string {
	p.t.Helper()
	return p.wait(name, fmt.Sprintf("%q", text), func(s string) bool { return strings.Contains(s, text) })
}

// selectedRow is the room's line that carries the selection mark.
func selectedRow(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, "▌ ") {
			return l
		}
	}
	return ""
}

// The end-to-end test, with the real OpenSSH client in real terminals (tmux):
// two trainees and a trainer. A message from the room reaches one trainee (their screen
// shows it, the other's does not), the trainee's reply comes back to the room (the
// room's screen shows it), the room rings that trainee's line (their screen shows the
// incoming call) and drops and restores their link.
func TestRoomWithOpenSSHInTmux(t *testing.T) {
	tmux := needTool(t, "tmux")
	ssh := needTool(t, "ssh")
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	annaKey, annaPath := writeClientKey(t, dir, "anna_key")
	borisKey, borisPath := writeClientKey(t, dir, "boris_key")
	trainerKey, trainerPath := writeClientKey(t, dir, "trainer_key")
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte(pubLine(annaKey)+" anna@desk\n"+pubLine(borisKey)+" boris@desk\n"), 0o600))
	trainers := filepath.Join(dir, "trainer_keys")
	require.NoError(t, os.WriteFile(trainers, []byte("okdash-lang=en "+pubLine(trainerKey)+" Anna Trainer\n"), 0o600))
	// A shift that is ready for calls and says nothing itself: what the trainees see
	// comes from the room.
	scenario := filepath.Join(dir, "ready.txt")
	require.NoError(t, os.WriteFile(scenario, []byte("line on\nstate usReady\nwait 1h\n"), 0o600))
	addr, logs, _ := startServe(t, serveFlags{AuthorizedKeys: keys, TrainerKeys: trainers, HostKey: filepath.Join(dir, "host"), ShutdownAfter: time.Second},
		sourceFlags{Source: "demo", Speed: 1, Scenario: scenario, Timeout: 20 * time.Second}, serveOpen, newModel)
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)

	p := newPanes(t, tmux, dir, logs)
	for _, who := range []struct{ name, key string }{{"anna", annaPath}, {"boris", borisPath}, {"trainer", trainerPath}} {
		p.run("new-session", "-d", "-x", "80", "-y", "24", "-s", who.name, openSSHPane(ssh, port, who.key, who.name))
		if who.name != "trainer" {
			p.waitText(who.name, "q quit")
		}
	}
	room := p.wait("trainer", "both trainees, ready", func(s string) bool {
		return strings.Count(s, "● Ready") >= 2 && strings.Contains(s, "anna") && strings.Contains(s, "boris")
	})
	require.Contains(t, room, "2 trainees")
	require.Contains(t, room, "Anna Trainer")

	// Select boris, whichever row he is on.
	for i := 0; !strings.Contains(selectedRow(p.screen("trainer")), "boris"); i++ {
		require.Less(t, i, 3, "boris cannot be selected; screen:\n%s", p.screen("trainer"))
		before := selectedRow(p.screen("trainer"))
		p.run("send-keys", "-t", "trainer", "Down")
		p.wait("trainer", "the selection to move", func(s string) bool { return selectedRow(s) != before })
	}

	// The trainer writes to boris: his screen shows it, anna's does not.
	p.run("send-keys", "-t", "trainer", "m")
	p.waitText("trainer", "Message to boris:")
	p.run("send-keys", "-t", "trainer", "-l", "Please take the next call")
	p.run("send-keys", "-t", "trainer", "Enter")
	p.waitText("trainer", "→ boris: Please take the next call")
	boris := p.waitText("boris", "Please take the next call")
	require.Contains(t, boris, "Anna Trainer", "from the trainer, by the key's comment")
	require.NotContains(t, p.screen("anna"), "Please take", "only the selected trainee gets it")

	// Boris answers with the reply line, as any message: the room shows it under him
	// and in its messages.
	p.run("send-keys", "-t", "boris", "Enter")
	p.waitText("boris", "Reply to Anna Trainer:")
	p.run("send-keys", "-t", "boris", "-l", "Ready when you are")
	p.run("send-keys", "-t", "boris", "Enter")
	room = p.wait("trainer", "boris's answer twice", func(s string) bool { return strings.Count(s, "Ready when you are") == 2 })
	require.Contains(t, room, "boris: Ready when you are")

	// The room rings boris's line. The desk's call line is not on main yet: his screen
	// shows the call by the incoming-call notification the demo sends with it.
	p.run("send-keys", "-t", "trainer", "r")
	p.waitText("trainer", "Ring boris (number and name): +74951234567 Иванов Иван")
	p.run("send-keys", "-t", "trainer", "Enter")
	p.waitText("trainer", "boris: ringing +74951234567 Иванов Иван")
	boris = p.waitText("boris", "INCOMING CALL")
	require.Contains(t, boris, "+74951234567, Иванов Иван")
	require.NotContains(t, p.screen("anna"), "INCOMING CALL")

	// The room drops boris's link, and restores it.
	p.run("send-keys", "-t", "trainer", "l")
	p.waitText("boris", "Link to Oktell lost")
	p.wait("trainer", "boris's link lost", func(s string) bool { return strings.Contains(selectedRow(s), "⚠") })
	p.run("send-keys", "-t", "trainer", "l")
	p.wait("boris", "the link back", func(s string) bool { return !strings.Contains(s, "Link to Oktell lost") })

	log := logs.String()
	for _, want := range []string{
		`msg="room open" trainer="Anna Trainer"`,
		`to=boris addr=127.0.0.1:`,
		`action=message chars=25 text="Please take the…"`,
		`action=ring number=+74951234567 name="Иванов Иван"`,
		`action="link down"`, `action="link up"`,
		`msg="room answer" from=boris`,
		`key_comment="Anna Trainer" room=true`,
	} {
		require.Contains(t, log, want)
	}
	require.NotContains(t, log, "next call", "a message is not logged whole")
	require.NotContains(t, log, "when you are", "nor an answer")
}

// The trainer keys file is checked at start as the authorized keys are: its look
// options only, each value as the room would use it, errors naming the file and line.
func TestServeTrainerKeysCheckedAtStart(t *testing.T) {
	dir := t.TempDir()
	key, _ := writeClientKey(t, dir, "k")
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte(pubLine(key)+" trainee\n"), 0o600))
	trainer, _ := writeClientKey(t, dir, "t")
	for _, tc := range []struct{ line, want string }{
		{"okdash-speed=2 " + pubLine(trainer) + " tr", "trainer_keys:1: unknown option okdash-speed (okdash knows okdash-icons, okdash-lang, okdash-no-color, okdash-theme)"},
		{"# the trainers\nokdash-lang=fr " + pubLine(trainer) + " tr", "trainer_keys:2: okdash-lang=fr: want en or ru"},
		{"not a key", "trainer_keys:1: not a public key line"},
	} {
		path := filepath.Join(dir, "trainer_keys")
		require.NoError(t, os.WriteFile(path, []byte(tc.line+"\n"), 0o600))
		r := runServeMain(t, "--authorized-keys", keys, "--trainer-keys", path, "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"))
		require.Equal(t, 2, r.exit(), "a bad trainer line is a bad flag; log:\n%s", r.logs.String())
		require.Contains(t, r.logs.String(), tc.want)
	}
	r := runServeMain(t, "--authorized-keys", keys, "--trainer-keys", keys, "--listen", "127.0.0.1:0")
	require.Equal(t, 2, r.exit())
	require.Contains(t, r.logs.String(), "--trainer-keys and --authorized-keys name the same file")
}

// The room's actions reach a demo session as steps of its shift; its refusals come
// back in the room's terms.
func TestDemoTraineeActions(t *testing.T) {
	dir := t.TempDir()
	scenario := filepath.Join(dir, "break.txt")
	require.NoError(t, os.WriteFile(scenario, []byte("line on\nstate usLunch\nwait 1h\n"), 0o600))
	s, err := serveOpen(t.Context(), sourceFlags{Source: "demo", Speed: 1, Scenario: scenario}, oktell.RealClock{})
	require.NoError(t, err)
	defer s.Close()
	colours := make(chan uint32, 1)
	go func() {
		for u := range s.Updates() { // the dashboard's part: read what the shift sends
			if u.Event == nil || u.Event.Type != oktell.Notify {
				continue
			}
			if n, err := u.Event.Notification(); err == nil && n.Type == oktell.NltColor {
				select {
				case colours <- n.BackColorARGB:
				default: // the first is the one asked for
				}
			}
		}
	}()
	d := demoTrainee{eng: s.(*demo.Session).Engine(), clock: oktell.RealClock{}}
	ctx := t.Context()
	require.Eventually(t, func() bool { return d.eng.State().State == oktell.UserLunch }, 10*time.Second, 10*time.Millisecond)
	require.ErrorIs(t, d.Ring(ctx, "+7", "x"), room.ErrNotRouted, "no call reaches a break")
	require.ErrorIs(t, d.SetLink(ctx, true), room.ErrLinkAlready)
	require.NoError(t, d.SetLink(ctx, false))
	tr := room.Trainer{ID: trainerID("SHA256:x"), Name: "Trainer"}
	require.ErrorIs(t, d.Message(ctx, tr, "hello", func(string) error { return nil }), room.ErrLinkDown)
	require.NoError(t, d.SetLink(ctx, true))
	var got []string
	require.NoError(t, d.Message(ctx, tr, "hello", func(text string) error { got = append(got, text); return nil }))
	require.NoError(t, d.eng.SendMessage(ctx, tr.ID, "hi back"))
	require.Equal(t, []string{"hi back"}, got)
	require.NoError(t, d.Notify(ctx, tr, oktell.NltColor, "VIP"))
	select {
	case argb := <-colours:
		require.Equal(t, room.ColorNoteARGB, argb, "the room's colour, as its picker shows it")
	case <-time.After(10 * time.Second):
		t.Fatal("the colour notification did not reach the trainee")
	}
	require.Equal(t, trainerID("SHA256:x"), trainerID("SHA256:x"), "the same key, the same id")
	require.NotEqual(t, trainerID("SHA256:x"), trainerID("SHA256:y"))
}

// The room's drop stays: the shift's next steps (a redirect, the scenario's own link up)
// neither reach the trainee nor bring the link back; the room's restore does.
func TestDemoTraineeLinkStaysDown(t *testing.T) {
	dir := t.TempDir()
	scenario := filepath.Join(dir, "ready.txt")
	require.NoError(t, os.WriteFile(scenario, []byte("line on\nstate usReady\nwait 3s\nredirect on\nwait 3s\nlink up\nwait 1h\n"), 0o600))
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	s, err := serveOpen(t.Context(), sourceFlags{Source: "demo", Speed: 1, Scenario: scenario}, clock)
	require.NoError(t, err)
	defer s.Close()
	link := func(want oktell.Link, why string) { // the clock stands still: the shift's steps wait for the test
		t.Helper()
		waitUpdate(t, s, why, func(u oktell.Update) bool { return u.Status != nil && u.Status.Link == want })
	}
	link(oktell.LinkConnected, "demo's link")
	d := demoTrainee{eng: s.(*demo.Session).Engine(), clock: clock}
	require.Eventually(t, func() bool { return d.eng.State().State == oktell.UserReady }, 10*time.Second, time.Millisecond)
	require.True(t, clock.WaitPending(1, 5*time.Second), "the shift waits")
	errc := make(chan error, 1)
	go func() { errc <- d.SetLink(t.Context(), false) }()
	link(oktell.LinkReconnecting, "link down")
	require.NoError(t, <-errc)
	for range 2 { // the redirect, then the scenario's link up
		require.True(t, clock.WaitPending(1, 5*time.Second), "the shift waits")
		clock.Advance(3 * time.Second)
	}
	require.True(t, clock.WaitPending(1, 5*time.Second), "the shift waits at its end")
	select {
	case u := <-s.Updates():
		t.Fatalf("the trainee heard from the server while the room holds the link down: %+v", u)
	case <-time.After(50 * time.Millisecond): // the steps ran before the last wait; nothing is in flight
	}
	require.False(t, d.eng.State().LinkUp, "the link came back without the room")
	go func() { errc <- d.SetLink(t.Context(), true) }()
	link(oktell.LinkConnected, "link back on the room's restore")
	require.NoError(t, <-errc)
}
