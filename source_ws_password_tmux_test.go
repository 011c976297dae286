package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// simProcess is okdash sim --ws running as its own process, driven on its standard input.
type simProcess struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	addr string
	out  chan string // its standard output, a line at a time
}

func startSimWS(t *testing.T, bin, users string) *simProcess {
	t.Helper()
	cmd := exec.Command(bin, "sim", "--ws", "127.0.0.1:0", "--users", users)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &simProcess{cmd: cmd, in: in, out: make(chan string, 100)}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.out <- sc.Text()
		}
		close(p.out)
	}()
	addr := regexp.MustCompile(`ws://[0-9.:]+`)
	deadline := time.After(15 * time.Second)
	for p.addr == "" {
		select {
		case line := <-p.out:
			p.addr = addr.FindString(line)
		case <-deadline:
			t.Fatal("okdash sim --ws never said where it listens")
		}
	}
	return p
}

// command gives the simulator a trainer's command and waits for its answer.
func (p *simProcess) command(t *testing.T, line, answer string) {
	t.Helper()
	if _, err := io.WriteString(p.in, line+"\n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(15 * time.Second)
	for {
		select {
		case out := <-p.out:
			if strings.Contains(out, answer) {
				return
			}
		case <-deadline:
			t.Fatalf("okdash sim never answered %q with %q", line, answer)
		}
	}
}

// The operator mistypes the password twice at the start-up prompt, as ssh allows, and
// gets in with the right one; while the dashboard runs, the administrator changes the
// password and the server restarts: the password line opens in the dashboard, the old
// password is refused twice, the new one logs in. Three wrong passwords at the start end
// okdash with status 1 and the server's reason. The built binary, against okdash sim --ws.
func TestWSPasswordTriesInTmux(t *testing.T) {
	needTool(t, "tmux")
	dir := t.TempDir()
	bin := okdashBinary(t)
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte("ivanova Sekret-42 305 Ivanova Maria\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sim := startSimWS(t, bin, users)

	p := &tmuxPane{t: t, dir: dir}
	start := func(after string) {
		state := filepath.Join(dir, "state"+strconv.Itoa(p.runs+1)) // no saved session: the prompt asks
		p.start("env -u " + envPassword + " XDG_STATE_HOME=" + state + " TERM=xterm-256color LANG=en_US.UTF-8 " +
			bin + " --lang en --source " + sim.addr + " --login ivanova" + after + "; sleep 60")
	}
	prompts := func() int { return strings.Count(p.screen(), "Oktell password for ivanova at") }
	typeLine := func(s string) { p.run("send-keys", "-t", "okws", "-l", s); p.run("send-keys", "-t", "okws", "Enter") }

	start("")
	p.waitScreen("Oktell password for ivanova at")
	typeLine("sekret-41")
	waitFor(t, "the second prompt", func() bool { return prompts() == 2 })
	if s := p.screen(); !strings.Contains(s, "okdash: Wrong login/pass combination: the login or the password is wrong; try again") {
		t.Fatalf("no reason before asking again:\n%s", s)
	}
	typeLine("Sekret-24")
	waitFor(t, "the third prompt", func() bool { return prompts() == 3 })
	typeLine("Sekret-42")
	p.waitScreen("Ivanova Maria · 305")
	if s := p.screen(); strings.Contains(s, "Sekret") {
		t.Fatalf("a password was echoed:\n%s", s)
	}

	// The administrator changes the password and the server restarts: the hashes okdash
	// kept are refused, and the dashboard asks for the password itself.
	sim.command(t, "password ivanova New-Pass-7", "password changed")
	sim.command(t, "restart", "forgot every session")
	p.waitScreen("Oktell password:")
	if s := p.screen(); !strings.Contains(s, "Type the password to log in") {
		t.Fatalf("the banner does not say what to do:\n%s", s)
	}
	typeLine("Sekret-42")
	p.waitScreen("Refused, try again (2 of 3)")
	typeLine("Sekret-43")
	p.waitScreen("Refused, try again (3 of 3)")
	typeLine("New-Pass-7")
	p.waitScreen("▲ connected")
	if s := p.screen(); strings.Contains(s, "Pass-7") || strings.Contains(s, "Sekret") {
		t.Fatalf("a password was echoed:\n%s", s)
	}
	p.run("send-keys", "-t", "okws", "q")
	waitFor(t, "okdash quit", func() bool { return !strings.Contains(p.screen(), "▲ connected") })
	p.run("kill-server")

	// Three wrong passwords at the start: okdash ends, saying why, with status 1.
	start("; echo okdash-exit=$?")
	for i := 1; i <= 3; i++ {
		waitFor(t, "prompt "+strconv.Itoa(i), func() bool { return prompts() == i })
		typeLine("wrong-" + strconv.Itoa(i))
	}
	s := p.waitScreen("okdash-exit=1")
	if !strings.Contains(s, "the login or the password is wrong") || prompts() != 3 {
		t.Fatalf("the end of the tries:\n%s", s)
	}
}
