package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// tmuxPane drives one okdash process in a private tmux server.
type tmuxPane struct {
	t    *testing.T
	dir  string // where its sockets go
	runs int
	sock string
}

// start runs cmd in pane "okws" (100x30) of a fresh tmux server, killed when the test
// ends: a new session on the socket of a server that is still shutting down fails with
// "server exited unexpectedly".
func (p *tmuxPane) start(cmd string) {
	p.t.Helper()
	p.runs++
	p.sock = filepath.Join(p.dir, "tmux"+strconv.Itoa(p.runs)+".sock")
	sock := p.sock
	p.t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() }) //nolint:errcheck
	p.run("new-session", "-d", "-s", "okws", "-x", "100", "-y", "30", cmd)
}

func (p *tmuxPane) run(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", p.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (p *tmuxPane) screen() string { return p.run("capture-pane", "-p", "-t", "okws") }

// waitScreen polls the pane until it shows want, with a deadline.
func (p *tmuxPane) waitScreen(want string) string {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := p.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the screen never showed %q; last screen:\n%s", want, s)
		}
		time.Sleep(50 * time.Millisecond) // polling a condition, bounded by the deadline
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition, bounded by the deadline
	}
}

func waitLogin(t *testing.T, srv *wssim.Server) wssim.Request {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case r := <-srv.Requests():
			if r.Name == "login" {
				return r
			}
		case <-deadline:
			t.Fatal("no login request")
		}
	}
}

// The "done when": an operator on a Linux terminal types the password once,
// sees and changes the real state, and survives a server restart without a new prompt;
// the next start needs no password at all.
func TestWSDashboardInTmux(t *testing.T) {
	needTool(t, "tmux")
	dir := t.TempDir()
	bin := okdashBinary(t)
	const password = "Sekret-42"
	srv := wssim.New([]wssim.User{{Login: "ivanova", Password: password, Name: "Ivanova Maria", Line: "305"}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Drop("")
	src := "ws://" + ts.Listener.Addr().String()
	state := filepath.Join(dir, "state")

	p := &tmuxPane{t: t, dir: dir}
	start := func() {
		p.start("env -u " + envPassword + " XDG_STATE_HOME=" + state + " TERM=xterm-256color LANG=en_US.UTF-8 " +
			bin + " --lang en --source " + src + " --login ivanova; sleep 60")
	}
	start()

	p.waitScreen("Oktell password for ivanova at")
	p.run("send-keys", "-t", "okws", password, "Enter")
	p.waitScreen("Ivanova Maria")
	if r := waitLogin(t, srv); !r.Password {
		t.Fatal("the first login carried no password hashes")
	}
	if strings.Contains(p.screen(), password) {
		t.Fatal("the password was echoed")
	}
	p.waitScreen("305")

	// Ready from the keyboard reaches the server.
	p.run("send-keys", "-t", "okws", "1")
	waitFor(t, "the server has the user ready", func() bool { st, _ := srv.State("ivanova"); return st == oktell.UserReady })

	// A change made on the server reaches the screen.
	srv.SetState("ivanova", oktell.UserLunch, true)
	p.waitScreen("Break")

	// A server restart forgets the session: okdash logs in again without a prompt.
	// Meanwhile the operator was moved to another line: the header shows the new one.
	if err := srv.SetUser(wssim.User{Login: "ivanova", Password: password, Name: "Ivanova Maria", Line: "412"}); err != nil {
		t.Fatal(err)
	}
	srv.Restart()
	r := waitLogin(t, srv)
	for r.SessionID && !r.Password {
		r = waitLogin(t, srv)
	}
	if !r.Password {
		t.Fatal("no login with the kept password hashes after the restart")
	}
	waitFor(t, "reconnected", func() bool { return srv.Conns("ivanova") == 1 })
	if s := p.screen(); strings.Contains(s, "password for") {
		t.Fatalf("prompted again after the restart:\n%s", s)
	}
	if s := p.waitScreen("Ivanova Maria · 412"); !strings.Contains(s, "Break") {
		t.Fatalf("after the reconnect the screen should show the break on line 412:\n%s", s)
	}

	p.run("send-keys", "-t", "okws", "q")
	waitFor(t, "okdash quit", func() bool { return srv.Conns("ivanova") == 0 })
	p.run("kill-server")

	fi, err := os.Stat(ws.FileStore{Dir: filepath.Join(state, "okdash")}.Path(src, "ivanova"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("session file: %v %v", fi, err)
	}

	// The next start logs in with the saved session: no prompt.
	start()
	p.waitScreen("Ivanova Maria")
	if r := waitLogin(t, srv); !r.SessionID || r.Password {
		t.Fatalf("second start: sessionid=%v password=%v, want the session id alone", r.SessionID, r.Password)
	}
}
