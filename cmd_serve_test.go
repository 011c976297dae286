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
	"regexp"
	"runtime"
	"strconv"
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

	"github.com/okdash/okdash/internal/syncbuf"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer = syncbuf.Buffer

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
	kind    oktell.SourceKind
	updates chan oktell.Update
	once    sync.Once
}

func newNullSession(kind oktell.SourceKind) *nullSession {
	return &nullSession{kind: kind, updates: make(chan oktell.Update)}
}

// nullSessionFor is a null session whose kind is the --source value it was opened for,
// so that sourceModel shows it through whatever wraps the session (only its
// capabilities pass through).
func nullSessionFor(src string) *nullSession { return newNullSession(oktell.SourceKind(src)) }

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

// oneKeyFile writes a client key and an authorized_keys file that lets it in with
// comment.
func oneKeyFile(t *testing.T, dir, comment string) (key gossh.Signer, keyPath, keysPath string) {
	t.Helper()
	key, keyPath = writeClientKey(t, dir, "id_ed25519")
	keysPath = filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keysPath, []byte(pubLine(key)+" "+comment+"\n"), 0o600))
	return key, keyPath, keysPath
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
		// The sessions' own goroutines (an Oktell session writing its state file) end
		// before the test's directories go.
		require.Eventually(t, func() bool { return srv.Sessions() == 0 }, 10*time.Second, 10*time.Millisecond)
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
		return nullSessionFor(sf.Source), nil
	}
	build := func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
		return sourceModel{source: string(sess.Capabilities().Kind), lang: uf.Lang}, nil
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
	s := dialScreenWith(t, addr, &gossh.ClientConfig{User: "op", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)}}, 24, 80)
	require.Eventually(t, func() bool { return strings.Contains(s.text(), "source=") && strings.Contains(s.text(), "lang=") }, 10*time.Second, 10*time.Millisecond,
		"no dashboard; got %q", s.text())
	_, err := s.in.Write([]byte("q"))
	require.NoError(t, err)
	ended := make(chan error, 1)
	go func() { ended <- s.sess.Wait() }()
	select {
	case err := <-ended:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatalf("the session did not end after q; got %q", s.text()) // the connection is closed at the test's end
	}
	return s.text()
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
	key, keyPath, keys := oneKeyFile(t, dir, "trainee@tmux")
	addr, logs, srv := startServe(t, serveFlags{AuthorizedKeys: keys, HostKey: filepath.Join(dir, "host"), ShutdownAfter: time.Second},
		sourceFlags{Source: "demo", Speed: 1, Timeout: 20 * time.Second}, serveOpen, newModel)
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)

	p := newPanes(t, tmux, dir, logs)
	sshCmd := openSSHPane(ssh, port, keyPath, "trainee")
	p.run("new-session", "-d", "-x", "80", "-y", "24", "-s", "okdash", sshCmd)
	screen := func() string { return p.screen("okdash") }
	first := p.waitText("okdash", "q quit")
	require.Equal(t, 80, ruleWidth(first, "Messages"), "screen:\n%s", first)
	require.Eventually(t, func() bool { return srv.Sessions() == 1 }, 10*time.Second, 50*time.Millisecond, "screen:\n%s\nlog:\n%s", screen(), logs.String())
	require.Contains(t, logs.String(), "term=")
	require.Contains(t, logs.String(), "size=80x24")

	// The terminal grows: the dashboard follows.
	p.run("resize-window", "-t", "okdash", "-x", "100", "-y", "30")
	deadline := time.Now().Add(20 * time.Second)
	for ruleWidth(screen(), "Messages") != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard did not follow the resize to 100x30; screen:\n%s", screen())
		}
		time.Sleep(100 * time.Millisecond)
	}

	p.run("send-keys", "-t", "okdash", "q")
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), `reason="dashboard quit"`) }, 20*time.Second, 50*time.Millisecond,
		"server log:\n%s", logs.String())
	require.Contains(t, logs.String(), "key="+gossh.FingerprintSHA256(key.PublicKey()))

	// SIGTERM's path: a second trainee is shown why the dashboard closes, and the
	// terminal is given back with the reason under it.
	p.run("new-session", "-d", "-x", "80", "-y", "24", "-s", "second", sshCmd)
	second := func() string { return p.screen("second") }
	p.waitText("second", "q quit")
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
		sourceFlags{Source: "demo", Speed: 1, Timeout: 10 * time.Second}, serveOpen, newModel)

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
	t    *testing.T
	sess *gossh.Session
	in   io.Writer
	mu   sync.Mutex
	out  bytes.Buffer
}

