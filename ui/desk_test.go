package ui

import (
	"bytes"
	"fmt"
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

// newDesk is a dashboard of the given size on a source that reports the whole desk.
func newDesk(t *testing.T, w, h int, lang language.Tag, caps oktell.Capabilities) (Model, *fakeSession) {
	t.Helper()
	f := newFake()
	f.caps = caps
	m := New(testOptions(f, clocktest.New(t0), lang))
	return step(m, windowSize(w, h)), f
}

func lineMsg(at time.Time, l oktell.LineUpdate) updateMsg {
	return updateMsg{oktell.Update{At: at, Line: &l}}
}

func queueMsg(at time.Time, cs ...oktell.QueuedCaller) updateMsg {
	return updateMsg{oktell.Update{At: at, Queue: &oktell.Queue{Callers: cs}}}
}

func colleaguesMsg(at time.Time, u oktell.ColleaguesUpdate) updateMsg {
	return updateMsg{oktell.Update{At: at, Colleagues: &u}}
}

// screenLines is the view without styles, line by line.
func screenLines(m Model) []string { return strings.Split(ansi.Strip(m.View()), "\n") }

// deskRow is the second line of the screen.
func deskRow(m Model) string { return screenLines(m)[1] }

func ringingAt(number, name string) oktell.LineUpdate {
	return oktell.LineUpdate{State: oktell.LineRinging, Call: &oktell.Call{Direction: oktell.DirectionIn, Number: number, Name: name}}
}

// The call goes through its course on the second line: it rings with the number and
// the name, talks with a timer that follows the clock's tick, waits on hold with how
// long, and is gone when it ends; the time in state stays on the first line.
func TestCallLineThroughACall(t *testing.T) {
	m, _ := newDesk(t, 80, 24, language.English, deskCaps)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	first := screenLines(m)[1]
	m = step(m, lineMsg(t0, oktell.LineUpdate{State: oktell.LineFree}))
	assert.Equal(t, first, screenLines(m)[1], "a free line adds no line")

	m = step(m, lineMsg(t0.Add(5*time.Second), ringingAt("+74951234567", "Иванов Иван")))
	row := deskRow(m)
	assert.Contains(t, row, "☎ Incoming call")
	assert.Contains(t, row, "+74951234567 Иванов Иван")
	assert.Contains(t, screenLines(m)[0], "Ready 00:05", "the time in state stays on the first line")

	talk := oktell.LineUpdate{State: oktell.LineTalking, Call: &oktell.Call{Number: "+74951234567", Name: "Иванов Иван", TalkStart: t0.Add(7 * time.Second)}}
	m = step(m, lineMsg(t0.Add(7*time.Second), talk))
	assert.Contains(t, deskRow(m), "☏ Talking 00:00")
	m = tickAt(m, t0.Add(72*time.Second))
	assert.Contains(t, deskRow(m), "☏ Talking 01:05", "the timer follows the tick")
	assert.Contains(t, screenLines(m)[0], "Ready 01:12")

	hold := talk
	hold.State, hold.Call = oktell.LineOnHold, &oktell.Call{Number: "+74951234567", Name: "Иванов Иван", TalkStart: talk.Call.TalkStart,
		OnHold: true, HoldStart: t0.Add(80 * time.Second)}
	m = step(m, lineMsg(t0.Add(80*time.Second), hold))
	m = tickAt(m, t0.Add(92*time.Second))
	assert.Contains(t, deskRow(m), "‖ On hold 00:12")

	m = step(m, lineMsg(t0.Add(95*time.Second), oktell.LineUpdate{State: oktell.LineFree}))
	assert.NotContains(t, m.View(), "+74951234567", "the call is gone when it ends")
	assert.NotContains(t, m.View(), "On hold")
}

// A source that does not say when the talk began is timed from when the dashboard saw
// it talk, for as long as it is the same call; a new call starts from zero.
func TestTalkTimerWithoutTalkStart(t *testing.T) {
	m, _ := newDesk(t, 80, 24, language.English, deskCaps)
	talk := oktell.LineUpdate{State: oktell.LineTalking, Call: &oktell.Call{Number: "100", ChainID: "a"}}
	m = step(m, lineMsg(t0, talk))
	m = step(m, lineMsg(t0.Add(30*time.Second), talk)) // a re-read of the same call
	assert.Contains(t, deskRow(m), "Talking 00:30")
	other := oktell.LineUpdate{State: oktell.LineTalking, Call: &oktell.Call{Number: "200", ChainID: "b"}}
	m = step(m, lineMsg(t0.Add(40*time.Second), other))
	assert.Contains(t, deskRow(m), "Talking 00:00")
}

// With --bell a call rings the bell once when it starts ringing: not again for the same
// ring read again, nor for the incoming-call notification of the same call; a new call
// rings again.
func TestBellRingsOnceWhenACallStartsRinging(t *testing.T) {
	var buf bytes.Buffer
	f := newFake()
	f.caps = deskCaps
	o := testOptions(f, clocktest.New(t0), language.English)
	o.Bell, o.BellOut = true, &buf
	m := step(New(o), windowSize(80, 24))
	send := func(msg tea.Msg) {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, msg)
		runCmd(m, cmd)
	}
	send(upd(t0, evNotify(oktell.NltIncomingCall, false, false, "", "АТС", "+74951234567")))
	send(lineMsg(t0, ringingAt("+74951234567", "Иванов")))
	assert.Equal(t, "\a", buf.String(), "one call, one bell")
	send(lineMsg(t0.Add(2*time.Second), ringingAt("+74951234567", "Иванов")))
	assert.Equal(t, "\a", buf.String(), "the same ring read again")
	send(lineMsg(t0.Add(3*time.Second), oktell.LineUpdate{State: oktell.LineFree}))
	send(lineMsg(t0.Add(9*time.Second), ringingAt("+79161234567", "Кузьмина")))
	assert.Equal(t, "\a\a", buf.String(), "a new call")
	for i := 0; i < 3; i++ {
		_ = m.View()
		m = tickAt(m, t0.Add(time.Duration(10+i)*time.Second))
	}
	assert.Equal(t, "\a\a", buf.String(), "never on a redraw or a tick")
}

