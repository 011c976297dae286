package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// Every duration the dashboard prints reads in the operator's language: the confirm
// and request timeouts, and the durations inside reasons that came as text.
func TestDurationsInTheOperatorsLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang             language.Tag
		confirm, request time.Duration
		noAnswer, failed string
	}{
		{language.Russian, 12 * time.Second, 20 * time.Second, "Нет ответа на «Перерыв» за 12 с", "Запрос «Отошёл» не выполнен: нет ответа от Oktell за 20 с"},
		{language.Russian, 90 * time.Second, 2 * time.Minute, "Нет ответа на «Перерыв» за 1 мин 30 с", "Запрос «Отошёл» не выполнен: нет ответа от Oktell за 2 мин"},
		{language.English, 90 * time.Second, 2 * time.Minute, "No answer to Break within 1m30s", "Asked for Away: no answer from Oktell within 2m"},
	} {
		f := newFake()
		o := testOptions(f, clocktest.New(t0), tc.lang)
		o.ConfirmTimeout, o.RequestTimeout = tc.confirm, tc.request
		m := step(New(o), windowSize(80, 24))
		m = step(m, upd(t0, evState(oktell.UserReady, false)))
		m = step(m, keyPress("b"))
		m = step(m, confirmTimeoutMsg{id: m.request.pending.id})
		f.stateErr = context.DeadlineExceeded
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress("a"))
		m = settle(t, m, cmd)
		assert.Equal(t, []string{tc.noAnswer, tc.failed}, toastTexts(m), "%v", tc.lang)
	}

	ru := func() Model {
		return step(New(testOptions(newFake(), clocktest.New(t0), language.Russian)), windowSize(80, 24))
	}
	m := step(ru(), ShutdownMsg{Why: oktell.Because(oktell.ReasonIdle, 15*time.Minute), After: 5 * time.Second})
	assert.Contains(t, bannerOf(m), "нет ввода в течение 15 мин: закрытие через 5 секунд")
	m = step(step(ru(), upd(t0, evState(oktell.UserReady, false))), linkWhy(t0, oktell.LinkReconnecting, oktell.Because(oktell.ReasonRetrying, "ws://pbx:4067", oktell.Because(oktell.ReasonConnectionLost), 90*time.Second)))
	assert.Contains(t, bannerOf(m), "повтор через 1 мин 30 с")
}

// A reason that says what the banner's heading says is not put after it again.
func TestBannerDoesNotRepeatItself(t *testing.T) {
	lost := func(lang language.Tag) Model {
		m := step(New(testOptions(newFake(), clocktest.New(t0), lang)), windowSize(80, 24))
		m = step(m, upd(t0, evState(oktell.UserReady, false)))
		ev := evBare(oktell.ConnectionLost)
		ev.Props = append(ev.Props, cdata("reason", "Потеряна связь с сервером Oktell"))
		m = step(m, upd(t0, ev))
		return step(m, updateMsg{oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkReconnecting,
			Why: oktell.Quoted("Потеряна связь с сервером Oktell")}}})
	}
	assert.Equal(t, "⚠ Потеряна связь с сервером Oktell", bannerOf(lost(language.Russian)))
	assert.Equal(t, "⚠ Link to Oktell lost: Потеряна связь с сервером Oktell", bannerOf(lost(language.English)), "another language: not a repeat")
	m := step(step(New(testOptions(newFake(), clocktest.New(t0), language.Russian)), windowSize(80, 24)), upd(t0, evState(oktell.UserReady, false)))
	m = step(m, linkWhy(t0, oktell.LinkReconnecting, oktell.Because(oktell.ReasonServerLinkLost)))
	assert.Equal(t, "⚠ Связь с сервером Oktell потеряна", bannerOf(m))
	m = step(m, linkWhy(t0, oktell.LinkReconnecting, oktell.Because(oktell.ReasonConnectionLost)))
	assert.Equal(t, "⚠ Связь с Oktell потеряна: связь прервана", bannerOf(m), "a reason of its own stays")
}

