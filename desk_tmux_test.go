package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The operator's desk end to end (issue 12): the built okdash's fake WebSocket server in
// the background, driven through its standard input as a trainer drives it, and the
// built dashboard logged in to it in tmux. A call rings with its number and name, talks
// with a running timer, waits on hold and is gone when it hangs up; a caller joins the
// queue; the colleagues view lists everyone in the users file with their live state.
func TestTmuxDeskOverWebSocket(t *testing.T) {
	needTool(t, "tmux")
	dir := t.TempDir()
	bin := okdashBinary(t)
	users := filepath.Join(dir, "users.txt")
	writeFile(t, users, "# login password line name\n[Поддержка]\ndemo demo 201 Demo Operator\n"+
		"petrova pw-petrova 202 Петрова Анна\nsidorov pw-sidorov 203 Сидоров Олег\n[Продажи]\nkuzmina pw-kuzmina 301 Кузьмина Мария\n")
	pass := filepath.Join(dir, "pass.txt")
	writeFile(t, pass, "demo\n")

	sim := exec.Command(bin, "sim", "--ws", "127.0.0.1:0", "--users", users)
	trainer, err := sim.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	simOut, err := sim.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sim.Stderr = io.Discard
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { trainer.Close(); _ = sim.Process.Kill(); _ = sim.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(simOut)
		for sc.Scan() {
			if m := regexp.MustCompile(`ws://[0-9.:]+`).FindString(sc.Text()); m != "" {
				addr <- m
			}
		}
	}()
	var src string
	select {
	case src = <-addr:
	case <-time.After(20 * time.Second):
		t.Fatal("okdash sim --ws never said where it listens")
	}
	say := func(cmd string) {
		t.Helper()
		if _, err := fmt.Fprintln(trainer, cmd); err != nil {
			t.Fatalf("to okdash sim: %q: %v", cmd, err)
		}
	}

	cmd := shellJoin([]string{"env", "-u", envPassword, "XDG_STATE_HOME=" + filepath.Join(dir, "state"), "TERM=xterm-256color",
		"LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=", bin, "--lang", "en", "--icons", "unicode", "--source", src, "--login", "demo",
		"--password-file", pass}) + "; echo okdash-exit=$?; sleep 600"
	s := newTmuxSession(t, tmuxSocket("desk"), 80, 24, cmd)
	s.waitText("Demo Operator · 201")

	second := func(screen string) string { return strings.Split(screen, "\n")[1] }
	say("ring demo +74951234567 Иванов Иван")
	s.waitFor("the call ringing on the second line", func(sc string) bool {
		return strings.Contains(second(sc), "☎ Incoming call  +74951234567 Иванов Иван")
	})
	title := func() string { out, _ := s.tmux("display-message", "-p", "-t", "dash", "#{pane_title}"); return out }
	waitFor(t, "the window title rings", func() bool { return strings.Contains(title(), "☎ Incoming call +74951234567 Иванов Иван") })

	say("answer demo")
	timer := regexp.MustCompile(`☏ Talking 00:0[2-9]  \+74951234567 Иванов Иван`)
	s.waitFor("a talk timer that runs", func(sc string) bool { return timer.MatchString(second(sc)) })
	waitFor(t, "the title no longer rings", func() bool { return !strings.Contains(title(), "☎") })

	say("hold demo")
	s.waitFor("on hold", func(sc string) bool { return strings.Contains(second(sc), "‖ On hold 00:0") })
	say("hangup demo")
	s.waitFor("the call gone", func(sc string) bool {
		return !strings.Contains(sc, "+74951234567") && !strings.Contains(sc, "Talking") && !strings.Contains(sc, "On hold")
	})

	say("queue add +79161234567 Кузьмина")
	s.waitFor("the waiting count", func(sc string) bool {
		return regexp.MustCompile(`≣ 1 waiting, longest 0:\d\d$`).MatchString(second(sc))
	})

	s.keys("c")
	s.waitText("── Colleagues")
	for _, who := range []string{"Петрова Анна", "Сидоров Олег", "Кузьмина Мария", "Demo Operator (you)", "Поддержка", "Продажи"} {
		s.waitText(who)
	}
	say("state petrova busy")
	say("state kuzmina ready")
	s.waitFor("the colleagues' live states", func(sc string) bool {
		return regexp.MustCompile(`■ Busy\s+Петрова Анна\s+202`).MatchString(sc) &&
			regexp.MustCompile(`● Ready\s+Кузьмина Мария\s+301`).MatchString(sc) &&
			strings.Contains(sc, "Colleagues 1 of 3 free")
	})
	// Writing is refused over WebSocket, with the reason: the bar does not offer it.
	if sc := s.capture(); strings.Contains(sc, "write") {
		t.Errorf("the help bar offers writing over WebSocket:\n%s", sc)
	}

	s.keys("w")
	s.waitFor("the queue view", func(sc string) bool {
		return regexp.MustCompile(`1  \+79161234567  Кузьмина\s+0:\d\d`).MatchString(sc)
	})
	s.keys("q")
	s.waitExit()
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
