package ui

import (
	"context"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// reasonFake is a fake session whose breaks name their reason and which logs in again
// when asked (oktell.BreakReasonSetter, oktell.Reconnecter).
type reasonFake struct {
	*fakeSession
	mu        sync.Mutex
	reasons   []string // the reason of each state request, "" for none
	passwords []string // the password of each Reconnect, "" for none
	againErr  error    // what the next Reconnect answers
}

func newReasonFake() *reasonFake {
	f := &reasonFake{fakeSession: newFake()}
	f.caps.Reconnect = true
	return f
}

func (f *reasonFake) SetUserStateReason(ctx context.Context, s oktell.UserState, redirect bool, reason string) error {
	f.mu.Lock()
	f.reasons = append(f.reasons, reason)
	f.mu.Unlock()
	return f.SetUserState(ctx, s, redirect)
}

func (f *reasonFake) Reconnect(_ context.Context, password string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.passwords = append(f.passwords, password)
	return f.againErr
}

func newReasonTest(w, h int, lang language.Tag) (Model, *reasonFake) {
	f := newReasonFake()
	m := New(testOptions(f, clocktest.New(t0), lang))
	return step(m, tea.WindowSizeMsg{Width: w, Height: h}), f
}

var lunch = []oktell.BreakReason{{ID: "r1", Name: "Обед"}, {ID: "r2", Name: "Перерыв"}, {ID: "r3", Name: "Обучение"}}

func reasonsMsg(list []oktell.BreakReason, want string) updateMsg {
	b := oktell.NewBreakReasons(list, want)
	return updateMsg{oktell.Update{At: t0, BreakReasons: &b}}
}

// evBreak is a UserStateChanged to a break that names its reason, as ws and the demo send.
func evBreak(reason string) *oktell.Event {
	e := evState(oktell.UserLunch, false)
	e.Props = append(e.Props, prop("lunchreasonid", reason))
	return e
}

// keys presses each key in turn, running what they start as the program would.
func keys(t *testing.T, m Model, ks ...string) Model {
	t.Helper()
	for _, k := range ks {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress(k))
		m = settle(t, m, cmd)
	}
	return m
}

// What Break does with the reasons the server lists: none or one, it asks at once; several,
// it opens the picker (digits, arrows and Enter take a reason, Esc asks for nothing); with
// one named beforehand it takes that one at once, and Break again on the break opens the
// picker to change it. The pending request names the reason.
func TestBreakReasonPicker(t *testing.T) {
	cases := []struct {
		name    string
		list    []oktell.BreakReason
		named   string
		from    *oktell.Event
		keys    []string
		picker  bool   // the picker is open after the keys
		reason  string // the reason asked for; "-" for no request
		pending string // the header's pending request
	}{
		{name: "none listed", from: evState(oktell.UserReady, false), keys: []string{"2"}, reason: "", pending: "… Break"},
		{name: "one listed", list: lunch[:1], from: evState(oktell.UserReady, false), keys: []string{"b"}, reason: "r1", pending: "… Break: Обед"},
		{name: "several: the picker", list: lunch, from: evState(oktell.UserReady, false), keys: []string{"2"}, picker: true, reason: "-"},
		{name: "a digit takes", list: lunch, from: evState(oktell.UserReady, false), keys: []string{"2", "3"}, reason: "r3", pending: "… Break: Обучение"},
		{name: "arrows and enter", list: lunch, from: evState(oktell.UserReady, false), keys: []string{"и", "down", "down", "up", "enter"}, reason: "r2", pending: "… Break: Перерыв"},
		{name: "up wraps round", list: lunch, from: evState(oktell.UserReady, false), keys: []string{"2", "up", "enter"}, reason: "r3"},
		{name: "esc asks nothing", list: lunch, from: evState(oktell.UserReady, false), keys: []string{"2", "esc"}, reason: "-"},
		{name: "the picker holds the keys", list: lunch, from: evState(oktell.UserReady, false), keys: []string{"2", "r", "q", "n", "7"}, picker: true, reason: "-"},
		{name: "named: at once", list: lunch, named: "обучение", from: evState(oktell.UserReady, false), keys: []string{"2"}, reason: "r3", pending: "… Break: Обучение"},
		{name: "named: again on the break", list: lunch, named: "Обед", from: evBreak("r1"), keys: []string{"2"}, picker: true, reason: "-"},
		{name: "named: change the reason", list: lunch, named: "Обед", from: evBreak("r1"), keys: []string{"2", "2"}, reason: "r2", pending: "… Break: Перерыв"},
		{name: "unlisted name: the picker", list: lunch, named: "Отпуск", from: evState(oktell.UserReady, false), keys: []string{"2", "1"}, reason: "r1"},
		{name: "redirect keeps the reason", list: lunch, from: evBreak("r3"), keys: []string{"4"}, reason: "r3", pending: "… Redirect on"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, f := newReasonTest(80, 24, language.English)
			if tc.list != nil || tc.named != "" {
				m = step(m, reasonsMsg(tc.list, tc.named))
			}
			m = step(m, upd(t0, tc.from))
			m = keys(t, m, tc.keys...)
			assert.Equal(t, tc.picker, m.breaks.open, "picker open")
			if tc.reason == "-" {
				assert.Empty(t, f.reasons, "asked for nothing")
				assert.False(t, m.request.pending.active)
				assert.False(t, m.quitting, "q in the picker does not quit")
				return
			}
			require.Equal(t, []string{tc.reason}, f.reasons)
			require.True(t, m.request.pending.active)
			if tc.pending != "" {
				assert.Contains(t, ansi.Strip(strings.SplitN(m.View(), "\n", 2)[0]), tc.pending)
			}
			if strings.HasPrefix(tc.pending, "… Break") {
				assert.Equal(t, "Break", m.request.pending.key, "the trainer's room is told the catalog key")
			}
		})
	}
}

