package ui

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/room"
)

// answerCatcher is a trainee's demo session as the room sees it: it keeps the way back to
// the trainer that a message from them gives.
type answerCatcher struct{ answer func(string) error }

func (a *answerCatcher) Message(_ context.Context, _ room.Trainer, _ string, answer func(string) error) error {
	a.answer = answer
	return nil
}
func (a *answerCatcher) Notify(context.Context, room.Trainer, oktell.NotifyType, string) error {
	return nil
}
func (a *answerCatcher) Ring(context.Context, string, string) error { return nil }
func (a *answerCatcher) SetLink(context.Context, bool) error        { return nil }

// A trainee answers a trainer who has left: the training room refused, not Oktell, and
// the toast and the history say so once (QA saw "✖ Отказ Oktell … Не отправлено (Анна
// Тренер): отказано: тренер вышел из з…").
func TestRoomRefusalIsTheRooms(t *testing.T) {
	reg := room.New(clocktest.New(t0), nil)
	shift := &answerCatcher{}
	tr, err := reg.Join(room.Info{User: "ivanova"}, shift)
	require.NoError(t, err)
	rm, err := reg.Open(room.Trainer{ID: "trainer-1", Name: "Анна Тренер"})
	require.NoError(t, err)
	require.NoError(t, rm.Do(context.Background(), tr.ID, room.Action{Kind: room.ActMessage, Text: "Начинаем"}))
	rm.Close()
	refusal := shift.answer("алло?")
	require.Error(t, refusal)

	for _, tc := range []struct {
		lang         language.Tag
		label, text  string
		notOktell    string
		refusedTwice string
	}{
		{language.Russian, "Отказ учебного класса", "Не отправлено (Анна Тренер): тренер вышел", "Отказ Oktell", "отказано"},
		{language.English, "Training room refused", "Could not send to Анна Тренер: the trainer has left", "Oktell refused", "refused:"},
	} {
		f := newFake()
		m := New(testOptions(f, clocktest.New(t0), tc.lang))
		m = step(m, tea.WindowSizeMsg{Width: 80, Height: 24})
		m = step(m, upd(t0, evState(oktell.UserReady, false)))
		m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "trainer-1", "Анна Тренер", "Начинаем")))
		f.sendErr = refusal
		m = step(m, keyPress("m"))
		for _, r := range "алло?" {
			m = step(m, keyPress(string(r)))
		}
		m, cmd := stepCmd(m, keyPress("enter"))
		m = settle(t, m, cmd)
		assert.Equal(t, []string{tc.text}, toastTexts(m), tc.lang)
		screen := ansi.Strip(m.View())
		assert.Contains(t, screen, tc.label, tc.lang)
		assert.NotContains(t, screen, tc.notOktell, tc.lang)
		assert.NotContains(t, screen, tc.refusedTwice, tc.lang)
		if tc.lang == language.Russian {
			assert.Contains(t, screen, tc.label+" 09:00 "+tc.text, "whole at 80 columns")
		}
	}
}

// A ring the demo could not route reads in the trainer's language with the trainee's
// state first and the call said once, whole at 80 columns (QA saw "звонка нет: звонок
// не прошёл: стажёр не готов, без линии или уж…").
func TestRoomRingRefusalFitsInRussian(t *testing.T) {
	clk := clocktest.New(t0)
	rm, fakes, _ := seat(t, clk, classroom())
	m := newRoomModel(rm, clk, language.Russian, termenv.Ascii)
	m = rstep(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = rstep(t, m, loadRoomCmd(rm)())
	m = selectUser(t, m, "ivanova")
	fakes["ivanova"].err = room.ErrNotRouted
	m = rkey(t, m, "r")
	m = rdo(t, m, "enter")
	want := "ivanova: звонка нет: сейчас Перерыв (не готов, без линии или уже говорит)"
	assert.Equal(t, want, m.lines[len(m.lines)-1].text)
	assert.Contains(t, m.plain(), want, "whole at 80 columns")
}
