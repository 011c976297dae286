package record

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/demo"
	"github.com/okdash/okdash/oktell/replay"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

type closeBuffer struct {
	bytes.Buffer
	closed bool
}

func (b *closeBuffer) Close() error { b.closed = true; return nil }

// drain plays s on its fake clock until its input ends, returning the events.
func drain(t *testing.T, clk *clocktest.Clock, s oktell.Session) []oktell.Update {
	t.Helper()
	var got []oktell.Update
	err := clocktest.Drive(clk, s.Updates(), 10*time.Second, func(u oktell.Update) bool {
		if u.Event != nil {
			got = append(got, u)
		}
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "end of input")
	})
	if err != nil {
		t.Fatalf("did not end: %v", err)
	}
	return got
}

func TestRecordReplaysWithTheSameTiming(t *testing.T) {
	for _, name := range []string{"commonlog.log", "bridge-utf16le.bin"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", "..", "testdata", "streams", name))
			if err != nil {
				t.Fatal(err)
			}
			clk := clocktest.New(t0)
			var out closeBuffer
			rec := Wrap(replay.Open(context.Background(), f, name, f, replay.Options{Clock: clk}), &out, clk)
			if c := rec.Capabilities(); !c.ReadOnly {
				t.Errorf("capabilities not passed through: %+v", c)
			}
			first := drain(t, clk, rec)
			rec.Close()
			if !out.closed {
				t.Error("the record file was not closed with the session")
			}
			if bytes.Contains(out.Bytes(), []byte{0}) {
				t.Error("the recording is not UTF-8 text")
			}
			if n := bytes.Count(out.Bytes(), []byte(" xmlevent\n")); n != len(first) {
				t.Errorf("%d headings for %d documents:\n%s", n, len(first), out.String())
			}

			clk2 := clocktest.New(t0.Add(time.Hour))
			again := replay.Open(context.Background(), bytes.NewReader(out.Bytes()), "recording", nil, replay.Options{Clock: clk2})
			defer again.Close()
			second := drain(t, clk2, again)
			if len(second) != len(first) {
				t.Fatalf("replayed %d events, recorded %d", len(second), len(first))
			}
			for i := range first {
				if first[i].Event.Type != second[i].Event.Type {
					t.Errorf("event %d: %s, then %s", i, first[i].Event.Type, second[i].Event.Type)
				}
				if i > 0 {
					g1 := first[i].At.Sub(first[i-1].At)
					g2 := second[i].At.Sub(second[i-1].At)
					if g1 != g2 {
						t.Errorf("gap before event %d: %v live, %v replayed", i, g1, g2)
					}
				}
			}
		})
	}
}

// The demo has no raw bytes: its events are encoded, one document each.
func TestRecordEncodesEventsWithoutRawBytes(t *testing.T) {
	clk := clocktest.New(t0)
	var out closeBuffer
	rec := Wrap(demo.Open(context.Background(), nil, clk, 1), &out, clk)
	deadline := time.After(5 * time.Second)
	for n := 0; n < 2; {
		select {
		case u := <-rec.Updates():
			if u.Event == nil {
				continue
			}
			if n++; n == 1 {
				if !clk.WaitPending(1, 5*time.Second) {
					t.Fatal("the demo did not wait")
				}
				clk.Advance(4 * time.Second) // the line registers
			}
		case <-deadline:
			t.Fatal("demo stalled")
		}
	}
	rec.Close()
	s := out.String()
	if !strings.Contains(s, "usWOphone") || !strings.Contains(s, "Зарегистрирована линия 16016") {
		t.Errorf("recording:\n%s", s)
	}
	if !strings.HasPrefix(s, "2026-11-24 12:00:00.000+00:00 xmlevent\n") {
		t.Errorf("first heading: %q", strings.SplitN(s, "\n", 2)[0])
	}
}

