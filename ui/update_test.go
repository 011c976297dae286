package ui

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
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
)

// settle feeds a command's immediate results back into the model, as the program would.
func settle(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	for i := 0; i < 10 && cmd != nil; i++ {
		var next []tea.Cmd
		for _, msg := range runCmd(m, cmd) {
			if _, ok := msg.(updateMsg); ok {
				continue
			}
			var c tea.Cmd
			m, c = stepCmd(m, msg)
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
	return m
}

func toastTexts(m Model) []string {
	var out []string
	for _, t := range m.toasts.list {
		out = append(out, t.n.text)
	}
	return out
}

func TestStateHotkeysSendRequestAndConfirm(t *testing.T) {
	cases := []struct {
		key      string
		from     oktell.UserState
		want     oktell.UserState
		redirect bool
	}{
		{"1", oktell.UserOff, oktell.UserReady, false},
		{"r", oktell.UserLunch, oktell.UserReady, false},
		{"к", oktell.UserOff, oktell.UserReady, false},
		{"2", oktell.UserReady, oktell.UserLunch, false},
		{"b", oktell.UserReady, oktell.UserLunch, false},
		{"и", oktell.UserFullbusy, oktell.UserLunch, false},
		{"3", oktell.UserReady, oktell.UserOff, false},
		{"a", oktell.UserLunch, oktell.UserOff, false},
		{"ф", oktell.UserReady, oktell.UserOff, false},
		{"4", oktell.UserReady, oktell.UserReady, true},
		{"f", oktell.UserLunch, oktell.UserLunch, true},
		{"а", oktell.UserOff, oktell.UserOff, true},
	}
	for _, tc := range cases {
		t.Run(tc.key+"_"+tc.from.String(), func(t *testing.T) {
			m, f, _ := newTest(80, 24)
			m = step(m, upd(t0, evState(tc.from, false)))
			m, cmd := stepCmd(m, keyPress(tc.key))
			require.True(t, m.request.pending.active, "request pending after %q", tc.key)
			assert.Contains(t, m.View(), "…", "pending shows in the header")
			m = settle(t, m, cmd)
			require.Equal(t, []stateCall{{tc.want, tc.redirect}}, f.states)
			require.True(t, m.request.pending.active, "still pending until the server confirms")
			assert.False(t, keyEnabled(m, "Ready"), "no second request while one is pending")

			m = step(m, upd(t0.Add(time.Second), evState(tc.want, tc.redirect)))
			assert.False(t, m.request.pending.active, "confirmed")
			assert.Equal(t, tc.want, m.status.state)
			assert.Equal(t, tc.redirect, m.status.redirect)
			assert.Empty(t, m.toasts.list)
		})
	}
}

func TestStateRequestRefused(t *testing.T) {
	m, f, _ := newTest(80, 24)
	f.stateErr = oktell.RefusedSaying(3, "нельзя\x1b[31m сейчас")
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, cmd := stepCmd(m, keyPress("b"))
	m = settle(t, m, cmd)
	assert.False(t, m.request.pending.active)
	assert.Equal(t, oktell.UserReady, m.status.state, "the state stays what the server said")
	require.Len(t, m.toasts.list, 1)
	assert.Equal(t, "Asked for Break: refused: нельзя сейчас", m.toasts.list[0].n.text, "escape stripped")
	assert.True(t, keyEnabled(m, "Break"), "the operator may try again")
}

func TestStateRequestTimesOut(t *testing.T) {
	m, f, c := newTest(80, 24)
	m.c.opts.ConfirmTimeout = 5 * time.Second
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, cmd := stepCmd(m, keyPress("3"))
	m = settle(t, m, cmd)
	require.Len(t, f.states, 1)

	// the confirm timer is a Cmd on the fake clock: run it and move the clock past it
	timer := confirmTimeoutCmd(c, m.request.pending.id, m.c.opts.ConfirmTimeout)
	got := make(chan tea.Msg, 1)
	p0 := c.Pending()
	go func() { got <- timer() }()
	waitFor(t, func() bool { return c.Pending() > p0 })
	c.Advance(5 * time.Second)
	msg := <-got
	m = step(m, msg)
	assert.False(t, m.request.pending.active)
	assert.Equal(t, oktell.UserReady, m.status.state)
	require.Len(t, m.toasts.list, 1)
	assert.Equal(t, "No answer to Away within 5s", m.toasts.list[0].n.text)

	// a late confirmation of an earlier request's timer does nothing
	m = step(m, confirmTimeoutMsg{id: 99})
	assert.Len(t, m.toasts.list, 1)
}

// A state the server sets by itself while a request waits (a call came in during a
// request for Break) ends the request at once, with a calm note instead of an error.
func TestStateRequestSuperseded(t *testing.T) {
	cases := []struct {
		name     string
		lang     language.Tag
		from     oktell.UserState
		key      string
		server   oktell.UserState
		redirect bool
		want     string // the note; "" means the request was confirmed
	}{
		{"break_then_busy", language.English, oktell.UserReady, "b", oktell.UserFullbusy, false,
			"Break was not applied: the server set Busy"},
		{"away_then_reserved", language.English, oktell.UserLunch, "a", oktell.UserReserved, false,
			"Away was not applied: the server set Reserved"},
		{"break_then_busy_ru", language.Russian, oktell.UserReady, "и", oktell.UserFullbusy, false,
			"Запрос «Перерыв» не выполнен: сервер установил «Занят»"},
		{"redirect_then_busy_without_it", language.English, oktell.UserReady, "f", oktell.UserFullbusy, false,
			"Redirect on was not applied: the server set Busy"},
		// the flag was applied; the state moved on its own at the same moment
		{"redirect_applied_with_busy", language.English, oktell.UserReady, "f", oktell.UserFullbusy, true, ""},
		// the server set redirect itself with the asked state: the state is what was asked
		{"ready_with_server_redirect", language.English, oktell.UserLunch, "r", oktell.UserReady, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, c := newFake(), clocktest.New(t0)
			m := New(testOptions(f, c, tc.lang))
			m = step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
			m = step(m, upd(t0, evState(tc.from, false)))
			m, cmd := stepCmd(m, keyPress(tc.key))
			m = settle(t, m, cmd)
			require.True(t, m.request.pending.active)

			m, cmd = stepCmd(m, upd(t0.Add(time.Second), evState(tc.server, tc.redirect)))
			assert.False(t, m.request.pending.active, "the request ends with the server's answer, not the timeout")
			assert.Equal(t, tc.server, m.status.state, "the state is what the server said")
			if tc.want == "" {
				assert.Empty(t, m.toasts.list)
				return
			}
			assert.NotNil(t, cmd, "the note hides itself on its timer")
			require.Len(t, m.toasts.list, 1)
			n := m.toasts.list[0].n
			assert.Equal(t, tc.want, n.text)
			assert.Equal(t, oktell.NltApplicationInfo, n.typ, "a note, not an error")
			assert.True(t, n.autohide)
			v := m.View()
			assert.Contains(t, v, "okdash ")
			assert.NotContains(t, v, "okdash error")
			assert.NotContains(t, v, "ошибка okdash")
			assert.True(t, keyEnabled(m, "Ready"), "the operator may ask again at once")

			// the request's own confirm timer, when it fires later, says nothing more
			m = step(m, confirmTimeoutMsg{id: m.request.pending.id})
			assert.Len(t, m.toasts.list, 1)
		})
	}
}

// A repeat of the state the request was made from is not an answer: keep waiting.
func TestStateRequestWaitsThroughARepeat(t *testing.T) {
	m, f, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, cmd := stepCmd(m, keyPress("2"))
	m = settle(t, m, cmd)
	require.Len(t, f.states, 1)
	m = step(m, upd(t0.Add(time.Second), evState(oktell.UserReady, false)))
	assert.True(t, m.request.pending.active, "the old state repeated: still pending")
	assert.Empty(t, m.toasts.list)
	m = step(m, upd(t0.Add(2*time.Second), evState(oktell.UserLunch, false)))
	assert.False(t, m.request.pending.active)
	assert.Empty(t, m.toasts.list)

	// a redirect request waits through its state repeated with the old flag
	m, cmd = stepCmd(m, keyPress("4"))
	m = settle(t, m, cmd)
	m = step(m, upd(t0.Add(3*time.Second), evState(oktell.UserLunch, false)))
	assert.True(t, m.request.pending.active)
	m = step(m, upd(t0.Add(4*time.Second), evState(oktell.UserLunch, true)))
	assert.False(t, m.request.pending.active)
	assert.Empty(t, m.toasts.list)
}

// waitFor polls a condition with a deadline: no sleep that guesses.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestDisabledKeys(t *testing.T) {
	stateKeys := []string{"1", "r", "к", "2", "b", "и", "3", "a", "ф", "4", "f", "а"}
	cases := []struct {
		name    string
		setup   func(m Model, f *fakeSession) Model
		allowed []string // keys that still send
	}{
		{"read-only source", func(m Model, f *fakeSession) Model {
			f.caps = oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true}
			m = New(testOptions(f, m.c.opts.Clock, m.c.opts.Lang))
			m = step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
			return step(m, upd(t0, evState(oktell.UserLunch, false)))
		}, nil},
		{"already ready", func(m Model, f *fakeSession) Model {
			return step(m, upd(t0, evState(oktell.UserReady, false)))
		}, []string{"2", "b", "и", "3", "a", "ф", "4", "f", "а"}},
		{"already on break", func(m Model, f *fakeSession) Model {
			return step(m, upd(t0, evState(oktell.UserLunch, false)))
		}, []string{"1", "r", "к", "3", "a", "ф", "4", "f", "а"}},
		{"busy: no redirect toggle", func(m Model, f *fakeSession) Model {
			return step(m, upd(t0, evState(oktell.UserFullbusy, false)))
		}, []string{"1", "r", "к", "2", "b", "и", "3", "a", "ф"}},
		{"link reconnecting", func(m Model, f *fakeSession) Model {
			m = step(m, upd(t0, evState(oktell.UserLunch, false)))
			return step(m, linkStatus(t0, oktell.LinkReconnecting, "EOF"))
		}, nil},
		{"connection lost", func(m Model, f *fakeSession) Model {
			m = step(m, upd(t0, evState(oktell.UserLunch, false)))
			return step(m, upd(t0, evBare(oktell.ConnectionLost)))
		}, nil},
		{"restart requested", func(m Model, f *fakeSession) Model {
			m = step(m, upd(t0, evState(oktell.UserLunch, false)))
			return step(m, upd(t0, evBare(oktell.RestartRequested)))
		}, nil},
		{"shutting down", func(m Model, f *fakeSession) Model {
			m = step(m, upd(t0, evState(oktell.UserLunch, false)))
			return step(m, ShutdownMsg{Why: oktell.Quoted("maintenance"), After: time.Minute})
		}, nil},
		{"session cannot set state", func(m Model, f *fakeSession) Model {
			f.caps.SetUserState = false
			m = New(testOptions(f, m.c.opts.Clock, m.c.opts.Lang))
			m = step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
			return step(m, upd(t0, evState(oktell.UserLunch, false)))
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range stateKeys {
				m, f, _ := newTest(80, 24)
				m = tc.setup(m, f)
				want := false
				for _, a := range tc.allowed {
					want = want || a == k
				}
				m2, cmd := stepCmd(m, keyPress(k))
				settle(t, m2, cmd)
				assert.Equal(t, want, len(f.states) == 1, "key %q", k)
			}
			m, f, _ := newTest(80, 24)
			m = tc.setup(m, f)
			help := m.View()
			if len(tc.allowed) == 0 {
				assert.NotContains(t, help, "1/r ready", "disabled keys leave the help")
				assert.NotContains(t, help, "2/b break")
			}
		})
	}
}

