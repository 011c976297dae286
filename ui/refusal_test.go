package ui

import (
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

// refusedKeys are every reason a binding gives for doing nothing, each with a dashboard
// that gives it, the key pressed, and what the status line says then, in both languages.
var refusedKeys = []struct {
	why    string
	size   [2]int // the terminal: 200x30 when not given
	caps   *oktell.Capabilities
	setup  func(m Model) Model
	key    string
	en, ru string
}{
	{why: "this source only shows what happened", caps: &oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true},
		setup: withState(oktell.UserReady), key: "b",
		en: "Break: this source only shows what happened", ru: "Перерыв: этот источник только показывает события"},
	{why: "this source cannot change the state", caps: &oktell.Capabilities{Kind: oktell.SourceBridge, SendMessage: true},
		setup: withState(oktell.UserReady), key: "a",
		en: "Away: this source cannot change the state", ru: "Отошёл: этот источник не меняет состояние"},
	{why: "the source has ended", setup: func(m Model) Model {
		return step(withState(oktell.UserReady)(m), updatesMsg{ended: true})
	}, key: "2", en: "Break: the source has ended", ru: "Перерыв: источник закончился"},
	{why: "no link to Oktell", setup: func(m Model) Model {
		return step(withState(oktell.UserReady)(m), upd(t0, evBare(oktell.ConnectionLost)))
	}, key: "b", en: "Break: no link to Oktell", ru: "Перерыв: нет связи с Oktell"},
	{why: "a request is waiting for Oktell's answer", setup: func(m Model) Model {
		return step(withState(oktell.UserReady)(m), keyPress("b"))
	}, key: "a", en: "Away: a request is waiting for Oktell's answer", ru: "Отошёл: запрос ждёт ответа Oktell"},
	{why: "okdash is closing", setup: func(m Model) Model {
		return step(withState(oktell.UserReady)(m), ShutdownMsg{Why: oktell.Quoted("x"), After: time.Minute})
	}, key: "b", en: "Break: okdash is closing", ru: "Перерыв: okdash закрывается"},
	{why: "already ready", setup: withState(oktell.UserReady), key: "r", en: "Ready: already ready", ru: "Готов: уже «Готов»"},
	{why: "already on a break", setup: withState(oktell.UserLunch), key: "и", en: "Break: already on a break", ru: "Перерыв: уже «Перерыв»"},
	{why: "already away", setup: withState(oktell.UserOff), key: "A", en: "Away: already away", ru: "Отошёл: уже «Отошёл»"},
	{why: "the state is not known yet", key: "f", en: "Redirect on: the state is not known yet", ru: "Переадр. вкл: состояние ещё неизвестно"},
	{why: "redirect goes with Ready, Break or Away only", setup: withState(oktell.UserFullbusy), key: "4",
		en: "Redirect on: redirect goes with Ready, Break or Away only", ru: "Переадр. вкл: переадресация — только с «Готов», «Перерыв» или «Отошёл»"},
	{why: "no phone line is registered", setup: withState(oktell.UserWOphone), key: "1",
		en: "Ready: no phone line is registered", ru: "Готов: телефонная линия не зарегистрирована"},
	{why: "this source does not report colleagues", caps: &oktell.Capabilities{Kind: oktell.SourceBridge, SetUserState: true},
		key: "c", en: "Colleagues: this source does not report colleagues", ru: "Коллеги: этот источник не сообщает о коллегах"},
	{why: "this source does not report the queue", caps: &oktell.Capabilities{Kind: oktell.SourceBridge, SetUserState: true},
		key: "w", en: "Queue: this source does not report the queue", ru: "Очередь: этот источник не сообщает об очереди"},
	{why: "no messages to scroll through", key: "up", en: "Up: no messages to scroll through", ru: "Вверх: сообщений нет"},
	{why: "already at the newest", setup: func(m Model) Model { return addMessages(m, 2) }, key: "G",
		en: "Newest: already at the newest", ru: "К новым: уже у новых"},
	{why: "this source cannot send messages", caps: &oktell.Capabilities{Kind: oktell.SourceWS, SetUserState: true},
		setup: func(m Model) Model { return addMessages(m, 1) }, key: "m",
		en: "Reply: this source cannot send messages", ru: "Ответить: этот источник не отправляет сообщения"},
	{why: "no message to answer", key: "enter", en: "Reply: no message to answer", ru: "Ответить: отвечать не на что"},
	{why: "no notification on screen", key: "x", en: "Dismiss: no notification on screen", ru: "Скрыть: уведомлений на экране нет"},
	{why: "fewer than two notifications shown", setup: func(m Model) Model {
		return step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "one")))
	}, key: "X", en: "Dismiss all: fewer than two notifications shown", ru: "Скрыть все: на экране меньше двух уведомлений"},
	{why: "no new voicemails", key: "м", en: "Voicemail seen: no new voicemails", ru: "Почта прочитана: новых голосовых нет"},
	{why: "the whole help is on screen", setup: func(m Model) Model { return viewed(step(m, keyPress("?"))) }, key: "pgdown",
		en: "Page down: the whole help is on screen", ru: "Стр. вниз: справка видна целиком"},
	{why: "already at the top", size: [2]int{60, 16}, setup: func(m Model) Model { return viewed(step(m, keyPress(","))) }, key: "k",
		en: "Up: already at the top", ru: "Вверх: уже в начале"},
	{why: "already at the end", size: [2]int{60, 16}, setup: func(m Model) Model {
		m = viewed(step(m, keyPress("f1")))
		for i := 0; i < 5; i++ {
			m = viewed(step(m, keyPress("pgdown")))
		}
		return m
	}, key: "down", en: "Down: already at the end", ru: "Вниз: уже в конце"},
	{why: "no shift is counted for this source", key: "s", en: "Shift: no shift is counted for this source", ru: "Смена: для этого источника смена не считается"},
	{why: "no notification to scroll to", setup: func(m Model) Model { return step(m, keyPress("n")) }, key: "j",
		en: "Down: no notification to scroll to", ru: "Вниз: прокручивать нечего"},
}

