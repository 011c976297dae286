package ui

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	okshift "github.com/okdash/okdash/oktell/shift"
)

// countedShift is a ShiftSource over a shift the test feeds, as shift.Watch feeds one
// from the session's updates on their way to the dashboard.
type countedShift struct {
	mu      sync.Mutex
	sh      *okshift.Shift
	kept    bool
	saveErr error
	asked   int
}

// newCountedShift counts a live shift (okdash not watching after two minutes without a
// tick), or, for a replay, the log's times only.
func newCountedShift(calls, replay bool) *countedShift {
	cfg := okshift.Config{Zone: time.UTC, Calls: calls, MaxGap: 2 * time.Minute}
	if replay {
		cfg.MaxGap, cfg.LogTimes = 0, true
	}
	return &countedShift{sh: okshift.New(cfg), kept: !replay}
}

func (s *countedShift) apply(u oktell.Update) { s.mu.Lock(); s.sh.Apply(u); s.mu.Unlock() }
func (s *countedShift) tick(t time.Time)      { s.mu.Lock(); s.sh.Tick(t); s.mu.Unlock() }

func (s *countedShift) SummaryAt(now time.Time) okshift.Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked++
	return s.sh.Summary(now)
}
func (s *countedShift) Kept() bool     { s.mu.Lock(); defer s.mu.Unlock(); return s.kept }
func (s *countedShift) SaveErr() error { s.mu.Lock(); defer s.mu.Unlock(); return s.saveErr }

// fixedShift is a ShiftSource that answers one Summary whatever the time: the figures on
// screen must be its figures, whatever they add up to.
type fixedShift struct{ sum okshift.Summary }

func (s fixedShift) SummaryAt(time.Time) okshift.Summary { return s.sum }
func (fixedShift) Kept() bool                            { return true }
func (fixedShift) SaveErr() error                        { return nil }

// dayStep is one update of the workday, and whether okdash was asleep before it (no
// tick of the watcher's clock since the update before).
type dayStep struct {
	u      oktell.Update
	asleep bool
}

var day = func(hms string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", "2026-11-24 "+hms)
	if err != nil {
		panic(err)
	}
	return t
}

// workday is an operator's morning: calls (the server sets busy while they talk), two
// breaks, a short time away, the link lost for a while, the machine asleep ten minutes,
// messages both ways; it ends with the marker message "Жду ответа.".
func workday() []dayStep {
	ws := func(hms string) string { return "24.11.2026 " + hms }
	st := func(hms string, s oktell.UserState) dayStep {
		return dayStep{u: oktell.Update{At: day(hms), Event: evState(s, false)}}
	}
	msg := func(hms, id, who, text string) dayStep {
		return dayStep{u: oktell.Update{At: day(hms), Event: evMessage(ws(hms), id, who, text)}}
	}
	talk := func(hms, chain string) dayStep {
		return dayStep{u: oktell.Update{At: day(hms), Line: &oktell.LineUpdate{State: oktell.LineTalking,
			Call: &oktell.Call{Number: "+74951234567", ChainID: chain, TalkStart: day(hms)}}}}
	}
	free := func(hms string) dayStep {
		return dayStep{u: oktell.Update{At: day(hms), Line: &oktell.LineUpdate{State: oktell.LineFree}}}
	}
	sent := func(hms string) dayStep {
		return dayStep{u: oktell.Update{At: day(hms), Sent: &oktell.Sent{Kind: oktell.SentMessage, Answered: true}}}
	}
	link := func(hms string, l oktell.Link) dayStep {
		return dayStep{u: oktell.Update{At: day(hms), Status: &oktell.Status{Link: l, Operator: "Иванова Мария", Line: "201"}}}
	}
	wake := st("13:05:00", oktell.UserFullbusy)
	wake.asleep = true
	return []dayStep{
		link("08:52:10", oktell.LinkConnected), st("08:52:10", oktell.UserReady),
		msg("08:58:00", "u-super", "Супервизор", "Доброе утро! Очередь 3 сегодня на тебе."),
		talk("09:10:05", "c1"), st("09:10:05", oktell.UserFullbusy),
		free("09:14:35"), st("09:14:35", oktell.UserReady),
		talk("09:31:00", "c2"), st("09:31:00", oktell.UserFullbusy),
		free("09:38:20"), st("09:38:20", oktell.UserReady),
		st("10:02:00", oktell.UserLunch), st("10:17:40", oktell.UserReady),
		msg("10:40:00", "u-petrova", "Петрова Анна", "Клиент просит перезвонить после обеда."), sent("10:41:30"),
		link("11:05:00", oktell.LinkReconnecting), link("11:07:30", oktell.LinkConnected), st("11:07:30", oktell.UserReady),
		st("11:30:00", oktell.UserOff), st("11:36:10", oktell.UserReady),
		talk("11:50:00", "c3"), st("11:50:00", oktell.UserFullbusy),
		free("11:58:45"), st("11:58:45", oktell.UserReady),
		st("12:02:00", oktell.UserLunch), st("12:41:15", oktell.UserReady),
		st("12:55:00", oktell.UserReady), // the last the watcher saw before the machine slept
		wake, talk("13:05:00", "c4"),
		free("13:12:30"), st("13:12:30", oktell.UserReady),
		msg("13:20:00", "u-sidorov", "Sidorov Oleg", "Lunch at 14?"),
		st("13:25:00", oktell.UserReserved), st("13:26:30", oktell.UserReady),
		sent("13:40:00"),
		msg("13:47:25", "u-petrova", "Петрова Анна", "Жду ответа."),
	}
}

