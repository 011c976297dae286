package ui

import (
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/theme"
)

// The wall: the call centre's wall screen, read from across the room. Every colleague
// the source reports, by department, in tiles sized to the terminal; the queue's length
// and its longest wait in large type; the count of colleagues in each state. It is
// read-only: its keys page, filter and explain, and nothing it does reaches Oktell.
//
// It is a Bubble Tea model of its own beside the dashboard, built from the same parts:
// the common (theme, printer, clock, size), the status pane (the link, its banner), the
// shutdown countdown, the bindings and the help bar, the state words and glyphs. As
// the dashboard, it takes the session's updates in batches (one frame per batch), does
// no I/O in Update, and keeps its timers on the injected clock. It draws a frame only
// when something on it changed: the tiles' times in state are whole minutes, so an
// idle wall changes at most once a minute, and once a second while callers wait (the
// longest wait in large type).

// Smallest terminal the wall draws in; below it, it says so.
const (
	WallMinWidth  = 40
	WallMinHeight = 12
)

// DefaultPageTime is how long a page of departments stays when they do not all fit.
const DefaultPageTime = 15 * time.Second

// WallOptions configure one wall, for one terminal.
type WallOptions struct {
	Session oktell.Session
	// Theme is the look, built for the terminal's renderer. Nil: no colour, Unicode icons.
	Theme *theme.Theme
	Clock oktell.Clock
	Lang  language.Tag
	// PageTime is how long a page stays before the next one shows, when the departments
	// do not fit on one screen; 0: the pages turn only by key.
	PageTime time.Duration
	// Department starts the wall on the departments whose name holds this text (any
	// case), as typing it after / does.
	Department string
	// ShutdownAfter is the countdown of a ShutdownMsg that gives none (DefaultShutdownAfter).
	ShutdownAfter time.Duration
}

// Wall is the wall screen's model.
type Wall struct {
	c        *common
	status   status
	shutdown shutdown
	bar      helpView
	keys     wallKeys
	pageTime time.Duration

	list  []wallColleague      // as the source said them, cleaned for the screen, in the order they came
	index map[string]int       // a colleague's Key → where in list
	since map[string]time.Time // a colleague's Key → when the wall saw their state begin
	queue oktell.Queue

	shown   []wallDept // the departments on the wall (through the filter), tiles by name
	counts  wallCounts // of the colleagues shown
	regroup bool       // who is in list, or their names, or the filter changed: shown is to be made again
	recount bool       // a state changed: counts are to be made again

	filter   string // the departments shown hold it in their name; "" for all
	before   string // the filter when the line opened, for esc
	input    textinput.Model
	editing  bool
	helpOpen bool

	lay    wallLayout // where the last Update placed everything, for View and the page keys
	page   int
	turned time.Time // when the page last turned, for PageTime

	tickID   int
	quitting bool
}

// wallKeys are the wall's hotkeys.
type wallKeys struct {
	prev, next, find, all, apply, cancel, help, back key.Binding
}

func init() { words(wallWords) }

// wallWords declares the words of wall.go in Russian (see words).
func wallWords() {
	russian(map[string]string{
		"page":                               "страница",
		"next page":                          "следующая страница",
		"department":                         "отдел",
		"all departments":                    "все отделы",
		"apply":                              "применить",
		"everything fits on one page":        "всё помещается на одной странице",
		"no department is chosen":            "отдел не выбран",
		"Department: ":                       "Отдел: ",
		"In queue":                           "В очереди",
		"Longest wait":                       "Дольше всех ждёт",
		"page %d/%d":                         "стр. %d/%d",
		"departments: “%s”":                  "отделы: «%s»",
		"No department":                      "Без отдела",
		"%s · %d":                            "%s · %d",
		"%s · %d (continued)":                "%s · %d (продолжение)",
		"%d min":                             "%d мин",
		"%d s":                               "%d с",
		"%d h %02d min":                      "%d ч %02d мин",
		"Waiting for the list of colleagues": "Ждём список коллег",
		"No department's name holds “%s”":    "Нет отдела, в названии которого есть «%s»",
		"Keys":                               "Клавиши",
		"States":                             "Состояния",
		"previous and next page":             "предыдущая и следующая страница",
		"show the departments whose name holds a text": "показать отделы, в названии которых есть текст",
		"Under a state, how long it has lasted since the wall saw it begin; a state the wall found already there shows no time.": "Под состоянием — сколько оно длится с тех пор, как табло увидело его начало; у состояния, которое уже было, когда табло открылось, времени нет.",
		"Tiles keep their places: a change of state recolours a tile, it does not move it.":                                      "Плитки стоят на своих местах: смена состояния перекрашивает плитку, но не двигает её.",
		"When the departments do not fit, the pages turn by themselves every %s.":                                                "Когда отделы не помещаются, страницы листаются сами каждые %s.",
		"Nothing here changes anything in Oktell.":                                                                               "Отсюда ничего в Oktell не меняется.",
	})
}

