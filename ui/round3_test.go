package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
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
		{"refused", &oktell.RefusedError{Code: 3, Reason: "not now"}, "Asked for Break: refused: not now"},
		{"refused without reason", &oktell.RefusedError{Code: 3}, "Asked for Break: refused"},
		{"context timeout", fmt.Errorf("ws: request 7: %w", context.DeadlineExceeded), "Asked for Break: no answer from Oktell within 20s"},
		{"network timeout", timeoutErr{}, "Asked for Break: no answer from Oktell in time"},
		{"bridge timeout", fmt.Errorf("SetUserState: %w (5s)", bridge.ErrTimeout), "Asked for Break: no answer from Oktell in time"},
		{"ws timeout", &ws.TimeoutError{Method: "setuserstate", Timeout: 20 * time.Second}, "Asked for Break: no answer from Oktell in time"},
		{"not connected", oktell.ErrNotConnected, "Asked for Break: not connected to Oktell"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			c := clocktest.New(t0)
			o := testOptions(f, c, language.English)
			o.RequestTimeout = 20 * time.Second
			m := New(o)
			m = step(m, windowSize(80, 24))
			f.stateErr = tc.err
			m = step(m, upd(t0, evState(oktell.UserReady, false)))
			m, cmd := stepCmd(m, keyPress("b"))
			m = settle(t, m, cmd)
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

func TestLocalErrorsRussian(t *testing.T) {
	f := newFake()
	c := clocktest.New(t0)
	o := testOptions(f, c, language.Russian)
	o.RequestTimeout = 20 * time.Second
	m := New(o)
	m = step(m, windowSize(80, 24))
	f.stateErr = context.DeadlineExceeded
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, cmd := stepCmd(m, keyPress("b"))
	m = settle(t, m, cmd)
	assert.Equal(t, []string{"Запрос «Перерыв» не выполнен: нет ответа от Oktell за 20s"}, toastTexts(m))
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

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// The reason a session gave when it closed stays on the banner after the session ends.
func TestSourceEndedKeepsReason(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, linkStatus(t0, oktell.LinkClosed, "session does not exist; start okdash again to enter the password"))
	m = step(m, sessionEndedMsg{})
	assert.Equal(t, "Source ended: session does not exist; start okdash again to enter the password", m.status.banner)
	assert.Contains(t, strings.Join(strings.Fields(ansi.Strip(m.View())), " "), "start okdash again to enter the password")

	m, _, _ = newTest(80, 24)
	m = step(m, sessionEndedMsg{})
	assert.Equal(t, "Source ended", m.status.banner, "no reason, nothing invented")
}

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

// Below the minimum size the reply line keeps its focus: keys are text, Esc closes it,
// ctrl+c still quits, and the screen says so instead of offering "q quit".
func TestTooSmallKeepsReplyFocus(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет")))
	m = step(m, keyPress("m"))
	require.True(t, m.reply.open)
	m = step(m, windowSize(50, 12))
	for _, k := range []string{"q", "r", "x", "й"} {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress(k))
		assert.False(t, m.quitting, "%s is text", k)
		for _, msg := range runCmd(m, cmd) {
			_, quit := msg.(tea.QuitMsg)
			assert.False(t, quit, "%s does not quit", k)
		}
	}
	assert.Equal(t, "qrxй", m.reply.input.Value())
	v := ansi.Strip(m.View())
	assert.NotContains(t, v, "q quit")
	assert.Contains(t, v, "esc cancel")
	assert.Contains(t, v, "qrxй", "the draft is on screen")
	for _, l := range strings.Split(v, "\n") {
		assert.LessOrEqual(t, ansi.StringWidth(l), 50)
	}

	m = step(m, windowSize(80, 24))
	assert.True(t, m.reply.open, "the draft survives the resize")
	assert.Equal(t, "qrxй", m.reply.input.Value())
	m = step(m, windowSize(50, 12))
	m = step(m, keyPress("esc"))
	assert.False(t, m.reply.open, "esc closes the reply")
	_, cmd := stepCmd(m, keyPress("q"))
	assert.NotNil(t, cmd, "without the reply line, q quits")

	m = step(m, keyPress("ctrl+c"))
	assert.True(t, m.quitting)
}