// feedDay counts each step in src (ticking every 30 seconds up to it while okdash was
// awake, as the watcher does) and hands it on through send.
func feedDay(src *countedShift, steps []dayStep, send func(oktell.Update)) {
	var last time.Time
	for _, s := range steps {
		if !s.asleep && !last.IsZero() {
			for t := last.Add(30 * time.Second); t.Before(s.u.At); t = t.Add(30 * time.Second) {
				src.tick(t)
			}
		}
		src.apply(s.u)
		last = s.u.At
		send(s.u)
	}
}

type shiftGolden struct {
	name    string
	w, h    int
	lang    language.Tag
	profile termenv.Profile
	icons   string
	noColor bool
	kind    oktell.SourceKind // the source's kind: SourceFile for a replay
}

func runShiftGolden(t *testing.T, gc shiftGolden) {
	t.Helper()
	f := newFake()
	f.caps.Line = true
	if gc.kind == oktell.SourceFile {
		f.caps = oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true, Line: true}
	}
	steps := workday()
	src := newCountedShift(true, gc.kind == oktell.SourceFile)
	if gc.kind == oktell.SourceFile {
		// A log holds Oktell's documents: the link is okdash's own, read-only.
		kept := []dayStep{{u: oktell.Update{At: day("08:52:10"), Status: &oktell.Status{Link: oktell.LinkReadOnly, Why: oktell.Quoted("replaying day.log")}}}}
		for _, s := range steps {
			if s.u.Status == nil {
				kept = append(kept, s)
			}
		}
		steps = kept
	}
	c := clocktest.New(t0)
	m := New(Options{Session: f, Shift: src, Theme: goldenLook(gc.profile, gc.icons, false, gc.noColor), Clock: c, Lang: gc.lang})
	tp := startProgram(t, m, gc.w, gc.h)
	go feedDay(src, steps, func(u oktell.Update) { f.updates <- u })
	tp.wait("Жду ответа.")
	key := "s"
	if gc.lang == language.Russian {
		key = "ы"
	}
	tp.prog.Send(keyPress(key))
	fm := tp.finish().(Model)
	golden.RequireEqualEscape(t, []byte(fm.View()), true)
}

// The shift view's screens, in the sizes and looks an operator meets.
func TestGoldenShift(t *testing.T) {
	for _, gc := range []shiftGolden{
		{name: "en_80x24", w: 80, h: 24, lang: language.English, profile: termenv.Ascii},
		{name: "ru_80x24", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii},
		{name: "en_160x48", w: 160, h: 48, lang: language.English, profile: termenv.Ascii},
		{name: "ru_160x48", w: 160, h: 48, lang: language.Russian, profile: termenv.Ascii},
		{name: "en_60x16", w: 60, h: 16, lang: language.English, profile: termenv.Ascii},
		{name: "ru_60x16", w: 60, h: 16, lang: language.Russian, profile: termenv.Ascii},
		{name: "en_80x24_ascii_icons", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, icons: "ascii"},
		{name: "en_80x24_ansi256", w: 80, h: 24, lang: language.English, profile: termenv.ANSI256},
		{name: "en_80x24_no_color", w: 80, h: 24, lang: language.English, profile: termenv.TrueColor, noColor: true},
		{name: "en_80x24_replay", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, kind: oktell.SourceFile},
	} {
		t.Run(gc.name, func(t *testing.T) { runShiftGolden(t, gc) })
	}
}