// openLogin is the login of an --demo-open server: no key, no password.
func openLogin() []gossh.AuthMethod {
	return []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })}
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
	s := &clientScreen{t: t, sess: sess}
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
	r := runServeMain(t, "--demo-open", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"),
		"--shutdown-after", "2s", "--background-query", "0", "--lang", "en")
	addr, logs, sigs, status := r.addr(), r.logs, r.sigs, r.status
	require.Contains(t, logs.String(), `mode="open: anyone can connect, to the demo only"`)

	s := dialScreenWith(t, addr, &gossh.ClientConfig{User: "trainee", Auth: openLogin()}, 24, 80)
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
		return nullSessionFor(sf.Source), nil
	}
	build := func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
		return sourceModel{source: string(sess.Capabilities().Kind), lang: uf.Lang}, nil
	}
	const line = "okdash: session closed: server shutting down"
	closed := oktell.Because(oktell.ReasonSessionClosed, oktell.Because(oktell.ReasonServerStopping))
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
		require.NotNil(t, c.Say, tc)
		require.Equal(t, tc.want, c.Say(closed), tc)
	}
}

// serveRun is okdash serve run by serveMain in the test's process.
type serveRun struct {
	t      *testing.T
	logs   *lockedBuffer
	sigs   chan os.Signal
	status chan int
	done   chan struct{} // closed when serveMain has returned
}

// runServeMain starts serveMain with args; it does not wait for anything.
func runServeMain(t *testing.T, args ...string) *serveRun {
	t.Helper()
	r := &serveRun{t: t, logs: &lockedBuffer{}, sigs: make(chan os.Signal, 2), status: make(chan int, 1), done: make(chan struct{})}
	go func() {
		r.status <- serveMain(args, stdio{in: strings.NewReader(""), out: io.Discard, err: r.logs}, r.sigs)
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
			return
		default:
		}
		r.sigs <- syscall.SIGTERM
		r.sigs <- syscall.SIGTERM
		select {
		case <-r.done:
		case <-time.After(30 * time.Second):
			t.Errorf("serve did not stop after two signals; log:\n%s", r.logs.String())
		}
	})
	return r
}

// exit waits for serveMain's status: it must not be listening, since it must refuse to start.
func (r *serveRun) exit() int {
	r.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case st := <-r.status:
			return st
		case <-deadline:
			r.t.Fatalf("serve did not exit; log:\n%s", r.logs.String())
		case <-time.After(10 * time.Millisecond):
			if strings.Contains(r.logs.String(), "msg=listening") {
				r.t.Fatalf("serve started instead of refusing; log:\n%s", r.logs.String())
			}
		}
	}
}

// addr waits for the listening line and returns its address.
func (r *serveRun) addr() string {
	r.t.Helper()
	var addr string
	require.Eventually(r.t, func() bool {
		for _, line := range strings.Split(r.logs.String(), "\n") {
			if _, rest, ok := strings.Cut(line, "msg=listening addr="); ok {
				addr, _, _ = strings.Cut(rest, " ")
				return true
			}
		}
		return false
	}, 20*time.Second, 10*time.Millisecond, "log:\n%s", r.logs.String())
	return addr
}

