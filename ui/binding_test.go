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

// situations are dashboards in the states an operator meets, each with its live keys.
func situations(t *testing.T, lang language.Tag) map[string]Model {
	t.Helper()
	fresh := func(caps *oktell.Capabilities) Model {
		f := newFake()
		if caps != nil {
			f.caps = *caps
		}
		return step(New(testOptions(f, clocktest.New(t0), lang)), tea.WindowSizeMsg{Width: 100, Height: 30})
	}
	busy := func() Model {
		m := fresh(nil)
		for _, u := range shift() {
			m = step(m, updateMsg{u})
		}
		return m
	}
	out := map[string]Model{"fresh": fresh(nil), "shift": busy()}
	out["read-only"] = step(fresh(&oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true}), upd(t0, evState(oktell.UserReady, false)))
	out["history"] = step(busy(), keyPress("n"))
	out["help"] = step(busy(), keyPress("?"))
	out["selected"] = step(busy(), keyPress("up"))
	out["replying"] = step(busy(), keyPress("m"))
	out["pending"] = step(busy(), keyPress("b"))
	out["lost"] = step(busy(), upd(t0, evBare(oktell.ConnectionLost)))
	out["closing"] = step(busy(), ShutdownMsg{Why: oktell.Quoted("x"), After: time.Minute})
	out["ended"] = step(busy(), updatesMsg{ended: true})
	out["busy state"] = step(busy(), upd(t0, evState(oktell.UserFullbusy, false)))
	withShift := New(Options{Session: newFake(), Shift: newCountedShift(true, false), Theme: look(asciiRenderer(), "unicode", false, false), Clock: clocktest.New(t0), Lang: lang})
	out["shift view"] = step(step(withShift, tea.WindowSizeMsg{Width: 100, Height: 30}), keyPress("s"))
	return out
}

// Every binding's help and every reason why it is not possible read in Russian.
func TestEveryBindingSpeaksRussian(t *testing.T) {
	for name, m := range situations(t, language.Russian) {
		assertKeysSpeakRussian(t, name, m)
	}
}

// assertKeysSpeakRussian checks every binding m answers now and lists in its help: its
// help reads in Russian, it is disabled exactly when it says why, and why reads in
// Russian too.
func assertKeysSpeakRussian(t *testing.T, name string, m Model) {
	t.Helper()
	bs := m.liveKeys(m.c)
	for _, g := range m.fullHelp(m.c) {
		bs = append(bs, g...)
	}
	require.NotEmpty(t, bs, name)
	for _, b := range bs {
		h := b.Help()
		assert.Empty(t, englishLeft(h.Desc), "%s: %s %q", name, h.Key, h.Desc)
		assert.Equal(t, b.why == "", b.Enabled(), "%s: %s is disabled exactly when it says why", name, h.Key)
		if !b.Enabled() {
			why := m.c.whyNot(b)
			assert.Empty(t, englishLeft(why), "%s: %s: %q", name, h.Key, why)
		}
	}
}

// A binding is disabled exactly when it says why, and every binding the help lists is on
// the help screen; every possible binding on the bar is on a wide enough help bar.
func TestEveryBindingIsListed(t *testing.T) {
	for name, m := range situations(t, language.English) {
		for _, b := range m.liveKeys(m.c) {
			assert.Equal(t, b.why == "", b.Enabled(), "%s: %s", name, b.Help().Key)
			assert.NotNil(t, b.do, "%s: %s does nothing", name, b.Help().Key)
		}
		wide := m
		wide.c.width = 400
		bar := ansi.Strip(wide.c.helpBar(wide.liveKeys(wide.c), wide.help.bar))
		for _, b := range m.liveKeys(m.c) {
			if b.bar > 0 && b.Enabled() {
				assert.Contains(t, bar, b.Help().Key+" "+b.Help().Desc, "%s: on the bar", name)
			}
		}
		wide.c.width = m.c.width
	}
	m := step(situations(t, language.English)["shift"], keyPress("?"))
	screen := ansi.Strip(m.View())
	for _, g := range m.fullHelp(m.c) {
		for _, b := range g {
			assert.Contains(t, screen, b.Help().Key, "listed on the help screen")
			assert.Contains(t, screen, b.Help().Desc)
		}
	}
}

// A key whose action is not possible does nothing but say why, for the status line to
// show; a key that no binding has says nothing.
func TestRefusedKeySaysWhy(t *testing.T) {
	m, _, _ := newTest(80, 24)
	c := m.c
	_, matched := press(c, m.liveKeys(c), keyPress("v"))
	assert.True(t, matched)
	require.Len(t, c.posted, 1)
	assert.Equal(t, keyRefusedMsg{help: liveBinding(t, m, "v").Help(), why: "no new voicemails"}, c.posted[0])
	c.posted = nil

	_, matched = press(c, m.liveKeys(c), keyPress("ж"))
	assert.False(t, matched)
	assert.Empty(t, c.posted)

	ru := New(testOptions(newFake(), clocktest.New(t0), language.Russian))
	ru = step(ru, windowSize(80, 24))
	press(ru.c, ru.liveKeys(ru.c), keyPress("f"))
	require.Len(t, ru.c.posted, 1)
	assert.Equal(t, "состояние ещё неизвестно", ru.c.posted[0].(keyRefusedMsg).why, "in the operator's language")
}

// The first binding a key presses that is possible acts: esc leaves the history even
// though the messages' esc (leave the selection) is not possible there.
func TestKeyGoesToThePossibleBinding(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = addMessages(m, 3)
	m = step(m, keyPress("up"))
	require.Equal(t, 2, m.messages.sel, "the newest is selected")
	m = step(m, keyPress("esc"))
	assert.Equal(t, -1, m.messages.sel, "on the main screen esc leaves the selection")
	m = step(m, keyPress("n"))
	require.Equal(t, screenHistory, m.c.screen)
	m = step(m, keyPress("esc"))
	assert.Equal(t, screenMain, m.c.screen)
	assert.False(t, strings.Contains(m.View(), "Notifications 0"))
}
