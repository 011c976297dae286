package main

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

func TestOpenWSStoresTheSessionUnderTheStateDir(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	t.Setenv(envPassword, "demo")
	srv := wssim.New(nil)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Drop("")
	src := "ws://" + ts.Listener.Addr().String()
	sf := sourceFlags{Source: src, Login: "demo", Timeout: 5 * time.Second}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sess, err := openSession(ctx, sf, oktell.RealClock{}, noConsole)
	if err != nil {
		t.Fatalf("openSession: %v", err)
	}
	if k := sess.Capabilities().Kind; k != oktell.SourceWS {
		t.Fatalf("kind %q", k)
	}
	sess.Close()

	p := ws.FileStore{Dir: filepath.Join(state, "okdash")}.Path(src, "demo")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatalf("session file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("session file mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(filepath.Dir(p))
	if di.Mode().Perm() != 0o700 {
		t.Fatalf("state dir mode %v, want 0700", di.Mode().Perm())
	}

	// The next start needs no password at all.
	t.Setenv(envPassword, "")
	os.Unsetenv(envPassword)
	sf.PasswordFile = filepath.Join(t.TempDir(), "missing")
	sess, err = openSession(ctx, sf, oktell.RealClock{}, noConsole)
	if err != nil {
		t.Fatalf("second start with the stored session: %v", err)
	}
	sess.Close()
}

func TestOpenWSNeedsLogin(t *testing.T) {
	_, err := openSession(context.Background(), sourceFlags{Source: "ws://127.0.0.1:1"}, oktell.RealClock{}, noConsole)
	if err == nil || !strings.Contains(err.Error(), "--login") {
		t.Fatalf("error %v, want one naming --login", err)
	}
}

func TestPasswordSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	os.WriteFile(file, []byte("s3cret with space\r\nsecond line\n"), 0o600)
	t.Setenv(envPassword, "from-env")

	pw, reusable := passwordSource(sourceFlags{PasswordFile: file}, noConsole)
	if got, err := pw(); got != "s3cret with space" || err != nil || !reusable {
		t.Fatalf("file: %q %v %v", got, err, reusable)
	}
	pw, reusable = passwordSource(sourceFlags{}, noConsole)
	if got, err := pw(); got != "from-env" || err != nil || !reusable {
		t.Fatalf("env: %q %v %v", got, err, reusable)
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	if _, err := readPasswordFile(empty); err == nil {
		t.Fatal("an empty password file was accepted")
	}
	os.Unsetenv(envPassword)
	pw, reusable = passwordSource(sourceFlags{Login: "demo", Source: "ws://h:1"}, noConsole)
	if reusable {
		t.Fatal("the prompt must not be reused while the dashboard runs")
	}
	// no terminal behind the console (okdash serve's sessions, a pipe): no prompt, advice
	if _, err := pw(); err == nil || !strings.Contains(err.Error(), envPassword) {
		t.Fatalf("prompt without a terminal: %v, want advice naming %s", err, envPassword)
	}
}

func TestSimWSCommandsAndUsersFile(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users")
	os.WriteFile(users, []byte("# trainees\nivanova secret 305 Иванова Мария\npetrov pw - Петров\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb lockedBuffer
	in := strings.NewReader("users\n")
	done := make(chan error, 1)
	go func() { done <- simWS(ctx, "127.0.0.1:0", users, stdio{in: in, out: &out, err: &errb}) }()
	deadline := time.Now().Add(10 * time.Second)
	// Wait for the users command's answer: the banner names the users too.
	for !strings.Contains(out.String(), "usWOphone") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polls for a condition, with a deadline
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("simWS: %v", err)
	}
	if !strings.Contains(out.String(), "ivanova, petrov") || !strings.Contains(out.String(), "usWOphone") {
		t.Fatalf("output %q", out.String())
	}
	if err := simWS(context.Background(), "127.0.0.1:0", filepath.Join(t.TempDir(), "none"), stdio{}); err == nil {
		t.Fatal("a missing users file was accepted")
	}
}

// Over okdash serve nobody can answer a prompt: a ws source with neither a password nor
// a saved session opens anyway, its link closed until the dashboard's password line
// gives one (before: the SSH session ended with "no password").
func TestOpenWSOverServeWaitsForThePassword(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	os.Unsetenv(envPassword)
	srv := wssim.New(nil)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Drop("")
	sf := sourceFlags{Source: "ws://" + ts.Listener.Addr().String(), Login: "demo", Timeout: 5 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := openSession(ctx, sf, oktell.RealClock{}, noConsole); err == nil || !strings.Contains(err.Error(), envPassword) {
		t.Fatalf("locally, without a terminal: %v, want advice naming %s", err, envPassword)
	}
	sess, err := openSession(ctx, sf, oktell.RealClock{}, console{err: io.Discard, dashboardAsks: true})
	if err != nil {
		t.Fatalf("over serve: %v", err)
	}
	defer sess.Close()
	if !sess.Capabilities().Reconnect {
		t.Fatal("the session cannot log in again")
	}
	for u := range sess.Updates() {
		if u.Status != nil && u.Status.Link == oktell.LinkClosed {
			if !u.Status.NeedPassword {
				t.Fatalf("closed without asking for the password: %+v", u.Status)
			}
			break
		}
	}
	if err := oktell.Reconnect(ctx, sess, "demo"); err != nil {
		t.Fatal(err)
	}
	for u := range sess.Updates() {
		if u.Status != nil && u.Status.Link == oktell.LinkConnected {
			return
		}
	}
	t.Fatal("never connected")
}