func TestLinkBackEnablesStateKeys(t *testing.T) {
	for _, back := range []tea.Msg{linkStatus(t0, oktell.LinkConnected, ""), upd(t0, evState(oktell.UserLunch, false))} {
		m, _, _ := newTest(80, 24)
		m = step(m, upd(t0, evState(oktell.UserLunch, false)))
		m = step(m, upd(t0, evBare(oktell.ConnectionLost)))
		require.True(t, m.status.stale)
		v := m.View()
		assert.Contains(t, v, "Link to Oktell lost")
		assert.Contains(t, v, "(stale)")
		assert.False(t, keyEnabled(m, "Ready"))
		m = step(m, back)
		assert.False(t, m.status.stale)
		assert.True(t, keyEnabled(m, "Ready"))
		assert.NotContains(t, m.View(), "Link to Oktell lost")
	}
}

func TestPendingRequestFailsWhenLinkDrops(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m = step(m, keyPress("2"))
	require.True(t, m.request.pending.active)
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, "read: connection reset"))
	assert.False(t, m.request.pending.active)
	assert.Equal(t, []string{"Request for Break lost with the link"}, toastTexts(m))
	assert.Contains(t, m.View(), "Link to Oktell lost: read: connection reset")
}

func addMessages(m Model, n int) Model {
	for i := 0; i < n; i++ {
		m = step(m, upd(t0.Add(time.Duration(i)*time.Second), evMessage("24.11.2026 09:00:00", "u-petrova", "Петрова", "сообщение "+strings.Repeat("x", i%7))))
	}
	return m
}

