package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// roster is the demo's twelve colleagues in two departments, all ready.
func wallRoster() []oktell.Colleague {
	var out []oktell.Colleague
	add := func(dept, login, number, name string) {
		out = append(out, oktell.Colleague{ID: "u-" + login, Login: login, Name: name, Number: number, Numbers: []string{number},
			Department: dept, State: oktell.UserReady, StateKnown: true})
	}
	add("Поддержка", "bochkarev", "16021", "Бочкарев Евгений")
	add("Поддержка", "smirnova", "16022", "Смирнова Ольга Викторовна")
	add("Поддержка", "kuznetsov", "16023", "Кузнецов Андрей")
	add("Поддержка", "orlova", "16024", "Орлова Дарья")
	add("Поддержка", "fedorov", "16025", "Фёдоров Михаил")
	add("Поддержка", "zaitseva", "16026", "Зайцева Ирина")
	add("Продажи", "volkov", "16031", "Волков Сергей")
	add("Продажи", "morozova", "16032", "Морозова Анна")
	add("Продажи", "lebedev", "16033", "Лебедев Павел")
	add("Продажи", "sokolova", "16034", "Соколова Екатерина")
	add("Продажи", "popov", "16035", "Попов Денис")
	add("Продажи", "novikova", "16036", "Новикова Татьяна")
	return out
}

// colleague returns the roster's entry for login in state s.
func colleague(login string, s oktell.UserState) oktell.Colleague {
	for _, c := range wallRoster() {
		if c.Login == login {
			c.State = s
			return c
		}
	}
	panic("no colleague " + login)
}

func full(list []oktell.Colleague) *oktell.ColleaguesUpdate {
	return &oktell.ColleaguesUpdate{Full: true, Colleagues: list}
}

func delta(cs ...oktell.Colleague) *oktell.ColleaguesUpdate {
	return &oktell.ColleaguesUpdate{Colleagues: cs}
}

func callers(t time.Time, n int) *oktell.Queue {
	q := &oktell.Queue{}
	for i := range n {
		q.Callers = append(q.Callers, oktell.QueuedCaller{Key: fmt.Sprint("c", i), Number: fmt.Sprint("+7495000000", i), Since: t.Add(-time.Duration(n-i) * 20 * time.Second)})
	}
	return q
}

// wallFake is a session with colleagues and a queue.
func wallFake() *fakeSession {
	f := newFake()
	f.caps = oktell.Capabilities{Kind: oktell.SourceDemo, Line: true, Queue: true, Colleagues: true}
	return f
}

func newWallTest(w, h int, lang language.Tag) (Wall, *fakeSession, *clocktest.Clock) {
	f := wallFake()
	c := clocktest.New(t0)
	m := NewWall(WallOptions{Session: f, Theme: look(asciiRenderer(), "unicode", false, false), Clock: c, Lang: lang, PageTime: DefaultPageTime})
	return wstep(m, tea.WindowSizeMsg{Width: w, Height: h}), f, c
}

func wstep(m Wall, msg tea.Msg) Wall {
	nm, _ := m.Update(msg)
	return nm.(Wall)
}

// wupd delivers updates as one batch, as the running program does.
func wupd(m Wall, us ...oktell.Update) Wall {
	return wstep(m, updatesMsg{updates: us})
}

func wtick(m Wall, t time.Time) Wall { return wstep(m, tickMsg{id: m.tickID, t: t}) }

// morning is the demo's first minutes: the list, then who went where, and a queue.
func morning() []oktell.Update {
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	return []oktell.Update{
		{At: t0, Status: &oktell.Status{Link: oktell.LinkConnected}},
		{At: t0, Colleagues: full(wallRoster())},
		{At: at(10 * time.Second), Colleagues: delta(colleague("orlova", oktell.UserLunch), colleague("popov", oktell.UserOff))},
		{At: at(20 * time.Second), Colleagues: delta(colleague("volkov", oktell.UserFullbusy), colleague("lebedev", oktell.UserWOphone))},
		{At: at(3 * time.Minute), Colleagues: delta(colleague("kuznetsov", oktell.UserFullbusy))},
		{At: at(4 * time.Minute), Queue: callers(at(4*time.Minute), 3)},
		{At: at(12*time.Minute + 34*time.Second), Colleagues: delta(colleague("smirnova", oktell.UserLunch))},
	}
}

