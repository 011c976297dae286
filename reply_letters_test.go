package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/bridge"
	"github.com/okdash/okdash/oktell/demo"
)

// Issue 11's reply: 139 letters, 258 bytes; Bubble Tea's 256-byte reads cut the "у" of
// "прокрутку" in two, and the letter went missing.
const fastReply = "Здравствуйте! Очередь разобрала и клиенту перезвонила, жду ответа второй линии техподдержки и потом сразу зайду помочь проверить прокрутку."

// And its paste: "a" and 300 Cyrillic letters.
var pastedReply = "a" + strings.Repeat("абвгдеёжзи", 30)

// sentTexts is what the operator's replies carried to Oktell, in order.
type sentTexts struct {
	mu    sync.Mutex
	texts []string
}

func (s *sentTexts) add(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.texts = append(s.texts, text)
}

func (s *sentTexts) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.texts...)
}

// recordingEngine is the demo over the bridge, writing down each message sent to it.
type recordingEngine struct {
	*demo.Engine
	sent *sentTexts
}

func (e recordingEngine) SendMessage(ctx context.Context, userID, text string) error {
	e.sent.add(text)
	return e.Engine.SendMessage(ctx, userID, text)
}

// recordingSession is a session writing down each message the dashboard sends.
type recordingSession struct {
	oktell.Session
	sent *sentTexts
}

func (s recordingSession) SendMessage(ctx context.Context, userID, text string) error {
	s.sent.add(text)
	return s.Session.SendMessage(ctx, userID, text)
}

// demoSpeed brings the demo's first message in a few seconds, and the lost link
// (which would refuse a reply) some 20 seconds after it.
const demoSpeed = 3

// replyLetterForLetter answers the demo's messages in the terminal target of tmux as
// an operator does: the reply typed fast (send-keys -l writes it in one go), the long
// text pasted plain, then pasted as a terminal brackets it; each must reach Oktell as
// it was typed.
func replyLetterForLetter(t *testing.T, tmux func(args ...string) string, target string, sent *sentTexts) {
	t.Helper()
	waitScreen := func(what string, cond func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			screen := tmux("capture-pane", "-p", "-t", target)
			if cond(screen) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s; screen:\n%s", what, screen)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitScreen("a colleague's message", func(s string) bool { return strings.Contains(s, "Бочкарев") })
	for i, step := range []struct {
		how  string
		text string
		typ  func()
	}{
		{"typed", fastReply, func() { tmux("send-keys", "-t", target, "-l", fastReply) }},
		{"pasted", pastedReply, func() {
			tmux("set-buffer", "-b", "reply", pastedReply)
			tmux("paste-buffer", "-b", "reply", "-t", target)
		}},
		{"pasted, bracketed", pastedReply, func() { tmux("paste-buffer", "-p", "-b", "reply", "-t", target) }},
	} {
		tmux("send-keys", "-t", target, "Enter")
		waitScreen("the reply line", func(s string) bool { return strings.Contains(s, "Reply to ") })
		step.typ()
		tmux("send-keys", "-t", target, "Enter")
		waitScreen("the reply line to close", func(s string) bool { return !strings.Contains(s, "Reply to ") })
		got := sent.all()
		require.Len(t, got, i+1, "replies sent so far")
		assert.Equal(t, step.text, got[i], "the reply %s", step.how) // and on to the next way
	}
}

// TestTmuxReplyArrivesLetterForLetter runs the built okdash in tmux on the demo, served
// over the bridge by this test so that what the dashboard sends can be read back.
func TestTmuxReplyArrivesLetterForLetter(t *testing.T) {
	sent := &sentTexts{}
	sc, err := demo.Load("")
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- bridge.Serve(ctx, ln, func() bridge.Engine {
			return recordingEngine{demo.New(sc, oktell.RealClock{}, demoSpeed), sent}
		}, io.Discard)
	}()
	t.Cleanup(func() { cancel(); require.NoError(t, <-served) })

	s := startTmux(t, []string{"TERM=xterm-256color", "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES="},
		"--source", "bridge:tcp://"+ln.Addr().String())
	tmux := func(args ...string) string {
		t.Helper()
		out, err := s.tmux(args...)
		require.NoError(t, err, "tmux %q: %s", args, out)
		return out
	}
	replyLetterForLetter(t, tmux, "dash", sent)
	s.keys("C-c") // a key in raw mode, not SIGINT: okdash quits with status 0
	s.waitExit()
}

// TestServeReplyArrivesLetterForLetter does the same through okdash serve --demo-open
// and the real OpenSSH client.
func TestServeReplyArrivesLetterForLetter(t *testing.T) {
	tmuxPath := needTool(t, "tmux")
	ssh := needTool(t, "ssh")
	sent := &sentTexts{}
	open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
		sess, err := openSession(ctx, sf, clock, noConsole)
		if err != nil {
			return nil, err
		}
		return recordingSession{sess, sent}, nil
	}
	dir := t.TempDir()
	addr, logs, _ := startServe(t, serveFlags{DemoOpen: true, HostKey: filepath.Join(dir, "host")},
		sourceFlags{Source: "demo", Speed: demoSpeed}, open, newModel)
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)

	sock := filepath.Join(dir, "tmux.sock")
	tmux := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmuxPath, append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		require.NoError(t, err, "tmux %q: %s\nserver log:\n%s", args, out, logs.String())
		return string(out)
	}
	sshCmd := fmt.Sprintf("%s -tt -F /dev/null -p %s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o SetEnv=LANG=en_US.UTF-8 trainee@127.0.0.1; sleep 30",
		ssh, port)
	tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "okdash", sshCmd)
	t.Cleanup(func() { exec.Command(tmuxPath, "-S", sock, "kill-server").Run() }) //nolint:errcheck

	replyLetterForLetter(t, tmux, "okdash", sent)
	tmux("send-keys", "-t", "okdash", "C-c") // reaches the program only if its PTY is in raw mode
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), `reason="dashboard quit"`) }, 20*time.Second, 50*time.Millisecond,
		"server log:\n%s", logs.String())
}