// shiftModel is a dashboard of w x h over a fake session whose shift src counts.
func shiftModel(t *testing.T, w, h int, lang language.Tag, src ShiftSource) (Model, *fakeSession, *clocktest.Clock) {
	t.Helper()
	f := newFake()
	f.caps.Line = true
	c := clocktest.New(t0)
	o := testOptions(f, c, lang)
	o.Shift = src
	return step(New(o), tea.WindowSizeMsg{Width: w, Height: h}), f, c
}

// screenRow is the row of the shift view that begins with label, a row of the table
// (without its glyph) or of the figures beside it, with its spaces squeezed.
func screenRow(t *testing.T, screen, label string) string {
	t.Helper()
	lines := strings.Split(ansi.Strip(screen), "\n")
	split := -1 // where the figures' column begins
	for _, l := range lines[2:] {
		if i := strings.Index(l, "Total time"); i >= 0 {
			split = ansi.StringWidth(l[:i])
		}
	}
	var cells []string
	for _, l := range lines[2:] {
		if split < 0 {
			cells = append(cells, l)
			continue
		}
		cells = append(cells, ansi.Cut(l, 0, split), ansi.Cut(l, split, ansi.StringWidth(l)))
	}
	for _, c := range cells {
		f := strings.Fields(c)
		if len(f) > 1 && ansi.StringWidth(f[0]) == 1 && strings.HasPrefix(strings.Join(f[1:], " "), label) {
			f = f[1:]
		}
		if row := strings.Join(f, " "); strings.HasPrefix(row, label) {
			return row
		}
	}
	t.Fatalf("no row %q on the screen:\n%s", label, ansi.Strip(screen))
	return ""
}

// The figures on screen are the Summary's, as they are: a Summary whose parts do not
// add up (no time per hour, more breaks than the time could hold) is shown as it is,
// so the view computes none of them itself.
func TestShiftViewShowsTheSummary(t *testing.T) {
	var sum okshift.Summary
	sum.Date = okshift.Date{Year: 2026, Month: 11, Day: 24}
	sum.Start = day("07:45:00")
	sum.Now = day("12:00:00")
	sum.Current, sum.Since, sum.HasCalls = okshift.Break, day("11:50:00"), true
	for b := range okshift.NumBuckets {
		sum.Time[b] = time.Duration(b+1)*time.Hour + time.Duration(7*b+3)*time.Minute + time.Duration(11*b+5)*time.Second
	}
	sum.Breaks, sum.Longest, sum.Calls, sum.Talk, sum.Received, sum.Sent = 17, 3*time.Minute+4*time.Second, 1234, 21*time.Hour+2*time.Second, 56, 78

	m, _, _ := shiftModel(t, 80, 24, language.English, fixedShift{sum})
	m = step(m, keyPress("s"))
	require.Equal(t, screenShift, m.c.screen)
	v := m.View()
	// What an operator reads, written out by hand: h:mm:ss of each Time, the counts.
	for label, want := range map[string]string{
		"Ready": "Ready 1:03:05", "Break": "Break 2:10:16 ◂", "Away": "Away 3:17:27", "Busy": "Busy 4:24:38",
		"Reserved": "Reserved 5:31:49", "No phone": "No phone 6:39:00", "Disconnected": "Disconnected 7:46:11",
		"Unknown": "Unknown 8:53:22", "Not watched": "Not watched 10:00:33",
		"Total time": "Total time 49:46:21", "since": "since 07:45", "Breaks": "Breaks 17", "total": "total 2:10:16",
		"longest": "longest 0:03:04", "Calls": "Calls 1234", "talk": "talk 21:00:02",
		"Messages received": "Messages received 56", "Messages sent": "Messages sent 78",
	} {
		assert.Equal(t, want, screenRow(t, v, label+" "), label)
	}
	assert.Contains(t, ansi.Strip(v), "Shift 2026-11-24")
	assert.NotContains(t, ansi.Strip(v), "Per hour", "no time per hour, no bars")
	assert.Equal(t, 1, strings.Count(ansi.Strip(v), "◂"), "one bucket is where the time goes now")
	// A break's row is marked, not Ready's, when the time goes to the break.
	sum.Current = okshift.Ready
	m.shift.src = fixedShift{sum}
	m = tickAt(m, t0.Add(time.Second))
	assert.True(t, strings.HasSuffix(screenRow(t, m.View(), "Ready "), "◂"))

	// Without calls from the source, the view says so instead of a count.
	sum.HasCalls = false
	m.shift.src = fixedShift{sum}
	m = tickAt(m, t0.Add(2*time.Second))
	assert.Equal(t, "Calls not reported", screenRow(t, m.View(), "Calls "))
	assert.NotContains(t, ansi.Strip(m.View()), "talk")
}

