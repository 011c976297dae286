package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func lastLine(s string) string {
	ls := strings.Split(s, "\n")
	return ls[len(ls)-1]
}

// "? help" and "q quit" stay on the help bar at any width; entries give way from the middle.
func TestHelpBarKeepsHelpAndQuit(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		for _, w := range []int{60, 70, 80, 100} {
			f := newFake()
			m := New(testOptions(f, clocktest.New(t0), lang))
			m = step(m, windowSize(w, 24))
			m = step(m, upd(t0, evState(oktell.UserReady, true)))
			m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет")))
			m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "one")))
			m = step(m, upd(t0, evBare(oktell.VoiceMail)))
			bar := ansi.Strip(lastLine(m.View()))
			help, quit := "? help", "q quit"
			if lang == language.Russian {
				help, quit = "? справка", "q выход"
			}
			assert.Contains(t, bar, help, "%v at %d: %q", lang, w, bar)
			assert.True(t, strings.HasSuffix(bar, quit), "%v at %d: %q", lang, w, bar)
			assert.LessOrEqual(t, ansi.StringWidth(bar), w)
			assert.NotContains(t, bar, "…", "entries are left out whole, not cut")
		}
	}
}

// The full help lists every binding, whether possible now or not, under every heading.
func TestFullHelpListsEveryBinding(t *testing.T) {
	for _, icons := range []string{"unicode", "ascii"} {
		o := testOptions(newFake(), clocktest.New(t0), language.English)
		o.Theme = look(asciiRenderer(), icons, false, false)
		m := New(o)                     // nothing known yet: no state, no messages, no toasts
		m = step(m, windowSize(60, 40)) // one column: each heading directly above its entries
		m = step(m, keyPress("?"))
		v := ansi.Strip(m.View())
		up, down := "↑/k", "↓/j"
		if icons == "ascii" {
			up, down = "up/k", "down/j"
			assert.NotContains(t, v, "↑")
			assert.NotContains(t, v, "↓")
		}
		for _, k := range []string{"1/r", "2/b", "3/a", "4/f", up, down, "pgup", "pgdn", "end/G", "enter/m", "x ", "X ", "v ", "n ", "? ", "esc", "q "} {
			assert.Contains(t, v, "   "+k, "%s: %s listed", icons, k)
		}
		for _, h := range []string{"State", "Messenger", "Toasts and views"} {
			assert.Contains(t, v, " "+h+"\n   ", "%s: heading %s has entries under it", icons, h)
		}
	}
}

// Without colour the dimming of impossible bindings is invisible, so the full help says
// "(n/a)" in words; with colour it does not, and a possible binding never does.
func TestFullHelpMarksUnavailableWithoutColour(t *testing.T) {
	for _, tc := range []struct {
		lang    language.Tag
		noColor bool
		mark    string
	}{
		{language.English, true, "(n/a)"},
		{language.Russian, true, "(недоступно)"},
		{language.English, false, ""},
	} {
		o := testOptions(newFake(), clocktest.New(t0), tc.lang)
		r := asciiRenderer()
		if !tc.noColor {
			r.SetColorProfile(termenv.ANSI256)
		}
		o.Theme = look(r, "unicode", false, tc.noColor)
		m := New(o) // no state yet: the state keys are not possible, help is
		m = step(m, windowSize(80, 24))
		m = step(m, keyPress("?"))
		v := ansi.Strip(m.View())
		if tc.mark == "" {
			assert.NotContains(t, v, "(n/a)")
			continue
		}
		assert.Contains(t, v, tc.mark, "%v", tc.lang)
		up, help, quit := "up", "help", "quit"
		if tc.lang == language.Russian {
			up, help, quit = "вверх", "справка", "выход"
		}
		assert.Contains(t, v, up+" "+tc.mark, "impossible binding marked")
		for _, desc := range []string{help, quit} {
			assert.NotContains(t, v, desc+" "+tc.mark, "possible binding marked")
		}
	}
}