func TestReplyLineSwallowsHotkeys(t *testing.T) {
	m, f, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserLunch, false)))
	m = addMessages(m, 1)
	m = step(m, keyPress("enter"))
	require.True(t, m.reply.open)
	for _, k := range []string{"r", "1", "к", "q", "x", "n", "?", "й", " ", "2"} {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress(k))
		m = settle(t, m, cmd)
	}
	assert.Empty(t, f.states, "no hotkey fires while typing")
	assert.True(t, m.reply.open)
	assert.Equal(t, "r1кqxn?й 2", m.reply.input.Value())
	assert.Contains(t, m.View(), "Reply to Петрова: r1кqxn?й 2")

	m, cmd := stepCmd(m, keyPress("enter"))
	m = settle(t, m, cmd)
	assert.Equal(t, []sentCall{{"u-petrova", "r1кqxn?й 2"}}, f.sent)
	assert.False(t, m.reply.open)
	last := m.messages.items[len(m.messages.items)-1]
	assert.True(t, last.outgoing)
	assert.Contains(t, m.View(), "me → Петрова")
}

func TestReplyEscAndFailure(t *testing.T) {
	m, f, _ := newTest(80, 24)
	m = addMessages(m, 1)
	m = step(m, keyPress("m"))
	require.True(t, m.reply.open)
	m = step(m, keyPress("esc"))
	assert.False(t, m.reply.open)
	assert.Empty(t, f.sent)

	f.sendErr = errors.New("user offline")
	m = step(m, keyPress("ь"))
	require.True(t, m.reply.open)
	m = step(m, keyPress("hi"))
	m, cmd := stepCmd(m, keyPress("enter"))
	m = settle(t, m, cmd)
	assert.True(t, m.reply.open, "the text stays for another try")
	assert.Equal(t, "hi", m.reply.input.Value())
	assert.Equal(t, []string{"Could not send to Петрова: user offline"}, toastTexts(m))
}

