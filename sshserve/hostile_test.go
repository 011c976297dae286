package sshserve

// Hostile clients, written with x/crypto/ssh's raw channel API so that they can send
// what no well-behaved client sends: huge windows, hundreds of session channels, ten
// thousand env requests, a connection that logs in and opens nothing.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/ui"
)

// The payloads the hostile clients send are the server's own (guard.go): ptyRequestMsg,
// windowChangeMsg and envRequestMsg. The well-behaved clients of server_test.go send
// x/crypto's, so the wire format is checked against another writer there.

// rawChannel is one session channel of a hostile client and what the server sent on
// it (standard output and error together).
type rawChannel struct {
	t      *testing.T
	ch     gossh.Channel
	conn   *gossh.Client // set by dialRaw
	status chan int      // the exit status, when it comes
	screen
}

// openRaw opens a session channel on c and collects its output; it sends nothing.
func openRaw(t *testing.T, c *gossh.Client) (*rawChannel, error) {
	t.Helper()
	ch, reqs, err := c.OpenChannel("session", nil)
	if err != nil {
		return nil, err
	}
	r := &rawChannel{t: t, ch: ch, status: make(chan int, 1), screen: screen{t: t, more: make(chan struct{}, 1)}}
	go func() {
		for req := range reqs {
			var st struct{ Status uint32 }
			if req.Type == "exit-status" && gossh.Unmarshal(req.Payload, &st) == nil {
				r.status <- int(st.Status)
			}
			if req.WantReply {
				req.Reply(false, nil) //nolint:errcheck
			}
		}
	}()
	go r.pump(ch)
	go r.pump(ch.Stderr())
	return r, nil
}

// dialRaw logs in with key and opens one session channel on the new connection; the
// connection is closed when the test ends.
func (h *harness) dialRaw(key gossh.Signer) *rawChannel {
	h.t.Helper()
	c, err := h.dial(key)
	require.NoError(h.t, err)
	h.t.Cleanup(func() { c.Close() })
	r, err := openRaw(h.t, c)
	require.NoError(h.t, err)
	r.conn = c
	return r
}

// startShell asks for a PTY of cols x rows with term, then the shell; both must be granted.
func (r *rawChannel) startShell(term string, cols, rows uint32) {
	r.t.Helper()
	require.True(r.t, r.pty(term, cols, rows), "pty-req")
	require.True(r.t, r.shell(), "shell")
}

// exitStatus waits for the exit status the server sends.
func (r *rawChannel) exitStatus() int {
	r.t.Helper()
	select {
	case st := <-r.status:
		return st
	case <-time.After(waitFor):
		r.t.Fatalf("no exit status after %s; output %q", waitFor, r.text())
		return -1
	}
}

func (r *rawChannel) request(name string, payload any) bool {
	r.t.Helper()
	ok, err := r.ch.SendRequest(name, true, gossh.Marshal(payload))
	require.NoError(r.t, err, "%s", name)
	return ok
}

func (r *rawChannel) pty(term string, cols, rows uint32) bool {
	return r.request("pty-req", ptyRequestMsg{Term: term, Columns: cols, Rows: rows, Modes: "\x00"})
}

func (r *rawChannel) shell() bool {
	r.t.Helper()
	ok, err := r.ch.SendRequest("shell", true, nil)
	require.NoError(r.t, err)
	return ok
}

// ptyMasters counts the PTY masters this process holds: the PTYs the server took from
// the host (the test's clients hold none).
func ptyMasters(t *testing.T) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("counts PTYs from /proc/self/fd")
	}
	fds, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && target == "/dev/ptmx" {
			n++
		}
	}
	return n
}

// A window of 4294967295x4294967295 (in the PTY request or a window change) once took
// the server down with "out of memory": the size a client gets is clamped, and logged.
func TestHugeWindowIsClamped(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), nil)
	r := h.dialRaw(key)
	r.startShell("xterm", 4294967295, 4294967295)
	r.waitText(fmt.Sprintf("size=%dx%d", MaxWidth, MaxHeight))
	cl := <-h.clients
	require.Equal(t, MaxWidth, cl.Width)
	require.Equal(t, MaxHeight, cl.Height)

	r.request("window-change", windowChangeMsg{Columns: 120, Rows: 4294967295})
	r.waitText(fmt.Sprintf("size=120x%d", MaxHeight))
	r.request("window-change", windowChangeMsg{Columns: 10000, Rows: 10000})
	r.request("window-change", windowChangeMsg{Columns: 100, Rows: 30})
	r.waitText("size=100x30")
	require.NotContains(t, r.text(), "size=10000")
	log := h.logs.String()
	require.Contains(t, log, "msg=\"window clamped\"")
	require.Contains(t, log, "asked=4294967295x4294967295")
	require.Contains(t, log, fmt.Sprintf("size=%dx%d", MaxWidth, MaxHeight))
}

