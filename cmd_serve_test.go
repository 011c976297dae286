package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/ws/wssim"
	"github.com/okdash/okdash/sshserve"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestCheckServeFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		svf  serveFlags
		sf   sourceFlags
		err  string
	}{
		{"keys", serveFlags{AuthorizedKeys: "k"}, sourceFlags{Source: "demo"}, ""},
		{"open demo", serveFlags{DemoOpen: true}, sourceFlags{Source: "demo"}, ""},
		{"nothing", serveFlags{}, sourceFlags{Source: "demo"}, "give --authorized-keys FILE"},
		{"open and keys", serveFlags{DemoOpen: true, AuthorizedKeys: "k"}, sourceFlags{}, "does not go with --authorized-keys"},
		{"open real source", serveFlags{DemoOpen: true}, sourceFlags{Source: "bridge:tcp://h:1"}, "serves only the demo"},
		{"stdin", serveFlags{AuthorizedKeys: "k"}, sourceFlags{Source: "-"}, "standard input"},
		{"record", serveFlags{AuthorizedKeys: "k"}, sourceFlags{Source: "demo", Record: "x"}, "--record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkServeFlags(tc.svf, tc.sf)
			if tc.err == "" {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, tc.err)
			}
		})
	}
}

func TestServeUsageErrors(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, 2, run([]string{"serve"}, stdio{in: strings.NewReader(""), out: &out, err: &errb}))
	require.Contains(t, errb.String(), "give --authorized-keys FILE")
	errb.Reset()
	require.Equal(t, 2, run([]string{"serve", "--demo-open", "--source", "file:x"}, stdio{in: strings.NewReader(""), out: &out, err: &errb}))
	require.Contains(t, errb.String(), "serves only the demo")
}

func TestApplyKeyOptions(t *testing.T) {
	sf := sourceFlags{Source: "demo", Speed: 1}
	uf := uiFlags{}
	s, u, err := applyKeyOptions(sf, uf, map[string]string{
		"source": "ws://10.0.0.5:4066", "login": "ivanov", "password-file": "/etc/okdash/ivanov",
		"speed": "2", "lang": "ru", "icons": "ascii", "theme": "light", "no-color": "true", "bell": "1",
	})
	require.NoError(t, err)
	require.Equal(t, sourceFlags{Source: "ws://10.0.0.5:4066", Login: "ivanov", PasswordFile: "/etc/okdash/ivanov", Speed: 2}, s)
	require.Equal(t, uiFlags{Lang: "ru", Icons: "ascii", Theme: "light", NoColor: true, Bell: true}, u)
	require.Equal(t, "demo", sf.Source, "the server's defaults are untouched")
	for _, bad := range []map[string]string{{"speed": "fast"}, {"speed": "-1"}, {"no-color": "perhaps"}, {"bell": "loud"}, {"source": "-"}} {
		_, _, err := applyKeyOptions(sf, uf, bad)
		require.Error(t, err, "%v", bad)
	}
}

// nullSession is an Oktell session with nothing to say.
type nullSession struct {
	kind    string
	updates chan oktell.Update
	once    sync.Once
}

func newNullSession(kind string) *nullSession {
	return &nullSession{kind: kind, updates: make(chan oktell.Update)}
}

func (s *nullSession) Updates() <-chan oktell.Update { return s.updates }
func (s *nullSession) Capabilities() oktell.Capabilities {
	return oktell.Capabilities{Kind: s.kind}
}
func (s *nullSession) SetUserState(context.Context, oktell.UserState, bool) error {
	return oktell.ErrUnsupported
}
func (s *nullSession) SendMessage(context.Context, string, string) error {
	return oktell.ErrUnsupported
}
func (s *nullSession) Close() error {
	s.once.Do(func() { close(s.updates) })
	return nil
}

// sourceModel shows which source its session came from.
type sourceModel struct{ source, lang string }

func (m sourceModel) Init() tea.Cmd { return nil }
func (m sourceModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "q" {
		return m, tea.Quit
	}
	return m, nil
}
func (m sourceModel) View() string { return "source=" + m.source + " lang=" + m.lang }

func writeClientKey(t *testing.T, dir, name string) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	signer, err := gossh.NewSignerFromKey(priv)
	require.NoError(t, err)
	block, err := gossh.MarshalPrivateKey(priv, name)
	require.NoError(t, err)
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(block), 0o600))
	return signer, path
}

func pubLine(s gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

// startServe runs newServe on 127.0.0.1:0 and returns its address.
func startServe(t *testing.T, svf serveFlags, sf sourceFlags, open openFunc, build modelFunc) (string, *lockedBuffer, *serveServer) {
	t.Helper()
	logs := &lockedBuffer{}
	uf := defaultOptions().UI // with the defaults of its flags
	srv, err := newServe(svf, sf, uf, oktell.RealClock{}, slog.New(slog.NewTextHandler(logs, nil)), open, build)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, <-served)
	})
	return l.Addr().String(), logs, srv
}