func TestReplyDisabledWithoutSendOrSender(t *testing.T) {
	m, _, _ := newTest(80, 24)
	assert.False(t, keyEnabled(m, "Reply"), "no message to answer")
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "", "", "anonymous")))
	assert.False(t, keyEnabled(m, "Reply"), "no sender id to answer")

	f := newFake()
	f.caps = oktell.Capabilities{Kind: oktell.SourceFollow, ReadOnly: true}
	m = New(testOptions(f, m.c.opts.Clock, m.c.opts.Lang))
	m = step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = addMessages(m, 1)
	assert.False(t, keyEnabled(m, "Reply"), "read-only source")
	m = step(m, keyPress("enter"))
	assert.False(t, m.reply.open)
}

func TestMessengerScrollAndUnread(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = addMessages(m, 30)
	assert.Equal(t, 0, m.messages.unread)
	for i := 0; i < 12; i++ {
		m = step(m, keyPress("up"))
	}
	assert.Equal(t, 30-1-11, m.messages.sel)
	assert.Contains(t, m.View(), "▌")
	m = addMessages(m, 2)
	assert.Equal(t, 2, m.messages.unread)
	assert.Contains(t, m.View(), "2 unread")
	m = step(m, keyPress("end"))
	assert.Equal(t, 0, m.messages.unread)
	assert.Equal(t, -1, m.messages.sel)

	// with the history open, new messages count as unread too
	m = step(m, keyPress("n"))
	m = addMessages(m, 1)
	assert.Equal(t, 1, m.messages.unread)
	m = step(m, keyPress("esc"))
	assert.Equal(t, 0, m.messages.unread)
}

func TestMessageLimit(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m.c.opts.MaxMessages = 5
	m = addMessages(m, 12)
	assert.Len(t, m.messages.items, 5)
}