// NewWall returns the wall.
func NewWall(o WallOptions) Wall {
	if o.Clock == nil {
		o.Clock = oktell.RealClock{}
	}
	if o.Theme == nil {
		o.Theme = theme.New(nil, theme.Options{})
	}
	opts := Options{Session: o.Session, Theme: o.Theme, Clock: o.Clock, Lang: o.Lang, ShutdownAfter: o.ShutdownAfter}
	opts.defaults()
	c := &common{opts: opts, theme: o.Theme, print: newPrinter(o.Lang), clock: o.Clock, session: o.Session, now: o.Clock.Now()}
	if o.Session != nil {
		c.caps = o.Session.Capabilities()
	}
	ic := o.Theme.Icons
	in := c.input(100)
	in.Prompt = c.tr("Department: ")
	filter := oktell.CleanLine(o.Department)
	w := Wall{
		c: c, status: newStatus(c), shutdown: newShutdown(c), bar: newHelpView(c), pageTime: max(o.PageTime, 0),
		index: map[string]int{}, since: map[string]time.Time{}, counts: wallCounts{by: map[oktell.UserState]int{}},
		filter: filter, input: in, turned: c.now, regroup: true,
		keys: wallKeys{
			prev:   c.hotkey(ic.Left+"/"+ic.Right, "page", "left", "pgup"),
			next:   c.hotkey(ic.Right, "next page", "right", "pgdown", " "),
			find:   c.hotkey("/", "department", "/", "."), // "." is the / key on the Russian layout
			all:    c.hotkey("esc", "all departments", "esc"),
			apply:  c.hotkey("enter", "apply", "enter"),
			cancel: c.hotkey("esc", "cancel", "esc"),
			help:   c.hotkey("?", "help", "?", ",", "f1"), // "," is the ? key on the Russian layout
			back:   c.hotkey("esc", "back", "esc"),
		},
	}
	w.place()
	return w
}

// Init implements tea.Model: listen to the session and the clock.
func (w Wall) Init() tea.Cmd {
	cmds := []tea.Cmd{tickCmd(w.c.clock, w.tickID), tea.SetWindowTitle("okdash wall")}
	if w.c.session != nil {
		cmds = append(cmds, waitUpdates(w.c.session.Updates()))
	}
	return tea.Batch(cmds...)
}

// Update implements tea.Model.
func (w Wall) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	c := w.c
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.width, c.height = msg.Width, msg.Height
		w.input.Width = max(min(c.width/2, 40)-ansi.StringWidth(w.input.Prompt), 1) // its keys fit beside it
	case tickMsg:
		if msg.id != w.tickID {
			return w, nil // a tick of an earlier chain
		}
		c.ticked(msg.t) // the clocks and the shutdown's countdown run on the wall clock
		w.turnByItself()
		cmds = append(cmds, tickCmd(c.clock, w.tickID))
	case updatesMsg:
		for _, u := range msg.updates { // every update that waited, then one frame
			w.apply(u)
		}
		if msg.ended {
			w.status.update(sessionEndedMsg{})
		} else {
			cmds = append(cmds, waitUpdates(c.session.Updates()))
		}
	case updateMsg:
		w.apply(msg.u)
	case tea.KeyMsg:
		cmds = append(cmds, w.key(msg))
	case ShutdownMsg, shutdownNowMsg:
		cmds = append(cmds, w.shutdown.update(msg))
	}
	w.drain()
	if w.regroup {
		w.group()
	}
	if w.recount {
		w.count()
	}
	w.place()
	if w.quitting {
		return w, tea.Quit
	}
	return w, tea.Batch(cmds...)
}

// apply takes one update of the session.
func (w *Wall) apply(u oktell.Update) {
	w.c.arrived(&u)
	w.status.update(updateMsg{u})
	w.shutdown.update(updateMsg{u}) // Oktell's ShutdownRequested closes the wall too
	if u.Colleagues != nil {
		w.merge(u.Colleagues, u.At)
		w.recount = true
	}
	if u.Queue != nil {
		w.queue = oktell.Queue{Callers: u.Queue.Callers[:min(len(u.Queue.Callers), oktell.MaxQueue)]}
	}
}