// A refusal by the server is labelled as the server's, not as okdash's own error.
func TestServerRefusalLabelledAsTheServers(t *testing.T) {
	for _, tc := range []struct {
		lang            language.Tag
		refused, failed string
	}{
		{language.English, "Oktell refused", "okdash error"},
		{language.Russian, "Отказ Oktell", "ошибка okdash"},
	} {
		f := newFake()
		m := step(New(testOptions(f, clocktest.New(t0), tc.lang)), windowSize(80, 24))
		m = step(m, upd(t0, evState(oktell.UserReady, false)))
		f.stateErr = oktell.Refused(2, oktell.Because(oktell.ReasonNoPhoneLine))
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress("b"))
		m = settle(t, m, cmd)
		f.stateErr = context.DeadlineExceeded
		m, cmd = stepCmd(m, keyPress("a"))
		m = settle(t, m, cmd)
		require.Len(t, m.history.notes, 2)
		assert.Equal(t, tc.refused, noteLabel(m.c, m.history.notes[0].n), "%v", tc.lang)
		assert.Equal(t, tc.failed, noteLabel(m.c, m.history.notes[1].n), "%v: not the server's", tc.lang)
		assert.Contains(t, strings.Join(historyBody(step(m, keyPress("n"))), "\n"), "✖ "+tc.refused, "%v: the history says so", tc.lang)
	}
}

// Before the link was ever up the banner says okdash is connecting, then that it could
// not connect; only a link that was up is lost.
func TestBannerBeforeTheFirstConnection(t *testing.T) {
	for _, tc := range []struct {
		lang                       language.Tag
		connecting, couldNot, lost string
	}{
		{language.English, "⚠ Connecting to Oktell: tcp://10.0.0.5:4066", "⚠ Could not connect to Oktell: tcp://10.0.0.5:4066: connection refused; retrying in 2s", "⚠ Link to Oktell lost: tcp://10.0.0.5:4066: EOF; retrying in 2s"},
		{language.Russian, "⚠ Подключение к Oktell: tcp://10.0.0.5:4066", "⚠ Не удалось подключиться к Oktell: tcp://10.0.0.5:4066: connection refused; повтор через 2 с", "⚠ Связь с Oktell потеряна: tcp://10.0.0.5:4066: EOF; повтор через 2 с"},
	} {
		m := step(New(testOptions(newFake(), clocktest.New(t0), tc.lang)), windowSize(100, 24))
		status := func(l oktell.Link, why oktell.Reason) updateMsg {
			return updateMsg{oktell.Update{At: t0, Status: &oktell.Status{Link: l, Why: why}}}
		}
		m = step(m, status(oktell.LinkConnecting, oktell.Quoted("tcp://10.0.0.5:4066")))
		assert.Equal(t, tc.connecting, bannerOf(m))
		m = step(m, status(oktell.LinkReconnecting, oktell.Because(oktell.ReasonRetrying, "tcp://10.0.0.5:4066", oktell.Quoted("connection refused"), 2*time.Second)))
		assert.Equal(t, tc.couldNot, bannerOf(m))
		m = step(m, status(oktell.LinkConnecting, oktell.Quoted("tcp://10.0.0.5:4066")))
		assert.Equal(t, tc.couldNot, bannerOf(m), "still the reason it could not")
		m = step(m, status(oktell.LinkConnected, oktell.Quoted("tcp://10.0.0.5:4066")))
		assert.Equal(t, "", bannerOf(m))
		m = step(m, status(oktell.LinkReconnecting, oktell.Because(oktell.ReasonRetrying, "tcp://10.0.0.5:4066", oktell.Quoted("EOF"), 2*time.Second)))
		assert.Equal(t, tc.lost, bannerOf(m))
		require.Len(t, m.history.notes, 2, "connecting is no news for the history")
		assert.Equal(t, tc.couldNot[len("⚠ "):], m.history.notes[0].n.text)
	}
}