// A broken --scenario used to start the server, log "listening", and disconnect every
// trainee with the scenario's error: it is checked at start, FILE:LINE and exit 2.
func TestServeChecksScenarioAtStart(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.txt")
	require.NoError(t, os.WriteFile(broken, []byte("line on\nbogus 1\n"), 0o600))
	r := runServeMain(t, "--demo-open", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"), "--scenario", broken)
	require.Equal(t, 2, r.exit())
	require.Contains(t, r.logs.String(), "okdash serve: "+broken+":2: unknown directive \"bogus\"")

	r = runServeMain(t, "--authorized-keys", filepath.Join(dir, "none"), "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"), "--source", "bogus:x")
	require.Equal(t, 2, r.exit())
	require.Contains(t, r.logs.String(), `okdash serve: --source "bogus:x": unknown kind`)
}

// Bad okdash-* values used to start the server and lock their operator out at login:
// each refuses the start, naming the file, the line and the option.
func TestServeChecksKeyOptionsAtStart(t *testing.T) {
	dir := t.TempDir()
	good, _ := writeClientKey(t, dir, "good")
	bad, _ := writeClientKey(t, dir, "bad")
	for _, tc := range []struct{ options, want string }{
		{`okdash-speed=abc`, `okdash-speed="abc": want a positive number`},
		{`okdash-source="-"`, `okdash-source=- (standard input) cannot be served`},
		{`okdash-source="bogus:x"`, `okdash-source="bogus:x": unknown kind`},
		{`okdash-source="bridge:tcp://nohost"`, `okdash-source="bridge:tcp://nohost": want bridge:tcp://HOST:PORT`},
		{`okdash-source="ws://10.0.0.5:4066"`, `okdash-login is missing: ws:// and wss:// sources need one`},
		{`okdash-source="ws://10.0.0.5:4066",okdash-login=ivanov,okdash-password-file=/nonexistent/pw`, `okdash-password-file="/nonexistent/pw": no such file`},
		{`okdash-scenario=/nonexistent/shift.txt`, `okdash-scenario: /nonexistent/shift.txt: no such file`},
		{`okdash-source="bridge:tcp://h:1",okdash-scenario=x.txt`, `okdash-scenario="x.txt": plays only on the demo`},
		{`okdash-icons=emoji`, `okdash-icons=emoji: want unicode or ascii`},
		{`okdash-theme=purple`, `okdash-theme=purple: want auto, dark or light`},
		{`okdash-lang=fr`, `okdash-lang=fr: want en or ru`},
		{`okdash-no-color=perhaps`, `okdash-no-color="perhaps": want true or false`},
		{`okdash-lang=ru,`, `empty option (a stray comma in okdash-lang=ru,)`},
		{`okdash-lang=ru,,okdash-icons=ascii`, `empty option`},
	} {
		t.Run(tc.options, func(t *testing.T) {
			keys := filepath.Join(t.TempDir(), "authorized_keys")
			require.NoError(t, os.WriteFile(keys, []byte("# room 1\n"+pubLine(good)+" good@room\n"+tc.options+" "+pubLine(bad)+" bad@room\n"), 0o600))
			r := runServeMain(t, "--authorized-keys", keys, "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"))
			require.Equal(t, 2, r.exit())
			require.Contains(t, r.logs.String(), "okdash serve: "+keys+":3: "+tc.want)
		})
	}
}

