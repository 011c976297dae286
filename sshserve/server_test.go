package sshserve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/ui"

	"github.com/okdash/okdash/internal/syncbuf"
)

// waitFor is how long a test waits for something that should happen at once.
const waitFor = 10 * time.Second

// fakeModel stands in for the dashboard: its one line shows what the server gave it.
type fakeModel struct {
	id      int64
	client  *Client
	w, h    int
	keys    string
	banner  string
	events  chan<- tea.Msg
	quitNow bool // quit at once on ui.ShutdownMsg
}

func (m *fakeModel) Init() tea.Cmd { return nil }

func (m *fakeModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.events != nil {
		select {
		case m.events <- msg:
		default:
		}
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
		m.keys += msg.String()
	case ui.ShutdownMsg:
		m.banner = fmt.Sprintf("closing: %s in %s", msg.Why, msg.After)
		if m.quitNow {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m *fakeModel) View() string {
	return fmt.Sprintf("fake#%d size=%dx%d\nterm=%s profile=%d dark=%v\nlang=%s\nsource=%s\nkeys=[%s]\n%s",
		m.id, m.w, m.h, m.client.Term, m.client.Renderer.ColorProfile(), m.client.Renderer.HasDarkBackground(),
		m.client.Getenv("LANG"), m.client.Options["source"], m.keys, m.banner)
}

type harness struct {
	t       *testing.T
	srv     *Server
	addr    string
	keyFile string
	logs    *syncBuffer
	models  atomic.Int64
	clients chan *Client
	events  chan tea.Msg
}

// syncBuffer is the server's log, written from its goroutines.
type syncBuffer = syncbuf.Buffer

func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	s, err := gossh.NewSignerFromKey(priv)
	require.NoError(t, err)
	return s
}

func authorizedLine(s gossh.Signer, options string) string {
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
	if options != "" {
		line = options + " " + line
	}
	return line + " trainee@test\n"
}

// start runs a server on 127.0.0.1:0 whose keys file holds keysText; tune edits the
// config first.
func start(t *testing.T, keysText string, tune func(*Config)) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{t: t, keyFile: filepath.Join(dir, "authorized_keys"), logs: &syncBuffer{},
		clients: make(chan *Client, 16), events: make(chan tea.Msg, 256)}
	require.NoError(t, os.WriteFile(h.keyFile, []byte(keysText), 0o600))
	hostKey, _, err := LoadHostKey(filepath.Join(dir, "host_ed25519"))
	require.NoError(t, err)
	cfg := Config{
		HostKey: hostKey,
		Dashboard: func(ctx context.Context, c *Client) (tea.Model, io.Closer, error) {
			c.Source = c.Options["source"]
			if c.Source == "" {
				c.Source = "demo"
			}
			h.clients <- c
			return &fakeModel{id: h.models.Add(1), client: c, events: h.events, quitNow: true}, nil, nil
		},
		Log: slog.New(slog.NewTextHandler(h.logs, nil)),
	}
	if keysText != "" {
		cfg.Keys, err = OpenKeyFile(h.keyFile, []string{"source", "login"}, nil)
		require.NoError(t, err)
	}
	if tune != nil {
		tune(&cfg)
	}
	h.srv, err = New(cfg)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	h.addr = l.Addr().String()
	served := make(chan error, 1)
	go func() { served <- h.srv.Serve(l) }()
	t.Cleanup(func() {
		h.srv.Close()
		require.NoError(t, <-served)
	})
	return h
}

func (h *harness) dial(key gossh.Signer) (*gossh.Client, error) {
	cfg := &gossh.ClientConfig{
		User:            "trainee",
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         waitFor,
	}
	if key != nil {
		cfg.Auth = []gossh.AuthMethod{gossh.PublicKeys(key)}
	} else {
		cfg.Auth = []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })}
	}
	return gossh.Dial("tcp", h.addr, cfg)
}

// screen is the client's side of one session: everything it received, and its stdin.
type screen struct {
	t    *testing.T
	sess *gossh.Session
	in   io.WriteCloser
	mu   sync.Mutex
	out  bytes.Buffer
	more chan struct{}
}