// Live: while the view is open the state under way runs on each second with the
// dashboard's clock, and the shift is asked again on every tick; closed, it is not
// asked at all.
func TestShiftViewRunsEachSecond(t *testing.T) {
	src := newCountedShift(true, false)
	m, _, _ := shiftModel(t, 80, 24, language.English, src)
	feedDay(src, []dayStep{
		{u: oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkConnected}}},
		{u: oktell.Update{At: t0, Event: evState(oktell.UserReady, false)}},
		{u: oktell.Update{At: t0.Add(10 * time.Minute), Event: evState(oktell.UserLunch, false)}},
	}, func(u oktell.Update) { m = step(m, updateMsg{u}) })
	m = tickAt(m, t0.Add(10*time.Minute+time.Second))
	assert.Zero(t, src.asked, "not asked while the view is closed")

	m = step(m, keyPress("s"))
	require.Equal(t, 1, src.asked, "asked when the view opens")
	assert.Equal(t, "Break 0:00:01 ◂", screenRow(t, m.View(), "Break "))
	for i := 2; i <= 4; i++ {
		now := t0.Add(10*time.Minute + time.Duration(i)*time.Second)
		src.tick(now)
		m = tickAt(m, now)
		assert.Equal(t, fmt.Sprintf("Break 0:00:%02d ◂", i), screenRow(t, m.View(), "Break "))
		assert.Equal(t, fmt.Sprintf("Total time 0:10:%02d", i), screenRow(t, m.View(), "Total time"))
		assert.Equal(t, "Ready 0:10:00", screenRow(t, m.View(), "Ready "), "a finished stretch stands still")
	}
	assert.Equal(t, 4, src.asked, "once a tick")

	// A change counted shows at once, not at the next tick.
	u := oktell.Update{At: t0.Add(10*time.Minute + 4*time.Second + 500*time.Millisecond), Event: evState(oktell.UserReady, false)}
	src.apply(u)
	m = step(m, updateMsg{u})
	assert.Equal(t, "Ready 0:10:00 ◂", screenRow(t, m.View(), "Ready "))
	assert.Equal(t, "Breaks 1", screenRow(t, m.View(), "Breaks"))
	asked := src.asked
	m = step(m, upd(u.At, evNotify(oktell.NltPBXinfo, true, false, "24.11.2026 09:10:05", "АТС", "x")))
	assert.Equal(t, asked, src.asked, "a notification does not change the shift")

	m = step(m, keyPress("esc"))
	require.Equal(t, screenMain, m.c.screen)
	asked = src.asked
	m = tickAt(m, t0.Add(11*time.Minute))
	assert.Equal(t, asked, src.asked, "closed, the shift is not asked")
}

// With no shift counted the key is there, disabled, and says why, in the operator's
// language; the view cannot open.
func TestShiftKeyWithoutAShift(t *testing.T) {
	for _, tc := range []struct {
		lang     language.Tag
		key, why string
	}{{language.English, "s", "no shift is counted for this source"}, {language.Russian, "ы", "для этого источника смена не считается"}} {
		m, _, _ := shiftModel(t, 80, 24, tc.lang, nil)
		b := liveBinding(t, m, tc.key)
		assert.False(t, b.Enabled())
		_, matched := press(m.c, m.liveKeys(m.c), keyPress(tc.key))
		assert.True(t, matched)
		require.Len(t, m.c.posted, 1)
		assert.Equal(t, tc.why, m.c.posted[0].(keyRefusedMsg).why)
		m.c.posted = nil
		m = step(m, keyPress(tc.key))
		assert.Equal(t, screenMain, m.c.screen)
		assert.NotContains(t, ansi.Strip(m.View()), "s shift", "not on the help bar")
	}
}

