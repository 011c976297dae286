package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/record"
	"github.com/okdash/okdash/oktell/replay"
)

// recording is what --record writes of a morning with the operator's own requests:
// Petrova writes, the operator asks for a break (accepted), for Away (refused), answers
// Petrova (sent) and writes to an unknown id (refused).
func recording(t *testing.T, start time.Time) string {
	t.Helper()
	clk := clocktest.New(start)
	inner := newFake()
	var out closingBuffer
	rec := record.Wrap(inner, &out, clk)
	pass := func(at time.Duration, e *oktell.Event) {
		t.Helper()
		clk.Set(start.Add(at))
		inner.updates <- oktell.Update{At: clk.Now(), Event: e}
		select {
		case <-rec.Updates():
		case <-time.After(5 * time.Second):
			t.Fatal("the recording did not pass the update on")
		}
	}
	ctx := context.Background()
	pass(0, evState(oktell.UserReady, false))
	pass(time.Second, evMessage("", "u-petrova", "Петрова Анна", "Перезвоните клиенту"))
	clk.Set(start.Add(2 * time.Second))
	require.NoError(t, rec.SetUserState(ctx, oktell.UserLunch, false))
	pass(3*time.Second, evState(oktell.UserLunch, false))
	clk.Set(start.Add(10 * time.Second))
	inner.stateErr = oktell.RefusedSaying(0, "not allowed")
	require.Error(t, rec.SetUserState(ctx, oktell.UserOff, true))
	clk.Set(start.Add(20 * time.Second))
	require.NoError(t, rec.SendMessage(ctx, "u-petrova", "Перезвоню\x1b[31m через 5 минут"))
	clk.Set(start.Add(30 * time.Second))
	inner.sendErr = oktell.RefusedSaying(0, `no user with id "u-x"`)
	require.Error(t, rec.SendMessage(ctx, "u-x", "кто здесь?"))
	pass(40*time.Second, evState(oktell.UserReady, false))
	close(inner.updates)
	rec.Close()
	return out.String()
}

type closingBuffer struct{ bytes.Buffer }

func (*closingBuffer) Close() error { return nil }

