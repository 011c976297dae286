package shift

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// fakeSession delivers what a test pushes; Close ends it.
type fakeSession struct {
	caps    oktell.Capabilities
	ch      chan oktell.Update
	sendErr error
	once    sync.Once
	mu      sync.Mutex
	sent    []string
}

func newFake(caps oktell.Capabilities) *fakeSession {
	return &fakeSession{caps: caps, ch: make(chan oktell.Update)}
}

func (f *fakeSession) Updates() <-chan oktell.Update                              { return f.ch }
func (f *fakeSession) Capabilities() oktell.Capabilities                          { return f.caps }
func (f *fakeSession) Close() error                                               { f.once.Do(func() { close(f.ch) }); return nil }
func (f *fakeSession) SetUserState(context.Context, oktell.UserState, bool) error { return nil }
func (f *fakeSession) SendMessage(_ context.Context, to, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, to+": "+text)
	return f.sendErr
}

var live = oktell.Capabilities{Kind: oktell.SourceWS, SetUserState: true, SendMessage: true, Line: true}

// next reads the next update the dashboard would get, with a deadline.
func next(t *testing.T, w *Watched) oktell.Update {
	t.Helper()
	select {
	case u, ok := <-w.Updates():
		require.True(t, ok, "the updates ended")
		return u
	case <-time.After(5 * time.Second):
		t.Fatal("no update")
	}
	return oktell.Update{}
}

// push hands u to the watcher and waits until it has passed it on.
func push(t *testing.T, f *fakeSession, w *Watched, u oktell.Update) {
	t.Helper()
	f.ch <- u
	got := next(t, w)
	assert.Equal(t, u, got, "passed on as it came")
}

// liveShift is ivanov's shift on a live ws source, on a fake clock from hhmm, kept in
// a store of its own.
type liveShift struct {
	clock *clocktest.Clock
	st    *Store
	k     Key
}

func newLiveShift(t *testing.T, hhmm string) *liveShift {
	return &liveShift{clock: clocktest.New(at(hhmm)), st: &Store{Dir: t.TempDir()}, k: Key{"ws://oktell:4066", "ivanov"}}
}

// watch is a dashboard opening the shift: a new live session, watched.
func (ls *liveShift) watch() (*fakeSession, *Watched) {
	f := newFake(live)
	return f, Watch(f, WatchConfig{Clock: ls.clock, Zone: msk, Key: ls.k, Store: ls.st, TickEvery: time.Hour})
}

func TestWatchCountsAndSaves(t *testing.T) {
	ls := newLiveShift(t, "09:00")
	clock, st, k := ls.clock, ls.st, ls.k
	f, w := ls.watch()
	push(t, f, w, status(at("09:00"), oktell.LinkConnected))
	push(t, f, w, state(at("09:00"), ready))
	push(t, f, w, message(at("09:05"), "{1}"))
	clock.Set(at("09:10"))
	require.NoError(t, w.SendMessage(context.Background(), "u1", "hello"))
	f.sendErr = errors.New("refused")
	assert.Error(t, w.SendMessage(context.Background(), "u1", "again"))
	push(t, f, w, state(at("10:00"), lunch))
	clock.Set(at("10:30"))
	sum := w.Summary()
	checkFigures(t, sum.Figures, want{time: map[Bucket]time.Duration{Ready: m(60), Break: m(30)}, breaks: 1, longest: m(30), received: 1, sent: 1})
	assert.Equal(t, Break, sum.Current)
	assert.True(t, w.Kept(), "a file keeps it")
	// The dashboard asks as of its own clock's time: the break runs on to that moment,
	// the clock the watcher was given notwithstanding.
	later := w.SummaryAt(at("10:31"))
	assert.Equal(t, m(31), later.Time[Break])
	assert.True(t, at("10:31").Equal(later.Now))
	assert.Equal(t, m(30), w.Summary().Time[Break], "asking changes nothing")
	require.NoError(t, w.Close())
	_, open := <-w.Updates()
	assert.False(t, open, "closed with the session")

	sv, ok, err := st.Load(k, day10, msk)
	require.NoError(t, err)
	require.True(t, ok, "saved on close")
	assert.Equal(t, m(60), sv.Time[Ready])
	assert.Equal(t, m(30), sv.Time[Break])
	assert.True(t, at("10:30").Equal(sv.Watched))
	assert.True(t, sv.BreakOpen && sv.Known && sv.State == lunch)
	assert.True(t, at("10:30").Equal(w.Summary().Now), "frozen at the close")
}