// helpSeen is every line the help shows while it is scrolled from its top to its end
// with key, stripped.
func helpSeen(t *testing.T, m Model, key string) (Model, string) {
	t.Helper()
	var seen []string
	for i := 0; i < 40; i++ {
		v := ansi.Strip(m.View())
		seen = append(seen, v)
		if !strings.Contains(v, "more line") || strings.Contains(v, "latin keys shown") {
			break
		}
		m = step(m, keyPress(key))
	}
	return m, strings.Join(seen, "\n")
}

// At 60x16 the full help is one column that scrolls: ↓ and PgDn reach every key, the
// screen says how many lines are below and above, and no line is cut.
func TestFullHelpScrollsWhenNarrow(t *testing.T) {
	for _, key := range []string{"down", "pgdown", "j"} {
		for _, size := range [][2]int{{60, 16}, {70, 16}, {80, 16}, {100, 16}} {
			m := New(testOptions(newFake(), clocktest.New(t0), language.English))
			m = step(m, windowSize(size[0], size[1]))
			for _, u := range shift() {
				m = step(m, updateMsg{u})
			}
			m = step(m, keyPress("?"))
			first := ansi.Strip(m.View())
			assert.Contains(t, first, "more lines", "%v: says there is more", size)
			body := func(v string) string { return strings.SplitN(v, "\n", 2)[1] } // under the status line, which may say why a key did nothing
			m, seen := helpSeen(t, m, key)
			for _, k := range []string{"1/r", "2/b", "3/a", "4/f", "↑/k", "↓/j", "pgup", "pgdn", "end/G", "enter/m", "x ", "X ", "v ", "n ", "? ", "esc", "q "} {
				assert.Contains(t, seen, "   "+k, "%v by %s: %s reached", size, key, k)
			}
			last := ansi.Strip(m.View())
			assert.Contains(t, last, "↑ ", "%v: at the end it says what is above", size)
			assert.NotContains(t, last, "↓ ", "%v: nothing below the end", size)
			for _, l := range strings.Split(last, "\n") {
				assert.LessOrEqual(t, ansi.StringWidth(l), size[0])
			}
			assert.NotContains(t, seen, "…", "%v: no line of the help is cut", size)
			for i := 0; i < 40; i++ {
				m = step(m, keyPress("pgup"))
			}
			assert.Equal(t, body(first), body(ansi.Strip(m.View())), "%v: PgUp comes back to the top", size)
		}
	}
}

// The help is laid out to the width: two columns only where both fit whole, in English
// and Russian; never a line cut.
func TestFullHelpFitsTheWidth(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		for w := 60; w <= 200; w += 5 {
			m := New(testOptions(newFake(), clocktest.New(t0), lang))
			m = step(m, windowSize(w, 60))
			m = step(m, keyPress("?"))
			v := ansi.Strip(m.View())
			assert.NotContains(t, v, "…", "%v at %d", lang, w)
			for _, l := range strings.Split(v, "\n") {
				assert.LessOrEqual(t, ansi.StringWidth(l), w)
			}
		}
	}
}

// On the Russian layout the key marked ? types a comma: it opens the help, as F1 does;
// Esc and ? go back to where the help was opened from.
func TestHelpKeysAndWayBack(t *testing.T) {
	for _, open := range []string{"?", ",", "f1"} {
		for _, from := range []screen{screenMain, screenHistory} {
			for _, back := range []string{"esc", open} {
				m, _, _ := newTest(80, 24) // the panes share one common: a model per try
				if from == screenHistory {
					m = step(m, keyPress("n"))
				}
				m = step(m, keyPress(open))
				require.Equal(t, screenHelp, m.c.screen, "%s opens the help", open)
				m = step(m, keyPress(back))
				assert.Equal(t, from, m.c.screen, "%s from the help opened with %s goes back", back, open)
			}
		}
	}
}
