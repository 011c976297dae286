package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

var testStart = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// waitUpdate reads s's updates until one is what the test waits for (ok), with a
// deadline; what names it when it does not come.
func waitUpdate(t *testing.T, s oktell.Session, what string, ok func(oktell.Update) bool) oktell.Update {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case u, open := <-s.Updates():
			if !open {
				t.Fatalf("updates closed before %s", what)
			}
			if ok(u) {
				return u
			}
		case <-deadline:
			t.Fatalf("no %s", what)
		}
	}
}

func firstEvent(t *testing.T, s oktell.Session) oktell.Update {
	t.Helper()
	return waitUpdate(t, s, "event", func(u oktell.Update) bool { return u.Event != nil })
}

// waitState waits for s to report the operator in want.
func waitState(t *testing.T, s oktell.Session, want oktell.UserState) {
	t.Helper()
	waitUpdate(t, s, want.String(), func(u oktell.Update) bool {
		if u.Event == nil {
			return false
		}
		sc, err := u.Event.StateChange()
		return err == nil && sc.State == want
	})
}

func TestOpenSessionKinds(t *testing.T) {
	stream := filepath.Join("testdata", "streams", "commonlog.log")
	for _, tc := range []struct {
		source string
		kind   oktell.SourceKind
	}{
		{"demo", oktell.SourceDemo},
		{"", oktell.SourceDemo},
		{"file:" + stream, oktell.SourceFile},
		{"follow:" + stream, oktell.SourceFollow},
	} {
		t.Run(tc.source, func(t *testing.T) {
			s, err := openSession(context.Background(), sourceFlags{Source: tc.source, Speed: 1}, clocktest.New(testStart), noConsole)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if k := s.Capabilities().Kind; k != tc.kind {
				t.Errorf("kind %q, want %q", k, tc.kind)
			}
			if u := firstEvent(t, s); u.Event.Type != oktell.UserStateChanged {
				t.Errorf("first event %s", u.Event.Type)
			}
		})
	}
}

func TestOpenSessionStdin(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "streams", "bridge-utf16le.bin"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := openSession(context.Background(), sourceFlags{Source: "-", Speed: 1}, clocktest.New(testStart), console{in: f, err: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c := s.Capabilities(); !c.ReadOnly {
		t.Errorf("capabilities %+v", c)
	}
	firstEvent(t, s)
}

func TestOpenSessionErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("wait 1s\nstate usNowhere\n"), 0o644)
	for _, tc := range []struct {
		sf   sourceFlags
		want string
	}{
		{sourceFlags{Source: "file:" + filepath.Join(dir, "missing"), Speed: 1}, "--source file:" + filepath.Join(dir, "missing") + ": no such file"},
		{sourceFlags{Source: "file:", Speed: 1}, "give a file"},
		{sourceFlags{Source: "demo", Speed: 0}, "--speed 0: want a number above 0"},
		{sourceFlags{Source: "file:x", Speed: -2}, "--speed -2"},
		// A missing log is waited for (tail -F); a directory is a mistake.
		{sourceFlags{Source: "follow:" + dir}, "is a directory"},
		{sourceFlags{Source: "bridge:udp://x:1"}, "want bridge:tcp://HOST:PORT or bridge:exec:COMMAND"},
		{sourceFlags{Source: "bridge:tcp://nohost"}, "want bridge:tcp://HOST:PORT"},
		{sourceFlags{Source: "bridge:exec:"}, "command is empty"},
		{sourceFlags{Source: "bridge:tcp://h:1", Scenario: bad}, "--scenario plays only on the demo"},
		{sourceFlags{Source: "file:x", Speed: 1, Scenario: bad}, "--scenario plays only on the demo"},
		{sourceFlags{Source: "bridge:exec:okdash-no-such-bridge --x"}, `command "okdash-no-such-bridge" not found (is it installed, and on PATH?)`},
		{sourceFlags{Source: "file:" + dir, Speed: 1}, dir + ": is a directory, not a file"},
		{sourceFlags{Source: "demo", Speed: 1, Scenario: bad}, bad + ":2: state \"usNowhere\""},
		{sourceFlags{Source: "demo", Speed: 1, Scenario: filepath.Join(dir, "none.txt")}, "none.txt: no such file"},
		{sourceFlags{Source: "demo", Speed: 1, Record: filepath.Join(dir, "no", "such", "dir")}, "--record"},
	} {
		s, err := openSession(context.Background(), tc.sf, clocktest.New(testStart), noConsole)
		if err == nil {
			s.Close()
			t.Errorf("%+v: no error", tc.sf)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want it to say %q", tc.sf, err, tc.want)
		}
	}
}

func TestRecordFlag(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rec.log")
	clk := clocktest.New(testStart)
	s, err := openSession(context.Background(), sourceFlags{Source: "demo", Speed: 1, Record: out}, clk, noConsole)
	if err != nil {
		t.Fatal(err)
	}
	firstEvent(t, s)
	s.Close()
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "2026-11-24 09:00:00.000+00:00 xmlevent\n") || !strings.Contains(string(b), `name="usWOphone"`) {
		t.Errorf("recording:\n%s", b)
	}
	r, err := openSession(context.Background(), sourceFlags{Source: "file:" + out, Speed: 1}, clocktest.New(testStart), noConsole)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if u := firstEvent(t, r); u.Event.Type != oktell.UserStateChanged {
		t.Errorf("replayed %s", u.Event.Type)
	}
}