// viewed is m after a frame is drawn, as the program draws one after every update: the
// keys that scroll the help go by the last frame.
func viewed(m Model) Model { _ = m.View(); return m }

func withState(s oktell.UserState) func(Model) Model {
	return func(m Model) Model { return step(m, upd(t0, evState(s, false))) }
}

// A key whose action is impossible says why in the status line, in the operator's
// language, and the line forgets it at the first tick after refusalFor; nothing else
// happens.
func TestRefusedKeySaysWhyInTheStatusLine(t *testing.T) {
	for _, rk := range refusedKeys {
		for _, lang := range []language.Tag{language.English, language.Russian} {
			f := newFake()
			if rk.caps != nil {
				f.caps = *rk.caps
			}
			clk := clocktest.New(t0)
			w, h := 200, 30
			if rk.size != [2]int{} {
				w, h = rk.size[0], rk.size[1]
			}
			m := step(New(testOptions(f, clk, lang)), tea.WindowSizeMsg{Width: w, Height: h})
			if rk.setup != nil {
				m = rk.setup(m)
			}
			if lang == language.English { // a reason's code is in the printer's words already (say)
				require.Equal(t, rk.why, liveBinding(t, m, rk.key).why, "%s: the binding's reason", rk.key)
			}
			screen, pressed := m.c.screen, m.c.now
			m = step(m, keyPress(rk.key))
			want := rk.en
			if lang == language.Russian {
				want = rk.ru
			}
			header := func(m Model) string { return ansi.Strip(strings.SplitN(m.View(), "\n", 2)[0]) }
			assert.Contains(t, header(m), "⚠ "+want, "%v: %s", lang, rk.key)
			assert.Equal(t, screen, m.c.screen, "nothing else happened")
			assert.False(t, m.reply.open)

			m = tickAt(m, pressed.Add(refusalFor-time.Second))
			assert.Contains(t, header(m), want, "still there before its time")
			m = tickAt(m, pressed.Add(refusalFor))
			assert.NotContains(t, header(m), want, "gone at the tick after its time")
		}
	}
}

// Every reason a binding of the dashboards in binding_test's situations gives has its
// case above: a new reason comes with its line in the status line's test.
func TestEveryReasonHasARefusalCase(t *testing.T) {
	covered := map[string]bool{}
	for _, rk := range refusedKeys {
		covered[rk.why] = true
	}
	for name, m := range situations(t, language.English) {
		bs := m.liveKeys(m.c)
		for _, g := range m.fullHelp(m.c) {
			bs = append(bs, g...)
		}
		for _, b := range bs {
			if !b.Enabled() && !b.quiet {
				assert.True(t, covered[b.why], "%s: %s: %q has no case in refusedKeys", name, b.Help().Key, b.why)
			}
		}
	}
}

// Esc with nothing to leave (no message selected on the main screen), pressed by habit
// once or many times, does nothing and says nothing (found trying the dashboard: a
// warning "Back: no message is selected" after every extra esc).
func TestEscWithNothingToLeaveIsSilent(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		f := newFake()
		m := step(New(testOptions(f, clocktest.New(t0), lang)), tea.WindowSizeMsg{Width: 80, Height: 24})
		m = addMessages(withState(oktell.UserReady)(m), 2)
		before := m.View()
		for range 3 {
			m = step(m, keyPress("esc"))
		}
		assert.Equal(t, before, m.View(), "%v: esc changed the screen", lang)
		assert.Equal(t, screenMain, m.c.screen)
	}
}

// A long reason on a narrow terminal takes the room of redirect and voicemail for its
// moment, rather than being cut.
func TestRefusalTakesTheFlagsRoom(t *testing.T) {
	m, _, _ := newTest(60, 16)
	m = step(m, upd(t0, evState(oktell.UserFullbusy, true)))
	m = step(m, upd(t0, evBare(oktell.VoiceMail)))
	m = step(m, keyPress("x"))
	head := ansi.Strip(strings.SplitN(m.View(), "\n", 2)[0])
	assert.Contains(t, head, "Dismiss: no notification on screen")
	assert.NotContains(t, head, "voicemail")
	m = tickAt(m, t0.Add(refusalFor))
	assert.Contains(t, ansi.Strip(strings.SplitN(m.View(), "\n", 2)[0]), "1 new voicemail")
}