// big is the rows of text in the wall's large type at face f, as they stand on screen.
func big(f bigFace, text string) []string { return f.render(text) }

// screenOf is the wall's screen without its escapes.
func screenOf(m Wall) string { return ansi.Strip(m.View()) }

// tileOf is the text of the tile whose first row holds name: its rows that hold
// anything, each with its spaces collapsed, joined by " | ".
func tileOf(t *testing.T, m Wall, name string) string {
	t.Helper()
	lines := strings.Split(screenOf(m), "\n")
	for i, l := range lines {
		col := strings.Index(l, name)
		if col < 0 {
			continue
		}
		start := ansi.StringWidth(l[:col]) - 1
		var rows []string
		for r := 0; r < m.lay.grid.tileH && i+r < len(lines); r++ {
			if row := strings.Join(strings.Fields(ansi.Cut(lines[i+r], start, start+m.lay.grid.tileW)), " "); row != "" {
				rows = append(rows, row) // a tile's text, whatever its shape
			}
		}
		return strings.Join(rows, " | ")
	}
	t.Fatalf("no tile of %s on:\n%s", name, screenOf(m))
	return ""
}

// A colleague's state change recolours their tile, starts its time in state and moves
// the counts; a state the wall found already there has no time; the same state said
// again keeps its time; a list after a reconnect keeps the times of unchanged states.
func TestWallColleagueStateChange(t *testing.T) {
	m, _, _ := newWallTest(80, 24, language.English)
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(wallRoster())})
	assert.Equal(t, "Орлова Дарья | 16024 | ● Ready", tileOf(t, m, "Орлова Дарья"), "found ready: no time")
	assert.Contains(t, screenOf(m), "● Ready 12   ■ Busy 0   ◐ Break 0   ○ Away 0")

	cases := []struct {
		name  string
		at    time.Duration
		u     oktell.Update
		tile  string // Орлова Дарья's
		count string
	}{
		{"goes on a break", time.Minute, oktell.Update{Colleagues: delta(colleague("orlova", oktell.UserLunch))},
			"Орлова Дарья | 16024 | ◐ Break 0 min", "● Ready 11   ■ Busy 0   ◐ Break 1   ○ Away 0"},
		{"the clock moves the time, a minute at a time", 4*time.Minute + 59*time.Second, oktell.Update{},
			"Орлова Дарья | 16024 | ◐ Break 3 min", "● Ready 11   ■ Busy 0   ◐ Break 1"},
		{"the same state said again keeps its time", 5 * time.Minute, oktell.Update{Colleagues: delta(colleague("orlova", oktell.UserLunch))},
			"Орлова Дарья | 16024 | ◐ Break 4 min", "◐ Break 1"},
		{"a list after a reconnect keeps an unchanged state's time", 6 * time.Minute, oktell.Update{Colleagues: full(append(wallRoster()[:3], colleague("orlova", oktell.UserLunch)))},
			"Орлова Дарья | 16024 | ◐ Break | 5 min", "● Ready 3   ■ Busy 0   ◐ Break 1   ○ Away 0"}, // four fit in tall tiles
		{"back to work", 7 * time.Minute, oktell.Update{Colleagues: delta(colleague("orlova", oktell.UserReady))},
			"Орлова Дарья | 16024 | ● Ready | 0 min", "● Ready 4   ■ Busy 0"},
		{"an unknown state has no time", 8 * time.Minute, oktell.Update{Colleagues: delta(func() oktell.Colleague {
			c := colleague("orlova", oktell.UserReady)
			c.StateKnown = false
			return c
		}())}, "Орлова Дарья | 16024 | ? Unknown", "? Unknown 1"},
		{"over an hour", 70 * time.Minute, oktell.Update{Colleagues: delta(colleague("orlova", oktell.UserOff))},
			"Орлова Дарья | 16024 | ○ Away | 0 min", "○ Away 1"},
		{"an hour and five minutes", 135 * time.Minute, oktell.Update{},
			"Орлова Дарья | 16024 | ○ Away | 1 h 05 min", "○ Away 1"},
	}
	for _, tc := range cases {
		at := t0.Add(tc.at)
		if tc.u.Colleagues != nil {
			tc.u.At = at
			m = wupd(m, tc.u)
		}
		m = wtick(m, at)
		assert.Equal(t, tc.tile, tileOf(t, m, "Орлова Дарья"), tc.name)
		assert.Contains(t, screenOf(m), tc.count, tc.name)
	}
	// The colleagues the last list left out are gone, and so are their times.
	assert.Len(t, m.list, 4)
	assert.Len(t, m.since, 1)
	m = wupd(m, oktell.Update{At: t0.Add(136 * time.Minute), Colleagues: &oktell.ColleaguesUpdate{Removed: []string{colleague("orlova", 0).Key()}}})
	assert.NotContains(t, screenOf(m), "Орлова")
	assert.Empty(t, m.since)
	assert.Contains(t, screenOf(m), "● Ready 3 ")
}