// The picker is a numbered list under a rule, the reason marked by a glyph too (not by
// colour alone); on a break it marks the break's own reason, and the Break key says it
// changes the reason. With many reasons it scrolls and says where it is.
func TestBreakReasonPickerView(t *testing.T) {
	m, _ := newReasonTest(80, 24, language.English)
	m = step(m, reasonsMsg(lunch, ""))
	m = step(m, upd(t0, evBreak("r2")))
	assert.Equal(t, "change the break reason", liveBinding(t, m, "b").Help().Desc)
	m = keys(t, m, "b")
	screen := ansi.Strip(m.View())
	assert.Contains(t, screen, "Break reason")
	assert.Contains(t, screen, " 1 Обед\n")
	assert.Contains(t, screen, "▌2 Перерыв\n", "the break's own reason is marked")
	assert.Contains(t, screen, "1-3 choose")
	assert.Contains(t, screen, "esc cancel")
	assert.Contains(t, screen, "enter take the break")

	many := make([]oktell.BreakReason, 20)
	for i := range many {
		many[i] = oktell.BreakReason{ID: "m" + string(rune('a'+i)), Name: "Причина " + string(rune('A'+i))}
	}
	m, _ = newReasonTest(80, 24, language.English)
	m = step(m, reasonsMsg(many, ""))
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m = keys(t, m, "2", "up")
	screen = ansi.Strip(m.View())
	assert.Contains(t, screen, "20 of 20")
	assert.Contains(t, screen, "▌  Причина T", "beyond 9, no digit")
	assert.NotContains(t, screen, "Причина A", "scrolled")
	assert.Contains(t, screen, "1-9 choose")
	assert.Len(t, strings.Split(m.View(), "\n"), 24, "the screen keeps its height")
}

// A --break-reason the server does not list is said at login, as a warning in the toasts
// and the history naming what the server lists, once per list (not again at each
// reconnect that lists the same), and again when the list changes.
func TestUnlistedBreakReasonIsSaidAtLogin(t *testing.T) {
	m, _ := newReasonTest(80, 24, language.English)
	m = step(m, reasonsMsg(lunch, "Отпуск"))
	want := "--break-reason Отпуск is not a break reason the server lists (Обед, Перерыв, Обучение); Break asks which"
	assert.Equal(t, []string{want}, toastTexts(m))
	assert.Equal(t, []string{want}, historyTexts(m))
	m = step(m, reasonsMsg(lunch, "Отпуск"))
	assert.Len(t, historyTexts(m), 1, "the same list says nothing again")
	m = step(m, reasonsMsg(lunch[:1], "Отпуск"))
	assert.Contains(t, historyTexts(m), "--break-reason Отпуск is not a break reason the server lists (Обед); Break takes Обед")

	ru, _ := newReasonTest(80, 24, language.Russian)
	ru = step(ru, reasonsMsg(nil, "Отпуск"))
	assert.Equal(t, []string{"--break-reason «Отпуск»: сервер не перечисляет причин перерыва; «Перерыв» уйдёт без причины"}, historyTexts(ru))
}

// The picker closes when the link goes (nothing could take the break), and a new list
// after a reconnect replaces the old.
func TestBreakReasonPickerClosesWithTheLink(t *testing.T) {
	m, f := newReasonTest(80, 24, language.English)
	m = step(m, reasonsMsg(lunch, ""))
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m = keys(t, m, "2")
	require.True(t, m.breaks.open)
	m = step(m, upd(t0, evBare(oktell.ConnectionLost)))
	assert.False(t, m.breaks.open)
	m = step(m, linkStatus(t0, oktell.LinkConnected, ""))
	m = step(m, reasonsMsg([]oktell.BreakReason{{ID: "x1", Name: "Совещание"}, {ID: "x2", Name: "Обед"}}, ""))
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m = keys(t, m, "2", "1")
	assert.Equal(t, []string{"x1"}, f.reasons)
}