func TestCyrillicWrapByDisplayWidth(t *testing.T) {
	e := &msgEntry{text: "Очень длинное сообщение на русском языке, которое не помещается в одну строку терминала шириной двадцать"}
	for _, w := range []int{10, 20, 37} {
		lines := e.wrapped(w)
		require.Greater(t, len(lines), 1)
		for _, l := range lines {
			assert.LessOrEqual(t, len([]rune(l)), w, "%q at width %d", l, w)
		}
	}
	wide := &msgEntry{text: "東京東京東京東京東京"}
	for _, l := range wide.wrapped(5) {
		assert.LessOrEqual(t, len([]rune(l))*2, 5+1)
	}
}

func TestToasts(t *testing.T) {
	m, _, _ := newTest(80, 24)
	at := "24.11.2026 09:00:00"
	m = step(m, upd(t0, evNotify(oktell.NltPBXinfo, true, false, at, "АТС", "очередь 3")))
	require.Len(t, m.toasts.list, 1)

	// a repeat coalesces and restarts its time: it goes 8 s after the repeat, at a tick
	m = step(m, upd(t0.Add(5*time.Second), evNotify(oktell.NltPBXinfo, true, false, at, "АТС", "очередь 3")))
	require.Len(t, m.toasts.list, 1)
	assert.Equal(t, 2, m.toasts.list[0].count)
	assert.Contains(t, m.View(), "×2")
	m = tickAt(m, t0.Add(9*time.Second))
	require.Len(t, m.toasts.list, 1, "the first delivery's time no longer counts")
	m = tickAt(m, t0.Add(13*time.Second))
	assert.Empty(t, m.toasts.list, "gone at the first tick after its time")

	// autohide=0 stays until dismissed
	m = step(m, upd(t0, evNotify(oktell.NltApplicationErr, false, true, at, "CRM", "ошибка")))
	m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, at, "CRM", "инфо 1")))
	m = step(m, upd(t0, evNotify(oktell.NltApplicationWarn, false, false, at, "CRM", "внимание")))
	m = step(m, upd(t0, evNotify(oktell.NltIncomingCall, false, false, at, "АТС", "+7 900 000-00-00")))
	m = step(m, upd(t0, evNotify(oktell.NltTimer, false, false, at, "", "таймер")))
	shown, more := m.toasts.visible()
	require.Len(t, shown, 3)
	assert.Equal(t, oktell.NltIncomingCall, shown[0].n.typ, "an incoming call is on top")
	assert.Equal(t, 2, more)
	v := m.View()
	assert.Contains(t, v, "+2 more")
	assert.Contains(t, v, "INCOMING CALL")
	m = step(m, keyPress("x"))
	assert.Len(t, m.toasts.list, 4)
	assert.NotContains(t, m.View(), "INCOMING CALL")
	m = step(m, keyPress("X"))
	assert.Empty(t, m.toasts.list)

	// the history keeps every Notify, dbsaved marked
	assert.Equal(t, 7, len(m.history.notes))
	m = step(m, keyPress("т"))
	v = m.View()
	assert.Contains(t, v, "Notifications")
	assert.Contains(t, v, "⛁")
	assert.Contains(t, v, "CRM: ошибка")
}

func TestNltColorUsesARGB(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evColor(0xFF00FF00, "зелёный")))
	require.Len(t, m.toasts.list, 1)
	assert.Equal(t, uint32(0xFF00FF00), m.toasts.list[0].n.argb)
}

func TestVoiceMail(t *testing.T) {
	m, _, _ := newTest(80, 24)
	assert.False(t, keyEnabled(m, "VoiceMail"))
	m = step(m, upd(t0, evBare(oktell.VoiceMail)))
	m = step(m, upd(t0, evBare(oktell.VoiceMail)))
	assert.Contains(t, m.View(), "✉ 2 new voicemails")
	m = step(m, keyPress("м"))
	assert.Equal(t, 0, m.status.voicemail)
	assert.NotContains(t, m.View(), "voicemail")
}

func TestShutdownCountdown(t *testing.T) {
	m, _, c := newTest(80, 24)
	m, cmd := stepCmd(m, upd(t0, evBare(oktell.ShutdownRequested)))
	require.NotNil(t, cmd)
	assert.Contains(t, m.View(), "closing in 10 seconds")
	c.Advance(3 * time.Second)
	m = step(m, tickMsg{id: m.tickID, t: c.Now()})
	assert.Contains(t, m.View(), "closing in 7 seconds")
	_, cmd = stepCmd(m, shutdownNowMsg{seq: m.shutdown.seq})
	require.NotNil(t, cmd)
	assert.Equal(t, tea.Quit(), cmd())

	m, _, _ = newTest(80, 24)
	m = step(m, ShutdownMsg{Why: oktell.Quoted("server stops"), After: time.Second})
	assert.Contains(t, m.View(), "server stops: closing in 1 second")
}