// Tiles keep their places: a change of state does not reorder a department.
func TestWallTilesKeepTheirPlaces(t *testing.T) {
	m, _, _ := newWallTest(80, 24, language.English)
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(wallRoster())})
	place := func(name string) [2]int {
		for i, l := range strings.Split(screenOf(m), "\n") {
			if col := strings.Index(l, name); col >= 0 {
				return [2]int{i, ansi.StringWidth(l[:col])}
			}
		}
		return [2]int{-1, -1}
	}
	before := place("Бочкарев")
	m = wupd(m, oktell.Update{At: t0.Add(time.Minute), Colleagues: delta(colleague("bochkarev", oktell.UserDisconnected))})
	assert.Equal(t, before, place("Бочкарев"))
	assert.Contains(t, tileOf(t, m, "Бочкарев"), "⊘ Disconnected 0 min")
}

// The queue in large type: its length and its longest wait, growing by the second.
func TestWallQueueGrowing(t *testing.T) {
	m, _, _ := newWallTest(80, 24, language.English)
	f := m.lay.face
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(wallRoster())}, oktell.Update{At: t0, Queue: &oktell.Queue{}})
	screen := screenOf(m)
	assert.Contains(t, screen, "In queue")
	assert.Contains(t, screen, "Longest wait")
	assert.Contains(t, screen, " "+big(f, "0")[0]+strings.Repeat(" ", m.queueColumn()-3)+big(f, "0:00")[0])

	for _, tc := range []struct {
		name        string
		at          time.Duration
		queue       *oktell.Queue
		count, wait string
	}{
		{"a caller", 10 * time.Second, &oktell.Queue{Callers: []oktell.QueuedCaller{{Key: "a", Since: t0.Add(10 * time.Second)}}}, "1", "0:00"},
		{"waits", 52 * time.Second, nil, "1", "0:42"},
		{"two more", 70 * time.Second, &oktell.Queue{Callers: []oktell.QueuedCaller{{Key: "a", Since: t0.Add(10 * time.Second)}, {Key: "b", Since: t0.Add(65 * time.Second)}, {Key: "c", Since: t0.Add(70 * time.Second)}}}, "3", "1:00"},
		{"ten", 11 * time.Minute, callers(t0.Add(11*time.Minute), 10), "10", "3:20"},
		{"over an hour", 11 * time.Minute, &oktell.Queue{Callers: []oktell.QueuedCaller{{Key: "x", Since: t0.Add(-time.Hour)}}}, "1", "1:11:00"},
		{"empty again", 12 * time.Minute, &oktell.Queue{}, "0", "0:00"},
	} {
		at := t0.Add(tc.at)
		if tc.queue != nil {
			m = wupd(m, oktell.Update{At: at, Queue: tc.queue})
		}
		m = wtick(m, at)
		cl, wl := big(f, tc.count), big(f, tc.wait)
		lines := strings.Split(screenOf(m), "\n")
		for i := range f.rows {
			want := strings.TrimRight(" "+cl[i]+strings.Repeat(" ", m.queueColumn()-ansi.StringWidth(cl[i]))+wl[i], " ")
			assert.Equal(t, want, strings.TrimRight(lines[1+i], " "), "%s: row %d", tc.name, i)
		}
	}
}

