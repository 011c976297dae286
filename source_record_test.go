package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
	"github.com/okdash/okdash/oktell/ws/wssim"
)

// --record files hold phone numbers and colleagues' messages: mode 0600, also when they
// replace a file others could read (before: 0644).
func TestRecordFileIsPrivate(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"new.log", "old.log"} {
		path := filepath.Join(dir, name)
		if name == "old.log" {
			os.WriteFile(path, []byte("an older shift"), 0o644)
			os.Chmod(path, 0o644)
		}
		sess, err := openSession(context.Background(), sourceFlags{Source: "demo", Speed: 1, Record: path}, clocktest.New(time.Unix(0, 0)), noConsole)
		if err != nil {
			t.Fatal(err)
		}
		sess.Close()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", name, fi.Mode().Perm())
		}
	}
}

// --record on a ws source writes a capture of the frames, private, without the password
// hashes, and --source file: plays it through the ws session's reading.
func TestWSRecordIsACaptureThatReplays(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv(envPassword, "demo")
	t.Setenv(envWSLog, "")
	srv := wssim.New(nil)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Drop("")
	path := filepath.Join(t.TempDir(), "shift.capture")
	sf := sourceFlags{Source: "ws://" + ts.Listener.Addr().String(), Login: "demo", Timeout: 5 * time.Second, Record: path, Speed: 1}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sess, err := openSession(ctx, sf, oktell.RealClock{}, noConsole)
	if err != nil {
		t.Fatalf("openSession: %v", err)
	}
	waitState(t, sess, oktell.UserOff)
	if err := sess.SetUserState(ctx, oktell.UserReady, false); err != nil {
		t.Fatal(err)
	}
	waitState(t, sess, oktell.UserReady)
	sess.Close()

	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("capture: %v, mode %v", err, fi.Mode())
	}
	raw, _ := os.ReadFile(path)
	h, _ := ws.HashPassword("demo")
	if !ws.IsCapture(raw) || bytes.Contains(raw, []byte(h.Password)) || bytes.Contains(raw, []byte(h.Lower)) {
		t.Fatalf("not a capture without the hashes:\n%s", raw)
	}

	play, err := openSession(context.Background(), sourceFlags{Source: "file:" + path, Speed: 1000}, oktell.RealClock{}, noConsole)
	if err != nil {
		t.Fatal(err)
	}
	defer play.Close()
	if c := play.Capabilities(); !c.ReadOnly || c.Kind != oktell.SourceFile {
		t.Fatalf("capabilities %+v", c)
	}
	waitState(t, play, oktell.UserOff)
	waitUpdate(t, play, "request for Ready in the replay", func(u oktell.Update) bool {
		if u.Status != nil && strings.Contains(u.Status.Why.String(), "end of input") {
			t.Fatal("the replay ended without the request for Ready")
		}
		return u.Sent != nil && u.Sent.Kind == oktell.SentState && u.Sent.State == oktell.UserReady
	})
	waitState(t, play, oktell.UserReady)
}