// replayed is the dashboard after a replay of text, at speed 1 on a clock a day later.
func replayed(t *testing.T, text string, lang language.Tag, bell *bytes.Buffer) Model {
	t.Helper()
	clk := clocktest.New(t0.Add(24 * time.Hour))
	s := replay.Open(context.Background(), strings.NewReader(text), "morning.log", nil, replay.Options{Clock: clk})
	t.Cleanup(func() { s.Close() })
	o := testOptions(s, clk, lang)
	o.Bell, o.BellOut = true, bell
	m := New(o)
	m = step(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	err := clocktest.Drive(clk, s.Updates(), 10*time.Second, func(u oktell.Update) bool {
		m = feed(t, m, u)
		return u.Status != nil && strings.Contains(u.Status.Why.String(), "end of input")
	})
	require.NoError(t, err)
	return m
}

// A replayed recording shows the operator's own requests: a state request in the history
// at its time, a refusal as a live refusal is told (in the history: it is the past, not a
// sticky toast), a message in the messages pane to the name the messages know, cleaned,
// a refused one marked; nothing of it changes the state, tracks a request, toasts or rings
// (before: a replay showed nothing of them).
func TestReplayShowsTheOperatorsRequests(t *testing.T) {
	var bell bytes.Buffer
	m := replayed(t, recording(t, t0), language.English, &bell)

	assert.Equal(t, oktell.UserReady, m.status.state, "the state is the events'")
	assert.False(t, m.request.pending.active, "no request tracked")
	assert.Empty(t, m.toasts.list, "no toast")
	assert.Equal(t, "\a", bell.String(), "the bell for Petrova's message only")

	var hist []string
	for _, k := range m.history.notes {
		hist = append(hist, k.n.at.Format("15:04:05")+" "+noteLabel(m.c, k.n)+": "+k.n.text)
	}
	assert.Equal(t, []string{
		"09:00:02 okdash: You asked for Break (redirect off)",
		"09:00:10 okdash: You asked for Away (redirect on)",
		"09:00:10 okdash error: Asked for Away: refused: not allowed",
		`09:00:30 okdash error: Could not send to u-x: refused: no user with id "u-x"`,
	}, hist)

	require.Len(t, m.messages.items, 3)
	reply, lost := m.messages.items[1], m.messages.items[2]
	assert.True(t, reply.outgoing && !reply.refused)
	assert.Equal(t, "Петрова Анна", reply.sender, "the recipient by the name the messages know")
	assert.Equal(t, "Перезвоню через 5 минут", reply.text, "cleaned")
	assert.Equal(t, "09:00:20", reply.at.Format("15:04:05"))
	assert.True(t, lost.outgoing && lost.refused)
	assert.Zero(t, m.messages.unread)
	screen := ansi.Strip(m.View())
	assert.Contains(t, screen, "me → Петрова Анна")
	assert.Contains(t, screen, "me → u-x (not sent)")
	assert.Contains(t, screen, "Перезвоню через 5 минут")
	assert.NotContains(t, m.messages.replyTarget().sender, "u-x", "a reply goes to someone who wrote")

	m = step(m, keyPress("n"))
	screen = ansi.Strip(m.View())
	assert.Contains(t, screen, "You asked for Break (redirect off)")
	assert.Contains(t, screen, "Asked for Away: refused: not allowed")
}

func TestReplayShowsTheOperatorsRequestsInRussian(t *testing.T) {
	m := replayed(t, recording(t, t0), language.Russian, &bytes.Buffer{})
	assert.Equal(t, []string{
		"Вы запросили «Перерыв» (переадресация выкл.)",
		"Вы запросили «Отошёл» (переадресация вкл.)",
		"Запрос «Отошёл» не выполнен: отказано: not allowed",
		`Не отправлено (u-x): отказано: no user with id "u-x"`,
	}, historyTexts(m))
	assert.Contains(t, ansi.Strip(m.View()), "я → u-x (не отправлено)")
}

// A WebSocket capture's break request names its reason; an outcome whose request is not
// known still says what went wrong.
func TestReplayedBreakReasonAndLoneOutcome(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = feed(t, m,
		oktell.Update{At: t0, Sent: &oktell.Sent{Kind: oktell.SentState, ID: "q1", State: oktell.UserLunch, BreakReason: "7", BreakName: "Обед\x1b[2J"}},
		oktell.Update{At: t0, Sent: &oktell.Sent{Kind: oktell.SentState, ID: "q2", State: oktell.UserLunch, Redirect: true, BreakReason: "8"}},
		oktell.Update{At: t0, Sent: &oktell.Sent{Kind: oktell.SentState, ID: "q9", Answered: true, Why: oktell.Because(oktell.ReasonTimedOut)}},
		oktell.Update{At: t0, Sent: &oktell.Sent{Kind: oktell.SentState, ID: "q2", Answered: true, Why: oktell.RequestWhy(context.DeadlineExceeded)}},
		oktell.Update{At: t0, Sent: &oktell.Sent{Kind: oktell.SentState, ID: "q1", Answered: true}},
		oktell.Update{At: t0, Sent: &oktell.Sent{Kind: oktell.SentOther, Method: "getversion", ID: "q3"}},
	)
	assert.Equal(t, []string{
		"You asked for Break (redirect off), reason Обед",
		"You asked for Break (redirect on), reason 8",
		"Asked for a state: no answer from Oktell in time",
		"Asked for Break: no answer from Oktell in time",
	}, historyTexts(m))
	assert.Empty(t, m.history.asked, "every outcome found its request")
	assert.Empty(t, m.toasts.list)
	assert.False(t, m.request.pending.active)
}

// A recorded refusal reads in Russian from its code, and so does one recorded before
// okdash kept the code beside the English (the old line has only the "error" text):
// neither reads English back in the view.
func TestReplayedRefusalSpeaksRussian(t *testing.T) {
	clk := clocktest.New(t0)
	inner := newFake()
	var out closingBuffer
	rec := record.Wrap(inner, &out, clk)
	inner.stateErr = oktell.Refused(2, oktell.Because(oktell.ReasonNoPhoneLine))
	require.Error(t, rec.SetUserState(context.Background(), oktell.UserReady, false))
	inner.stateErr = oktell.RefusedSaying(0, "not allowed")
	require.Error(t, rec.SetUserState(context.Background(), oktell.UserOff, false))
	clk.Set(t0.Add(time.Second))
	inner.updates <- oktell.Update{At: clk.Now(), Event: evState(oktell.UserReady, false)}
	<-rec.Updates()
	close(inner.updates)
	rec.Close()
	coded := out.String()
	require.Contains(t, coded, `"code":"no-phone-line"`)
	var old []string
	for _, l := range strings.Split(coded, "\n") {
		if !strings.Contains(l, `<property_cdata key="reason">`) {
			old = append(old, l)
		}
	}
	require.NotContains(t, strings.Join(old, "\n"), `"code"`)

	for name, text := range map[string]string{"coded": coded, "text only": strings.Join(old, "\n")} {
		m := replayed(t, text, language.Russian, &bytes.Buffer{})
		assert.Equal(t, []string{
			"Вы запросили «Готов» (переадресация выкл.)",
			"Запрос «Готов» не выполнен: отказано: телефонная линия не зарегистрирована",
			"Вы запросили «Отошёл» (переадресация выкл.)",
			"Запрос «Отошёл» не выполнен: отказано: not allowed",
		}, historyTexts(m), name)
	}
}