// manyColleagues are n colleagues in each of the named departments.
func manyColleagues(n int, depts ...string) []oktell.Colleague {
	var out []oktell.Colleague
	for _, d := range depts {
		for i := range n {
			login := fmt.Sprintf("u%d", len(out))
			out = append(out, oktell.Colleague{Login: login, Name: fmt.Sprintf("%s %02d", d, i), Number: fmt.Sprint(20000 + len(out)),
				Department: d, State: oktell.UserReady, StateKnown: true})
		}
	}
	return out
}

// More colleagues than fit: pages of whole departments, turned by ←/→ and by
// themselves every PageTime; a department longer than a page goes on under its rule.
func TestWallPaging(t *testing.T) {
	m, _, c := newWallTest(80, 24, language.English)
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(manyColleagues(20, "Alpha", "Bravo", "Charlie"))})
	require.Len(t, m.lay.pages, 3, "a department of 20 fills a page of 80x24")
	assert.Equal(t, wallGrid{cols: 4, tileW: 19, tileH: 3, gap: 0}, m.lay.grid)
	screen := screenOf(m)
	assert.Contains(t, screen, "page 1/3")
	assert.Contains(t, screen, "Alpha · 20")
	assert.NotContains(t, screen, "Bravo")
	assert.Contains(t, screen, "←/→ page")

	pageShows := func(m Wall, want string) {
		t.Helper()
		assert.Contains(t, screenOf(m), want)
	}
	m = wstep(m, keyPress("right"))
	pageShows(m, "page 2/3")
	pageShows(m, "Bravo · 20")
	m = wstep(m, keyPress("left"))
	m = wstep(m, keyPress("left"))
	pageShows(m, "page 3/3") // round from the first to the last
	pageShows(m, "Charlie · 20")

	// By themselves: PageTime after the last turn.
	now := t0
	c.Set(now)
	m = wtick(m, now.Add(DefaultPageTime-time.Second))
	pageShows(m, "page 3/3")
	m = wtick(m, now.Add(DefaultPageTime))
	pageShows(m, "page 1/3")
	m = wtick(m, now.Add(DefaultPageTime+5*time.Second))
	m = wstep(m, keyPress("pgdown")) // a page turned by key stays its whole time
	pageShows(m, "page 2/3")
	m = wtick(m, now.Add(2*DefaultPageTime+time.Second))
	pageShows(m, "page 2/3")
	m = wtick(m, now.Add(2*DefaultPageTime+5*time.Second))
	pageShows(m, "page 3/3")

	// A department longer than a page: its rest on the next page, under its rule again.
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(manyColleagues(30, "Delta"))})
	require.Len(t, m.lay.pages, 2)
	assert.Equal(t, 0, m.page, "the page shown is gone: back to the first")
	pageShows(m, "Delta · 30 ─")
	m = wstep(m, keyPress("right"))
	pageShows(m, "Delta · 30 (continued)")
	pageShows(m, "Delta 29")

	// Everything fits again: the page keys say why they do nothing.
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(wallRoster())})
	require.Len(t, m.lay.pages, 1)
	assert.NotContains(t, screenOf(m), "page 1/1")
	assert.NotContains(t, screenOf(m), "←/→")
	for _, b := range m.bindings() {
		if b.presses(keyPress("right")) {
			assert.False(t, b.Enabled())
			assert.Equal(t, "everything fits on one page", b.why)
		}
	}
}