func TestWatchRestartMidBreak(t *testing.T) {
	ls := newLiveShift(t, "12:00")
	clock := ls.clock
	f, w := ls.watch()
	push(t, f, w, state(at("12:00"), lunch))
	clock.Set(at("12:10"))
	require.NoError(t, w.Close())

	clock.Set(at("12:20"))
	f, w = ls.watch()
	push(t, f, w, status(at("12:20"), oktell.LinkConnecting))
	push(t, f, w, state(at("12:20"), lunch))
	push(t, f, w, state(at("12:45"), ready))
	clock.Set(at("13:00"))
	checkFigures(t, w.Summary().Figures, want{time: map[Bucket]time.Duration{Break: m(45), Ready: m(15)}, breaks: 1, longest: m(45), start: at("12:00")})
	require.NoError(t, w.Close())
}

func TestWatchSetsACorruptFileAside(t *testing.T) {
	ls := newLiveShift(t, "09:00")
	clock, st, k := ls.clock, ls.st, ls.k
	p := st.Path(k, day10)
	require.NoError(t, os.WriteFile(p, []byte("{\"okdash\":\"shift\",garbage"), 0o600))
	f, w := ls.watch()
	u := next(t, w)
	require.Error(t, u.Err, "the operator is told first")
	assert.Contains(t, u.Err.Error(), p+": byte ")
	assert.Contains(t, u.Err.Error(), "set aside as "+p+".bad, the shift starts afresh")
	assert.FileExists(t, p+".bad")
	push(t, f, w, state(at("09:00"), ready))
	clock.Set(at("09:30"))
	checkFigures(t, w.Summary().Figures, want{time: map[Bucket]time.Duration{Ready: m(30)}})
	require.NoError(t, w.Close())
	_, ok, err := st.Load(k, day10, msk)
	require.NoError(t, err)
	assert.True(t, ok, "a new file in its place")
}

func TestWatchReplayKeepsNoFile(t *testing.T) {
	for _, caps := range []oktell.Capabilities{
		{Kind: oktell.SourceFile, ReadOnly: true, Line: true, LogTimes: true, Position: oktell.RealClock{}},
		{Kind: oktell.SourceFollow, ReadOnly: true, Line: true, LogTimes: true},
	} {
		t.Run(string(caps.Kind), func(t *testing.T) {
			clock := clocktest.New(at("21:00"))
			st := Store{Dir: t.TempDir()}
			f := newFake(caps)
			w := Watch(f, WatchConfig{Clock: clock, Zone: msk, Key: Key{"file:x.log", ""}, Store: &st, TickEvery: time.Hour})
			push(t, f, w, state(at("21:00"), ready))
			push(t, f, w, state(at("21:10"), lunch))
			clock.Set(at("21:30"))
			assert.False(t, w.Kept(), "a replay's shift is counted, not kept")
			require.NoError(t, w.Close())
			entries, err := os.ReadDir(st.Dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "no file, no lock")
		})
	}
	// A replay counts the log's times: nothing after its last update, and no ticking.
	clock := clocktest.New(at("21:00"))
	f := newFake(oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true, LogTimes: true, Position: clock})
	w := Watch(f, WatchConfig{Clock: clock, Zone: msk})
	push(t, f, w, state(at("08:00"), ready))
	push(t, f, w, state(at("12:00"), lunch))
	push(t, f, w, state(at("12:30"), ready))
	push(t, f, w, status(at("17:00"), oktell.LinkReadOnly))
	assert.Equal(t, 0, clock.Pending(), "a replay does not tick")
	clock.Set(at("23:00"))
	checkFigures(t, w.Summary().Figures, want{time: map[Bucket]time.Duration{Ready: m(8*60 + 30), Break: m(30)}, breaks: 1, longest: m(30)})
	require.NoError(t, w.Close())
}