// drain takes what the panes posted: the countdown's end quits; the rest (a link gone,
// a bad event's note) is the dashboard's to show, not the wall's.
func (w *Wall) drain() {
	for _, m := range w.c.posted {
		if _, ok := m.(quitMsg); ok {
			w.quitting = true
		}
	}
	w.c.posted = w.c.posted[:0]
}

// wallColleague is a colleague as the wall keeps them: cleaned for the screen, with
// what their tile is found and sorted by, worked out once.
type wallColleague struct {
	oktell.Colleague
	key      string // Key()
	sortName string // the name in lower case
	dept     string // the department in lower case, for the filter
}

// wallDept is one department on the wall: its colleagues, by name.
type wallDept struct {
	name    string // "" for the colleagues in no department
	members []int  // in list
}

// merge applies a change of the colleague list as oktell.ApplyColleagues does, in place
// (a delta costs what it changes, not the whole list), and notes when each colleague's
// state began: at the update that changed it. A state the wall found already there
// (the first list) has no known beginning. A change of state only recolours a tile;
// the departments are made again only when someone came, went, or was renamed.
func (w *Wall) merge(u *oktell.ColleaguesUpdate, at time.Time) {
	if u.Full {
		old, oldIndex := w.list, w.index
		w.list = make([]wallColleague, 0, min(len(u.Colleagues), oktell.MaxColleagues))
		w.index = make(map[string]int, cap(w.list))
		for _, col := range u.Colleagues {
			var prev *wallColleague
			if i, ok := oldIndex[col.Key()]; ok {
				prev = &old[i]
			}
			w.put(col, prev, at)
		}
		for k := range w.since {
			if _, ok := w.index[k]; !ok {
				delete(w.since, k)
			}
		}
		w.regroup = true
		return
	}
	for _, col := range u.Colleagues {
		var prev *wallColleague
		if i, ok := w.index[col.Key()]; ok {
			p := w.list[i]
			prev = &p
		}
		w.put(col, prev, at)
	}
	if len(u.Removed) == 0 {
		return
	}
	gone := make(map[string]bool, len(u.Removed))
	for _, k := range u.Removed {
		gone[k] = true
		delete(w.since, k)
	}
	kept := w.list[:0]
	for _, col := range w.list {
		if !gone[col.key] {
			kept = append(kept, col)
		}
	}
	w.list = kept
	clear(w.index)
	for i, col := range w.list {
		w.index[col.key] = i
	}
	w.regroup = true
}

// put stores one colleague (whole) over prev, the same colleague as the wall knew them.
func (w *Wall) put(col oktell.Colleague, prev *wallColleague, at time.Time) {
	k := col.Key()
	col.Name, col.Login, col.Number = oktell.CleanLine(col.Name), oktell.CleanLine(col.Login), oktell.CleanLine(col.Number)
	col.Department = oktell.CleanLine(col.Department)
	col.Extra, col.Numbers = nil, nil // the wall shows neither
	if prev != nil && (prev.StateKnown != col.StateKnown || prev.State != col.State) {
		if col.StateKnown {
			w.since[k] = at
		} else {
			delete(w.since, k)
		}
	}
	wc := wallColleague{Colleague: col, key: k, sortName: strings.ToLower(col.Name), dept: strings.ToLower(col.Department)}
	if prev == nil || prev.Name != col.Name || prev.Number != col.Number || prev.Department != col.Department {
		w.regroup = true // the tile moves, or is new
	}
	if i, ok := w.index[k]; ok {
		w.list[i] = wc
		return
	}
	if len(w.list) < oktell.MaxColleagues {
		w.index[k] = len(w.list)
		w.list = append(w.list, wc)
	}
}

// wallCounts are how many colleagues are in each state.
type wallCounts struct {
	by      map[oktell.UserState]int
	unknown int
}

// group makes the departments shown: those the filter lets through, in the order of
// the colleagues view (oktell.GroupColleagues: by name, the colleagues in none last),
// each with its colleagues by name, so that a tile keeps its place whatever its state.
func (w *Wall) group() {
	w.regroup, w.recount = false, true
	f := strings.ToLower(w.filter)
	at := map[string]int{}
	var depts []wallDept
	for i := range w.list {
		col := &w.list[i]
		if f != "" && !strings.Contains(col.dept, f) {
			continue
		}
		j, ok := at[col.Department]
		if !ok {
			j = len(depts)
			at[col.Department] = j
			depts = append(depts, wallDept{name: col.Department})
		}
		depts[j].members = append(depts[j].members, i)
	}
	sort.SliceStable(depts, func(i, j int) bool {
		a, b := depts[i].name, depts[j].name
		if (a == "") != (b == "") {
			return b == ""
		}
		return w.list[depts[i].members[0]].dept < w.list[depts[j].members[0]].dept
	})
	for _, d := range depts {
		sort.SliceStable(d.members, func(i, j int) bool {
			a, b := &w.list[d.members[i]], &w.list[d.members[j]]
			if a.sortName != b.sortName {
				return a.sortName < b.sortName
			}
			return a.Number < b.Number
		})
	}
	w.shown = depts
}