// Every colleague is on exactly one page, in order; no page is taller than its rows
// unless a single row of tiles is; a page's every row of tiles follows its rule.
func TestPackWallPlacesEveryoneOnce(t *testing.T) {
	for _, sizes := range [][]int{{1}, {6, 6}, {20, 20, 20}, {30}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {100, 3, 57}, {0, 5}} {
		for _, g := range []wallGrid{{cols: 1, tileH: 3}, {cols: 4, tileH: 3}, {cols: 3, tileH: 4, gap: 1}, {cols: 7, tileH: 5, gap: 1}} {
			for _, rows := range []int{4, 7, 17, 40} {
				pages := packWall(sizes, g, rows)
				seen := make([]int, len(sizes))
				for pi, p := range pages {
					used, tileRows := 0, 0
					for i, r := range p {
						if i > 0 && p[i-1].first >= 0 {
							used += g.gap
						}
						if r.first < 0 {
							used++
							require.Less(t, i+1, len(p), "a rule ends page %d", pi)
							continue
						}
						tileRows++
						used += g.tileH
						require.Equal(t, seen[r.dept], r.first, "%v %v %d: department %d in order", sizes, g, rows, r.dept)
						seen[r.dept] += g.cols
						require.True(t, i > 0 && p[i-1].dept == r.dept, "a row under its department's rule")
					}
					if tileRows > 1 {
						assert.LessOrEqual(t, used, rows, "%v %v %d: page %d", sizes, g, rows, pi)
					}
				}
				for d, n := range sizes {
					assert.GreaterOrEqual(t, seen[d], n, "%v %v %d: department %d whole", sizes, g, rows, d)
					assert.Less(t, seen[d]-n, g.cols)
				}
				if wallRows(sizes, g) <= rows {
					assert.LessOrEqual(t, len(pages), 1, "%v %v %d: fits on one page", sizes, g, rows)
				}
			}
		}
	}
}

// Tiles are sized to the terminal: the largest shape with which everyone fits.
func TestWallTilesSizedToTheTerminal(t *testing.T) {
	for _, tc := range []struct {
		w, h  int
		n     int
		grid  wallGrid
		pages int
	}{
		{80, 24, 6, wallGrid{cols: 3, tileW: 26, tileH: 3, gap: 1}, 1},
		{160, 48, 6, wallGrid{cols: 3, tileW: 40, tileH: 5, gap: 1}, 1},
		{160, 48, 2, wallGrid{cols: 3, tileW: 40, tileH: 5, gap: 1}, 1},
		{40, 12, 6, wallGrid{cols: 2, tileW: 19, tileH: 3, gap: 0}, 6}, // a row of tiles a page
		{200, 60, 60, wallGrid{cols: 10, tileW: 19, tileH: 3, gap: 1}, 1},
	} {
		m, _, _ := newWallTest(tc.w, tc.h, language.English)
		m = wupd(m, oktell.Update{At: t0, Colleagues: full(manyColleagues(tc.n, "Alpha", "Bravo"))})
		assert.Equal(t, tc.grid, m.lay.grid, "%dx%d, %d a department", tc.w, tc.h, tc.n)
		assert.Len(t, m.lay.pages, tc.pages, "%dx%d", tc.w, tc.h)
		lines := strings.Split(m.View(), "\n")
		assert.Len(t, lines, tc.h)
		for i, l := range lines {
			assert.LessOrEqual(t, ansi.StringWidth(l), tc.w, "%dx%d line %d", tc.w, tc.h, i)
		}
	}
}

// The filter: / opens a line, the wall follows the typing, enter keeps it, esc on the
// line puts back what was there, esc on the wall shows every department again. On the
// line every key is text: q does not quit.
func TestWallFilter(t *testing.T) {
	m, _, _ := newWallTest(80, 24, language.English)
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(wallRoster())})
	m = wstep(m, keyPress("/"))
	require.True(t, m.editing)
	assert.Contains(t, screenOf(m), "Department: ")
	assert.Contains(t, screenOf(m), "enter apply │ esc cancel")
	for _, k := range []string{"П", "р", "о", "д"} {
		m = wstep(m, keyPress(k))
	}
	screen := screenOf(m)
	assert.Contains(t, screen, "Продажи · 6")
	assert.NotContains(t, screen, "Поддержка")
	assert.Contains(t, screen, "● Ready 6 ", "the counts are the departments shown")
	assert.Contains(t, screen, `departments: “Прод”`)
	m = wstep(m, keyPress("enter"))
	assert.False(t, m.editing)
	assert.Equal(t, "Прод", m.filter)
	assert.Contains(t, screenOf(m), "esc all departments")

	m = wstep(m, keyPress(".")) // the / key on the Russian layout
	require.True(t, m.editing)
	for _, k := range []string{"backspace", "backspace", "backspace", "backspace", "q", "z"} {
		m = wstep(m, keyPress(k))
	}
	assert.False(t, m.quitting, "q on the line is a letter")
	assert.Contains(t, screenOf(m), "No department's name holds “qz”")
	m = wstep(m, keyPress("esc"))
	assert.Equal(t, "Прод", m.filter, "esc puts the filter back")
	assert.NotContains(t, screenOf(m), "Поддержка")
	m = wstep(m, keyPress("esc"))
	assert.Equal(t, "", m.filter)
	assert.Contains(t, screenOf(m), "Поддержка · 6")

	// --department starts the wall filtered.
	f := wallFake()
	w := NewWall(WallOptions{Session: f, Theme: look(asciiRenderer(), "unicode", false, false), Clock: clocktest.New(t0), Department: "поддерж"})
	w = wstep(w, tea.WindowSizeMsg{Width: 80, Height: 24})
	w = wupd(w, oktell.Update{At: t0, Colleagues: full(wallRoster())})
	assert.Contains(t, screenOf(w), "Поддержка · 6")
	assert.NotContains(t, screenOf(w), "Продажи")
}