func TestClampWindowTable(t *testing.T) {
	for _, tc := range []struct{ w, h, ww, wh int }{
		{80, 24, 80, 24},
		{MaxWidth, MaxHeight, MaxWidth, MaxHeight},
		{MaxWidth + 1, 24, MaxWidth, 24},
		{80, 4294967295, 80, MaxHeight},
		{4294967295, 4294967295, MaxWidth, MaxHeight},
		{0, 0, 0, 0}, // "unknown", as RFC 4254 allows: left to the PTY's default
	} {
		w, h := clampWindow(tc.w, tc.h)
		require.Equal(t, [2]int{tc.ww, tc.wh}, [2]int{w, h}, "%dx%d", tc.w, tc.h)
	}
}

// One connection opening 300 session channels with a PTY request and no shell once
// took 300 of the host's PTYs.
func TestOneSessionChannelPerConnection(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), nil)
	before := ptyMasters(t)
	c, err := h.dial(key)
	require.NoError(t, err)
	defer c.Close()
	var open []*rawChannel
	refused := 0
	for range 300 {
		r, err := openRaw(t, c)
		if err != nil {
			var oc *gossh.OpenChannelError
			require.ErrorAs(t, err, &oc)
			require.Equal(t, gossh.Prohibited, oc.Reason)
			require.Contains(t, oc.Message, "one session per connection")
			refused++
			continue
		}
		open = append(open, r)
		r.pty("xterm", 80, 24)
	}
	require.Equal(t, 1, len(open), "one session channel per connection")
	require.Equal(t, 299, refused)
	require.LessOrEqual(t, ptyMasters(t)-before, 1, "PTYs taken by one connection")
	// The one channel is a working session.
	require.True(t, open[0].shell())
	open[0].waitText("size=80x24")
}

// --max-sessions counts before a PTY is made: PTY requests beyond it are refused, and
// the shell that follows is told the server is full.
func TestMaxSessionsCountsBeforePTY(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), func(c *Config) { c.MaxSessions = 2 })
	before := ptyMasters(t)
	var chans []*rawChannel
	granted := 0
	for range 5 {
		r := h.dialRaw(key)
		if r.pty("xterm", 80, 24) {
			granted++
		}
		chans = append(chans, r)
	}
	require.Equal(t, 2, granted)
	require.LessOrEqual(t, ptyMasters(t)-before, 2, "PTYs taken by five connections under --max-sessions 2")
	last := chans[4]
	last.shell()
	last.waitText("okdash: the server is full (2 dashboards open); try again later")
	require.Eventually(t, func() bool { return strings.Contains(h.logs.String(), `reason="refused: the server is full`) }, waitFor, 10*time.Millisecond)
}

// A full server, and a stopping one, refuse a Russian client in Russian: the refusal is
// told before any dashboard is built, but in the language the client asked for (its
// LANG here; cmd_serve's SayRefusal reads the key's okdash-lang too). The log keeps
// the English.
func TestRefusalSpeaksTheClientsLanguage(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), func(c *Config) {
		c.MaxSessions = 1
		c.SayRefusal = func(c *Client, r oktell.Reason) string {
			lang, err := ui.ResolveLang(c.Options["lang"], c.Getenv)
			require.NoError(t, err)
			return ui.Say(lang, r)
		}
	})
	first := h.dialRaw(key)
	first.startShell("xterm", 80, 24)
	russian := func(r *rawChannel) *rawChannel {
		_, err := r.ch.SendRequest("env", false, gossh.Marshal(envRequestMsg{Name: "LANG", Value: "ru_RU.UTF-8"}))
		require.NoError(t, err)
		require.False(t, r.pty("xterm", 80, 24), "pty-req beyond --max-sessions")
		r.shell()
		return r
	}
	russian(h.dialRaw(key)).waitText("okdash: сервер занят (открыто: 1 панель); попробуйте позже\n")
	english := h.dialRaw(key)
	require.False(t, english.pty("xterm", 80, 24))
	english.shell()
	english.waitText("okdash: the server is full (1 dashboard open); try again later\n")
	require.Eventually(t, func() bool {
		return strings.Count(h.logs.String(), `reason="refused: the server is full (1 dashboard open); try again later"`) == 2
	}, waitFor, 10*time.Millisecond)

	late := h.dialRaw(key) // logged in before the shutdown, asks for its PTY after
	h.srv.mu.Lock()
	h.srv.closing = true // as Shutdown does first
	h.srv.mu.Unlock()
	russian(late).waitText("okdash: сервер останавливается\n")
}