func (s *screen) pump(r io.Reader) {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		s.mu.Lock()
		s.out.Write(buf[:n])
		s.mu.Unlock()
		select {
		case s.more <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// waitText waits until the output holds want, with a deadline.
func (s *screen) waitText(want string) {
	s.t.Helper()
	deadline := time.After(waitFor)
	for !strings.Contains(s.text(), want) {
		select {
		case <-s.more:
		case <-time.After(50 * time.Millisecond): // output may have come before we waited
		case <-deadline:
			s.t.Fatalf("no %q on the screen after %s; got %q", want, waitFor, s.text())
		}
	}
}

// open starts a dashboard session with a PTY of w x h and env.
func (h *harness) open(key gossh.Signer, w, ht int, env map[string]string) *screen {
	h.t.Helper()
	c, err := h.dial(key)
	require.NoError(h.t, err)
	h.t.Cleanup(func() { c.Close() })
	sess, err := c.NewSession()
	require.NoError(h.t, err)
	for k, v := range env {
		require.NoError(h.t, sess.Setenv(k, v))
	}
	s := &screen{t: h.t, sess: sess, more: make(chan struct{}, 1)}
	out, err := sess.StdoutPipe()
	require.NoError(h.t, err)
	s.in, err = sess.StdinPipe()
	require.NoError(h.t, err)
	go s.pump(out)
	require.NoError(h.t, sess.RequestPty("xterm-256color", ht, w, gossh.TerminalModes{}))
	require.NoError(h.t, sess.Shell())
	return s
}

func TestUnknownKeyRefused(t *testing.T) {
	known, stranger := newKey(t), newKey(t)
	h := start(t, authorizedLine(known, ""), nil)
	_, err := h.dial(stranger)
	require.ErrorContains(t, err, "unable to authenticate")
	require.Contains(t, h.logs.String(), "key refused")
	require.Contains(t, h.logs.String(), gossh.FingerprintSHA256(stranger.PublicKey()))
	// No key at all is refused too, unless the server is open.
	_, err = h.dial(nil)
	require.Error(t, err)
}

func TestKnownKeyGetsDashboardOnPTY(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), nil)
	s := h.open(key, 80, 24, map[string]string{"LANG": "ru_RU.UTF-8"})
	s.waitText("size=80x24")
	s.waitText("term=xterm-256color profile=1") // termenv.ANSI256
	s.waitText("lang=ru_RU.UTF-8")
	c := <-h.clients
	require.Equal(t, gossh.FingerprintSHA256(key.PublicKey()), c.Fingerprint)
	require.Equal(t, "trainee@test", c.KeyComment)
	require.Equal(t, "trainee", c.User)

	_, err := s.in.Write([]byte("q"))
	require.NoError(t, err)
	require.NoError(t, s.sess.Wait())
	require.Eventually(t, func() bool { return strings.Contains(h.logs.String(), "reason=\"dashboard quit\"") }, waitFor, 10*time.Millisecond)
	log := h.logs.String()
	require.Contains(t, log, "session end")
	require.Contains(t, log, "key="+gossh.FingerprintSHA256(key.PublicKey()))
	require.Contains(t, log, "user=trainee")
	require.Contains(t, log, "duration=")
	require.Contains(t, log, "bytes_sent=")
}

func TestNoPTYRefusedWithExplanation(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), nil)
	c, err := h.dial(key)
	require.NoError(t, err)
	defer c.Close()
	sess, err := c.NewSession()
	require.NoError(t, err)
	var stderr bytes.Buffer
	sess.Stderr = &stderr
	require.NoError(t, sess.Shell())
	err = sess.Wait()
	var exit *gossh.ExitError
	require.True(t, errors.As(err, &exit), "want an exit status, got %v", err)
	require.Equal(t, 1, exit.ExitStatus())
	require.Equal(t, "okdash: the dashboard needs a terminal; connect with ssh -t (and without -T or a command)\n", stderr.String())
	require.Zero(t, h.models.Load(), "no dashboard is built for a session without a terminal")

	// A command is refused the same way (on a connection of its own: one session each).
	c, err = h.dial(key)
	require.NoError(t, err)
	defer c.Close()
	sess, err = c.NewSession()
	require.NoError(t, err)
	out, err := sess.CombinedOutput("cat /etc/passwd")
	require.Error(t, err)
	require.Contains(t, string(out), "runs no commands")

	// The log says no source was opened, and why, for each.
	require.Eventually(t, func() bool { return strings.Count(h.logs.String(), "session end") == 2 }, waitFor, 10*time.Millisecond)
	log := h.logs.String()
	require.Regexp(t, `source=none duration=\S+ reason="no terminal"`, log)
	require.Regexp(t, `source=none duration=\S+ reason="command refused"`, log)
	require.NotContains(t, log, `source=""`)
}

