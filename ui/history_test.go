package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// historyBody is the history screen's lines under its rule, stripped.
func historyBody(m Model) []string {
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "── ") {
			return lines[i+1 : len(lines)-1] // the help bar is not the history's
		}
	}
	return nil
}

// withNotes is a dashboard with n notifications, every third of which wraps to two lines.
func withNotes(t *testing.T, n int) Model {
	t.Helper()
	m, _, _ := newTest(80, 24)
	for i := 0; i < n; i++ {
		text := fmt.Sprintf("note %02d", i)
		if i%3 == 1 {
			text = fmt.Sprintf("note %02d %s end", i, strings.Repeat("words that wrap ", 4))
		}
		m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "Oktell", text)))
	}
	return step(m, keyPress("n"))
}

// noteNumbers are the notes whose first line is on screen, by number, top first.
func noteNumbers(lines []string) []int {
	var out []int
	for _, l := range lines {
		if i := strings.Index(l, "Oktell: note "); i >= 0 {
			var n int
			fmt.Sscanf(l[i+len("Oktell: note "):], "%d", &n)
			out = append(out, n)
		}
	}
	return out
}

// PgDn moves a page of screen lines, not a page's worth of entries: every note is on
// some page, read from the newest down to the oldest; PgUp comes back the same way.
func TestHistoryPagesByScreenLines(t *testing.T) {
	m := withNotes(t, 60)
	rows := m.c.lay.listRows
	seen := map[int]bool{}
	var pages [][]string
	for i := 0; i < 60; i++ {
		body := historyBody(m)
		pages = append(pages, body)
		for _, n := range noteNumbers(body) {
			seen[n] = true
		}
		if seen[0] {
			break
		}
		m = step(m, keyPress("pgdown"))
	}
	for n := 0; n < 60; n++ {
		assert.True(t, seen[n], "note %d was on no page", n)
	}
	require.Greater(t, len(pages), 3)
	for i := 1; i < len(pages)-1; i++ { // the last page may be pulled up to stay full
		// a page goes on where the last one stopped, one line of it still in view
		prev, cur := pages[i-1], pages[i]
		assert.Equal(t, prev[rows-1], cur[0], "page %d starts with the last line of page %d", i, i-1)
	}
	for range pages {
		m = step(m, keyPress("pgup"))
	}
	assert.Equal(t, pages[0], historyBody(m), "back at the newest")
}

// Scrolling never leaves the pane mostly empty while older entries exist: the oldest
// stops at the bottom of a full pane.
func TestHistoryStaysFullAtTheEnd(t *testing.T) {
	m := withNotes(t, 30)
	rows := m.c.lay.listRows
	for i := 0; i < 200; i++ {
		m = step(m, keyPress("down"))
	}
	body := historyBody(m)
	require.Len(t, body, rows)
	assert.Contains(t, body[rows-1], "note 00", "the oldest at the bottom")
	for _, l := range body {
		assert.NotEmpty(t, strings.TrimSpace(l), "no empty line while older entries exist: %q", body)
	}
	for i := 0; i < 10; i++ {
		m = step(m, keyPress("pgdown"))
	}
	assert.Equal(t, body, historyBody(m), "PgDn at the end stays at the end")

	// a history shorter than the pane is shown from its newest, whatever is pressed
	short := withNotes(t, 3)
	before := historyBody(short)
	short = step(step(short, keyPress("pgdown")), keyPress("down"))
	assert.Equal(t, before, historyBody(short))
	assert.Contains(t, before[0], "note 02")
}

// While the operator reads further down, a new notification does not move what they read.
func TestHistoryHoldsItsPlaceWhenANoteArrives(t *testing.T) {
	m := withNotes(t, 30)
	m = step(m, keyPress("pgdown"))
	before := historyBody(m)
	m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "Oktell", "note 99")))
	assert.Equal(t, before, historyBody(m))
}

// A note's height is counted without drawing it: it is the lines it is drawn in, every
// one within the width, whatever its label, icons and language.
func TestHistoryHeightIsItsLines(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		for _, icons := range []string{"unicode", "ascii"} {
			o := testOptions(newFake(), clocktest.New(t0), lang)
			o.Theme = look(asciiRenderer(), icons, false, false)
			m := step(New(o), windowSize(80, 24))
			for i, typ := range oktell.NotifyTypes() {
				m = step(m, upd(t0, evNotify(typ, false, i%2 == 0, "24.11.2026 09:00:00", "Oktell", strings.Repeat("слово ", 3*i))))
			}
			m = step(m, localError(m.c, strings.Repeat("refused ", 20)))
			m = step(m, localWarning(m.c, "short"))
			h := &m.history
			for _, w := range []int{60, 80, 117} {
				for off := range h.notes {
					lines := h.lines(h.note(off), w)
					assert.Equal(t, len(lines), h.height(off, w), "%v %s at %d: note %d", lang, icons, w, off)
					for _, l := range lines {
						assert.LessOrEqual(t, ansi.StringWidth(l), w)
					}
					if len(lines) > 1 {
						assert.Equal(t, h.prefixWidth(h.note(off)), ansi.StringWidth(lines[1])-ansi.StringWidth(strings.TrimLeft(lines[1], " ")))
					}
				}
			}
		}
	}
}

// At 60 columns in Russian the history keeps the whole text of a long path (QA: "shif…"
// then "emo-", the "t-d" gone) and every entry's text starts in the same column, okdash's
// warning ("предупреждение okdash", the widest label) as the server's information.
func TestHistoryWholeTextInOneColumn(t *testing.T) {
	const path = "shift: /home/ivanova/.local/state/okdash/serve/key-771b67e884dc73ed/shift-demo-2026-12-01.json: permission denied"
	for _, lang := range []language.Tag{language.Russian, language.English} {
		f := newFake()
		m := New(testOptions(f, clocktest.New(t0), lang))
		m = step(m, tea.WindowSizeMsg{Width: 60, Height: 24})
		m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "24.11.2026 09:00:00", "Oktell", "короткое")))
		m = step(m, localWarning(m.c, path))
		m = step(m, keyPress("n"))
		body := historyBody(m)
		var col []int
		var text []string
		for _, l := range body {
			if strings.TrimSpace(l) == "" {
				continue
			}
			require.LessOrEqual(t, ansi.StringWidth(l), 60, "%q", l)
			if strings.HasPrefix(l, "09:00:00") { // an entry's first line: where its text starts
				i := strings.Index(l, "shift:")
				if i < 0 {
					i = strings.Index(l, "Oktell:")
				}
				require.GreaterOrEqual(t, i, 0, "%q", l)
				col = append(col, ansi.StringWidth(l[:i]))
				text = append(text, "")
				l = l[i:]
			}
			text[len(text)-1] += strings.TrimSpace(l)
		}
		require.Len(t, col, 2, "%s: %q", lang, body)
		assert.Equal(t, col[0], col[1], "%s: the texts start in one column: %q", lang, body)
		assert.Equal(t, strings.ReplaceAll(path, " ", ""), strings.ReplaceAll(text[0], " ", ""), "%s: the whole text: %q", lang, body)
	}
}