// Reasons from okdash's own code read in the dashboard's language; others as they came.
func TestReasonsTranslated(t *testing.T) {
	ru := func() Model {
		m := New(testOptions(newFake(), clocktest.New(t0), language.Russian))
		return step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	}
	m := step(ru(), ShutdownMsg{Why: oktell.Because(oktell.ReasonServerStopping), After: 5 * time.Second})
	assert.Contains(t, m.View(), "сервер останавливается: закрытие через 5 секунд")
	m = step(ru(), ShutdownMsg{Why: oktell.Because(oktell.ReasonIdle, 15*time.Minute), After: 5 * time.Second})
	assert.Contains(t, m.View(), "нет ввода в течение 15 мин: закрытие через 5 секунд")
	m = step(ru(), ShutdownMsg{Why: oktell.Quoted("планово"), After: 5 * time.Second})
	assert.Contains(t, m.View(), "планово: закрытие через 5 секунд")

	m = step(ru(), upd(t0, evState(oktell.UserReady, false)))
	m = step(m, linkWhy(t0, oktell.LinkReconnecting, oktell.Because(oktell.ReasonRetrying, "ws://pbx:4067", oktell.Because(oktell.ReasonConnectionLost), 2*time.Second)))
	assert.Contains(t, m.View(), "Связь с Oktell потеряна: ws://pbx:4067: связь прервана; повтор через 2 с")

	// the demo's refusal, in the operator's language
	f := newFake()
	f.stateErr = oktell.Refused(2, oktell.Because(oktell.ReasonNoPhoneLine))
	m = step(New(testOptions(f, clocktest.New(t0), language.Russian)), tea.WindowSizeMsg{Width: 80, Height: 24})
	m = step(m, upd(t0, evState(oktell.UserOff, false))) // in No phone the key is not offered at all
	m, cmd := stepCmd(m, keyPress("b"))
	m = settle(t, m, cmd)
	assert.Equal(t, []string{"Запрос «Перерыв» не выполнен: отказано: телефонная линия не зарегистрирована"}, toastTexts(m))

	// a replay's status sits at the right of the messages' rule, translated and cut to fit
	m = step(ru(), linkWhy(t0, oktell.LinkReadOnly, oktell.Because(oktell.ReasonInputEnded, "shift.log", 12, 0)))
	v := m.View()
	assert.Contains(t, v, "только чтение: shift.log: конец ввода после 12 документов")
	for _, l := range strings.Split(v, "\n") {
		assert.LessOrEqual(t, ansi.StringWidth(l), 80)
	}
	m, _, _ = newTest(80, 24)
	m = step(m, linkWhy(t0, oktell.LinkReadOnly, oktell.Because(oktell.ReasonInputEnded, "shift.log", 12, 0)))
	assert.Contains(t, m.View(), "── Messages ── ▷ read-only: shift.log: end of input after 12 documents (0 pr… ──")
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "й", "ctrl+c"} {
		m, _, _ := newTest(80, 24)
		_, cmd := stepCmd(m, keyPress(k))
		require.NotNil(t, cmd, k)
		assert.Equal(t, tea.Quit(), cmd(), k)
	}
}

func TestStaleTicksDropped(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m2, cmd := stepCmd(m, tickMsg{id: m.tickID + 1, t: t0.Add(time.Hour)})
	assert.Nil(t, cmd)
	assert.Equal(t, m.View(), m2.View())
	m2, cmd = stepCmd(m, tickMsg{id: m.tickID, t: t0.Add(65 * time.Second)})
	assert.NotNil(t, cmd, "the next tick is scheduled")
	assert.Contains(t, m2.View(), "Ready 01:05")
	m2 = step(m2, tickMsg{id: m.tickID, t: t0.Add(2*time.Hour + 3*time.Minute + 4*time.Second)})
	assert.Contains(t, m2.View(), "Ready 2:03:04")
}