// The window title tells a ringing call, so that a minimised terminal shows who calls;
// once answered it is the state's again (a timer in the title would retitle every second).
func TestWindowTitleRings(t *testing.T) {
	m, _ := newDesk(t, 80, 24, language.Russian, deskCaps)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	m, cmd := stepCmd(m, lineMsg(t0, ringingAt("+74951234567", "Иванов\x1b]0;evil\aИван")))
	assert.Equal(t, "okdash: Готов · ☎ Входящий звонок +74951234567 ИвановИван", m.title, "the escape sequence is gone whole")
	assert.NotNil(t, cmd)
	m = step(m, lineMsg(t0.Add(time.Second), oktell.LineUpdate{State: oktell.LineTalking, Call: &oktell.Call{Number: "+74951234567"}}))
	assert.Equal(t, "okdash: Готов", m.title)
}

// Free text about the caller is cleaned and put on the call's line, as far as it fits;
// nothing from the wire reaches the terminal as a control sequence, and no line is ever
// wider than the terminal, whatever the texts.
func TestCallInfoCleanedAndBounded(t *testing.T) {
	long := strings.Repeat("очень длинный комментарий ", 40)
	for _, w := range []int{60, 80, 120, 160, 200} {
		m, _ := newDesk(t, w, 24, language.English, deskCaps)
		m = step(m, queueMsg(t0, waiting()...))
		c := &oktell.Call{Number: "+7\x1b[2J495", Name: "Иванов\tИван\x07", Info: "VIP\r\n\x1b[31mвопрос\x1b[0m по счёту\n\n" + long}
		m = step(m, lineMsg(t0, oktell.LineUpdate{State: oktell.LineRinging, Call: c}))
		v := m.View()
		assert.NotContains(t, v, "\x1b[2J")
		assert.NotContains(t, v, "\x07")
		row := deskRow(m)
		assert.Contains(t, row, "+7495")
		if w >= 80 {
			assert.Contains(t, row, "VIP · вопрос по счёту · очень", "line breaks become separators")
		}
		for i, l := range strings.Split(v, "\n") {
			assert.LessOrEqual(t, ansi.StringWidth(l), w, "width %d line %d", w, i)
		}
	}
}