// At reload, a file with a bad option is not used: the previous keys and options stay,
// and the log names the file, the line and the option, once.
func TestServeKeyFileReloadKeepsPreviousGoodFile(t *testing.T) {
	dir := t.TempDir()
	op, _ := writeClientKey(t, dir, "op")
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte("okdash-lang=ru "+pubLine(op)+" op@desk\n"), 0o600))
	build := func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
		return sourceModel{source: string(sess.Capabilities().Kind), lang: uf.Lang}, nil
	}
	open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
		return nullSessionFor(sf.Source), nil
	}
	addr, logs, _ := startServe(t, serveFlags{AuthorizedKeys: keys, HostKey: filepath.Join(dir, "host")}, sourceFlags{Source: "demo", Speed: 1}, open, build)
	require.Contains(t, runClient(t, addr, op), "lang=ru")

	require.NoError(t, os.WriteFile(keys, []byte("okdash-lang=ru,okdash-speed=abc "+pubLine(op)+" op@desk\n"), 0o600))
	require.Contains(t, runClient(t, addr, op), "source=demo lang=ru", "the operator still gets in, with the last good options")
	require.Contains(t, runClient(t, addr, op), "source=demo lang=ru")
	log := logs.String()
	require.Contains(t, log, keys+`:1: okdash-speed=\"abc\": want a positive number`)
	require.Equal(t, 1, strings.Count(log, "authorized keys not reloaded"), "logged once, not at every login; log:\n%s", log)

	// Fixed: taken at the next login.
	require.NoError(t, os.WriteFile(keys, []byte("okdash-lang=en "+pubLine(op)+" op@desk\n"), 0o600))
	require.Contains(t, runClient(t, addr, op), "lang=en")
	require.Contains(t, logs.String(), `msg="authorized keys reloaded" file=`+keys+" keys=1")
}

// An empty key file lets nobody in: allowed (keys may be added while it runs), with a
// warning. The count in the start line is singular for one.
func TestServeKeyFileCountsAndWarnsWhenEmpty(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "authorized_keys")
	require.NoError(t, os.WriteFile(keys, []byte("# nobody yet\n"), 0o600))
	r := runServeMain(t, "--authorized-keys", keys, "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"))
	r.addr()
	log := r.logs.String()
	require.Contains(t, log, `level=WARN msg="the authorized keys file holds no key: nobody can log in until one is added" file=`+keys)
	require.Contains(t, log, `mode="0 authorized keys from `+keys+`"`)

	one, _ := writeClientKey(t, dir, "one")
	require.NoError(t, os.WriteFile(keys, []byte(pubLine(one)+" one@room\n"), 0o600))
	r2 := runServeMain(t, "--authorized-keys", keys, "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"))
	r2.addr()
	require.Contains(t, r2.logs.String(), `mode="1 authorized key from `+keys+`"`)
}