func TestServeMappingChoosesSource(t *testing.T) {
	dir := t.TempDir()
	bridgeKey, _ := writeClientKey(t, dir, "bridge_key")
	demoKey, _ := writeClientKey(t, dir, "demo_key")
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte(
		`okdash-source="bridge:tcp://10.1.2.3:7766",okdash-lang=ru `+pubLine(bridgeKey)+" petrova@room\n"+
			pubLine(demoKey)+" trainee@room\n"), 0o600))

	var mu sync.Mutex
	var opened []sourceFlags
	open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
		mu.Lock()
		opened = append(opened, sf)
		mu.Unlock()
		return newNullSession(sf.Source), nil
	}
	build := func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
		return sourceModel{source: sess.Capabilities().Kind, lang: uf.Lang}, nil
	}
	addr, logs, _ := startServe(t, serveFlags{AuthorizedKeys: keys, HostKey: filepath.Join(dir, "host")}, sourceFlags{Source: "demo", Speed: 1}, open, build)

	require.Contains(t, runClient(t, addr, bridgeKey), "source=bridge:tcp://10.1.2.3:7766 lang=ru")
	require.Contains(t, runClient(t, addr, demoKey), "source=demo lang=")
	mu.Lock()
	require.Len(t, opened, 2)
	require.Equal(t, "bridge:tcp://10.1.2.3:7766", opened[0].Source)
	require.Equal(t, "demo", opened[1].Source)
	mu.Unlock()
	require.Eventually(t, func() bool { return strings.Count(logs.String(), "session end") == 2 }, 10*time.Second, 10*time.Millisecond)
	require.Contains(t, logs.String(), `source=bridge:tcp://10.1.2.3:7766`)
	require.Contains(t, logs.String(), `key_comment=petrova@room`)
}

// runClient opens a dashboard session with key, waits for its first frame, quits it
// with q and returns what it showed.
func runClient(t *testing.T, addr string, key gossh.Signer) string {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "op", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	require.NoError(t, err)
	defer c.Close()
	sess, err := c.NewSession()
	require.NoError(t, err)
	out, err := sess.StdoutPipe()
	require.NoError(t, err)
	in, err := sess.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}))
	require.NoError(t, sess.Shell())
	var got bytes.Buffer
	buf := make([]byte, 4096)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(got.String(), "source=") || !strings.Contains(got.String(), "lang=") {
		require.True(t, time.Now().Before(deadline), "no dashboard; got %q", got.String())
		n, err := out.Read(buf)
		got.Write(buf[:n])
		require.NoError(t, err)
	}
	_, err = in.Write([]byte("q"))
	require.NoError(t, err)
	io.Copy(&got, out) //nolint:errcheck
	require.NoError(t, sess.Wait())
	return got.String()
}

// needTool finds an external tool: skip without it, but fail on CI, which has it.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed, and CI=true needs it", name)
		}
		t.Skipf("%s is not installed (set CI=true to make this a failure)", name)
	}
	return path
}

