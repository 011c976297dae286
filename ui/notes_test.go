package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/bridge"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/ws"
)

func historyTexts(m Model) []string {
	var out []string
	for _, n := range m.history.notes {
		out = append(out, n.n.text)
	}
	return out
}

// An input problem that did not stop the session is a self-hiding warning toast and an
// entry in the history marked as okdash's own.
func TestUpdateErrIsWarningToastAndHistory(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m, cmd := stepCmd(m, updateMsg{oktell.Update{At: t0, Err: errors.New("shift.log: skipped at byte 120: unexpected end of document")}})
	require.Len(t, m.toasts.list, 1)
	tt := m.toasts.list[0]
	assert.Equal(t, oktell.NltApplicationWarn, tt.n.typ)
	assert.True(t, tt.n.local)
	assert.True(t, tt.n.autohide, "a warning hides itself")
	_ = cmd
	assert.Equal(t, []string{"shift.log: skipped at byte 120: unexpected end of document"}, historyTexts(m))
	assert.Equal(t, "okdash warning", noteLabel(m.c, m.history.notes[0].n))

	m = tickAt(m, t0.Add(7*time.Second))
	require.Len(t, m.toasts.list, 1, "not yet: 8 s")
	m = tickAt(m, t0.Add(8*time.Second))
	assert.Empty(t, m.toasts.list, "the toast went at the tick after its time")
	assert.Len(t, m.history.notes, 1, "the history keeps it")
	m = step(m, keyPress("n"))
	assert.Contains(t, ansi.Strip(m.View()), "okdash warning")
	assert.Contains(t, ansi.Strip(m.View()), "skipped at byte 120")

	// an event and an error in the same update: both are kept
	m, _, _ = newTest(80, 24)
	m = step(m, updateMsg{oktell.Update{At: t0, Event: evState(oktell.UserReady, false), Err: errors.New("garbage")}})
	assert.Equal(t, oktell.UserReady, m.status.state)
	assert.Equal(t, []string{"garbage"}, toastTexts(m))
}

// okdash's own errors stay until dismissed and are kept in the history with their text.
func TestLocalErrorsStayAndAreInHistory(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"refused", oktell.RefusedSaying(3, "not now"), "Asked for Break: refused: not now"},
		{"refused without reason", &oktell.RefusedError{Code: 3}, "Asked for Break: refused"},
		{"context timeout", fmt.Errorf("ws: request 7: %w", context.DeadlineExceeded), "Asked for Break: no answer from Oktell within 20s"},
		{"network timeout", timeoutErr{}, "Asked for Break: no answer from Oktell in time"},
		{"bridge timeout", fmt.Errorf("SetUserState: %w (5s)", bridge.ErrTimeout), "Asked for Break: no answer from Oktell in time"},
		{"ws timeout", &ws.TimeoutError{Method: "setuserstate", Timeout: 20 * time.Second}, "Asked for Break: no answer from Oktell in time"},
		{"not connected", oktell.ErrNotConnected, "Asked for Break: not connected to Oktell"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := breakFails(t, language.English, tc.err)
			require.Len(t, m.toasts.list, 1)
			assert.Equal(t, tc.want, m.toasts.list[0].n.text)
			assert.False(t, m.toasts.list[0].n.autohide, "an error stays until dismissed")
			assert.Equal(t, []string{tc.want}, historyTexts(m))
			m = tickAt(m, t0.Add(time.Hour))
			assert.Len(t, m.toasts.list, 1, "no tick takes it away")
			m = step(m, keyPress("x"))
			assert.Empty(t, m.toasts.list, "x dismisses it")
			assert.Len(t, m.history.notes, 1)
		})
	}
}

// breakFails is an 80x24 dashboard in lang, ready, after b asked for a break and the
// session failed the request with err (the requests time out after 20s).
func breakFails(t *testing.T, lang language.Tag, err error) Model {
	t.Helper()
	f := newFake()
	o := testOptions(f, clocktest.New(t0), lang)
	o.RequestTimeout = 20 * time.Second
	m := step(New(o), windowSize(80, 24))
	f.stateErr = err
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, cmd := stepCmd(m, keyPress("b"))
	return settle(t, m, cmd)
}

func TestLocalErrorsRussian(t *testing.T) {
	m := breakFails(t, language.Russian, context.DeadlineExceeded)
	assert.Equal(t, []string{"Запрос «Перерыв» не выполнен: нет ответа от Oktell за 20 с"}, toastTexts(m))
	assert.NotContains(t, toastTexts(m)[0], "отказ")
}

func TestConfirmTimeoutAndSendFailureStay(t *testing.T) {
	m, f, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, _ = stepCmd(m, keyPress("b"))
	m = step(m, confirmTimeoutMsg{id: m.request.pending.id})
	require.Len(t, m.toasts.list, 1)
	assert.False(t, m.toasts.list[0].n.autohide)
	assert.Len(t, m.history.notes, 1)

	f.sendErr = context.DeadlineExceeded
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет")))
	m = step(m, keyPress("m"))
	for _, r := range "ok" {
		m = step(m, keyPress(string(r)))
	}
	m, cmd := stepCmd(m, keyPress("enter"))
	m = settle(t, m, cmd)
	assert.Contains(t, toastTexts(m), "Could not send to Анна: no answer from Oktell within 10s")
	assert.Len(t, m.history.notes, 2)
}