// With Caps Lock on the letter keys still work, on both layouts; X and G keep their own
// meaning.
func TestCapsLockKeys(t *testing.T) {
	m, f, _ := newTest(80, 24)
	cases := []struct {
		latin string // the key the help shows
		keys  []string
	}{
		{"r", []string{"R", "К"}}, {"b", []string{"B", "И"}}, {"a", []string{"A", "Ф"}},
		{"f", []string{"F", "А"}}, {"q", []string{"Q", "Й"}}, {"n", []string{"N", "Т"}},
		{"v", []string{"V", "М"}}, {"m", []string{"M", "Ь"}},
		{"X", []string{"X", "Ч"}}, {"G", []string{"G", "П"}},
	}
	for _, tc := range cases {
		b := liveBinding(t, m, tc.latin)
		for _, s := range tc.keys {
			assert.True(t, b.presses(keyPress(s)), "%s -> %s", s, b.Help().Desc)
		}
	}
	assert.False(t, liveBinding(t, m, "x").presses(keyPress("X")), "X stays dismiss all")
	assert.False(t, liveBinding(t, m, "X").presses(keyPress("x")))

	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, cmd := stepCmd(m, keyPress("B"))
	settle(t, m, cmd)
	assert.Equal(t, []stateCall{{oktell.UserLunch, false}}, f.states)
}

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

// A long banner wraps to two lines, so the end of the reason ("retrying in 4s") is read.
func TestBannerWrapsToTwoLines(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	reason := "exec:python3 bridge.py exited: exit status 1 (ConnectionRefusedError: [Errno 111] Connection refused); retrying in 4s"
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, reason))
	v := m.View()
	lines := strings.Split(ansi.Strip(v), "\n")
	require.Len(t, lines, 24, "the screen keeps its height")
	assert.Contains(t, lines[1], "Link to Oktell lost: exec:python3")
	assert.Contains(t, lines[2], "retrying in 4s")
	assert.True(t, strings.HasPrefix(lines[2], "  "), "the second line stands under the text")
	assert.Contains(t, lines[3], "Messages", "the pane starts after the two banner lines")
	for _, l := range lines {
		assert.LessOrEqual(t, ansi.StringWidth(l), 80)
	}

	// a reason longer than two lines is cut at the end of the second
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, strings.Repeat("very long reason ", 20)))
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	require.Len(t, lines, 24)
	assert.True(t, strings.HasSuffix(strings.TrimRight(lines[2], " "), "…"), "%q", lines[2])
	assert.Contains(t, lines[3], "Messages")

	// a short one stays on one line
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, "connection lost"))
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	assert.Contains(t, lines[2], "Messages")
}

// However the operator pages, the selected message's first line (time and sender) is on
// screen, for messages of every height, a message taller than the pane included.
func TestSelectedMessageHeaderStaysVisible(t *testing.T) {
	for _, h := range []int{16, 19, 24} {
		m, _, _ := newTest(80, h)
		for i := 0; i < 30; i++ {
			text := strings.Repeat("слово ", 1+(i*7)%40)
			if i == 12 {
				text = strings.Repeat("очень длинное сообщение ", 60) // taller than the pane
			}
			m = step(m, upd(t0, evMessage(fmt.Sprintf("24.11.2026 09:%02d:00", i), fmt.Sprintf("u%d", i), fmt.Sprintf("S%02d", i), text)))
		}
		keys := []string{"pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup",
			"pgdown", "pgdown", "pgdown", "up", "up", "down", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown"}
		for n, k := range keys {
			m = step(m, keyPress(k))
			sel := m.messages.selected()
			v := ansi.Strip(m.View())
			found := false
			for _, l := range strings.Split(v, "\n") {
				if strings.HasPrefix(l, "▌ ") {
					assert.Contains(t, l, sel.sender, "h=%d after %d keys: the selected block starts with its header", h, n+1)
					found = true
					break
				}
			}
			assert.True(t, found, "h=%d after %d keys: the selected message is on screen", h, n+1)
		}
	}
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

// While the link is down the reply line still opens: an operator already typing an
// answer must not fire hotkeys (a 'q' in the text would quit). Sending then fails with
// the reason and keeps the text.
func TestReplyOpensWhileTheLinkIsDown(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "{11111111-0000-0000-0000-000000000001}", "Петрова Анна", "Перезвони")))
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, "connection lost"))
	m = step(m, keyPress("enter"))
	require.True(t, m.reply.open, "Enter opens the reply line while the link is down")
	for _, r := range "иду q й" {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress(string(r)))
		assert.False(t, m.quitting, "%q is text", r)
		for _, msg := range runCmd(m, cmd) {
			_, quit := msg.(tea.QuitMsg)
			assert.False(t, quit, "%q does not quit", r)
		}
	}
	assert.True(t, m.reply.open)
	assert.Equal(t, "иду q й", m.reply.input.Value())
}
