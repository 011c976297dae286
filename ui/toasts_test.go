package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// A repeated toast keeps its " ×N" when its text is cut to the width.
func TestToastCountSurvivesTruncation(t *testing.T) {
	m, _, _ := newTest(80, 24)
	long := strings.Repeat("очень длинное уведомление ", 8)
	for i := 0; i < 3; i++ {
		m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", long)))
	}
	require.Len(t, m.toasts.list, 1)
	line := ansi.Strip(m.toasts.line(m.toasts.list[0], m.c.width))
	assert.True(t, strings.HasSuffix(line, "… ×3"), "%q", line)
	assert.LessOrEqual(t, ansi.StringWidth(line), 80)

	// the same for an incoming call's bar
	for i := 0; i < 2; i++ {
		m = step(m, upd(t0, evNotify(oktell.NltIncomingCall, false, false, "24.11.2026 09:00:00", "АТС", long)))
	}
	all := m.toasts.ordered()
	line = ansi.Strip(m.toasts.line(all[0], m.c.width))
	assert.Contains(t, line, "… ×2")
	assert.Equal(t, 80, ansi.StringWidth(line))
}

// One cell between a notification's glyph and its label: in toasts, the toast column and
// the history, with and without colour, Unicode and ASCII icons, English and Russian.
func TestGlyphLabelGap(t *testing.T) {
	for _, prof := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		for _, icons := range []string{"unicode", "ascii"} {
			for _, lang := range []language.Tag{language.English, language.Russian} {
				r := lipgloss.NewRenderer(nil)
				r.SetColorProfile(prof)
				o := testOptions(newFake(), clocktest.New(t0), lang)
				o.Theme = look(r, icons, false, false)
				m := step(New(o), windowSize(120, 30))
				m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "S", "текст")))
				m = step(m, updateMsg{oktell.Update{At: t0, Err: errors.New("skipped")}})
				glyphs := []string{m.c.theme.Icons.ToastGlyph(oktell.NltInformation), m.c.theme.Icons.ToastGlyph(oktell.NltApplicationWarn)}
				labels := []string{noteLabel(m.c, m.history.notes[0].n), noteLabel(m.c, m.history.notes[1].n)}
				check := func(where, v string) {
					for i, g := range glyphs {
						assert.Contains(t, v, " "+g+" "+labels[i], "%s %v %s %v", where, prof, icons, lang)
						assert.NotContains(t, v, " "+g+"  "+labels[i], "%s %v %s %v", where, prof, icons, lang)
					}
				}
				check("column", ansi.Strip(m.View()))
				m = step(m, windowSize(80, 30))
				check("toasts", ansi.Strip(m.View()))
				m = step(m, keyPress("n"))
				check("history", ansi.Strip(m.View()))
			}
		}
	}
}