// What does not fit on the second line gives way from the end: the free text, the
// queue's long form, the name; the badge and the number stay.
func TestDeskLineGivesWay(t *testing.T) {
	c := &oktell.Call{Number: "+74951234567", Name: "Смирнова Ольга Викторовна", Info: "Очередь «Поддержка»: вопрос по счёту"}
	cases := []struct {
		w          int
		has, hasNo []string
	}{
		{200, []string{"Смирнова Ольга Викторовна · Очередь «Поддержка»: вопрос по счёту", "≣ 3 waiting, longest 1:42"}, nil},
		{80, []string{"+74951234567 Смирнова Ольга Викторовна", "≣ 3 · 1:42"}, []string{"Очередь", "waiting"}},
		{60, []string{"+74951234567 Смирнова Ольга", "…  ≣ 3 · 1:42"}, []string{"Очередь", "Викторовна"}},
	}
	for _, tc := range cases {
		m, _ := newDesk(t, tc.w, 24, language.English, deskCaps)
		m = step(m, queueMsg(deskAt.Add(-time.Hour), waiting()...))
		m = step(m, lineMsg(deskAt, oktell.LineUpdate{State: oktell.LineRinging, Call: c}))
		row := deskRow(m)
		for _, s := range tc.has {
			assert.Contains(t, row, s, "width %d", tc.w)
		}
		for _, s := range tc.hasNo {
			assert.NotContains(t, row, s, "width %d", tc.w)
		}
		assert.Equal(t, tc.w, ansi.StringWidth(row), "the count ends at the right edge")
	}
}

// The queue's count stands on the second line, beside the call or alone, only once the
// source has read the queue and someone waits; its longest wait follows the tick.
func TestQueueCount(t *testing.T) {
	m, _ := newDesk(t, 80, 24, language.Russian, deskCaps)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	assert.NotContains(t, m.View(), "≣", "not read yet: nothing, not a zero")
	m = step(m, queueMsg(t0))
	assert.NotContains(t, m.View(), "≣", "an empty queue: nothing")
	m = step(m, queueMsg(t0, oktell.QueuedCaller{Key: "1", Number: "1", Since: t0.Add(-100 * time.Second)}))
	assert.True(t, strings.HasSuffix(deskRow(m), "≣ 1 ждёт, дольше всех 1:40"), deskRow(m))
	m = step(m, queueMsg(t0, waiting()...))
	m = tickAt(m, deskAt.Add(20*time.Second))
	assert.True(t, strings.HasSuffix(deskRow(m), "≣ 3 ждут, дольше всех 2:02"), deskRow(m))
	m = step(m, queueMsg(deskAt.Add(21*time.Second)))
	assert.NotContains(t, m.View(), "≣")
}

// The queue view lists every caller in the order the server will answer them, with
// their number, name and wait, bounded by the screen: the rest are counted and can be
// scrolled to.
func TestQueueView(t *testing.T) {
	m, _ := newDesk(t, 60, 16, language.English, deskCaps)
	var callers []oktell.QueuedCaller
	for i := 0; i < 40; i++ {
		callers = append(callers, oktell.QueuedCaller{Key: fmt.Sprint(i), Number: fmt.Sprintf("+7916000%04d", i),
			Name: fmt.Sprintf("Caller %d", i), Since: t0.Add(-time.Duration(40-i) * time.Minute)})
	}
	m = step(m, queueMsg(t0, callers...))
	m = step(m, keyPress("ц"))
	require.Equal(t, screenQueue, m.c.screen)
	v := screenLines(m)
	assert.Len(t, v, 16)
	assert.Contains(t, v[2], "Queue 40 waiting, longest 40:00")
	assert.Regexp(t, `^\s+1  \+79160000000  Caller 0\s+40:00$`, v[3])
	assert.Regexp(t, `^\s+2  \+79160000001  Caller 1\s+39:00$`, v[4])
	assert.Contains(t, strings.Join(v, "\n"), "+29 more")
	m = step(m, keyPress("pgdown"))
	assert.NotContains(t, strings.Join(screenLines(m), "\n"), "Caller 0 ")
	m = step(m, keyPress("esc"))
	assert.Equal(t, screenMain, m.c.screen)
}