func TestWatchTwoOfTheSameShift(t *testing.T) {
	ls := newLiveShift(t, "09:00")
	clock, st, k := ls.clock, ls.st, ls.k
	f1, w1 := ls.watch()
	f2, w2 := ls.watch()
	u := next(t, w2)
	if u.Err == nil {
		t.Skip("no advisory locks on this system")
	}
	assert.Contains(t, u.Err.Error(), "another okdash keeps this shift")
	assert.Contains(t, u.Err.Error(), "does not save it")
	assert.True(t, w1.Kept())
	assert.False(t, w2.Kept(), "the second one counts without a file")
	push(t, f1, w1, state(at("09:00"), ready))
	push(t, f2, w2, state(at("09:00"), lunch))
	clock.Set(at("09:30"))
	require.NoError(t, w2.Close())
	require.NoError(t, w1.Close())
	sv, ok, err := st.Load(k, day10, msk)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, m(30), sv.Time[Ready], "the first one's file, not overwritten by the second")
}

func TestWatchSavesYesterdayAtMidnight(t *testing.T) {
	clock := clocktest.New(at("23:00"))
	st := Store{Dir: t.TempDir()}
	k := Key{"demo", ""}
	f := newFake(oktell.Capabilities{Kind: oktell.SourceDemo})
	w := Watch(f, WatchConfig{Clock: clock, Zone: msk, Key: k, Store: &st, TickEvery: time.Minute})
	push(t, f, w, state(at("23:00"), ready))
	// Ticks carry the shift over midnight with no update.
	for clock.Now().Before(at("11 00:05")) {
		require.True(t, clock.WaitPending(1, 5*time.Second))
		clock.Advance(time.Minute)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if sv, ok, _ := st.Load(k, day10, msk); ok && sv.Time[Ready] == m(60) {
			break
		}
		require.True(t, time.Now().Before(deadline), "yesterday's file is written when the day closes")
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, w.Close())
	sv, ok, err := st.Load(k, Date{2026, 3, 11}, msk)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, m(5), sv.Time[Ready])
	assert.True(t, at("11 00:00").Equal(sv.Start))
}

func TestWatchSleepIsNotWatched(t *testing.T) {
	clock := clocktest.New(at("09:00"))
	f := newFake(live)
	w := Watch(f, WatchConfig{Clock: clock, Zone: msk, TickEvery: time.Minute})
	push(t, f, w, state(at("09:00"), ready))
	require.True(t, clock.WaitPending(1, 5*time.Second))
	clock.Advance(time.Minute) // a tick at 09:01
	require.True(t, clock.WaitPending(1, 5*time.Second))
	clock.Set(at("10:01")) // the machine slept: the next tick comes an hour late
	require.True(t, clock.WaitPending(1, 5*time.Second))
	clock.Advance(time.Minute)
	require.True(t, clock.WaitPending(1, 5*time.Second))
	push(t, f, w, state(at("10:02"), away))
	clock.Set(at("10:10"))
	sum := w.Summary()
	// The fake clock fires the tick due at 09:02 when it is set to 10:01, as a timer
	// fires at once on waking: ready until then, the hour after not watched.
	checkFigures(t, sum.Figures, want{time: map[Bucket]time.Duration{Ready: m(2), NotWatched: m(60), Away: m(8)}})
	require.NoError(t, w.Close())
}