// 10,000 env requests of 30 KB each were all kept (25 MB to 464 MB). Only the variables
// okdash reads are kept, each bounded, and so is their number.
func TestEnvRequestsBounded(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), nil)
	r := h.dialRaw(key)
	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	big := strings.Repeat("x", 30*1024)
	names := []string{"LANG", "LC_ALL", "LC_MESSAGES", "EVIL", "LD_PRELOAD", "LC_X", "TERM", "COLORTERM", "NO_COLOR"}
	for i := range 10000 {
		v := big
		if i%2 == 0 {
			v = fmt.Sprintf("ru_RU.UTF-%d", i)
		}
		_, err := r.ch.SendRequest("env", false, gossh.Marshal(envRequestMsg{Name: names[i%len(names)], Value: v}))
		require.NoError(t, err)
	}
	// Requests are answered in order: the PTY's answer comes after the whole flood.
	r.startShell("xterm-256color", 80, 24)
	r.waitText("size=80x24")
	cl := <-h.clients
	runtime.GC()
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)
	require.LessOrEqual(t, len(cl.Environ), maxEnv+1, "variables kept (TERM from the PTY request added)")
	total := 0
	for _, kv := range cl.Environ {
		name, value, _ := strings.Cut(kv, "=")
		require.True(t, envAllowed(name), "%s kept", name)
		require.LessOrEqual(t, len(value), maxEnvValue, "%s's value", name)
		total += len(kv)
	}
	require.Less(t, total, 4096)
	const budget = 4 << 20
	require.Less(t, int64(m1.HeapInuse)-int64(m0.HeapInuse), int64(budget), "heap kept for one session's environment")
	require.Contains(t, h.logs.String(), "env_refused=")
}

func TestEnvAllowedTable(t *testing.T) {
	for name, want := range map[string]bool{
		"TERM": true, "COLORTERM": true, "NO_COLOR": true, "LANG": true, "LC_ALL": true, "LC_MESSAGES": true, "LC_CTYPE": true,
		"PATH": false, "LD_PRELOAD": false, "LC_": false, "LC_X": false, "lang": false, "": false,
	} {
		require.Equal(t, want, envAllowed(name), name)
	}
}

// An authenticated connection that opened no channel was kept forever (500 held past
// the login deadline, keepalives and --max-sessions): it must start its dashboard
// within the login grace, or it is closed.
func TestConnectionThatOpensNothingIsClosed(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), func(c *Config) { c.LoginGrace = 300 * time.Millisecond })
	idle, err := h.dial(key)
	require.NoError(t, err)
	defer idle.Close()
	// A channel with a PTY and no shell holds a PTY: closed the same way.
	half := h.dialRaw(key)
	require.True(t, half.pty("xterm", 80, 24))

	for _, c := range []*gossh.Client{idle, half.conn} {
		done := make(chan error, 1)
		go func() { done <- c.Wait() }()
		select {
		case <-done:
		case <-time.After(waitFor):
			t.Fatalf("a connection with no dashboard is still open after %s; log:\n%s", waitFor, h.logs.String())
		}
	}
	require.Eventually(t, func() bool {
		return strings.Count(h.logs.String(), `reason="no session started within 300ms"`) == 2
	}, waitFor, 10*time.Millisecond, "log:\n%s", h.logs.String())
	require.Eventually(t, func() bool { return h.srv.Sessions() == 0 }, waitFor, 10*time.Millisecond, "the PTY's slot is given back")
}

// A same-length edit with the time kept (cp -p) was missed, so a removed key still got in.
func TestKeyFileReloadComparesContent(t *testing.T) {
	removed, added := newKey(t), newKey(t)
	h := start(t, authorizedLine(removed, ""), nil)
	c, err := h.dial(removed)
	require.NoError(t, err)
	c.Close()
	st, err := os.Stat(h.keyFile)
	require.NoError(t, err)
	next := authorizedLine(added, "")
	require.Len(t, next, int(st.Size()), "same length")
	require.NoError(t, os.WriteFile(h.keyFile, []byte(next), 0o600))
	require.NoError(t, os.Chtimes(h.keyFile, st.ModTime(), st.ModTime()))

	_, err = h.dial(removed)
	require.Error(t, err, "a removed key is refused")
	c, err = h.dial(added)
	require.NoError(t, err, "an added key gets in")
	c.Close()
}