// lines hands what is written to it to a channel, line by line.
type lines chan string

func (l lines) Write(p []byte) (int, error) {
	for _, s := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		l <- s
	}
	return len(p), nil
}

func waitLine(t *testing.T, l lines, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-l:
			if m := re.FindStringSubmatch(s); m != nil {
				return m
			}
		case <-deadline:
			t.Fatalf("no log line matching %s", re)
		}
	}
}

// okdash sim --listen against the bridge source, over loopback, on the real clock.
func TestSimListenServesTheBridge(t *testing.T) {
	log := make(lines, 100)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- simBridge(ctx, "127.0.0.1:0", "", 50, stdio{out: log, err: log}) }()
	// The log says how long the shift lasts at the speed it is played.
	m := waitLine(t, log, regexp.MustCompile(`^okdash sim: serving built-in shift \(\d+m\d+s at speed 1, \d+(?:\.\d+)?s at speed 50\) over the bridge protocol on (127\.0\.0\.1:\d+)$`))

	s, err := openSession(context.Background(), sourceFlags{Source: "bridge:tcp://" + m[1], Timeout: 5 * time.Second}, oktell.RealClock{}, noConsole)
	if err != nil {
		t.Fatal(err)
	}
	if u := firstEvent(t, s); u.Event.Type != oktell.UserStateChanged {
		t.Errorf("first event %s", u.Event.Type)
	}
	waitLine(t, log, regexp.MustCompile(`127\.0\.0\.1:\d+ connected`))
	var refused *oktell.RefusedError
	if err := s.SetUserState(context.Background(), oktell.UserFullbusy, false); !errors.As(err, &refused) {
		t.Errorf("asking for busy over the bridge: %v, want refused", err)
	}
	s.Close()
	waitLine(t, log, regexp.MustCompile(`disconnected`))
	cancel()
	if err := <-done; err != nil {
		t.Errorf("simBridge: %v", err)
	}
}

func TestSimListenBadAddress(t *testing.T) {
	log := make(lines, 10)
	if err := simBridge(context.Background(), "127.0.0.1:notaport", "", 1, stdio{out: log, err: log}); err == nil || !strings.Contains(err.Error(), "--listen") {
		t.Errorf("err = %v", err)
	}
}

// A trainer with only the binary gets the built-in shift out, edits it and plays it.
func TestSimPrintScenario(t *testing.T) {
	var out, errs strings.Builder
	if code := cmdSim([]string{"--print-scenario"}, stdio{out: &out, err: &errs}); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	text := out.String()
	if !strings.HasPrefix(text, "# okdash built-in demo shift") || !strings.Contains(text, "Зарегистрирована линия 16016") {
		t.Fatalf("printed:\n%.300s", text)
	}
	// Edited as a trainer would: the first state becomes a lunch break.
	mine := filepath.Join(t.TempDir(), "my-shift.txt")
	edited := strings.Replace(text, "state usWOphone", "state usLunch", 1)
	if edited == text {
		t.Fatal("the printed shift has no 'state usWOphone' line to edit")
	}
	if err := os.WriteFile(mine, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := openSession(context.Background(), sourceFlags{Source: "demo", Speed: 1, Scenario: mine}, clocktest.New(testStart), noConsole)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u := firstEvent(t, s)
	if sc, err := u.Event.StateChange(); err != nil || sc.State != oktell.UserLunch {
		t.Errorf("first event of the edited shift: %+v (%v), want usLunch", u.Event, err)
	}

	out.Reset()
	errs.Reset()
	if code := cmdSim([]string{"--print-scenario", "--listen", "127.0.0.1:0"}, stdio{out: &out, err: &errs}); code != 2 || out.Len() != 0 ||
		!strings.Contains(errs.String(), "--print-scenario takes no other flag") {
		t.Errorf("--print-scenario with --listen: exit %d, out %q, err %q", code, out.String(), errs.String())
	}
	errs.Reset()
	if code := cmdSim(nil, stdio{out: &out, err: &errs}); code != 2 || !strings.Contains(errs.String(), "--print-scenario") {
		t.Errorf("okdash sim alone: exit %d, err %q; want it to mention --print-scenario", code, errs.String())
	}
}

// The shift's length is told at the speed it is played, too; a speed that stops or
// reverses time is a usage error.
func TestSimSpeed(t *testing.T) {
	for _, c := range []struct {
		speed float64
		want  string
	}{
		{1, "2m27s"},
		{4, "2m27s at speed 1, 37s at speed 4"},
		{0.5, "2m27s at speed 1, 4m54s at speed 0.5"},
		{1000, "2m27s at speed 1, 147ms at speed 1000"},
	} {
		if got := lengthAt(147*time.Second, c.speed); got != c.want {
			t.Errorf("lengthAt(2m27s, %v) = %q, want %q", c.speed, got, c.want)
		}
	}
	for _, speed := range []string{"0", "-2", "+Inf"} {
		var out, errs strings.Builder
		if code := cmdSim([]string{"--listen", "127.0.0.1:0", "--speed", speed}, stdio{out: &out, err: &errs}); code != 2 ||
			!strings.Contains(errs.String(), "--speed") {
			t.Errorf("--speed %s: exit %d, err %q; want 2 and a word on --speed", speed, code, errs.String())
		}
	}
}
