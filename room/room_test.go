package room

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/internal/syncbuf"
	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// fakeShift is a demo session's actions, recorded.
type fakeShift struct {
	mu     sync.Mutex
	calls  []string
	answer func(string) error
	block  bool // every action waits for its context
}

func (f *fakeShift) record(s string, ctx context.Context) error {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	block := f.block
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

func (f *fakeShift) Message(ctx context.Context, from Trainer, text string, answer func(string) error) error {
	f.mu.Lock()
	f.answer = answer
	f.mu.Unlock()
	return f.record("message from "+from.Name+": "+text, ctx)
}
func (f *fakeShift) Notify(ctx context.Context, from Trainer, typ oktell.NotifyType, text string) error {
	return f.record(fmt.Sprintf("notify %s: %s", typ, text), ctx)
}
func (f *fakeShift) Ring(ctx context.Context, number, name string) error {
	return f.record("ring "+number+" "+name, ctx)
}
func (f *fakeShift) SetLink(ctx context.Context, up bool) error {
	return f.record(fmt.Sprintf("link up=%v", up), ctx)
}

func (f *fakeShift) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeShift) reply(text string) error {
	f.mu.Lock()
	a := f.answer
	f.mu.Unlock()
	return a(text)
}

func newTest(t *testing.T) (*Registry, *clocktest.Clock, *syncbuf.Buffer) {
	t.Helper()
	clk := clocktest.New(t0)
	logs := &syncbuf.Buffer{}
	return New(clk, slog.New(slog.NewTextHandler(logs, nil))), clk, logs
}

var trainer = Trainer{ID: "tr-1", Name: "Анна Тренер", Key: "SHA256:abc"}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestJoinListLeave(t *testing.T) {
	reg, clk, _ := newTest(t)
	rm, err := reg.Open(trainer)
	require.NoError(t, err)
	a, err := reg.Join(Info{User: "ivanova\x1b[31m", Addr: "10.0.0.5:5000", Source: "demo"}, &fakeShift{})
	require.NoError(t, err)
	clk.Advance(time.Second)
	b, err := reg.Join(Info{User: "petrov", Addr: "10.0.0.6:5000", Source: "ws://x"}, nil)
	require.NoError(t, err)
	<-rm.Changed()
	rows := rm.List()
	require.Len(t, rows, 2)
	assert.Equal(t, "ivanova", rows[0].Info.User, "no escape reaches the room")
	assert.True(t, rows[0].Demo)
	assert.False(t, rows[1].Demo)
	assert.Equal(t, t0.Add(time.Second), rows[1].Joined)

	a.Publish(Snapshot{Known: true, State: oktell.UserLunch, Since: t0, Pending: "Ready", LastKey: "2"})
	<-rm.Changed()
	assert.Equal(t, oktell.UserLunch, rm.List()[0].State)
	assert.Equal(t, "2", rm.List()[0].LastKey)

	b.Leave()
	b.Leave()                        // once
	b.Publish(Snapshot{Known: true}) // after leaving: nothing
	require.Len(t, rm.List(), 1)
	assert.ErrorIs(t, rm.Do(ctx(t), b.ID, Action{Kind: ActRing}), ErrGone)
}