// s opens and closes the view on both layouts and with Caps Lock; esc goes back; the
// other views open from it.
func TestShiftKeys(t *testing.T) {
	for _, k := range []string{"s", "S", "ы", "Ы"} {
		m, _, _ := shiftModel(t, 100, 30, language.English, newCountedShift(true, false))
		m = step(m, keyPress(k))
		assert.Equal(t, screenShift, m.c.screen, k)
		m = step(m, keyPress(k))
		assert.Equal(t, screenMain, m.c.screen, k)
	}
	m, _, _ := shiftModel(t, 100, 30, language.English, newCountedShift(true, false))
	assert.Contains(t, ansi.Strip(m.View()), "s shift", "on a wide main screen's help bar")
	m = step(m, keyPress("s"))
	bar := ansi.Strip(m.View())
	bar = bar[strings.LastIndex(bar, "\n")+1:]
	assert.Equal(t, "n notifications │ s shift │ esc back │ ? help │ q quit", bar)
	m = step(m, keyPress("esc"))
	assert.Equal(t, screenMain, m.c.screen)
	m = step(m, keyPress("s"))
	m = step(m, keyPress("n"))
	assert.Equal(t, screenHistory, m.c.screen, "n from the shift")
	m = step(m, keyPress("s"))
	assert.Equal(t, screenShift, m.c.screen, "s from the history")
	m = step(m, keyPress("?"))
	assert.Equal(t, screenHelp, m.c.screen)
	assert.Contains(t, ansi.Strip(m.View()), "shift")
}

// Where the shift is not saved the title says so: a replay's, one that no file keeps,
// one whose last write failed; a shift kept says nothing.
func TestShiftViewSaysWhenNotSaved(t *testing.T) {
	src := newCountedShift(true, false)
	m, _, _ := shiftModel(t, 80, 24, language.English, src)
	m = step(m, keyPress("s"))
	rule := func(m Model) string { return strings.Split(ansi.Strip(m.View()), "\n")[1] }
	assert.NotContains(t, rule(m), "not saved")
	src.saveErr = errors.New("disk full")
	m = tickAt(m, t0.Add(time.Second))
	assert.Contains(t, rule(m), "Shift 2026-11-24 not saved: the last write failed")
	src.saveErr, src.kept = nil, false
	m = tickAt(m, t0.Add(2*time.Second))
	assert.Contains(t, rule(m), "Shift 2026-11-24 not saved ")

	f := newFake()
	f.caps = oktell.Capabilities{Kind: oktell.SourceFile, ReadOnly: true}
	o := testOptions(f, clocktest.New(t0), language.Russian)
	o.Shift = newCountedShift(false, true)
	m = step(step(New(o), tea.WindowSizeMsg{Width: 80, Height: 24}), keyPress("ы"))
	assert.Contains(t, rule(m), "Смена 24.11.2026 не сохраняется (журнал)")
}

// Before anything is counted the view shows the day with nothing in it: no bucket marked
// as under way, no bars.
func TestShiftViewBeforeAnything(t *testing.T) {
	m, _, _ := shiftModel(t, 80, 24, language.English, newCountedShift(true, false))
	m = step(m, keyPress("s"))
	v := ansi.Strip(m.View())
	assert.Contains(t, v, "Shift 2026-11-24")
	assert.Equal(t, "Ready 0:00:00", screenRow(t, v, "Ready "))
	assert.Equal(t, "since -", screenRow(t, v, "since"))
	assert.NotContains(t, v, "◂")
	assert.NotContains(t, v, "Per hour")
}