// Without the capability the views and their keys are hidden: the key says why, the
// help bar and the full help leave it out, and nothing the source might send shows.
func TestDeskHiddenWithoutCapabilities(t *testing.T) {
	caps := oktell.Capabilities{Kind: oktell.SourceBridge, SetUserState: true, SendMessage: true, Line: true}
	m, _ := newDesk(t, 160, 48, language.English, caps)
	m = step(m, queueMsg(t0, waiting()...))
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}))
	v := m.View()
	assert.NotContains(t, v, "≣")
	assert.NotContains(t, v, "Colleagues")
	assert.NotContains(t, v, "c colleagues")
	assert.NotContains(t, v, "w queue")
	for k, why := range map[string]string{"c": "this source does not report colleagues", "w": "this source does not report the queue"} {
		b := liveBinding(t, m, k)
		assert.False(t, b.Enabled())
		assert.Equal(t, why, b.why)
		m.c.posted = nil
		press(m.c, m.liveKeys(m.c), keyPress(k))
		require.Len(t, m.c.posted, 1, k)
		assert.Equal(t, why, m.c.posted[0].(keyRefusedMsg).why)
	}
	for _, g := range m.fullHelp(m.c) {
		for _, b := range g {
			assert.NotEqual(t, "colleagues", b.Help().Desc)
			assert.NotEqual(t, "queue", b.Help().Desc)
		}
	}
	noLine := oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true}
	m, _ = newDesk(t, 80, 24, language.English, noLine)
	m = step(m, lineMsg(t0, ringingAt("+74951234567", "Иванов Иван")))
	assert.NotContains(t, m.View(), "+74951234567", "a source without the line shows no call")
}

// The colleagues view lists them by department, free colleagues first and the operator
// last, each with the state's glyph and word; a change of one colleague's state moves
// them, and the selection stays with the colleague it was on.
func TestColleaguesView(t *testing.T) {
	m, _ := newDesk(t, 80, 30, language.English, deskCaps)
	m = step(m, keyPress("с"))
	require.Equal(t, screenColleagues, m.c.screen)
	assert.Contains(t, m.View(), "the colleague list has not arrived yet")
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}))
	v := screenLines(m)
	assert.Contains(t, v[1], "Colleagues 3 of 11 free", "the operator is not counted")
	assert.Equal(t, " Поддержка  2 of 6 free", v[2])
	assert.Regexp(t, `^▌ ● Ready\s+Кузнецов Андрей\s+16024$`, v[3])
	assert.Regexp(t, `^  ● Ready\s+Петрова Анна\s+16021$`, v[4])
	assert.Regexp(t, `^  ■ Busy\s+Смирнова Ольга Викторовна`, v[5])
	assert.Regexp(t, `^  ● Ready\s+Иванова Мария \(you\)\s+201$`, v[9])
	assert.Equal(t, " Продажи  1 of 5 free", v[10])
	assert.Regexp(t, `^  \? Unknown\s+Лебедев Павел`, v[15])

	m = step(m, keyPress("down")) // Петрова
	petrova := roster()[1]
	petrova.State = oktell.UserLunch
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Colleagues: []oktell.Colleague{petrova}}))
	v = screenLines(m)
	assert.Contains(t, v[1], "Colleagues 2 of 11 free")
	assert.Regexp(t, `^  ◐ Break\s+Sidorov Oleg`, v[5])
	assert.Regexp(t, `^▌ ◐ Break\s+Петрова Анна`, v[6], "moved down among those on a break, still selected")
	assert.Equal(t, "u-petrova", m.colleagues.selectedColleague().ID)

	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Removed: []string{petrova.Key()}}))
	assert.NotContains(t, m.View(), "Петрова")
	assert.NotNil(t, m.colleagues.selectedColleague(), "the selection goes to another colleague")
}