func TestResizeReachesModel(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), nil)
	s := h.open(key, 80, 24, nil)
	s.waitText("size=80x24")
	require.NoError(t, s.sess.WindowChange(30, 120))
	s.waitText("size=120x30")
	require.NoError(t, s.sess.WindowChange(24, 90))
	s.waitText("size=90x24")
}

func TestTwoSessionsIndependent(t *testing.T) {
	a, b := newKey(t), newKey(t)
	h := start(t, authorizedLine(a, "")+authorizedLine(b, ""), nil)
	sa := h.open(a, 80, 24, nil)
	sa.waitText("size=80x24")
	sb := h.open(b, 100, 30, nil)
	sb.waitText("size=100x30")
	_, err := sa.in.Write([]byte("xy"))
	require.NoError(t, err)
	sa.waitText("keys=[xy]")
	_, err = sb.in.Write([]byte("z"))
	require.NoError(t, err)
	sb.waitText("keys=[z]")
	require.NotContains(t, sb.text(), "keys=[xy]")
	require.NotContains(t, sa.text(), "keys=[z]")
	require.NotContains(t, sa.text(), "fake#2")
	require.Equal(t, 2, h.srv.Sessions())
}

func TestMappingFileChoosesSource(t *testing.T) {
	mapped, plain := newKey(t), newKey(t)
	h := start(t, authorizedLine(mapped, `okdash-source="bridge:tcp://10.1.2.3:7766",okdash-login=ivanov,no-port-forwarding`)+authorizedLine(plain, ""), nil)
	s := h.open(mapped, 80, 24, nil)
	s.waitText("source=bridge:tcp://10.1.2.3:7766")
	c := <-h.clients
	require.Equal(t, map[string]string{"source": "bridge:tcp://10.1.2.3:7766", "login": "ivanov"}, c.Options)

	s2 := h.open(plain, 80, 24, nil)
	s2.waitText("fake#2")
	c = <-h.clients
	require.Empty(t, c.Options)
}

func TestKeyFileReloadedWhenChanged(t *testing.T) {
	first, second := newKey(t), newKey(t)
	h := start(t, authorizedLine(first, ""), nil)
	_, err := h.dial(second)
	require.Error(t, err)
	// A trainer adds a key while the server runs. Size changes too, so the reload does
	// not hang on the file system's mtime granularity.
	require.NoError(t, os.WriteFile(h.keyFile, []byte(authorizedLine(first, "")+authorizedLine(second, "")), 0o600))
	c, err := h.dial(second)
	require.NoError(t, err)
	c.Close()
	// A broken edit keeps the last good keys and says so in the log.
	require.NoError(t, os.WriteFile(h.keyFile, []byte("ssh-ed25519 broken\n"), 0o600))
	c, err = h.dial(second)
	require.NoError(t, err)
	c.Close()
	require.Contains(t, h.logs.String(), "authorized_keys:1: not a public key line")
	require.Equal(t, 1, strings.Count(h.logs.String(), "not a public key line"), "a broken file is reported once, not at every login")
}

func TestShutdownShowsReasonAndClosesSessions(t *testing.T) {
	a, b := newKey(t), newKey(t)
	h := start(t, authorizedLine(a, "")+authorizedLine(b, ""), func(c *Config) { c.ShutdownAfter = 5 * time.Second })
	sa := h.open(a, 80, 24, nil)
	sa.waitText("fake#1")
	sb := h.open(b, 80, 24, nil)
	sb.waitText("fake#2")

	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	require.NoError(t, h.srv.Shutdown(ctx))
	for _, s := range []*screen{sa, sb} {
		s.waitText("okdash: session closed: server shutting down")
		s.sess.Wait() //nolint:errcheck
	}
	var got []ui.ShutdownMsg
	for len(h.events) > 0 {
		if m, ok := (<-h.events).(ui.ShutdownMsg); ok {
			got = append(got, m)
		}
	}
	stopping := oktell.Because(oktell.ReasonServerStopping)
	require.Equal(t, []ui.ShutdownMsg{{Why: stopping, After: 5 * time.Second}, {Why: stopping, After: 5 * time.Second}}, got)
	require.Equal(t, 2, strings.Count(h.logs.String(), `reason="server shutting down"`))
	// New connections are turned away.
	_, err := h.dial(a)
	require.Error(t, err)
}