// Every size, from tiny to large, fits, in both languages, while the link is lost and
// while a banner takes two rows.
func TestShiftViewFitsEverySize(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		src := newCountedShift(true, false)
		m, _, _ := shiftModel(t, 80, 24, lang, src)
		feedDay(src, workday(), func(u oktell.Update) { m = step(m, updateMsg{u}) })
		m = step(m, keyPress("s"))
		require.Equal(t, screenShift, m.c.screen)
		m = step(m, linkStatus(day("13:48:00"), oktell.LinkReconnecting, "exec:python3 bridge.py exited: exit status 1 (ConnectionRefusedError: [Errno 111] Connection refused); retrying in 4s"))
		for w := 0; w <= 200; w += 7 {
			for h := 0; h <= 50; h += 3 {
				m = step(m, tea.WindowSizeMsg{Width: w, Height: h})
				checkFits(t, m)
			}
		}
	}
}

// The bars share their cells by largest remainders: as many as the hour's minutes,
// never more than the hour, a bucket's share rounded only as far as the whole allows.
func TestCellsOf(t *testing.T) {
	m := func(n float64) time.Duration { return time.Duration(n * float64(time.Minute)) }
	for _, tc := range []struct {
		ds   []time.Duration
		want []int
	}{
		{[]time.Duration{m(60)}, []int{60}},
		{[]time.Duration{m(30), m(30)}, []int{30, 30}},
		{[]time.Duration{m(20.5), m(20.5), m(19)}, []int{21, 20, 19}},
		{[]time.Duration{m(0.4), m(0.4), m(0.4)}, []int{1, 0, 0}},
		{[]time.Duration{m(7.8)}, []int{8}},
		{[]time.Duration{0, m(59.9)}, []int{0, 60}},
		{[]time.Duration{m(0.2)}, []int{0}},
		{[]time.Duration{}, []int{}},
	} {
		got := cellsOf(tc.ds, time.Hour, 60)
		assert.Equal(t, tc.want, got, "%v", tc.ds)
	}
	// The hour that repeats when the clocks go back holds two hours: its bar is scaled
	// to what it holds, not cut.
	got := cellsOf([]time.Duration{m(90), m(30)}, 2*time.Hour, 60)
	assert.Equal(t, []int{45, 15}, got)
}

// The Russian view has no English left: its rows, its legend, its title and what it
// says about saving, with calls and without.
func TestShiftViewSpeaksRussian(t *testing.T) {
	for _, tc := range []struct {
		name  string
		calls bool
		set   func(*countedShift)
	}{
		{"kept", true, func(*countedShift) {}},
		{"no calls, not kept", false, func(s *countedShift) { s.kept = false }},
		{"write failed", true, func(s *countedShift) { s.saveErr = errors.New("disk full") }},
	} {
		src := newCountedShift(tc.calls, false)
		tc.set(src)
		m, _, _ := shiftModel(t, 160, 48, language.Russian, src)
		feedDay(src, workday(), func(u oktell.Update) { m = step(m, updateMsg{u}) })
		m = step(m, keyPress("ы"))
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		body := strings.Join(lines[1:len(lines)-1], "\n")
		assert.Empty(t, englishLeft(body), "%s:\n%s", tc.name, body)
		assert.Contains(t, body, "По часам, клетка — минута:", tc.name)
	}
}

// Over the watcher okdash runs (oktell/shift.Watch around the session), the view shows
// what it counted as the updates reached the dashboard, runs on with the dashboard's
// clock, and says that no file keeps it when none does.
func TestShiftViewOverAWatchedSession(t *testing.T) {
	f := newFake()
	f.caps.Line = true
	c := clocktest.New(t0)
	w := okshift.Watch(f, okshift.WatchConfig{Clock: c, Zone: time.UTC, TickEvery: time.Hour})
	t.Cleanup(func() { w.Close() })
	o := testOptions(w, c, language.English)
	o.Shift = w
	m := step(New(o), tea.WindowSizeMsg{Width: 80, Height: 24})
	push := func(u oktell.Update) {
		t.Helper()
		f.updates <- u
		select {
		case got := <-w.Updates():
			m = step(m, updateMsg{got})
		case <-time.After(10 * time.Second):
			t.Fatal("the watcher did not pass the update on")
		}
	}
	push(oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkConnected}})
	push(oktell.Update{At: t0, Event: evState(oktell.UserReady, false)})
	push(oktell.Update{At: t0.Add(3 * time.Minute), Line: &oktell.LineUpdate{State: oktell.LineTalking, Call: &oktell.Call{ChainID: "c1"}}})
	push(oktell.Update{At: t0.Add(5 * time.Minute), Line: &oktell.LineUpdate{State: oktell.LineFree}})
	push(oktell.Update{At: t0.Add(10 * time.Minute), Event: evState(oktell.UserLunch, false)})
	m = step(m, keyPress("s"))
	v := m.View()
	assert.Equal(t, "Ready 0:10:00", screenRow(t, v, "Ready "))
	assert.Equal(t, "Break 0:00:00 ◂", screenRow(t, v, "Break "))
	assert.Equal(t, "Calls 1", screenRow(t, v, "Calls "))
	assert.Equal(t, "talk 0:02:00", screenRow(t, v, "talk "))
	assert.Contains(t, strings.Split(ansi.Strip(v), "\n")[1], "Shift 2026-11-24 not saved ")
	c.Set(t0.Add(10*time.Minute + 7*time.Second))
	m = tickAt(m, c.Now())
	assert.Equal(t, "Break 0:00:07 ◂", screenRow(t, m.View(), "Break "))
	assert.Equal(t, "Total time 0:10:07", screenRow(t, m.View(), "Total time"))
	assert.Equal(t, w.SummaryAt(c.Now()), m.shift.sum, "the figures are the watcher's")
}