func TestToUTF8(t *testing.T) {
	le := []byte{0xFF, 0xFE, '<', 0, 'a', 0, 0x16, 0x04, '>', 0}
	be := []byte{0xFE, 0xFF, 0, '<', 0, 'a', 0x04, 0x16, 0, '>'}
	noBOM := []byte{'<', 0, 'a', 0, '>', 0}
	for _, tc := range []struct {
		in   []byte
		want string
	}{{le, "<aЖ>"}, {be, "<aЖ>"}, {noBOM, "<a>"}, {[]byte("\xEF\xBB\xBF<a/>"), "<a/>"}, {[]byte("<a/>"), "<a/>"}} {
		got, err := ToUTF8(tc.in)
		if err != nil || string(got) != tc.want {
			t.Errorf("ToUTF8(% x) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, os.ErrClosed }

func TestRecordWriteErrorKeepsTheLink(t *testing.T) {
	clk := clocktest.New(t0)
	rec := Wrap(demo.Open(context.Background(), nil, clk, 1), failingWriter{}, clk)
	defer rec.Close()
	deadline := time.After(5 * time.Second)
	var statuses []oktell.Status
	for {
		select {
		case u := <-rec.Updates():
			if u.Status != nil {
				statuses = append(statuses, *u.Status)
			}
			if u.Status != nil && strings.Contains(u.Status.Why.String(), "recording stopped") {
				if u.Status.Link != oktell.LinkConnected || !strings.HasPrefix(u.Status.Why.String(), "demo: built-in shift; recording stopped: ") {
					t.Errorf("status %+v: want the demo's link kept", u.Status)
				}
				// The dashboard says the code, not the English: the code must say it too.
				if u.Status.Why.Code != oktell.ReasonRecordingStopped {
					t.Errorf("status %+v: the reason's code is %q, want %q", u.Status, u.Status.Why.Code, oktell.ReasonRecordingStopped)
				}
				return
			}
		case <-deadline:
			t.Fatalf("no recording error; statuses %+v", statuses)
		}
	}
}

// fake is a session whose updates the test sends and whose requests it answers.
type fake struct {
	ch     chan oktell.Update
	refuse error
}

func (f *fake) Updates() <-chan oktell.Update { return f.ch }
func (f *fake) Capabilities() oktell.Capabilities {
	return oktell.Capabilities{Kind: oktell.SourceBridge, SetUserState: true, SendMessage: true}
}
func (f *fake) SetUserState(context.Context, oktell.UserState, bool) error { return f.refuse }
func (f *fake) SendMessage(context.Context, string, string) error          { return f.refuse }
func (f *fake) Close() error                                               { return nil }

// The operator's own requests go into the recording, marked, with their outcome, and a
// replay delivers them at their time; a reader that knows nothing of them sees only the
// events (before: requests were not recorded at all).
func TestRecordKeepsTheOperatorsRequests(t *testing.T) {
	clk := clocktest.New(t0)
	in := &fake{ch: make(chan oktell.Update)}
	var out closeBuffer
	rec := Wrap(in, &out, clk)
	ctx := context.Background()
	event := func(at time.Duration, st oktell.UserState) {
		ev := oktell.Event{Type: oktell.UserStateChanged, Props: []oktell.Property{oktell.SimpleProp("newstate", strconv.Itoa(int(st)), st.String()), oktell.SimpleProp("redirect", "0", "")}}
		in.ch <- oktell.Update{At: t0.Add(at), Event: &ev}
		if u := <-rec.Updates(); u.Event == nil {
			t.Fatalf("passed on %+v", u)
		}
	}
	event(0, oktell.UserOff)
	clk.Set(t0.Add(2 * time.Second))
	if err := rec.SetUserState(ctx, oktell.UserReady, true); err != nil {
		t.Fatal(err)
	}
	event(2500*time.Millisecond, oktell.UserReady)
	clk.Set(t0.Add(5 * time.Second))
	in.refuse = oktell.RefusedSaying(0, "no user with id \"x\"")
	if err := rec.SendMessage(ctx, "x", "Перезвоню через 5 минут, <спасибо> & до связи"); err == nil {
		t.Fatal("the refusal was not passed on")
	}
	close(in.ch)
	rec.Close()

	text := out.String()
	if n := strings.Count(text, " sent\n"); n != 4 {
		t.Fatalf("%d sent headings, want 2 requests and 2 outcomes:\n%s", n, text)
	}
	if !strings.Contains(text, "2026-11-24 12:00:02.000+00:00 sent\n") {
		t.Errorf("the request is not stamped with its time:\n%s", text)
	}

	// A reader that predates Sent: only the two events.
	sc := oktell.NewScanner(strings.NewReader(text))
	events := 0
	for {
		it, err := sc.Next()
		if err != nil {
			break
		}
		if it.Err != nil {
			t.Fatalf("the recording has a broken document: %v", it.Err)
		}
		events += len(it.Doc.Events)
	}
	if events != 2 {
		t.Fatalf("an old reader sees %d events, want the 2 received", events)
	}

	// Replayed an hour later in another zone: each at its own time in the recording (the
	// heading's), played with the recording's pacing.
	clk2 := clocktest.New(t0.Add(time.Hour))
	again := replay.Open(context.Background(), strings.NewReader(text), "recording", nil,
		replay.Options{Clock: clk2, Zone: time.FixedZone("Asia/Novosibirsk", 7*3600)})
	defer again.Close()
	var got []string
	err := clocktest.Drive(clk2, again.Updates(), 10*time.Second, func(u oktell.Update) bool {
		at := u.At.Sub(t0).String()
		if played := clk2.Now().Sub(t0.Add(time.Hour)).String(); u.Event != nil || u.Sent != nil {
			at += "@" + played
		}
		switch {
		case u.Event != nil && u.Sent != nil:
			t.Fatal("an event and a request in one update")
		case u.Event != nil:
			sc, _ := u.Event.StateChange()
			got = append(got, at+" event "+sc.State.String())
		case u.Sent != nil && u.Sent.Answered:
			got = append(got, at+" outcome "+u.Sent.Kind.String()+" refused="+u.Sent.Why.String())
		case u.Sent != nil && u.Sent.Kind == oktell.SentState:
			got = append(got, at+" asked "+u.Sent.State.String()+" redirect="+strconv.FormatBool(u.Sent.Redirect))
		case u.Sent != nil:
			got = append(got, at+" message to "+u.Sent.To+": "+u.Sent.Text)
		}
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "end of input")
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0s@0s event usOff",
		"2s@2s asked usReady redirect=true",
		"2s@2s outcome state refused=",
		"2.5s@2.5s event usReady",
		"5s@5s message to x: Перезвоню через 5 минут, <спасибо> & до связи",
		`5s@5s outcome message refused=refused by the server: no user with id "x"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("replayed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A recording holds phone numbers and colleagues' messages: readable by its owner only,
// also when it replaces a file that others could read (before: created 0644).
func TestCreateIsPrivate(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.log")
	f, err := Create(fresh)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o600 {
		t.Errorf("a new recording has mode %04o", fi.Mode().Perm())
	}
	old := filepath.Join(dir, "old.log")
	if err := os.WriteFile(old, []byte("yesterday's shift"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(old, 0o644) // whatever the umask
	f, err = Create(old)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(old)
	if fi.Mode().Perm() != 0o600 || fi.Size() != 0 {
		t.Errorf("a replaced recording has mode %04o and %d bytes; want 0600 and empty", fi.Mode().Perm(), fi.Size())
	}
	if _, err := Create(filepath.Join(dir, "no", "such", "dir.log")); err == nil {
		t.Error("a recording in a missing directory was created")
	}
}

// reasonFake is a fake whose breaks carry their reason and which can log in again.
type reasonFake struct {
	fake
	reason, password string
}

func (f *reasonFake) SetUserStateReason(_ context.Context, _ oktell.UserState, _ bool, reason string) error {
	f.reason = reason
	return f.refuse
}

func (f *reasonFake) Reconnect(_ context.Context, password string) error {
	f.password = password
	return nil
}

// A break's reason reaches the session through the recorder and the recording keeps it,
// so a replayed shift says which break was asked for; a password given to Reconnect
// reaches the session and never the file.
func TestRecordKeepsTheBreakReasonAndNoPassword(t *testing.T) {
	clk := clocktest.New(t0)
	in := &reasonFake{fake: fake{ch: make(chan oktell.Update)}}
	var out closeBuffer
	rec := Wrap(in, &out, clk)
	ctx := context.Background()
	if err := oktell.SetUserStateReason(ctx, rec, oktell.UserLunch, false, "5b7c-0003"); err != nil {
		t.Fatal(err)
	}
	if in.reason != "5b7c-0003" {
		t.Fatalf("the session got reason %q", in.reason)
	}
	if err := oktell.Reconnect(ctx, rec, "Пароль-123"); err != nil || in.password != "Пароль-123" {
		t.Fatalf("Reconnect: %v, the session got %q", err, in.password)
	}
	close(in.ch)
	rec.Close()
	text := out.String()
	if strings.Contains(text, "Пароль-123") {
		t.Fatalf("the password reached the recording:\n%s", text)
	}
	clk2 := clocktest.New(t0)
	again := replay.Open(context.Background(), strings.NewReader(text), "recording", nil, replay.Options{Clock: clk2})
	defer again.Close()
	var reasons []string
	err := clocktest.Drive(clk2, again.Updates(), 10*time.Second, func(u oktell.Update) bool {
		if u.Sent != nil && !u.Sent.Answered {
			reasons = append(reasons, u.Sent.State.String()+" "+u.Sent.BreakReason)
		}
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "end of input")
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(reasons, ",") != "usLunch 5b7c-0003" {
		t.Fatalf("replayed requests %q", reasons)
	}
}