// A window change of 10000x10000 took the server from 18 MB to 912 MB (and
// 4294967295x4294967295 to "out of memory"): the real dashboard, drawn at the clamped
// size, stays within a budget of allocations for the frames that follow the change.
func TestServeHugeWindowMemoryBounded(t *testing.T) {
	dir := t.TempDir()
	idle := filepath.Join(dir, "idle.txt")
	require.NoError(t, os.WriteFile(idle, []byte("line on\nstate usReady\nwait 24h\n"), 0o600))
	addr, _, _ := startServe(t, serveFlags{DemoOpen: true, HostKey: filepath.Join(dir, "host"), ShutdownAfter: time.Second},
		sourceFlags{Source: "demo", Scenario: idle, Speed: 1, Timeout: 20 * time.Second}, serveOpen, newModel)
	s := dialScreenWith(t, addr, &gossh.ClientConfig{User: "trainee", Auth: openLogin()}, 24, 80)
	// waitFrame waits for a frame at least rows high after offset from (Bubble Tea ends
	// each frame on its last row) and returns the offset after it.
	lastRow := regexp.MustCompile(`\x1b\[(\d+);H`)
	waitFrame := func(from, rows int) int {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			text := s.text()
			for _, m := range lastRow.FindAllStringSubmatch(text[from:], -1) {
				if n, _ := strconv.Atoi(m[1]); n >= rows {
					return len(text)
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("no frame of %d rows after 60s; got %q", rows, text[max(from, len(text)-300):])
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	mark := waitFrame(0, 24)

	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	require.NoError(t, s.sess.WindowChange(10000, 10000))
	waitFrame(mark, sshserve.MaxHeight)
	runtime.ReadMemStats(&m1)
	allocated := m1.TotalAlloc - m0.TotalAlloc
	t.Logf("allocated %.1f MiB from the window change to the first frame at %dx%d", float64(allocated)/(1<<20), sshserve.MaxWidth, sshserve.MaxHeight)
	const budget = 32 << 20 // 8 MiB measured: four times that
	require.Less(t, allocated, uint64(budget))
}

// openSSHPane is the command of a tmux pane that connects OpenSSH as user to port with
// key, in English, then keeps the pane open to show what the session left on it.
func openSSHPane(ssh, port, key, user string) string {
	return shellJoin(append([]string{ssh, "-p", port}, append(openSSHArgs(key), "-o", "SetEnv=LANG=en_US.UTF-8", user+"@127.0.0.1")...)) + "; sleep 60"
}

// openSSHArgs are the options of a non-interactive OpenSSH client with key.
func openSSHArgs(key string) []string {
	return []string{"-F", "/dev/null", "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"}
}

// demoServeFor starts a server on the demo that lets in one new key (comment), and
// returns the key's file, the server's port and its log.
func demoServeFor(t *testing.T, dir, comment string) (keyPath, port string, logs *lockedBuffer) {
	t.Helper()
	_, keyPath, keys := oneKeyFile(t, dir, comment)
	addr, logs, _ := startServe(t, serveFlags{AuthorizedKeys: keys, HostKey: filepath.Join(dir, "host")},
		sourceFlags{Source: "demo", Speed: 1}, serveOpen, newModel)
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	return keyPath, port, logs
}

// The real sftp and scp (both protocols) used to get "subsystem request failed" with
// nothing logged: they are told the server runs no commands, and the log says so.
func TestServeRefusesSftpAndScpFromOpenSSH(t *testing.T) {
	sftp := needTool(t, "sftp")
	scp := needTool(t, "scp")
	dir := t.TempDir()
	keyPath, port, logs := demoServeFor(t, dir, "trainee@sftp")
	local := filepath.Join(dir, "local.txt")
	require.NoError(t, os.WriteFile(local, []byte("x\n"), 0o600))
	const line = "okdash: this server shows the okdash dashboard and runs no commands; connect with plain ssh, no command"
	// The server's exit status is 1; sftp, and scp over SFTP, exit 255 on their own
	// when the subsystem ends before its handshake ("Connection closed").
	for _, tc := range []struct {
		name string
		cmd  *exec.Cmd
		log  string
		exit int
	}{
		{"sftp", exec.Command(sftp, append(append(openSSHArgs(keyPath), "-P", port, "-b", "-"), "trainee@127.0.0.1")...), "subsystem=sftp", 255},
		{"scp", exec.Command(scp, append(append(openSSHArgs(keyPath), "-P", port), local, "trainee@127.0.0.1:copy.txt")...), "subsystem=sftp", 255},
		{"scp -O", exec.Command(scp, append(append(openSSHArgs(keyPath), "-O", "-P", port), local, "trainee@127.0.0.1:copy.txt")...), `command="scp -t copy.txt"`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := strings.Count(logs.String(), `reason="command refused"`)
			tc.cmd.Stdin = strings.NewReader("")
			out, err := tc.cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "output: %s", out)
			require.Contains(t, string(out), line)
			require.NotContains(t, string(out), "subsystem request failed")
			require.Equal(t, tc.exit, exit.ExitCode(), "output: %s", out)
			require.Eventually(t, func() bool { return strings.Count(logs.String(), `reason="command refused"`) == before+1 }, 10*time.Second, 10*time.Millisecond,
				"log:\n%s", logs.String())
			require.Contains(t, logs.String(), tc.log)
		})
	}
	// ssh -s, which shows the subsystem's exit status as it came.
	cmd := exec.Command(needTool(t, "ssh"), append(openSSHArgs(keyPath), "-p", port, "-s", "trainee@127.0.0.1", "sftp")...)
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, 1, exit.ExitCode(), "output: %s", out)
	require.Equal(t, line+"\n", string(out))
}