func TestIgnoredEventsChangeNothing(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	before := m.View()
	for _, et := range oktell.EventTypes() {
		switch et {
		case oktell.UserStateChanged, oktell.Notify, oktell.VoiceMail, oktell.UserMessage,
			oktell.ShutdownRequested, oktell.RestartRequested, oktell.ConnectionLost:
			continue
		}
		m = step(m, upd(t0, evBare(et)))
	}
	assert.Equal(t, before, m.View())
}

func TestBadEventsRaiseAToast(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	bad := &oktell.Event{Type: oktell.UserStateChanged, Props: []oktell.Property{prop("newstate", "x1")}}
	m = step(m, upd(t0, bad))
	assert.Equal(t, oktell.UserReady, m.status.state)
	require.Len(t, m.toasts.list, 1)
	assert.Contains(t, m.toasts.list[0].n.text, "Bad UserStateChanged event")

	// a Notify with a broken field is still shown with what could be read
	n := evNotify(oktell.NltPBXinfo, false, false, "not a date", "АТС", "текст")
	m = step(m, upd(t0, n))
	assert.Contains(t, toastTexts(m), "текст")
}

func TestBellOnMessagesAndCallsOnly(t *testing.T) {
	var buf bytes.Buffer
	f := newFake()
	o := testOptions(f, nil, language.English)
	o.Bell, o.BellOut = true, &buf
	m := New(o)
	m = step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = settle(t, m, func() tea.Cmd {
		_, c := stepCmd(m, upd(t0, evNotify(oktell.NltPBXinfo, false, false, "", "", "x")))
		return c
	}())
	assert.Equal(t, "", buf.String(), "no bell for other notifications")
	for i := 0; i < 3; i++ {
		_ = m.View()
	}
	assert.Equal(t, "", buf.String(), "never on redraw")
	_, cmd := stepCmd(m, upd(t0, evNotify(oktell.NltIncomingCall, false, false, "", "", "call")))
	runCmd(m, cmd)
	_, cmd = stepCmd(m, upd(t0, evMessage("", "u", "u", "hi")))
	runCmd(m, cmd)
	assert.Equal(t, "\a\a", buf.String())
}

func TestWindowTitleFollowsState(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m, cmd := stepCmd(m, upd(t0, evState(oktell.UserLunch, true)))
	assert.Equal(t, "okdash: Break ↪", m.title)
	require.NotNil(t, cmd)
	_, cmd = stepCmd(m, tickMsg{id: m.tickID, t: t0.Add(time.Second)})
	for _, msg := range runCmd(m, cmd) {
		_, isTitle := msg.(interface{ String() string })
		assert.False(t, isTitle)
	}
}

func TestTooSmall(t *testing.T) {
	m, f, _ := newTest(59, 16)
	v := m.View()
	assert.Contains(t, v, "Terminal too small: 59x16")
	m = step(m, upd(t0, evState(oktell.UserLunch, false)))
	m = step(m, keyPress("r"))
	assert.Empty(t, f.states, "hotkeys wait for a usable screen")
	m = step(m, tea.WindowSizeMsg{Width: 60, Height: 16})
	assert.NotContains(t, m.View(), "too small")
}

func TestUnknownStateShownByName(t *testing.T) {
	m, _, _ := newTest(80, 24)
	e := &oktell.Event{Type: oktell.UserStateChanged, Props: []oktell.Property{named("newstate", "4", "usStrange"), prop("redirect", "0")}}
	m = step(m, upd(t0, e))
	assert.Contains(t, m.View(), "? usStrange")
}

func TestStatusOperatorAndLine(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, updateMsg{oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkConnected, Operator: "Иванова\x07", Line: "201"}}})
	assert.Contains(t, m.View(), "Иванова · 201")
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "00:00", -time.Second: "00:00", 59 * time.Second: "00:59", 61 * time.Second: "01:01",
		59*time.Minute + 59*time.Second: "59:59", time.Hour: "1:00:00", 25*time.Hour + 5*time.Second: "25:00:05",
	} {
		assert.Equal(t, want, FormatDuration(d), d)
	}
}