// A dashboard publishes without waiting: with a room that never reads, ten thousand
// publishes return, and the room holds one token for all of them. Run under -race with
// publishers and a reader at once.
func TestPublishNeverWaits(t *testing.T) {
	reg, _, _ := newTest(t)
	rm, err := reg.Open(trainer)
	require.NoError(t, err)
	var trainees []*Trainee
	for i := 0; i < 8; i++ {
		tr, err := reg.Join(Info{User: fmt.Sprint("t", i)}, &fakeShift{})
		require.NoError(t, err)
		trainees = append(trainees, tr)
	}
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	go func() { // a room reading as it can
		defer close(readerDone)
		for {
			select {
			case <-stop:
				return
			case <-rm.Changed():
				for _, r := range rm.List() {
					_ = r.LastKey
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for _, tr := range trainees {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				tr.Publish(Snapshot{Known: true, State: oktell.UserReady, LastKey: fmt.Sprint(i % 10)})
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-readerDone

	// Nobody reads now: publishing still returns at once, and one token waits.
	other, err := reg.Open(Trainer{ID: "tr-2"})
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		for i := 0; i < 10000; i++ {
			trainees[0].Publish(Snapshot{LastKey: "x"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("publishing waited for a room that does not read")
	}
	assert.Len(t, other.wake, 1)
}

// A trainee's answers reach the trainer's rooms, at most replyBurst at once and then one
// every replyEvery (on the injected clock); beyond, the trainee is told to wait.
func TestAnswersRateAndRoute(t *testing.T) {
	reg, clk, logs := newTest(t)
	rm, err := reg.Open(trainer)
	require.NoError(t, err)
	otherRoom, err := reg.Open(Trainer{ID: "tr-2", Name: "B"})
	require.NoError(t, err)
	shift := &fakeShift{}
	tr, err := reg.Join(Info{User: "ivanova"}, shift)
	require.NoError(t, err)
	require.NoError(t, rm.Do(ctx(t), tr.ID, Action{Kind: ActMessage, Text: "Как дела?"}))
	assert.Equal(t, []string{"message from Анна Тренер: Как дела?"}, shift.got())

	for i := 0; i < replyBurst; i++ {
		require.NoError(t, shift.reply(fmt.Sprint("ответ ", i)))
	}
	var refused *oktell.RefusedError
	err = shift.reply("ещё")
	require.ErrorAs(t, err, &refused)
	assert.Equal(t, oktell.ReasonTooManyMessages, refused.Why.Code)
	clk.Advance(replyEvery)
	require.NoError(t, shift.reply("через две секунды"))

	events, dropped := rm.Drain()
	require.Len(t, events, replyBurst+1)
	assert.Zero(t, dropped)
	assert.Equal(t, "ivanova", events[0].User)
	assert.Equal(t, "через две секунды", events[replyBurst].Text)
	assert.Equal(t, t0.Add(replyEvery), events[replyBurst].At)
	ev, _ := otherRoom.Drain()
	assert.Empty(t, ev, "another trainer's room does not get the answers")
	assert.Contains(t, logs.String(), `msg="room answer" from=ivanova`)
	assert.NotContains(t, logs.String(), "через две", "the trainee's words stay out of the log")

	// The trainer closes the room: the next answer is refused, with why.
	rm.Close()
	clk.Advance(time.Minute)
	err = shift.reply("алло?")
	require.ErrorAs(t, err, &refused)
	assert.Equal(t, oktell.ReasonTrainerLeft, refused.Why.Code)
	select {
	case <-rm.Done():
	default:
		t.Fatal("Done is not closed")
	}
}

// A hostile trainee flooding the room with answers: what the room keeps is bounded in
// number and size, and the flood costs the server no memory beyond that.
func TestHostileTraineeCannotFloodTheRoom(t *testing.T) {
	reg, clk, _ := newTest(t)
	rm, err := reg.Open(trainer)
	require.NoError(t, err)
	huge := strings.Repeat("спам ", 1<<16) // 320 KiB of text an answer
	var shifts []*fakeShift
	for i := 0; i < 40; i++ {
		s := &fakeShift{}
		tr, err := reg.Join(Info{User: fmt.Sprint("t", i)}, s)
		require.NoError(t, err)
		require.NoError(t, rm.Do(ctx(t), tr.ID, Action{Kind: ActMessage, Text: "?"}))
		shifts = append(shifts, s)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	accepted := 0
	for round := 0; round < 10; round++ {
		for _, s := range shifts {
			for i := 0; i < 1000; i++ {
				if s.reply(huge) == nil {
					accepted++
				}
			}
		}
		clk.Advance(replyEvery)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	assert.Equal(t, 40*(replyBurst+9), accepted, "each trainee: the burst, then one per interval")
	events, dropped := rm.Drain()
	require.Len(t, events, MaxEvents)
	assert.Equal(t, accepted-MaxEvents, dropped)
	for _, e := range events {
		assert.LessOrEqual(t, len([]rune(e.Text)), MaxText)
	}
	grown := int64(m1.HeapAlloc) - int64(m0.HeapAlloc)
	t.Logf("heap grew %d KiB after %d answers of %d KiB", grown>>10, 40*10*1000, len(huge)>>10)
	const budget = MaxEvents * MaxText * 4 * 4 // the events kept, four times over
	assert.Less(t, grown, int64(budget))
}

func TestBounds(t *testing.T) {
	reg, _, logs := newTest(t)
	var last *Trainee
	for i := 0; i < MaxTrainees; i++ {
		tr, err := reg.Join(Info{User: "u"}, nil)
		require.NoError(t, err)
		last = tr
	}
	_, err := reg.Join(Info{User: "late"}, nil)
	assert.ErrorIs(t, err, ErrFull)
	_, err = reg.Join(Info{User: "later"}, nil)
	assert.ErrorIs(t, err, ErrFull)
	assert.Equal(t, 1, strings.Count(logs.String(), "which is full"), "logged once")
	last.Leave()
	_, err = reg.Join(Info{User: "now"}, nil)
	assert.NoError(t, err)

	for i := 0; i < MaxRooms; i++ {
		_, err := reg.Open(Trainer{ID: fmt.Sprint(i)})
		require.NoError(t, err)
	}
	_, err = reg.Open(Trainer{ID: "x"})
	assert.ErrorIs(t, err, ErrTooManyRoom)

	rm := (*reg.rooms.Load())[0]
	assert.Equal(t, "Trainer", rm.Trainer.Name, "a key without a comment")
}

// Every action is logged: who, to whom, what; a text by its length and first words.
func TestActionsAreLogged(t *testing.T) {
	reg, _, logs := newTest(t)
	rm, err := reg.Open(trainer)
	require.NoError(t, err)
	shift := &fakeShift{}
	tr, err := reg.Join(Info{User: "ivanova", Addr: "10.0.0.5:5000"}, shift)
	require.NoError(t, err)
	real, err := reg.Join(Info{User: "petrov", Source: "ws://oktell"}, nil)
	require.NoError(t, err)
	c := ctx(t)
	secret := "Клиент номер 4512 перезвонит после обеда, пароль от CRM 12345"
	require.NoError(t, rm.Do(c, tr.ID, Action{Kind: ActMessage, Text: secret}))
	require.NoError(t, rm.Do(c, tr.ID, Action{Kind: ActNotify, Type: oktell.NltInformation, Text: "Собрание в 12:00"}))
	require.NoError(t, rm.Do(c, tr.ID, Action{Kind: ActRing, Number: "+74951234567", Name: "Иванов Иван"}))
	require.NoError(t, rm.Do(c, tr.ID, Action{Kind: ActLinkDown}))
	require.NoError(t, rm.Do(c, tr.ID, Action{Kind: ActLinkUp}))
	assert.ErrorIs(t, rm.Do(c, tr.ID, Action{Kind: ActMessage, Text: "  \x1b[2J "}), ErrEmpty)
	assert.ErrorIs(t, rm.Do(c, real.ID, Action{Kind: ActRing}), ErrNotDemo)
	assert.Equal(t, []string{
		"message from Анна Тренер: " + secret, "notify nltInformation: Собрание в 12:00",
		"ring +74951234567 Иванов Иван", "link up=false", "link up=true",
	}, shift.got())
	log := logs.String()
	assert.Contains(t, log, `msg="room action" trainer="Анна Тренер" trainer_key=SHA256:abc to=ivanova addr=10.0.0.5:5000 action=message chars=61 text="Клиент номер 4512…"`)
	assert.Contains(t, log, `action=notification type=nltInformation chars=16 text="Собрание в 12:00"`)
	assert.Contains(t, log, `action=ring number=+74951234567 name="Иванов Иван"`)
	assert.Contains(t, log, `action="link down"`)
	assert.NotContains(t, log, "пароль", "a message is not logged whole")
	assert.Equal(t, 5, strings.Count(log, `msg="room action"`))
}

// Writing to all reaches every demo trainee; a stuck shift fails with its context and
// does not keep the message from the others.
func TestBroadcast(t *testing.T) {
	reg, _, logs := newTest(t)
	rm, err := reg.Open(trainer)
	require.NoError(t, err)
	var shifts []*fakeShift
	for i := 0; i < 5; i++ {
		s := &fakeShift{block: i == 2}
		_, err := reg.Join(Info{User: fmt.Sprint("t", i)}, s)
		require.NoError(t, err)
		shifts = append(shifts, s)
	}
	_, err = reg.Join(Info{User: "real"}, nil)
	require.NoError(t, err)
	c, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	sent, failed := rm.Broadcast(c, "Перерыв окончен")
	assert.Equal(t, 4, sent)
	require.Len(t, failed, 1)
	for _, err := range failed {
		assert.True(t, errors.Is(err, context.DeadlineExceeded))
	}
	for _, s := range shifts {
		assert.Equal(t, []string{"message from Анна Тренер: Перерыв окончен"}, s.got())
	}
	assert.Contains(t, logs.String(), `to=all sent=4 failed=1 action=message chars=15 text="Перерыв окончен"`)
}

func TestFirstWords(t *testing.T) {
	assert.Equal(t, "Добрый день", FirstWords("Добрый день"))
	assert.Equal(t, "Один два три…", FirstWords("Один два три четыре"))
	assert.Equal(t, strings.Repeat("я", 32)+"…", FirstWords(strings.Repeat("я", 40)))
}