// A dashboard that ignores the shutdown message is quit after its countdown and grace.
func TestShutdownQuitsStubbornDashboard(t *testing.T) {
	key := newKey(t)
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	var h *harness
	h = start(t, authorizedLine(key, ""), func(c *Config) {
		c.Clock = clock
		c.ShutdownAfter = 3 * time.Second
		c.Dashboard = func(ctx context.Context, cl *Client) (tea.Model, io.Closer, error) {
			return &fakeModel{id: 1, client: cl, events: h.events}, nil, nil
		}
	})
	s := h.open(key, 80, 24, nil)
	s.waitText("fake#1")
	done := make(chan error, 1)
	go func() { done <- h.srv.Shutdown(context.Background()) }()
	s.waitText("closing: server shutting down in 3s")
	select {
	case <-done:
		t.Fatal("Shutdown returned while a dashboard was still counting down")
	default:
	}
	waitTimer(t, clock)
	clock.Advance(3*time.Second + grace)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(waitFor):
		t.Fatal("Shutdown did not return after the countdown")
	}
	s.waitText("okdash: session closed: server shutting down")
}

func TestMaxSessions(t *testing.T) {
	a, b := newKey(t), newKey(t)
	h := start(t, authorizedLine(a, "")+authorizedLine(b, ""), func(c *Config) { c.MaxSessions = 1 })
	sa := h.open(a, 80, 24, nil)
	sa.waitText("fake#1")
	// The second is refused its PTY (no place, no PTY), then told why.
	c, err := h.dial(b)
	require.NoError(t, err)
	defer c.Close()
	sb, err := openRaw(t, c)
	require.NoError(t, err)
	require.False(t, sb.pty("xterm", 80, 24))
	require.True(t, sb.shell())
	sb.waitText("okdash: the server is full (1 dashboard open); try again later\n")
	require.Equal(t, 1, sb.exitStatus())
	require.Eventually(t, func() bool { return strings.Contains(h.logs.String(), "server is full") }, waitFor, 10*time.Millisecond)
}

func TestRateLimitPerAddress(t *testing.T) {
	key := newKey(t)
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	h := start(t, authorizedLine(key, ""), func(c *Config) { c.Clock = clock; c.ConnRate = 0.5; c.ConnBurst = 2 })
	for i := range 2 {
		c, err := h.dial(key)
		require.NoError(t, err, "connection %d is within the burst", i+1)
		c.Close()
	}
	_, err := h.dial(key)
	require.Error(t, err)
	require.Contains(t, h.logs.String(), "rate limit")
	clock.Advance(2 * time.Second) // one new token
	c, err := h.dial(key)
	require.NoError(t, err)
	c.Close()
}

func TestRateLimiterTable(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	l := newRateLimiter(1, 3, clock)
	for range 3 {
		require.True(t, l.allow("10.0.0.1"))
	}
	require.False(t, l.allow("10.0.0.1"))
	require.True(t, l.allow("10.0.0.2"), "another address has its own bucket")
	clock.Advance(1500 * time.Millisecond)
	require.True(t, l.allow("10.0.0.1"))
	require.False(t, l.allow("10.0.0.1"))
	clock.Advance(time.Hour)
	for range 3 {
		require.True(t, l.allow("10.0.0.1"), "the bucket refills only up to the burst")
	}
	require.False(t, l.allow("10.0.0.1"))
	var none *rateLimiter
	require.True(t, none.allow("x"))
}