func TestHistoryScrollsAndWraps(t *testing.T) {
	m, _, _ := newTest(80, 24)
	for i := 0; i < 40; i++ {
		m = step(m, upd(t0, evNotify(oktell.NltInformation, false, i%2 == 0, "24.11.2026 09:00:00", "Oktell",
			strings.Repeat("длинный текст уведомления ", 1+i%4)+strconv.Itoa(i))))
	}
	m = step(m, keyPress("n"))
	v := m.View()
	assert.Contains(t, v, "текст уведомления 39", "newest first, whole text wrapped")
	assert.NotContains(t, v, "уведомления 0\n")
	for i := 0; i < 100; i++ {
		m = step(m, keyPress("down"))
	}
	v = m.View()
	assert.Contains(t, v, "уведомления 0", "scrolled to the oldest")
	assert.NotContains(t, v, "уведомления 39")
	m = step(m, keyPress("pgup"))
	assert.Less(t, m.history.off, 40)
	m = step(m, keyPress("esc"))
	assert.Equal(t, screenMain, m.c.screen)
}

func TestPageKeysMoveTheSelection(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = addMessages(m, 50)
	m = step(m, keyPress("pgup"))
	first := m.messages.sel
	assert.Less(t, first, 49)
	m = step(m, keyPress("pgup"))
	assert.Less(t, m.messages.sel, first)
	assert.Contains(t, m.View(), "▌", "the selection stays in view")
	m = step(m, keyPress("pgdown"))
	assert.Equal(t, first, m.messages.sel)
	m = step(m, keyPress("esc"))
	assert.Equal(t, -1, m.messages.sel)
}

func TestStickyToastsAreBounded(t *testing.T) {
	m, _, _ := newTest(80, 24)
	for i := 0; i < 3*maxToastsKept; i++ {
		m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "", "", strconv.Itoa(i))))
	}
	assert.Len(t, m.toasts.list, maxToastsKept)
	assert.Equal(t, strconv.Itoa(3*maxToastsKept-1), m.toasts.list[len(m.toasts.list)-1].n.text, "the newest are kept")
	assert.Equal(t, 3*maxToastsKept, len(m.history.notes))
}

// The judgement of a state report against a pending request, case by case.
func TestRequestOutcome(t *testing.T) {
	const (
		ready = oktell.UserReady
		brk   = oktell.UserLunch
		busy  = oktell.UserFullbusy
	)
	breakFromReady := stateRequest{state: brk, fromKnown: true, from: ready}
	redirectOn := stateRequest{state: ready, redirect: true, fromKnown: true, from: ready}
	fromUnknown := stateRequest{state: brk}
	cases := []struct {
		name     string
		r        stateRequest
		s        oktell.UserState
		redirect bool
		want     requestOutcome
	}{
		{"asked state", breakFromReady, brk, false, requestConfirmed},
		{"asked state, server set redirect", breakFromReady, brk, true, requestConfirmed},
		{"old state repeated", breakFromReady, ready, false, requestWaiting},
		{"old state, redirect changed by the server", breakFromReady, ready, true, requestWaiting},
		{"another state", breakFromReady, busy, false, requestSuperseded},
		{"redirect applied", redirectOn, ready, true, requestConfirmed},
		{"redirect applied with a call", redirectOn, busy, true, requestConfirmed},
		{"redirect not yet", redirectOn, ready, false, requestWaiting},
		{"call without the redirect", redirectOn, busy, false, requestSuperseded},
		{"from unknown: asked state", fromUnknown, brk, false, requestConfirmed},
		{"from unknown: nothing to tell a repeat from", fromUnknown, busy, false, requestWaiting},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.r.outcome(tc.s, tc.redirect), tc.name)
	}
}

// A batch of messages and calls rings the bell once, not once for each.
func TestBellOncePerBatch(t *testing.T) {
	var buf bytes.Buffer
	f := newFake()
	close(f.updates) // the wait for the next batch returns at once
	o := testOptions(f, clocktest.New(t0), language.English)
	o.Bell, o.BellOut = true, &buf
	m := step(New(o), tea.WindowSizeMsg{Width: 80, Height: 24})
	var ups []oktell.Update
	for i := 0; i < 5; i++ {
		ups = append(ups, oktell.Update{At: t0, Event: evMessage("", "u", "u", fmt.Sprintf("hi %d", i))})
	}
	ups = append(ups, oktell.Update{At: t0, Event: evNotify(oktell.NltIncomingCall, false, false, "", "", "call")})
	_, cmd := stepCmd(m, updatesMsg{updates: ups})
	runCmd(m, cmd)
	assert.Equal(t, "\a", buf.String())
}