// TestServeWithOpenSSHInTmux connects the real OpenSSH client, in a real 80x24
// terminal (tmux), to the real dashboard on the demo, and quits it with q.
func TestServeWithOpenSSHInTmux(t *testing.T) {
	tmux := needTool(t, "tmux")
	ssh := needTool(t, "ssh")
	dir := t.TempDir()
	key, keyPath := writeClientKey(t, dir, "id_ed25519")
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte(pubLine(key)+" trainee@tmux\n"), 0o600))
	addr, logs, srv := startServe(t, serveFlags{AuthorizedKeys: keys, HostKey: filepath.Join(dir, "host"), ShutdownAfter: time.Second},
		sourceFlags{Source: "demo", Speed: 1, Timeout: 20 * time.Second}, openSession, newModel)
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)

	sock := filepath.Join(dir, "tmux.sock")
	tm := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		require.NoError(t, err, "tmux %v: %s", args, out)
		return string(out)
	}
	sshCmd := fmt.Sprintf("%s -F /dev/null -p %s -i %s -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o SetEnv=LANG=en_US.UTF-8 trainee@127.0.0.1; sleep 30",
		ssh, port, keyPath)
	tm("new-session", "-d", "-x", "80", "-y", "24", "-s", "okdash", sshCmd)
	t.Cleanup(func() { exec.Command(tmux, "-S", sock, "kill-server").Run() }) //nolint:errcheck

	screen := func() string { return tm("capture-pane", "-p", "-t", "okdash") }
	waitScreen := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			s := screen()
			if strings.Contains(s, want) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %q in the terminal after 20s; screen:\n%s\nserver log:\n%s", want, s, logs.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	first := waitScreen("q quit")
	require.Equal(t, 80, ruleWidth(first, "Messages"), "screen:\n%s", first)
	require.Eventually(t, func() bool { return srv.Sessions() == 1 }, 10*time.Second, 50*time.Millisecond, "screen:\n%s\nlog:\n%s", screen(), logs.String())
	require.Contains(t, logs.String(), "term=")
	require.Contains(t, logs.String(), "size=80x24")

	// The terminal grows: the dashboard follows.
	tm("resize-window", "-t", "okdash", "-x", "100", "-y", "30")
	deadline := time.Now().Add(20 * time.Second)
	for ruleWidth(screen(), "Messages") != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard did not follow the resize to 100x30; screen:\n%s", screen())
		}
		time.Sleep(100 * time.Millisecond)
	}

	tm("send-keys", "-t", "okdash", "q")
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), `reason="dashboard quit"`) }, 20*time.Second, 50*time.Millisecond,
		"server log:\n%s", logs.String())
	require.Contains(t, logs.String(), "key="+gossh.FingerprintSHA256(key.PublicKey()))

	// SIGTERM's path: a second trainee is shown why the dashboard closes, and the
	// terminal is given back with the reason under it.
	tm("new-session", "-d", "-x", "80", "-y", "24", "-s", "second", sshCmd)
	second := func() string { return tm("capture-pane", "-p", "-t", "second") }
	require.Eventually(t, func() bool { return strings.Contains(second(), "q quit") }, 20*time.Second, 100*time.Millisecond, "screen:\n%s", second())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, srv.Shutdown(ctx))
	require.Eventually(t, func() bool {
		return strings.Contains(second(), "okdash: session closed: server shutting down")
	}, 20*time.Second, 100*time.Millisecond, "screen:\n%s", second())
	require.Contains(t, logs.String(), `reason="server shutting down"`)
}

// ruleWidth is the width in cells of the screen line that holds title: the
// dashboard draws its pane rules across the whole terminal.
func ruleWidth(screen, title string) int {
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, title) {
			return utf8.RuneCountInString(strings.TrimRight(line, " "))
		}
	}
	return 0
}

// The "whose Oktell session a key opens": two operators' keys, mapped to their
// own logins on one (simulated) Oktell server, each see and change only their own state.
func TestServeKeyOpensItsOwnOktellSession(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("OKDASH_PASSWORD", "")
	os.Unsetenv("OKDASH_PASSWORD")
	oktellSrv := wssim.New([]wssim.User{
		{Login: "ivanova", Password: "pw-ivanova", Name: "Ivanova Maria", Line: "305"},
		{Login: "petrov", Password: "pw-petrov", Name: "Petrov Ivan", Line: "306"},
	})
	ts := httptest.NewServer(oktellSrv)
	defer ts.Close()
	defer oktellSrv.Drop("")
	src := "ws://" + ts.Listener.Addr().String()

	var lines strings.Builder
	keys := map[string]gossh.Signer{}
	for _, login := range []string{"ivanova", "petrov"} {
		k, _ := writeClientKey(t, dir, login+"_key")
		keys[login] = k
		pw := filepath.Join(dir, login+".pass")
		require.NoError(t, os.WriteFile(pw, []byte("pw-"+login+"\n"), 0o600))
		fmt.Fprintf(&lines, "okdash-source=%q,okdash-login=%s,okdash-password-file=%q,okdash-lang=en %s %s@desk\n", src, login, pw, pubLine(k), login)
	}
	authorized := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(authorized, []byte(lines.String()), 0o600))
	addr, logs, _ := startServe(t, serveFlags{AuthorizedKeys: authorized, HostKey: filepath.Join(dir, "host")},
		sourceFlags{Source: "demo", Speed: 1, Timeout: 10 * time.Second}, openSession, newModel)

	ivanova := dialScreen(t, addr, keys["ivanova"])
	petrov := dialScreen(t, addr, keys["petrov"])
	ivanova.wait("Ivanova Maria")
	petrov.wait("Petrov Ivan")
	require.NotContains(t, petrov.text(), "Ivanova")

	before, _ := oktellSrv.State("petrov")
	_, err := ivanova.in.Write([]byte("1")) // ready
	require.NoError(t, err)
	require.Eventually(t, func() bool { st, _ := oktellSrv.State("ivanova"); return st == oktell.UserReady }, 10*time.Second, 10*time.Millisecond)
	after, _ := oktellSrv.State("petrov")
	require.Equal(t, before, after, "petrov's state is his own")
	_, err = ivanova.in.Write([]byte("q"))
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return strings.Contains(logs.String(), "key_comment=ivanova@desk source="+src) && oktellSrv.Conns("ivanova") == 0
	}, 10*time.Second, 10*time.Millisecond, "log:\n%s", logs.String())
	require.Equal(t, 1, oktellSrv.Conns("petrov"), "petrov's dashboard stays")
}