func TestIdleTimeoutCountsOnlyInput(t *testing.T) {
	key := newKey(t)
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	h := start(t, authorizedLine(key, ""), func(c *Config) {
		c.Clock = clock
		c.IdleTimeout = 30 * time.Minute
		c.ShutdownAfter = 10 * time.Second
	})
	s := h.open(key, 80, 24, nil)
	s.waitText("fake#1")
	waitTimer(t, clock)
	clock.Advance(20 * time.Minute)
	_, err := s.in.Write([]byte("k")) // the operator is there
	require.NoError(t, err)
	s.waitText("keys=[k]")
	clock.Advance(15 * time.Minute) // 35 min since start, 15 since the key
	waitTimer(t, clock)
	require.NotContains(t, s.text(), "closing:")
	clock.Advance(15 * time.Minute)
	s.waitText("okdash: session closed: no input for 30m")
	require.Eventually(t, func() bool { return strings.Contains(h.logs.String(), `reason="no input for 30m"`) }, waitFor, 10*time.Millisecond)
}

func TestNoColorAndLightBackground(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), func(c *Config) { c.BackgroundQuery = 5 * time.Second })
	c, err := h.dial(key)
	require.NoError(t, err)
	defer c.Close()
	sess, err := c.NewSession()
	require.NoError(t, err)
	require.NoError(t, sess.Setenv("NO_COLOR", "1"))
	s := &screen{t: t, sess: sess, more: make(chan struct{}, 1)}
	out, err := sess.StdoutPipe()
	require.NoError(t, err)
	in, err := sess.StdinPipe()
	require.NoError(t, err)
	go s.pump(out)
	require.NoError(t, sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}))
	require.NoError(t, sess.Shell())
	// Answer like a terminal with a white background.
	s.waitText("\x1b]11;?")
	_, err = in.Write([]byte("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c"))
	require.NoError(t, err)
	s.waitText("profile=3 dark=false") // termenv.Ascii
}

func TestOpenServerLetsAnyoneIn(t *testing.T) {
	h := start(t, "", func(c *Config) { c.Open = true })
	s := h.open(nil, 80, 24, nil)
	s.waitText("fake#1")
	s2 := h.open(newKey(t), 80, 24, nil)
	s2.waitText("fake#2")
	<-h.clients
	c := <-h.clients
	require.NotEmpty(t, c.Fingerprint, "a key offered to an open server is still logged")
	require.Eventually(t, func() bool { return strings.Count(h.logs.String(), "session start") == 2 }, waitFor, 10*time.Millisecond)
	require.Contains(t, h.logs.String(), "key=none", "a session without a key says so")
	require.NotContains(t, h.logs.String(), `key=""`)
}

func TestHostKeyGeneratedOnceAndPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "host")
	k1, created, err := LoadHostKey(path)
	require.NoError(t, err)
	require.True(t, created)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	require.Equal(t, "ssh-ed25519", k1.PublicKey().Type())
	k2, created, err := LoadHostKey(path)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, k1.PublicKey().Marshal(), k2.PublicKey().Marshal())

	require.NoError(t, os.WriteFile(path, []byte("not a key"), 0o600))
	_, _, err = LoadHostKey(path)
	require.ErrorContains(t, err, path)
}

// A host key in a directory that does not exist yet: the directories are made, private.
func TestHostKeyMakesItsDirectory(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "okdash", "keys", "host_key")
	_, created, err := LoadHostKey(path)
	require.NoError(t, err)
	require.True(t, created)
	for _, dir := range []string{filepath.Join(root, "okdash"), filepath.Join(root, "okdash", "keys")} {
		st, err := os.Stat(dir)
		require.NoError(t, err)
		if runtime.GOOS != "windows" {
			assert.Equal(t, os.FileMode(0o700), st.Mode().Perm(), dir)
		}
	}
	// a path through a file is still an error, naming the key
	_, _, err = LoadHostKey(filepath.Join(path, "inner"))
	require.ErrorContains(t, err, filepath.Join(path, "inner"))
}