func TestWatchPassesTheEndOn(t *testing.T) {
	clock := clocktest.New(at("09:00"))
	f := newFake(live)
	w := Watch(f, WatchConfig{Clock: clock, Zone: msk, TickEvery: time.Hour})
	push(t, f, w, state(at("09:00"), ready))
	clock.Set(at("09:20"))
	push(t, f, w, status(at("09:20"), oktell.LinkClosed))
	f.Close() // the source gives up on its own
	select {
	case _, ok := <-w.Updates():
		assert.False(t, ok, "the dashboard sees the end")
	case <-time.After(5 * time.Second):
		t.Fatal("the end was not passed on")
	}
	clock.Set(at("10:00"))
	checkFigures(t, w.Summary().Figures, want{time: map[Bucket]time.Duration{Ready: m(20)}})
	require.NoError(t, w.Close())
}

func TestWatchTellsASaveFailureOnce(t *testing.T) {
	clock := clocktest.New(at("09:00"))
	root := t.TempDir()
	st := Store{Dir: filepath.Join(root, "okdash")}
	k := Key{"demo", ""}
	f := newFake(oktell.Capabilities{Kind: oktell.SourceDemo})
	w := Watch(f, WatchConfig{Clock: clock, Zone: msk, Key: k, Store: &st, TickEvery: time.Minute})
	push(t, f, w, state(at("09:00"), ready))
	// Nothing can be written now: the directory's temporary files cannot be made.
	require.NoError(t, os.RemoveAll(st.Dir))
	require.NoError(t, os.WriteFile(st.Dir, nil, 0o600))
	require.True(t, clock.WaitPending(1, 5*time.Second))
	clock.Advance(time.Minute)
	f.ch <- state(at("09:02"), lunch)
	var warned oktell.Update
	for warned.Err == nil {
		warned = next(t, w)
	}
	assert.Contains(t, warned.Err.Error(), "shift not saved: ")
	assert.Error(t, w.SaveErr())
	require.True(t, clock.WaitPending(1, 5*time.Second))
	clock.Advance(time.Minute)
	f.ch <- state(at("09:04"), ready)
	for u := next(t, w); u.Event == nil; u = next(t, w) {
		assert.NoError(t, u.Err, "told once")
	}
	require.NoError(t, w.Close())
	assert.True(t, strings.Contains(w.SaveErr().Error(), st.Dir))
}

// reasonSession is a fake whose breaks carry their reason and which logs in again.
type reasonSession struct {
	*fakeSession
	reason, password string
}

func (r *reasonSession) SetUserStateReason(_ context.Context, _ oktell.UserState, _ bool, reason string) error {
	r.reason = reason
	return nil
}

func (r *reasonSession) Reconnect(_ context.Context, password string) error {
	r.password = password
	return nil
}

// A watched session keeps what the session under it can do: a break's reason and a new
// login go through, and the break reasons reach the dashboard; a session that cannot is
// said to be unable, not silently given a break without its reason.
func TestWatchPassesReasonsAndReconnectOn(t *testing.T) {
	clock := clocktest.New(at("09:00"))
	caps := live
	caps.Reconnect = true
	inner := &reasonSession{fakeSession: newFake(caps)}
	w := Watch(inner, WatchConfig{Clock: clock, Zone: msk, TickEvery: time.Hour})
	defer w.Close()
	assert.True(t, w.Capabilities().Reconnect)
	ctx := context.Background()
	require.NoError(t, oktell.SetUserStateReason(ctx, w, lunch, false, "r2"))
	assert.Equal(t, "r2", inner.reason)
	require.NoError(t, oktell.Reconnect(ctx, w, "secret"))
	assert.Equal(t, "secret", inner.password)
	br := oktell.NewBreakReasons([]oktell.BreakReason{{ID: "r1", Name: "Обед"}, {ID: "r2", Name: "Перерыв"}}, "")
	push(t, inner.fakeSession, w, oktell.Update{At: at("09:00"), BreakReasons: &br})

	plain := Watch(newFake(live), WatchConfig{Clock: clock, Zone: msk, TickEvery: time.Hour})
	defer plain.Close()
	assert.ErrorIs(t, oktell.SetUserStateReason(ctx, plain, lunch, false, "r2"), oktell.ErrUnsupported)
	assert.ErrorIs(t, oktell.Reconnect(ctx, plain, "secret"), oktell.ErrUnsupported)
}