// The open shift view, idle, redraws each second only the rows whose time runs (the
// header, the state under way, the total, the hour under way): within 600 bytes a
// second in 256 colours, an SSH session's budget for a view left open all day.
func TestShiftViewIdleBytes(t *testing.T) {
	f := newFake()
	c := clocktest.New(t0)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI256)
	src := newCountedShift(true, false)
	m := New(Options{Session: f, Shift: src, Theme: look(r, "unicode", false, false), Clock: c, Lang: language.Russian})
	tp := startProgram(t, m, 80, 24)
	base := t0.Add(12*time.Minute + 34*time.Second)
	feedDay(src, []dayStep{
		{u: oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkConnected}}},
		{u: oktell.Update{At: t0, Event: evState(oktell.UserReady, false)}},
		{u: oktell.Update{At: base, Event: evMessage("24.11.2026 09:12:34", "u-petrova", "Петрова Анна", "Конец смены.")}},
	}, func(u oktell.Update) { f.updates <- u })
	tp.wait("Конец смены.")
	c.Set(base)
	tp.prog.Send(keyPress("ы"))
	tp.wait("Всего времени")
	for i := 1; i <= 5; i++ {
		waitFor(t, func() bool { return c.Pending() == 1 }) // the next tick is armed
		tp.seen = tp.seen[:0]
		c.Advance(time.Second)
		tp.wait(shiftClock(12*time.Minute + time.Duration(34+i)*time.Second))
		tp.wait("Готов " + FormatDuration(12*time.Minute+time.Duration(34+i)*time.Second))
		n := len(tp.seen)
		for _, unchanged := range []string{"Перерыв", "Сообщений получено", "справка"} {
			assert.NotContains(t, string(tp.seen), unchanged, "tick %d redrew a row that did not change", i)
		}
		assert.LessOrEqual(t, n, 600, "tick %d: bytes for one idle second", i)
		t.Logf("tick %d: %d bytes", i, n)
	}
}

// At the minimum width the table and the figures stand side by side whole, in either
// language, with the widest figures a day can have.
func TestShiftViewWholeAtTheMinimumWidth(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		for _, calls := range []bool{true, false} {
			var sum okshift.Summary
			sum.Date, sum.Start, sum.HasCalls = okshift.Date{Year: 2026, Month: 11, Day: 24}, day("00:00:00"), calls
			for b := range okshift.NumBuckets {
				sum.Time[b] = 23*time.Hour + 59*time.Minute + 59*time.Second
			}
			sum.Breaks, sum.Longest, sum.Calls, sum.Talk, sum.Received, sum.Sent = 999, 23*time.Hour, 99999, 23*time.Hour, 99999, 99999
			m, _, _ := shiftModel(t, MinWidth, MinHeight, lang, fixedShift{sum})
			m = step(m, keyPress("s"))
			lines := strings.Split(ansi.Strip(m.View()), "\n")
			for _, l := range lines[2 : len(lines)-1] {
				assert.NotContains(t, l, "…", "%s, calls %v: cut", lang, calls)
			}
			assert.Contains(t, lines[2], "215:59:51", "%s: the total's row whole", lang)
		}
	}
}