// clientScreen is an x/crypto client's view of one dashboard session.
type clientScreen struct {
	t   *testing.T
	in  io.Writer
	mu  sync.Mutex
	out bytes.Buffer
}

func (s *clientScreen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

func (s *clientScreen) wait(want string) {
	s.t.Helper()
	require.Eventually(s.t, func() bool { return strings.Contains(s.text(), want) }, 20*time.Second, 20*time.Millisecond,
		"no %q on the screen", want)
}

func dialScreen(t *testing.T, addr string, key gossh.Signer) *clientScreen {
	t.Helper()
	return dialScreenWith(t, addr, &gossh.ClientConfig{User: "op", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)}}, 30, 100)
}

// dialScreenWith opens a session with a PTY of rows x cols and collects what it shows.
func dialScreenWith(t *testing.T, addr string, cfg *gossh.ClientConfig, rows, cols int) *clientScreen {
	t.Helper()
	cfg.HostKeyCallback, cfg.Timeout = gossh.InsecureIgnoreHostKey(), 10*time.Second
	c, err := gossh.Dial("tcp", addr, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	sess, err := c.NewSession()
	require.NoError(t, err)
	out, err := sess.StdoutPipe()
	require.NoError(t, err)
	s := &clientScreen{t: t}
	s.in, err = sess.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, sess.RequestPty("xterm-256color", rows, cols, gossh.TerminalModes{}))
	require.NoError(t, sess.Shell())
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := out.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

// SIGTERM's whole path through the subcommand: flags, listening, a session, the signal,
// the countdown on the dashboard, the closing line, and exit status 0.
func TestServeMainSignalShutsDownCleanly(t *testing.T) {
	dir := t.TempDir()
	logs := &lockedBuffer{}
	sigs := make(chan os.Signal, 1)
	status := make(chan int, 1)
	go func() {
		status <- serveMain([]string{"--demo-open", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"),
			"--shutdown-after", "2s", "--background-query", "0", "--lang", "en"},
			stdio{in: strings.NewReader(""), out: io.Discard, err: logs}, sigs)
	}()
	var addr string
	require.Eventually(t, func() bool {
		for _, line := range strings.Split(logs.String(), "\n") {
			if _, rest, ok := strings.Cut(line, "msg=listening addr="); ok {
				addr, _, _ = strings.Cut(rest, " ")
				return true
			}
		}
		return false
	}, 10*time.Second, 10*time.Millisecond)
	require.Contains(t, logs.String(), `mode="open: anyone can connect, to the demo only"`)

	s := dialScreenWith(t, addr, &gossh.ClientConfig{User: "trainee",
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })}}, 24, 80)
	s.wait("quit") // the footer: its keys and words are styled apart

	sigs <- syscall.SIGTERM
	s.wait("server shutting down")
	s.wait("okdash: session closed: server shutting down\r\n")
	select {
	case st := <-status:
		require.Equal(t, 0, st, "log:\n%s", logs.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not exit after SIGTERM; log:\n%s", logs.String())
	}
	log := logs.String()
	require.Contains(t, log, `msg="shutting down" signal=terminated sessions=1`)
	require.Contains(t, log, `reason="server shutting down"`)
	require.Contains(t, log, "msg=stopped")
}

// The line written under a dashboard that the server closed speaks the session's
// language: the client's LANG, unless --lang (or a key's okdash-lang) says otherwise.
func TestServeClosingLineInTheSessionsLanguage(t *testing.T) {
	open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
		return newNullSession(sf.Source), nil
	}
	build := func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
		return sourceModel{source: sess.Capabilities().Kind, lang: uf.Lang}, nil
	}
	const line = "okdash: session closed: server shutting down"
	for _, tc := range []struct {
		flagLang string
		environ  []string
		want     string
	}{
		{"", []string{"LANG=ru_RU.UTF-8"}, "okdash: сеанс закрыт: сервер останавливается"},
		{"en", []string{"LANG=ru_RU.UTF-8"}, line},
		{"", []string{"LANG=C.UTF-8"}, line},
	} {
		dash := sessionDashboard(sourceFlags{Source: "demo", Speed: 1}, uiFlags{Lang: tc.flagLang}, true, oktell.RealClock{}, open, build)
		c := &sshserve.Client{Environ: tc.environ, Renderer: lipgloss.NewRenderer(io.Discard)}
		_, closer, err := dash(context.Background(), c)
		require.NoError(t, err)
		if closer != nil {
			closer.Close()
		}
		require.NotNil(t, c.Translate, tc)
		require.Equal(t, tc.want, c.Translate(line), tc)
	}
}