func TestParseAuthorizedKeysErrors(t *testing.T) {
	key := newKey(t)
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key.PublicKey())))
	allowed := map[string]bool{"source": true}
	for _, tc := range []struct{ name, in, err string }{
		{"comment and blank lines", "# trainees\n\n" + line + "\n", ""},
		{"quoted option", `okdash-source="bridge:tcp://h:1" ` + line, ""},
		{"garbage", "# x\nhello world\n", "line 2: not a public key line"},
		{"unknown okdash option", `okdash-colour=red ` + line, "line 1: unknown option okdash-colour (okdash knows okdash-source)"},
		{"option without value", `okdash-source ` + line, "line 1: option okdash-source needs a value"},
		{"sshd option okdash cannot keep", `from="10.0.0.0/8" ` + line, "line 1: option from is not supported"},
		{"command option", `command="/bin/sh" ` + line, "option command is not supported"},
		{"duplicate", line + "\n" + line + "\n", "line 2: key SHA256:"},
		{"trailing comma", `okdash-source=x, ` + line, "line 1: empty option (a stray comma in okdash-source=x,)"},
		{"doubled comma", `okdash-source=x,,restrict ` + line, "line 1: empty option"},
		{"leading comma", `,okdash-source=x ` + line, "line 1: empty option"},
		{"comma inside quotes", `okdash-source="bridge:exec:a,,b" ` + line, ""},
		{"option twice", `okdash-source=x,okdash-source=y ` + line, "line 1: option okdash-source is given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys, err := ParseAuthorizedKeys([]byte(tc.in), allowed)
			if tc.err == "" {
				require.NoError(t, err)
				require.Len(t, keys, 1)
				return
			}
			require.ErrorContains(t, err, tc.err)
		})
	}
	keys, err := ParseAuthorizedKeys([]byte(`okdash-source="say \"hi\"",restrict `+line+" ivanov@room1"), allowed)
	require.NoError(t, err)
	require.Equal(t, `say "hi"`, keys[0].Options["source"])
	require.Equal(t, "ivanov@room1", keys[0].Comment)
}

func FuzzParseAuthorizedKeys(f *testing.F) {
	key := newKey(f)
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key.PublicKey())))
	f.Add([]byte(line))
	f.Add([]byte(`okdash-source="bridge:tcp://10.1.2.3:7766" ` + line + " a@b\n# c\n"))
	f.Add([]byte(`okdash-source="unterminated ` + line))
	f.Add([]byte("\x00\xff\n\n"))
	f.Add([]byte(`okdash-source="a,b",okdash-login=x, ` + line + " c\u202e@d"))
	f.Add([]byte(`,,okdash-source=x ` + line))
	allowed := map[string]bool{"source": true, "login": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseAuthorizedKeys(data, allowed)
		if err != nil {
			require.Nil(t, keys)
			require.True(t, strings.HasPrefix(err.Error(), "line "), "error %q names its line", err)
			return
		}
		for _, k := range keys {
			require.NotNil(t, k.Key)
			for name := range k.Options {
				require.True(t, allowed[name])
			}
		}
	})
}

// waitTimer waits until a goroutine waits on the fake clock, so an Advance is seen.
func waitTimer(t *testing.T, c *clocktest.Clock) {
	t.Helper()
	require.True(t, c.WaitPending(1, waitFor), "nobody waits on the clock")
}

// freezer forwards one TCP connection and can stop forwarding without closing it:
// a link that died without a FIN, as when a laptop lid closes.
type freezer struct {
	mu     sync.Mutex
	frozen bool
	cond   *sync.Cond
}

func newFreezer(t *testing.T, target string) (addr string, f *freezer) {
	f = &freezer{}
	f.cond = sync.NewCond(&f.mu)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		in, err := l.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", target)
		if err != nil {
			in.Close()
			return
		}
		go f.pipe(in, out)
		go f.pipe(out, in)
	}()
	return l.Addr().String(), f
}