// count counts the colleagues shown in each state.
func (w *Wall) count() {
	w.recount = false
	clear(w.counts.by)
	w.counts.unknown = 0
	for _, d := range w.shown {
		for _, i := range d.members {
			if col := &w.list[i]; col.StateKnown {
				w.counts.by[col.State]++
			} else {
				w.counts.unknown++
			}
		}
	}
}

// key handles a key: ctrl+c quits from anywhere; the filter line, while open, takes
// every key its own bindings do not; otherwise the first binding the key presses acts.
func (w *Wall) key(k tea.KeyMsg) tea.Cmd {
	if k.Type == tea.KeyCtrlC {
		w.quitting = true
		return nil
	}
	cmd, took := press(w.c, w.bindings(), k)
	if !took && w.editing {
		w.input, cmd = w.input.Update(k)
		if f := oktell.CleanLine(strings.TrimSpace(w.input.Value())); f != w.filter {
			w.filter, w.regroup, w.page = f, true, 0 // the wall follows the typing
		}
	}
	return cmd
}

// bindings are the wall's keys as they stand: those of the filter line while it is
// open, of the help while it is up, else the wall's own; below the minimum size, quit.
func (w *Wall) bindings() []binding {
	c, k := w.c, &w.keys
	quit := quitKey(c)
	if w.tooSmall() {
		return []binding{quit}
	}
	if w.editing {
		return []binding{
			act(k.apply, "", func() tea.Cmd { w.closeLine(); return nil }).onBar(barKeep),
			act(k.cancel, "", func() tea.Cmd {
				w.filter, w.regroup, w.page = w.before, true, 0
				w.closeLine()
				return nil
			}).onBar(barKeep),
		}
	}
	toggle := act(k.help, "", func() tea.Cmd { w.helpOpen = !w.helpOpen; return nil }).onBar(barKeep).listed(groupViews)
	if w.helpOpen {
		return []binding{toggle, act(k.back, "", func() tea.Cmd { w.helpOpen = false; return nil }).onBar(barKeep), quit}
	}
	onePage := ""
	if len(w.lay.pages) <= 1 {
		onePage = "everything fits on one page"
	}
	noFilter := ""
	if w.filter == "" {
		noFilter = "no department is chosen"
	}
	return []binding{
		act(k.prev, onePage, func() tea.Cmd { w.turn(-1); return nil }).onBar(3).listed(groupViews),
		act(k.next, onePage, func() tea.Cmd { w.turn(1); return nil }),
		act(k.find, "", func() tea.Cmd { w.openLine(); return nil }).onBar(2).listed(groupViews),
		act(k.all, noFilter, func() tea.Cmd { w.filter, w.regroup, w.page = "", true, 0; return nil }).onBar(4).listed(groupViews),
		toggle, quit,
	}
}

func (w *Wall) openLine() {
	w.editing, w.before = true, w.filter
	w.input.SetValue(w.filter)
	w.input.CursorEnd()
	w.input.Focus()
}

func (w *Wall) closeLine() {
	w.editing = false
	w.input.Blur()
}

// turn shows the page by pages on (wrapping round); the page then stays its whole time.
func (w *Wall) turn(by int) {
	if n := len(w.lay.pages); n > 1 {
		w.page = ((w.page+by)%n + n) % n
	}
	w.turned = w.c.now
}

// turnByItself turns the page when it has stayed PageTime, so that an unattended wall
// shows every department in turn; not while the filter is being typed.
func (w *Wall) turnByItself() {
	if w.pageTime <= 0 || len(w.lay.pages) <= 1 || w.editing {
		return
	}
	if !w.c.now.Before(w.turned.Add(w.pageTime)) {
		w.turn(1)
	}
}

func (w *Wall) tooSmall() bool { return w.c.width < WallMinWidth || w.c.height < WallMinHeight }

// View implements tea.Model.
func (w Wall) View() string {
	if w.c.width <= 0 || w.c.height <= 0 || w.quitting {
		return ""
	}
	return w.view()
}