type timeoutErr struct{}

func withGUID(e *oktell.Event, guid string) *oktell.Event {
	for i, p := range e.Props {
		if p.Key == "guid" {
			e.Props[i].Text = guid
		}
	}
	return e
}

// A message or notification delivered twice (same GUID) appears once; an empty or
// all-zero GUID identifies nothing, so those are all kept.
func TestDuplicateDeliveriesShownOnce(t *testing.T) {
	m, _, _ := newTest(80, 24)
	g := "{6F9619FF-8B86-D011-B42D-00CF4FC964FF}"
	for i := 0; i < 3; i++ {
		m = step(m, upd(t0, withGUID(evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "обновление"), g)))
		m = step(m, upd(t0, withGUID(evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет"), g)))
	}
	assert.Len(t, m.history.notes, 1)
	require.Len(t, m.toasts.list, 1)
	assert.Equal(t, 1, m.toasts.list[0].count, "not counted as a repeat either")
	assert.Len(t, m.messages.items, 1)

	// case does not make another delivery
	m = step(m, upd(t0, withGUID(evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "обновление"), strings.ToLower(g))))
	assert.Len(t, m.history.notes, 1)

	for _, zero := range []string{"", "00000000-0000-0000-0000-000000000000", "{00000000-0000-0000-0000-000000000000}"} {
		m, _, _ = newTest(80, 24)
		for i := 0; i < 2; i++ {
			m = step(m, upd(t0, withGUID(evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "x"), zero)))
			m = step(m, upd(t0, withGUID(evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет"), zero)))
		}
		assert.Len(t, m.history.notes, 2, "%q", zero)
		assert.Len(t, m.messages.items, 2, "%q", zero)
	}

	// once dropped from the kept history, a GUID may come back
	f := newFake()
	o := testOptions(f, clocktest.New(t0), language.English)
	o.MaxHistory = 2
	m = step(New(o), windowSize(80, 24))
	m = step(m, upd(t0, withGUID(evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "a"), "g1")))
	m = step(m, upd(t0, withGUID(evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "b"), "g2")))
	m = step(m, upd(t0, withGUID(evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "c"), "g3")))
	m = step(m, upd(t0, withGUID(evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "a"), "g1")))
	assert.Equal(t, []string{"c", "a"}, historyTexts(m))
}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// A red error about a request goes from the screen once what was asked for happened
// after all (the operator reached Ready another way, a late confirmation, a later send
// to the same colleague): the history keeps it. An error about something else stays.
func TestLaterSuccessSupersedesTheError(t *testing.T) {
	m, f, _ := newTest(80, 24)
	press := func(k string) {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress(k))
		m = settle(t, m, cmd)
	}
	m = step(m, upd(t0, evState(oktell.UserOff, false)))
	f.stateErr = oktell.RefusedSaying(3, "not now")
	press("r")
	press("b")
	require.Equal(t, []string{"Asked for Ready: refused: not now", "Asked for Break: refused: not now"}, toastTexts(m))
	m = step(m, upd(t0.Add(time.Minute), evState(oktell.UserReady, false)))
	assert.Equal(t, []string{"Asked for Break: refused: not now"}, toastTexts(m), "Ready was reached: its error goes; Break's stays")
	assert.Len(t, m.history.notes, 2, "the history keeps both")

	// a confirmation later than the timeout
	f.stateErr = nil
	m, _ = stepCmd(m, keyPress("a"))
	m = step(m, confirmTimeoutMsg{id: m.request.pending.id})
	require.Contains(t, toastTexts(m), "No answer to Away within 10s")
	m = step(m, upd(t0.Add(2*time.Minute), evState(oktell.UserOff, false)))
	assert.NotContains(t, toastTexts(m), "No answer to Away within 10s")

	// redirect: refused, then on
	f.stateErr = &oktell.RefusedError{Code: 3}
	press("f")
	require.Contains(t, toastTexts(m), "Asked for Redirect on: refused")
	m = step(m, upd(t0.Add(3*time.Minute), evState(oktell.UserOff, true)))
	assert.NotContains(t, toastTexts(m), "Asked for Redirect on: refused")

	// a message that could not be sent, then one that was, to the same colleague
	f.sendErr = context.DeadlineExceeded
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет")))
	m = step(m, keyPress("m"))
	m = step(m, keyPress("x"))
	press("enter")
	require.Contains(t, toastTexts(m), "Could not send to Анна: no answer from Oktell within 10s")
	f.sendErr = nil
	press("enter")
	assert.NotContains(t, toastTexts(m), "Could not send to Анна: no answer from Oktell within 10s")
	assert.Len(t, m.history.notes, 5)
}