// A followed log's backlog counts at the log's times, however long its silences, and the
// time runs on to now once it is read; a tick while it is read changes nothing (before:
// the backlog was counted at the moment it was read: the day started then, at 00:00 in
// its last state).
func TestWatchFollowCountsTheBacklogAtItsTimes(t *testing.T) {
	clock := clocktest.New(at("12:00"))
	f := newFake(oktell.Capabilities{Kind: oktell.SourceFollow, ReadOnly: true, Line: true, LogTimes: true})
	w := Watch(f, WatchConfig{Clock: clock, Zone: msk, TickEvery: time.Minute})
	ticks := func(to time.Time) { // the clock runs on, the watcher ticking every minute
		t.Helper()
		for clock.Now().Before(to) {
			require.True(t, clock.WaitPending(1, 5*time.Second), "the watcher does not tick")
			clock.Advance(time.Minute)
		}
	}
	past := func(u oktell.Update) oktell.Update { u.Backlog = true; return u }
	push(t, f, w, status(at("12:00"), oktell.LinkReadOnly)) // following PATH: sent before the backlog
	push(t, f, w, past(state(at("09:00"), ready)))
	push(t, f, w, past(message(at("09:20"), "{1}")))
	ticks(at("12:01"))                                      // a tick in the middle of the backlog
	push(t, f, w, past(state(at("11:00"), lunch)))          // two hours without a word: the log was written
	push(t, f, w, status(at("12:01"), oktell.LinkReadOnly)) // up to date
	ticks(at("12:30"))
	sum := w.Summary()
	checkFigures(t, sum.Figures, want{time: map[Bucket]time.Duration{Ready: m(120), Break: m(90)},
		breaks: 1, longest: m(90), received: 1, start: at("09:00")})
	assert.Equal(t, Break, sum.Current)
	assert.True(t, sum.Since.Equal(at("11:00")), "on a break since %v, want 11:00", sum.Since)
	// Then news, at now: the shift goes on as a live one.
	push(t, f, w, state(at("12:30"), ready))
	ticks(at("12:40"))
	checkFigures(t, w.Summary().Figures, want{time: map[Bucket]time.Duration{Ready: m(130), Break: m(90)},
		breaks: 1, longest: m(90), received: 1})
	require.NoError(t, w.Close())
}

// The quit line reads the shift after Close: for a replay it is the one the view showed
// (up to the last document), for a live source the one up to now.
func TestWatchCloseCountsToTheSameEnd(t *testing.T) {
	for _, tc := range []struct {
		name string
		caps oktell.Capabilities
		want time.Duration // the shift's length at the close
	}{
		{"file", oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true, Line: true, LogTimes: true, Position: oktell.RealClock{}}, 12 * time.Second},
		{"follow", oktell.Capabilities{Kind: oktell.SourceFollow, ReadOnly: true, Line: true, LogTimes: true}, 12*time.Second + 30*time.Second},
		{"live", live, 12*time.Second + 30*time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := at("09:00")
			clock := clocktest.New(start)
			f := newFake(tc.caps)
			w := Watch(f, WatchConfig{Clock: clock, Zone: msk, TickEvery: time.Hour})
			push(t, f, w, state(start, ready))
			push(t, f, w, state(start.Add(8*time.Second), oktell.UserWOphone))
			push(t, f, w, tick(start.Add(12*time.Second)))
			if tc.caps.Position != nil {
				clock.Set(at("21:52")) // a replay played hours after it was written
			} else {
				clock.Set(start.Add(12*time.Second + 30*time.Second))
			}
			view := w.SummaryAt(clock.Now()) // what the shift view shows, on the dashboard's clock
			require.NoError(t, w.Close())
			quit := w.Summary() // what the quit line prints
			assert.Equal(t, tc.want, quit.Length())
			assert.Equal(t, view.Figures, quit.Figures, "the view and the quit line agree")
		})
	}
}