// The filter line holds the focus: every key typed is text (no state changes, no quit),
// the list narrows as it is typed (by name, login, number, department or state), Enter
// keeps it and gives the focus back, Esc clears it; Esc on the view goes back.
func TestColleaguesFilter(t *testing.T) {
	m, f := newDesk(t, 80, 30, language.English, deskCaps)
	m = step(m, upd(t0, evState(oktell.UserLunch, false)))
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}))
	m = step(m, keyPress("c"))
	m = step(m, keyPress("/"))
	require.True(t, m.colleagues.modal())
	for _, k := range []string{"q", "r", "1", "й", "backspace", "backspace", "backspace", "backspace"} {
		var cmd tea.Cmd
		m, cmd = stepCmd(m, keyPress(k))
		settle(t, m, cmd)
		assert.False(t, m.quitting, "%s is text", k)
	}
	assert.Empty(t, f.states, "no state asked for from the filter line")
	for _, k := range []string{"В", "о", "л"} {
		m = step(m, keyPress(k))
	}
	v := m.View()
	assert.Contains(t, v, "/ Вол")
	assert.Contains(t, v, "Волков Сергей")
	assert.NotContains(t, v, "Петрова")
	assert.Contains(t, v, "enter done")

	m = step(m, keyPress("enter"))
	assert.False(t, m.colleagues.modal(), "enter gives the focus back")
	assert.Contains(t, m.View(), "/ Вол", "and keeps the filter")
	assert.Contains(t, m.View(), "esc clear filter")
	m = step(m, keyPress("esc"))
	assert.Equal(t, screenColleagues, m.c.screen, "the first esc clears the filter")
	assert.Contains(t, m.View(), "Петрова")
	m = step(m, keyPress("esc"))
	assert.Equal(t, screenMain, m.c.screen, "the next goes back")

	for query, want := range map[string][]string{"1603": {"Морозова", "Волков"}, "sales": nil, "break": {"Sidorov"}, "продажи": {"Попов"}, "ORLOVA": {"Орлова"}} {
		m = step(m, keyPress("c"))
		m = step(m, keyPress("."))
		m = step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(query)})
		v := m.View()
		for _, w := range want {
			assert.Contains(t, v, w, query)
		}
		if want == nil {
			assert.Contains(t, v, `no colleague matches "sales"`)
		}
		m = step(m, keyPress("esc"))
		assert.NotContains(t, m.View(), "/ "+query, "esc in the line clears it")
		m = step(m, keyPress("esc"))
	}
}

// Enter on a colleague writes to them: the reply line opens to them and sends through
// the session to their id; the message shows as sent. On one's own entry, or on a
// source that cannot send, the key is refused with the reason.
func TestWriteToAColleague(t *testing.T) {
	m, f := newDesk(t, 80, 24, language.English, deskCaps)
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}))
	m = step(m, keyPress("c"))
	m = step(m, keyPress("down"))
	m = step(m, keyPress("enter"))
	require.True(t, m.reply.open)
	assert.Contains(t, m.View(), "Message to Петрова Анна: ")
	for _, k := range []string{"q", "r", " ", "!"} {
		m = step(m, keyPress(k))
	}
	m, cmd := stepCmd(m, keyPress("enter"))
	m = settle(t, m, cmd)
	assert.Equal(t, []sentCall{{"u-petrova", "qr !"}}, f.sent)
	assert.False(t, m.reply.open)
	m = step(m, keyPress("esc"))
	assert.Contains(t, m.View(), "me → Петрова Анна")

	m = step(m, keyPress("c"))
	m = step(m, tea.KeyMsg{Type: tea.KeyEnd})
	for i := 0; i < 20; i++ {
		m = step(m, keyPress("down"))
	}
	m = step(m, keyPress("up")) // the last of Поддержка is the operator: up from Продажи's first... find them
	for m.colleagues.selectedColleague() != nil && !m.colleagues.selectedColleague().Self {
		m = step(m, keyPress("up"))
	}
	assert.Equal(t, "that is you", liveBinding(t, m, "enter").why)

	ws := deskCaps
	ws.Kind, ws.SendMessage = oktell.SourceWS, false
	m, _ = newDesk(t, 80, 24, language.Russian, ws)
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}))
	m = step(m, keyPress("c"))
	b := liveBinding(t, m, "enter")
	assert.False(t, b.Enabled())
	assert.Equal(t, "this source cannot send messages", b.why)
	assert.NotContains(t, lastLine(ansi.Strip(m.View())), "написать", "not on the help bar")
	m.c.posted = nil
	press(m.c, m.liveKeys(m.c), keyPress("enter"))
	require.Len(t, m.c.posted, 1)
	assert.Equal(t, "этот источник не отправляет сообщения", m.c.posted[0].(keyRefusedMsg).why)
}