// A client that says it speaks Russian (LANG, sent by the real OpenSSH client) is told in
// Russian that the server runs no commands and that the dashboard needs a terminal.
func TestServeRefusesInRussianOverOpenSSH(t *testing.T) {
	ssh := needTool(t, "ssh")
	keyPath, port, logs := demoServeFor(t, t.TempDir(), "trainee@ru")
	for _, tc := range []struct {
		name      string
		flags     []string // before the destination
		command   []string // after it
		want, log string
	}{
		{"a command", nil, []string{"uptime"},
			"okdash: этот сервер показывает панель okdash и не выполняет команд; подключайтесь просто ssh, без команды\n", `reason="command refused"`},
		{"no terminal", []string{"-T"}, nil,
			"okdash: панели нужен терминал; подключайтесь с ssh -t (и без -T и команды)\n", `reason="no terminal"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(openSSHArgs(keyPath), "-p", port, "-o", "SetEnv=LANG=ru_RU.UTF-8")
			args = append(append(append(args, tc.flags...), "trainee@127.0.0.1"), tc.command...)
			cmd := exec.Command(ssh, args...)
			cmd.Stdin = strings.NewReader("")
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "output: %s", out)
			require.Equal(t, 1, exit.ExitCode())
			require.Equal(t, tc.want, string(out))
			require.Eventually(t, func() bool { return strings.Contains(logs.String(), tc.log) }, 10*time.Second, 10*time.Millisecond,
				"the log keeps its English reason:\n%s", logs.String())
		})
	}
}

// A second SIGTERM used to leave every client in the alternate screen with the cursor
// hidden, and to log no "session end": with the real OpenSSH client in tmux, both
// terminals are given back, with the reason under them, and both ends are logged.
func TestServeSecondSignalRestoresOpenSSHTerminals(t *testing.T) {
	tmux := needTool(t, "tmux")
	ssh := needTool(t, "ssh")
	dir := t.TempDir()
	_, keyPath, keys := oneKeyFile(t, dir, "trainee@tmux")
	r := runServeMain(t, "--authorized-keys", keys, "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host"),
		"--shutdown-after", "30s", "--background-query", "0", "--lang", "en")
	_, port, err := net.SplitHostPort(r.addr())
	require.NoError(t, err)

	p := newPanes(t, tmux, dir, r.logs)
	sshCmd := openSSHPane(ssh, port, keyPath, "trainee")
	names := []string{"first", "second"}
	for _, name := range names {
		p.run("new-session", "-d", "-x", "80", "-y", "24", "-s", name, sshCmd)
	}
	state := func(name string) string {
		return strings.TrimSpace(p.run("display-message", "-p", "-t", name, "#{alternate_on} #{cursor_flag}"))
	}
	for _, name := range names {
		p.waitText(name, "q quit")
		require.Equal(t, "1 0", state(name), "the dashboard is in the alternate screen, cursor hidden")
	}

	r.sigs <- syscall.SIGTERM
	p.waitText("second", "server shutting down")
	r.sigs <- syscall.SIGTERM // no more waiting for the 30 s countdown
	select {
	case st := <-r.status:
		require.Equal(t, 0, st)
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop after the second signal; log:\n%s", r.logs.String())
	}
	log := r.logs.String()
	require.Contains(t, log, "second signal: closing every connection now")
	require.Equal(t, 2, strings.Count(log, `msg="session end"`), "log:\n%s", log)
	require.Equal(t, 2, strings.Count(log, `reason="server shutting down"`), "log:\n%s", log)
	for _, name := range names {
		require.Eventually(t, func() bool { return state(name) == "0 1" }, 20*time.Second, 50*time.Millisecond,
			"%s: alternate screen and cursor %q, want the main screen and a cursor; screen:\n%s", name, state(name), p.screen(name))
		require.Contains(t, p.screen(name), "okdash: session closed: server shutting down")
	}
}