// An existing host key readable by others was used silently; sshd refuses such a key.
func TestHostKeyReadableByOthersRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "host")
	_, _, err := LoadHostKey(path)
	require.NoError(t, err)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		require.NoError(t, os.Chmod(path, mode))
		_, _, err = LoadHostKey(path)
		require.ErrorContains(t, err, fmt.Sprintf("host key %s: permissions %04o are too open", path, mode))
		require.ErrorContains(t, err, "chmod 600 "+path)
	}
	require.NoError(t, os.Chmod(path, 0o400))
	_, _, err = LoadHostKey(path)
	require.NoError(t, err)
}

// A second SIGTERM (Shutdown's context ending) used to leave clients in the alternate
// screen with the cursor hidden, and to log no "session end".
func TestShutdownCutShortRestoresTerminalsAndLogsEveryEnd(t *testing.T) {
	a, b := newKey(t), newKey(t)
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	var h *harness
	h = start(t, authorizedLine(a, "")+authorizedLine(b, ""), func(c *Config) {
		c.Clock = clock // the countdown never ends by itself
		c.ShutdownAfter = 5 * time.Second
		c.Dashboard = func(ctx context.Context, cl *Client) (tea.Model, io.Closer, error) {
			// Ignores the shutdown message: still running, in the alternate screen with
			// the cursor hidden, when the server stops.
			return &fakeModel{id: h.models.Add(1), client: cl, events: h.events}, nil, nil
		}
	})
	sa := h.open(a, 80, 24, nil)
	sa.waitText("fake#1")
	sb := h.open(b, 80, 24, nil)
	sb.waitText("fake#2")
	for _, s := range []*screen{sa, sb} {
		require.Contains(t, s.text(), "\x1b[?1049h", "the program is in the alternate screen")
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.srv.Shutdown(ctx) }()
	sa.waitText("closing: server shutting down in 5s")
	sb.waitText("closing: server shutting down in 5s")
	cancel() // the second signal
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(waitFor):
		t.Fatal("Shutdown did not return when its context ended")
	}
	// Every end is logged by the time Shutdown returns: the process exits next.
	log := h.logs.String()
	require.Equal(t, 2, strings.Count(log, "msg=\"session end\""), "log:\n%s", log)
	require.Equal(t, 2, strings.Count(log, `reason="server shutting down"`), "log:\n%s", log)
	for _, s := range []*screen{sa, sb} {
		s.sess.Wait() //nolint:errcheck
		out := s.text()
		tail := out[strings.LastIndex(out, "closing: server shutting down"):]
		require.Contains(t, tail, "\x1b[?1049l", "the client leaves the alternate screen")
		require.Contains(t, tail, "\x1b[?25h", "the client's cursor is shown")
		require.Contains(t, tail, "okdash: session closed: server shutting down\r\n")
	}
}

// sftp and scp asked for a subsystem, got "subsystem request failed", exit 255 and no
// log line.
func TestSubsystemRefusedLikeACommand(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), nil)
	r := h.dialRaw(key)
	require.True(t, r.request("subsystem", struct{ Name string }{"sftp"}), "the request is taken, to be answered with a reason")
	require.Equal(t, 1, r.exitStatus())
	r.waitText("okdash: this server shows the okdash dashboard and runs no commands; connect with plain ssh, no command\n")
	require.Eventually(t, func() bool { return strings.Contains(h.logs.String(), `reason="command refused"`) }, waitFor, 10*time.Millisecond)
	require.Contains(t, h.logs.String(), "subsystem=sftp")
	require.Zero(t, h.models.Load())
}