// A source whose capabilities promise sending but whose SendMessage says it cannot
// (oktell.ErrUnsupported, as ws's ErrNoChatSend is) disables the key from then on.
func TestWriteRefusedAsTheSourceSays(t *testing.T) {
	m, f := newDesk(t, 80, 24, language.English, deskCaps)
	f.sendErr = fmt.Errorf("%w: no chat method", oktell.ErrUnsupported)
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}))
	m = step(m, keyPress("c"))
	m = step(m, keyPress("enter"))
	m = step(m, keyPress("x"))
	m, cmd := stepCmd(m, keyPress("enter"))
	m = settle(t, m, cmd)
	assert.True(t, m.reply.open, "the text stays for another try")
	m = step(m, keyPress("esc"))
	assert.Equal(t, "this source cannot send messages", liveBinding(t, m, "enter").why)
}

// A colleague list and the queue are bounded whatever the source sends, and a flood of
// changes to one colleague of a large list keeps one entry.
func TestDeskBounds(t *testing.T) {
	m, _ := newDesk(t, 80, 24, language.English, deskCaps)
	many := make([]oktell.Colleague, oktell.MaxColleagues+500)
	for i := range many {
		many[i] = oktell.Colleague{ID: fmt.Sprint(i), Name: fmt.Sprint("n", i), StateKnown: true, State: oktell.UserReady}
	}
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: many}))
	assert.Len(t, m.colleagues.list, oktell.MaxColleagues)
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Colleagues: many[oktell.MaxColleagues:]}))
	assert.Len(t, m.colleagues.list, oktell.MaxColleagues, "new colleagues beyond the bound are not kept")
	for i := 0; i < 100; i++ {
		m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Colleagues: []oktell.Colleague{{ID: "7", Name: fmt.Sprint("x", i)}}}))
	}
	assert.Len(t, m.colleagues.list, oktell.MaxColleagues)
	assert.Equal(t, "x99", m.colleagues.list[7].Name)

	callers := make([]oktell.QueuedCaller, oktell.MaxQueue+10)
	m = step(m, queueMsg(t0, callers...))
	assert.Len(t, m.queue.callers, oktell.MaxQueue)
	for _, v := range []screen{screenMain, screenQueue, screenColleagues} {
		m.c.screen = v
		assert.Len(t, screenLines(m), 24)
	}
}

// On a wide terminal the colleagues stand beside the messages: at 120 columns under the
// notifications in their column, from 150 in a column of their own; never when the
// source has not sent its list.
func TestColleaguesColumn(t *testing.T) {
	for _, tc := range []struct {
		w       int
		own, in bool
	}{{100, false, false}, {120, false, true}, {160, true, true}} {
		m, _ := newDesk(t, tc.w, 40, language.English, deskCaps)
		m = step(m, upd(t0, evNotify(oktell.NltInformation, false, false, "", "Oktell", "обновление")))
		assert.NotContains(t, m.View(), "Colleagues", "not sent yet")
		m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}))
		v := m.View()
		assert.Equal(t, tc.in, strings.Contains(v, "── Colleagues 3 free"), "width %d", tc.w)
		assert.Equal(t, tc.in, strings.Contains(v, "Кузнецов Андрей"), "width %d", tc.w)
		assert.NotContains(t, v, "Иванова Мария (you)", "the column leaves the operator out")
		lines := screenLines(m)
		assert.Equal(t, tc.own, strings.Count(lines[1], "│") == 2, "width %d: %q", tc.w, lines[1])
		assert.Contains(t, v, "обновление", "the notifications keep their column")
		for _, l := range lines {
			assert.LessOrEqual(t, ansi.StringWidth(l), tc.w)
		}
	}
}