func (f *freezer) pipe(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32*1024)
	for {
		n, err := src.Read(buf)
		f.mu.Lock()
		for f.frozen {
			f.cond.Wait()
		}
		f.mu.Unlock()
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (f *freezer) freeze() {
	f.mu.Lock()
	f.frozen = true
	f.mu.Unlock()
}

func (f *freezer) thaw() {
	f.mu.Lock()
	f.frozen = false
	f.mu.Unlock()
	f.cond.Broadcast()
}

func TestKeepAliveDropsDeadLinkButNotQuietOne(t *testing.T) {
	key := newKey(t)
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	h := start(t, authorizedLine(key, ""), func(c *Config) {
		c.Clock = clock
		c.KeepAlive = 30 * time.Second
		c.KeepAliveMissed = 3
	})
	proxyAddr, link := newFreezer(t, h.addr)
	t.Cleanup(link.thaw)
	direct := h.addr
	h.addr = proxyAddr
	s := h.open(key, 80, 24, nil)
	h.addr = direct
	s.waitText("fake#1")

	// A quiet but live client answers every keepalive and stays.
	for i := range 5 {
		waitTimer(t, clock)
		clock.Advance(30 * time.Second)
		require.Eventually(t, func() bool { return h.srv.keepAliveAnswers.Load() == int64(i+1) }, waitFor, time.Millisecond)
	}
	waitTimer(t, clock)
	require.Equal(t, 1, h.srv.Sessions())
	require.NotContains(t, h.logs.String(), "session end")

	// The link dies silently: three unanswered keepalives and the session is gone.
	link.freeze()
	require.Eventually(t, func() bool {
		clock.Advance(30 * time.Second)
		return strings.Contains(h.logs.String(), `reason="client unreachable (no answer to 3 keepalives)"`)
	}, waitFor, 20*time.Millisecond, "log:\n%s", h.logs.String())
	require.Eventually(t, func() bool { return h.srv.Sessions() == 0 }, waitFor, 10*time.Millisecond)
}

func TestLoginGraceClosesSilentConnection(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), func(c *Config) { c.LoginGrace = 200 * time.Millisecond })
	raw, err := net.Dial("tcp", h.addr)
	require.NoError(t, err)
	defer raw.Close()
	require.NoError(t, raw.SetReadDeadline(time.Now().Add(waitFor)))
	// The server's version line comes first; then nothing, and the server hangs up.
	_, err = io.Copy(io.Discard, raw)
	require.NoError(t, err, "the server closed the connection (EOF), not our deadline")
	require.Eventually(t, func() bool { return strings.Contains(h.logs.String(), "no login within 200ms") }, waitFor, 10*time.Millisecond)

	// A client that logs in and starts its dashboard in time stays past the grace.
	s := h.open(key, 80, 24, nil)
	s.waitText("fake#1")
	<-time.After(400 * time.Millisecond) // twice the grace: proving an absence takes time
	_, err = s.in.Write([]byte("k"))
	require.NoError(t, err)
	s.waitText("keys=[k]")
}

func TestDashboardErrorReachesClientSanitized(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), func(c *Config) {
		c.Dashboard = func(context.Context, *Client) (tea.Model, io.Closer, error) {
			return nil, nil, errors.New("bridge refused: \x1b[31mred\x1b[0m\x07 text\r\nsecond")
		}
	})
	s := h.open(key, 80, 24, nil)
	s.waitText("okdash: cannot open the dashboard: bridge refused: red text second\r\n")
	var exit *gossh.ExitError
	require.ErrorAs(t, s.sess.Wait(), &exit)
	require.Equal(t, 1, exit.ExitStatus())
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 keepalives", 1: "1 keepalive", 2: "2 keepalives", 11: "11 keepalives"} {
		require.Equal(t, want, plural(n, "keepalive", "keepalives"))
	}
}

// The line a dashboard leaves (the operator's shift) is written under it when it quits,
// cleaned of control sequences.
func TestFarewellLineUnderTheClosedDashboard(t *testing.T) {
	key := newKey(t)
	called := make(chan struct{}, 1)
	h := start(t, authorizedLine(key, ""), func(c *Config) {
		inner := c.Dashboard
		c.Dashboard = func(ctx context.Context, cl *Client) (tea.Model, io.Closer, error) {
			cl.Farewell = func() string {
				called <- struct{}{}
				return "okdash: shift 1h05m \x1b[31m— ready 1h05m\a"
			}
			return inner(ctx, cl)
		}
	})
	s := h.open(key, 80, 24, nil)
	s.waitText("fake#1")
	_, err := s.in.Write([]byte("q"))
	require.NoError(t, err)
	s.waitText("okdash: shift 1h05m — ready 1h05m\r\n")
	require.NoError(t, s.sess.Wait())
	require.Len(t, called, 1, "called once")
	require.NotContains(t, s.text()[strings.Index(s.text(), "okdash: shift"):], "\x1b[31m")
}