// The wall is read-only: no key it has sends anything to the session.
func TestWallKeysChangeNothingInOktell(t *testing.T) {
	m, f, _ := newWallTest(80, 24, language.English)
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(manyColleagues(20, "Alpha", "Bravo", "Charlie"))})
	keys := []string{"1", "2", "3", "4", "r", "b", "a", "f", "enter", "m", "x", "X", "v", "n", "c", "w", "s", "l",
		"right", "left", "pgup", "pgdown", " ", "?", "esc", "/", "a", "enter", "esc", "up", "down", "end", "G", "к", "и", "ф"}
	for _, k := range keys {
		var cmd tea.Cmd
		nm, cmd := m.Update(keyPress(k))
		m = nm.(Wall)
		assert.Nil(t, cmd, "key %q gave a command", k)
	}
	assert.Empty(t, f.states)
	assert.Empty(t, f.sent)
	nm, cmd := m.Update(keyPress("q"))
	require.NotNil(t, cmd)
	assert.Equal(t, tea.QuitMsg{}, cmd())
	assert.Empty(t, nm.View())
}

// ? shows the keys, the states and how to read the wall; ? or esc go back.
func TestWallHelp(t *testing.T) {
	m, _, _ := newWallTest(80, 24, language.English)
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(wallRoster())})
	m = wstep(m, keyPress("?"))
	screen := screenOf(m)
	for _, want := range []string{"── Help", "Keys", "←/→      previous and next page", "/        show the departments whose name holds a text",
		"?        help", "q        quit", "States", "● Ready", "⊘ Disconnected", "Tiles keep their places", "every 15 s", "esc back"} {
		assert.Contains(t, screen, want)
	}
	m = wstep(m, keyPress("esc"))
	assert.Contains(t, screenOf(m), "Поддержка · 6")
	m = wstep(m, keyPress(","))
	assert.True(t, m.helpOpen, ", is the ? key on the Russian layout")
	m = wstep(m, keyPress("?"))
	assert.False(t, m.helpOpen)
}

// Below 40x12 the wall says what it needs; q still quits.
func TestWallTooSmall(t *testing.T) {
	m, _, _ := newWallTest(39, 20, language.English)
	assert.Contains(t, screenOf(m), "Terminal too small: 39x20")
	m = wstep(m, keyPress("right"))
	nm, cmd := m.Update(keyPress("q"))
	require.NotNil(t, cmd)
	assert.Equal(t, tea.QuitMsg{}, cmd())
	assert.True(t, nm.(Wall).quitting)
}