// desk situations, in the language given: each binding speaks it and says why not.
func deskSituations(t *testing.T, lang language.Tag) map[string]Model {
	full := func(caps oktell.Capabilities) Model {
		m, _ := newDesk(t, 100, 30, lang, caps)
		for _, u := range append(shift(), desk(theCall(oktell.LineRinging))...) {
			m = step(m, updateMsg{u})
		}
		return m
	}
	ws := deskCaps
	ws.SendMessage = false
	out := map[string]Model{
		"desk":             full(deskCaps),
		"queue":            step(full(deskCaps), keyPress("w")),
		"colleagues":       step(full(deskCaps), keyPress("c")),
		"colleagues on ws": step(full(ws), keyPress("c")),
		"filtering":        step(step(full(deskCaps), keyPress("c")), keyPress("/")),
		"no desk":          full(oktell.Capabilities{Kind: oktell.SourceBridge, SetUserState: true, SendMessage: true}),
	}
	out["filtered"] = step(step(step(out["filtering"], keyPress("z")), keyPress("z")), keyPress("enter"))
	empty, _ := newDesk(t, 100, 30, lang, deskCaps)
	out["empty queue"] = step(step(empty, queueMsg(t0)), keyPress("w"))
	return out
}

// Every binding of the desk's views reads in Russian, with its reason when refused; a
// binding is disabled exactly when it says why, and each one the bar may show is on it.
func TestDeskBindingsSpeakRussianAndAreListed(t *testing.T) {
	for name, m := range deskSituations(t, language.Russian) {
		assertKeysSpeakRussian(t, name, m)
		v := m.View()
		for _, en := range []string{"Incoming call", "waiting", "longest", "Colleagues", "Queue", "free", "No department", "you", "no name", "more"} {
			assert.NotContains(t, v, en, "%s: English left on screen", name)
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
}

// Every view of the desk fits every size, in both languages and icon sets.
func TestDeskEverySizeFits(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		for name, m := range deskSituations(t, lang) {
			for w := 0; w <= 200; w += 9 {
				for h := 0; h <= 50; h += 5 {
					m = step(m, windowSize(w, h))
					checkFits(t, m)
				}
			}
			_ = name
		}
	}
}

// A large list is sorted again for its changes at most once a second: the change shows
// at the next tick. A new filter shows at once.
func TestLargeColleagueListSortedOnceASecond(t *testing.T) {
	m, _ := newDesk(t, 80, 24, language.English, deskCaps)
	list := bigRoster()
	m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: list}))
	m = step(m, keyPress("c"))
	first := m.colleagues.selectedColleague()
	require.NotNil(t, first)
	require.True(t, first.Free())
	changed := list[0]
	for _, c := range list {
		if c.ID == first.ID {
			changed = c
		}
	}
	changed.State = oktell.UserOff
	m = step(m, colleaguesMsg(t0.Add(100*time.Millisecond), oktell.ColleaguesUpdate{Colleagues: []oktell.Colleague{changed}}))
	assert.True(t, m.colleagues.selectedColleague().Free(), "not sorted again yet")
	m = tickAt(m, t0.Add(time.Second))
	_ = m.View()
	assert.Equal(t, first.ID, m.colleagues.selectedColleague().ID, "the selection stays with them")
	assert.False(t, m.colleagues.selectedColleague().Free(), "sorted again at the tick")

	m = step(m, keyPress("/"))
	m = step(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("оператор 4999 ")})
	assert.Contains(t, m.View(), "Оператор 4999 Фамилия", "a filter shows at once")
	assert.Contains(t, screenLines(m)[1], "Colleagues 0 of 1 free")
}

// While the link is down the desk shows the last the source said, marked so; the next
// reading clears the mark.
func TestDeskStaleWhileTheLinkIsDown(t *testing.T) {
	m, _ := newDesk(t, 120, 30, language.English, deskCaps)
	for _, u := range desk(theCall(oktell.LineTalking)) {
		m = step(m, updateMsg{u})
	}
	m = step(m, linkStatus(deskAt, oktell.LinkReconnecting, "connection lost"))
	row := deskRow(m)
	assert.Contains(t, row, "⚠ ☏ Talking 02:46 (stale)")
	assert.Contains(t, row, "⚠ ≣ 3")
	assert.Contains(t, m.View(), "Colleagues 3 free (stale)")
	m = step(m, queueMsg(deskAt, waiting()...))
	m = step(m, lineMsg(deskAt, theCall(oktell.LineTalking)))
	m = step(m, colleaguesMsg(deskAt, oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}))
	assert.NotContains(t, m.View(), "stale")
}