// Text from the client (user name, TERM) and from the keys file (a comment) is cleaned
// before it reaches the log or a screen: a bidi override could reorder what is read.
func TestBidiOverridesNeverReachLogOrScreen(t *testing.T) {
	key := newKey(t)
	const rlo = "\u202e"
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key.PublicKey()))) + " eve" + rlo + "gnp.exe@room\n"
	var mu sync.Mutex
	var got *Client
	h := start(t, line, func(c *Config) {
		c.Dashboard = func(_ context.Context, cl *Client) (tea.Model, io.Closer, error) {
			mu.Lock()
			got = cl
			mu.Unlock()
			return nil, nil, errors.New("bridge said: " + rlo + "txet")
		}
	})
	c, err := gossh.Dial("tcp", h.addr, &gossh.ClientConfig{User: "tr" + rlo + "ainee", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: waitFor})
	require.NoError(t, err)
	defer c.Close()
	r, err := openRaw(t, c)
	require.NoError(t, err)
	r.startShell("xterm"+rlo, 80, 24)
	r.waitText("okdash: cannot open the dashboard: bridge said: txet\r\n")
	require.Eventually(t, func() bool { return strings.Contains(h.logs.String(), "session end") }, waitFor, 10*time.Millisecond)
	log := h.logs.String()
	for _, bad := range []string{rlo, `\u202e`} {
		require.NotContains(t, log, bad, "log:\n%s", log)
		require.NotContains(t, r.text(), bad)
	}
	require.Contains(t, log, "user=trainee")
	require.Contains(t, log, "key_comment=evegnp.exe@room")
	require.Contains(t, log, "term=xterm ")
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, "trainee", got.User)
	require.Equal(t, "xterm", got.Term)
	require.Equal(t, "evegnp.exe@room", got.KeyComment)
}

// Each window change is a whole new frame: a flood of them reaches the program at most
// once every resizeEvery, and the last size wins.
func TestWindowChangeFloodCoalesced(t *testing.T) {
	key := newKey(t)
	h := start(t, authorizedLine(key, ""), nil)
	r := h.dialRaw(key)
	r.startShell("xterm", 80, 24)
	r.waitText("size=80x24")
	began := time.Now()
	for i := range 2000 {
		_, err := r.ch.SendRequest("window-change", false, gossh.Marshal(windowChangeMsg{Columns: uint32(100 + i%2), Rows: 30}))
		require.NoError(t, err)
	}
	r.request("window-change", windowChangeMsg{Columns: 120, Rows: 40})
	r.waitText("size=120x40")
	elapsed := time.Since(began)
	sizes := 0
	for len(h.events) > 0 {
		if _, ok := (<-h.events).(tea.WindowSizeMsg); ok {
			sizes++
		}
	}
	bound := 2 + int(elapsed/resizeEvery) + 1 // the first size, one per period, the last
	require.LessOrEqual(t, sizes, bound, "window sizes the program was told in %s", elapsed)
}

// What a client sends in its PTY requests and window changes is read by the guard
// first: whatever the bytes, no panic, and what passes on is within the bounds.
func FuzzGuardPayloads(f *testing.F) {
	f.Add(gossh.Marshal(ptyRequestMsg{Term: "xterm-256color", Columns: 80, Rows: 24, Modes: "\x00"}), gossh.Marshal(windowChangeMsg{Columns: 120, Rows: 40}))
	f.Add(gossh.Marshal(ptyRequestMsg{Term: "xterm\u202e\x1b[31m", Columns: 4294967295, Rows: 4294967295}), gossh.Marshal(windowChangeMsg{Columns: 4294967295, Rows: 0}))
	f.Add([]byte{0, 0, 0, 5, 'x'}, []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, pty, win []byte) {
		if out, _, got, ok := guardPtyRequest(pty); ok {
			var p ptyRequestMsg
			require.NoError(t, gossh.Unmarshal(out, &p))
			require.Equal(t, got, window{p.Columns, p.Rows})
			require.LessOrEqual(t, p.Columns, uint32(MaxWidth))
			require.LessOrEqual(t, p.Rows, uint32(MaxHeight))
			require.Equal(t, cleanTerm(p.Term), p.Term)
			require.LessOrEqual(t, len(p.Term), maxTerm)
		}
		if out, _, got, ok := guardWindowChange(win); ok {
			var w windowChangeMsg
			require.NoError(t, gossh.Unmarshal(out, &w))
			require.Equal(t, got, window{w.Columns, w.Rows})
			require.LessOrEqual(t, w.Columns, uint32(MaxWidth))
			require.LessOrEqual(t, w.Rows, uint32(MaxHeight))
		}
		cs := newConnState(nil)
		if cs.setenv(pty) {
			env, _ := cs.environ()
			require.Len(t, env, 1)
			name, value, _ := strings.Cut(env[0], "=")
			require.True(t, envAllowed(name))
			require.LessOrEqual(t, len(value), maxEnvValue)
		}
	})
}