// A lost link: the banner says why, and the tiles lose their colours (their states may
// have changed unseen) until the link is back.
func TestWallLinkLostMutesTheTiles(t *testing.T) {
	f := wallFake()
	r := asciiRenderer()
	r.SetColorProfile(termenv.ANSI)
	m := NewWall(WallOptions{Session: f, Theme: look(r, "unicode", false, false), Clock: clocktest.New(t0), Lang: language.English})
	m = wstep(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = wupd(m, oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkConnected}})
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(wallRoster())})
	readyBadge := m.c.theme.StateBadge(oktell.UserReady, false).Render(" ● Ready")
	assert.Contains(t, m.View(), readyBadge[:strings.Index(readyBadge, "●")])
	m = wupd(m, oktell.Update{At: t0.Add(time.Minute), Status: &oktell.Status{Link: oktell.LinkReconnecting, Why: oktell.Quoted("connection lost; retrying in 4s")}})
	assert.Contains(t, screenOf(m), "Link to Oktell lost: connection lost; retrying in 4s")
	assert.NotContains(t, m.View(), readyBadge[:strings.Index(readyBadge, "●")])
	m = wupd(m, oktell.Update{At: t0.Add(2 * time.Minute), Status: &oktell.Status{Link: oktell.LinkConnected}})
	assert.NotContains(t, screenOf(m), "Link to Oktell lost")
	assert.Contains(t, m.View(), readyBadge[:strings.Index(readyBadge, "●")])

	// A live source that ended: its last states stay, muted, under the banner.
	m = wstep(m, updatesMsg{ended: true})
	assert.Contains(t, screenOf(m), "Source ended")
	assert.True(t, m.stale())
}

// okdash serve's shutdown: the countdown on the wall's banner, then the wall quits.
func TestWallShutdown(t *testing.T) {
	m, _, _ := newWallTest(80, 24, language.English)
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(wallRoster())})
	nm, cmd := m.Update(ShutdownMsg{Why: oktell.Because(oktell.ReasonServerStopping), After: 5 * time.Second})
	m = nm.(Wall)
	require.NotNil(t, cmd)
	assert.Contains(t, screenOf(m), "server shutting down: closing in 5 seconds")
	nm, cmd = m.Update(shutdownNowMsg{seq: m.shutdown.seq})
	require.NotNil(t, cmd)
	assert.Equal(t, tea.QuitMsg{}, cmd())
	assert.True(t, nm.(Wall).quitting)
}

// Every screen of the Russian wall is in Russian (but the keys' names: q, esc, enter).
func TestWallSpeaksRussian(t *testing.T) {
	check := func(name string, s Wall) {
		t.Helper()
		screen := screenOf(s)
		var left []string
		for _, w := range englishLeft(screen) {
			if w != "q" && w != "x" && w != "esc" && w != "enter" {
				left = append(left, w)
			}
		}
		assert.Empty(t, left, "%s:\n%s", name, screen)
		for _, b := range s.bindings() {
			assert.Empty(t, englishLeft(b.Help().Desc), "%s: %s", name, b.Help().Key)
			if !b.Enabled() {
				assert.Empty(t, englishLeft(s.c.whyNot(b)), "%s: %s", name, b.why)
			}
		}
	}
	m, _, _ := newWallTest(80, 24, language.Russian)
	check("waiting", m)
	m = wupd(m, morning()...)
	m = wupd(m, oktell.Update{At: t0.Add(13 * time.Minute), Colleagues: delta(func() oktell.Colleague {
		c := colleague("novikova", 0)
		c.StateKnown = false
		return c
	}(), colleague("zaitseva", oktell.UserReserved), colleague("fedorov", oktell.UserDisconnected))})
	check("main", m)
	m = wstep(m, keyPress("?"))
	check("help", m)
	m = wstep(m, keyPress("esc"))
	m = wstep(wstep(m, keyPress("/")), keyPress("ж"))
	check("line", m)
	m = wstep(m, keyPress("enter"))
	check("filtered", m)
	assert.Contains(t, screenOf(m), "отделы: «ж»")
	m = wstep(m, keyPress("esc"))
	m = wupd(m, oktell.Update{At: t0.Add(14 * time.Minute), Status: &oktell.Status{Link: oktell.LinkReconnecting, Why: oktell.Because(oktell.ReasonRetrying, "10.0.0.5:4066", oktell.Quoted("связь прервана"), 4*time.Second)}})
	check("lost", m)
	m = wupd(m, oktell.Update{At: t0.Add(15 * time.Minute), Status: &oktell.Status{Link: oktell.LinkConnected}},
		oktell.Update{At: t0.Add(15 * time.Minute), Colleagues: full(manyColleagues(20, "Первый", "Второй", "Третий"))})
	check("paged", m)
	assert.Contains(t, screenOf(m), "стр. 1/3")
	nm, _ := m.Update(ShutdownMsg{Why: oktell.Because(oktell.ReasonServerStopping), After: 5 * time.Second})
	check("shutdown", nm.(Wall))
	check("small", wstep(m, tea.WindowSizeMsg{Width: 30, Height: 10}))
}

// What a server sends is bounded before it is kept: at most oktell.MaxColleagues
// colleagues and oktell.MaxQueue callers, whatever the lists and the deltas say; the
// text of names, numbers and departments reaches the screen without its escapes.
func TestWallHostileLists(t *testing.T) {
	m, _, _ := newWallTest(80, 24, language.English)
	huge := manyColleagues(oktell.MaxColleagues/2+50, "Alpha", "Bravo")
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(huge)})
	assert.Len(t, m.list, oktell.MaxColleagues)
	assert.Len(t, m.index, oktell.MaxColleagues)
	m = wupd(m, oktell.Update{At: t0, Colleagues: delta(manyColleagues(10, "Zulu")...)})
	assert.Len(t, m.list, oktell.MaxColleagues, "a delta adds nobody past the bound")
	q := callers(t0, oktell.MaxQueue+500)
	m = wupd(m, oktell.Update{At: t0, Queue: q})
	assert.Len(t, m.queue.Callers, oktell.MaxQueue)

	evil := oktell.Colleague{Login: "evil", Name: "Evil\x1b[2J\x1b]0;pwned\a Name", Number: "1\x1b[31m2", Department: "Dep\x1b[5mt\r\n", State: oktell.UserReady, StateKnown: true}
	m = wupd(m, oktell.Update{At: t0, Colleagues: full([]oktell.Colleague{evil})})
	view := m.View()
	for _, bad := range []string{"\x1b[2J", "\x1b]0;", "\a", "\x1b[31m", "\x1b[5m", "\r"} {
		assert.NotContains(t, view, bad)
	}
	assert.Contains(t, screenOf(m), "Evil")
}

// FuzzWallView: whatever the names, departments, states and the terminal's size, the
// wall draws exactly the terminal's rows, none wider than it, and never panics.
func FuzzWallView(f *testing.F) {
	f.Add("Иванова Мария", "Поддержка", "16021", 5, 3, 80, 24, "")
	f.Add("", "", "", 0, 0, 40, 12, "/")
	f.Add("a\x1b[31mb", "x\ty", "\x00\xff", 40, 9, 160, 48, "right")
	f.Add(strings.Repeat("Ж", 300), strings.Repeat("отдел", 80), "+7 (495) 123-45-67", 200, 99, 41, 13, "?")
	f.Fuzz(func(t *testing.T, name, dept, number string, n, state, w, h int, key string) {
		w, h, n = 1+abs(w)%300, 1+abs(h)%120, abs(n)%300
		m, _, _ := newWallTest(w, h, language.Russian)
		var list []oktell.Colleague
		for i := range n {
			list = append(list, oktell.Colleague{Login: fmt.Sprint("u", i), Name: fmt.Sprint(name, i), Number: number,
				Department: fmt.Sprint(dept, i%7), State: oktell.UserState(abs(state+i) % 12), StateKnown: (state+i)%5 != 0})
		}
		m = wupd(m, oktell.Update{At: t0, Colleagues: full(list)}, oktell.Update{At: t0, Queue: callers(t0.Add(time.Hour), n%20)})
		m = wtick(m, t0.Add(time.Duration(abs(state))*time.Minute))
		if key != "" {
			m = wstep(m, keyPress(key))
		}
		lines := strings.Split(m.View(), "\n")
		if len(lines) != h && !m.tooSmall() {
			t.Fatalf("%dx%d: %d lines", w, h, len(lines))
		}
		for i, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Fatalf("%dx%d: line %d is %d wide: %q", w, h, i, ansi.StringWidth(l), l)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // the smallest int
			return 0
		}
		return -n
	}
	return n
}
