package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/room"
	"github.com/okdash/okdash/theme"
)

// The trainer's room: every dashboard of okdash serve in one list, live, and the
// trainer's hand on each demo shift (a message, a notification, a ring, the link). It
// is a Bubble Tea model of its own, built from the dashboard's common pieces: the theme,
// the state glyphs, words and colours, the bindings and the help bar, the catalog.

// RoomOptions configure one room, for one terminal.
type RoomOptions struct {
	Room  *room.Room
	Theme *theme.Theme
	Clock oktell.Clock
	Lang  language.Tag
	// Timeout bounds one action (DefaultRequestTimeout when zero).
	Timeout time.Duration
	// ShutdownAfter is the countdown of a ShutdownMsg without one (DefaultShutdownAfter).
	ShutdownAfter time.Duration
}

// The room's bounds and defaults.
const (
	maxRoomLines = 200 // lines of the messages area kept
	// DefaultRingNumber is the call the ring line offers, to change or send as it is.
	DefaultRingNumber = "+74951234567 Иванов Иван"
	roomSideMin       = 140 // from this width the messages stand in a column of their own
	roomSideWidth     = 50
)

// barOnly is the key of a binding that is only a name on the help bar.
const barOnly = "\x00bar"

// noteTypeLabel names a notification type in the trainer's words; nltColor, whose
// toasts have no label of their own, is "Colour" here.
func noteTypeLabel(c *common, t oktell.NotifyType) string {
	if t == oktell.NltColor {
		return c.tr("Colour")
	}
	return c.tr(toastLabel(t))
}

// roomMode is what holds the room's keys.
type roomMode int

const (
	roomBrowse  roomMode = iota // the list
	roomWriting                 // a line being written (a message, a notification, a ring)
	roomPicker                  // the notification types
	roomHelp                    // every key
	roomDetail                  // the selected trainee's last answer and the room's lines about them, whole
)

// RoomModel is the trainer's room.
type RoomModel struct {
	c        *common
	rm       *room.Room
	timeout  time.Duration
	rows     []room.Row // sorted by state, then time in state
	sel      int        // the selected trainee's ID; 0: none
	top      int        // the first row drawn
	answers  map[int]room.Event
	lines    []roomNote // the messages area, oldest first
	mode     roomMode
	input    textinput.Model
	line     roomLineFor
	pick     int    // the notification type picked
	note     string // why the last key did nothing, until the next key
	shutdown shutdown
	tickID   int
	title    string
	quitting bool
	reads    int // the registry's reads, for the tests of roomEvery

	up, down, pageUp, pageDown, selectKeys key.Binding
	message, all, notify, ring, link       key.Binding
	help, back, quit, send, cancel         key.Binding
	choose, detail                         key.Binding
}

// roomLineFor is what the open line will do.
type roomLineFor struct {
	kind   room.ActionKind
	all    bool
	target int
	user   string
	typ    oktell.NotifyType
}

// roomNote is one line of the messages area.
type roomNote struct {
	at   time.Time
	kind roomLineKind
	text string // what the line says, in the trainer's words, cleaned
	who  int    // the trainee it is about (their ID); 0: the room's own, or all
}

type roomLineKind int

const (
	lineSent   roomLineKind = iota // the trainer wrote
	lineAnswer                     // a trainee answered
	lineDone                       // an action done (a ring, the link)
	lineFailed                     // an action that failed
)

type (
	roomChangedMsg struct {
		rows    []room.Row
		events  []room.Event
		dropped int
		at      time.Time // when it was read (real time, for waitRoomCmd)
	}
	roomDoneMsg struct {
		a    room.Action
		id   int
		user string
		err  error
	}
	roomBroadcastMsg struct {
		text   string
		sent   int
		failed map[int]error
	}
)

func init() { words(roomWords) }

// roomWords declares the words of room.go in Russian (see words).
func roomWords() {
	russian(map[string]string{
		"Trainer's room":   "Зал тренера",
		"Trainees":         "Стажёры",
		"trainee":          "стажёр",
		"address":          "адрес",
		"source":           "сеанс",
		"%ds":              "%d с",
		"%dm":              "%d мин",
		"%dh":              "%d ч",
		"state":            "состояние",
		"time":             "время",
		"request":          "запрос",
		"last key":         "клавиша",
		"typing…":          "пишет…",
		"%d–%d of %d":      "%d–%d из %d",
		"select":           "выбор",
		"message":          "писать",
		"to all":           "всем",
		"notify":           "уведомить",
		"ring":             "звонок",
		"drop link":        "связь выкл",
		"restore link":     "связь вкл",
		"choose":           "выбрать",
		"Keys of the room": "Клавиши зала",
		"no trainees yet: each dashboard opened on this server appears here": "стажёров пока нет: здесь появится каждый дашборд, открытый на этом сервере",
		"no messages yet": "сообщений пока нет",
		// the lines
		"Message to %s: ":                     "Сообщение → %s: ",
		"Message to all (%d): ":               "Сообщение всем (%d): ",
		"%s to %s: ":                          "%s → %s: ",
		"Ring %s (number and name): ":         "Звонок %s (номер и имя): ",
		"Notification to %s: choose its type": "Уведомление → %s: выберите тип",
		"all (%d)":                            "всем (%d)",
		"Colour":                              "Цвет",
		"%s ago":                              "%s назад",
		"%s: ringing %s":                      "%s: звонок с %s",
		"%s: link dropped":                    "%s: связь разорвана",
		"%s: link restored":                   "%s: связь восстановлена",
		"%s: not sent (%s): %s":               "%s: не отправлено (%s): %s",
		"%s: no ring: %s":                     "%s: звонка нет: %s",
		"%s: link unchanged: %s":              "%s: связь не изменилась: %s",
		"%d answers were lost: the room did not keep up": "потеряно ответов: %d, зал не успевал их показать",
		// why an action is not possible, or did not happen
		"no trainee is selected":                                  "стажёр не выбран",
		"no demo session in the room":                             "в зале нет демо-сеансов",
		"not a demo session: the room acts on demo sessions only": "это не демо: зал действует только на демо-сеансы",
		"no trainee to scroll to":                                 "прокручивать некого",
		"the trainee has left":                                    "стажёр вышел",
		"the message is empty":                                    "сообщение пустое",
		"now %s (not ready, no line, or on a call)":               "сейчас %s (не готов, без линии или уже говорит)",
		"the trainee's link is down":                              "у стажёра нет связи",
		"it already is":                                           "уже так",
		"no answer from the trainee's session within %s":          "сеанс стажёра не ответил за %s",
	})
	counted("%d trainees", 1, []any{"one", "%d trainee", "other", "%d trainees"},
		[]any{"one", "%d стажёр", "few", "%d стажёра", "other", "%d стажёров"})
}

// NewRoom returns the room of o.Room.
func NewRoom(o RoomOptions) RoomModel {
	if o.Clock == nil {
		o.Clock = oktell.RealClock{}
	}
	if o.Theme == nil {
		o.Theme = theme.New(nil, theme.Options{})
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultRequestTimeout
	}
	opts := Options{Clock: o.Clock, Theme: o.Theme, Lang: o.Lang, ShutdownAfter: o.ShutdownAfter}
	opts.defaults()
	c := &common{opts: opts, theme: o.Theme, print: newPrinter(o.Lang), clock: o.Clock, now: o.Clock.Now(), wall: o.Clock.Now()}
	m := RoomModel{c: c, rm: o.Room, timeout: o.Timeout, answers: map[int]room.Event{}, input: c.input(room.MaxText), shutdown: newShutdown(c),
		message: c.hotkey("m", "message", "m", "M"),
		all:     c.hotkey("a", "to all", "a", "A"),
		notify:  c.hotkey("t", "notify", "t", "T"),
		ring:    c.hotkey("r", "ring", "r", "R"),
		link:    c.hotkey("l", "drop link", "l", "L"),
		help:    c.hotkey("?", "help", "?", "f1", ","),
		back:    c.hotkey("esc", "back", "esc"),
		quit:    c.hotkey("q", "quit", "q", "Q"),
		send:    c.hotkey("enter", "send", "enter"),
		cancel:  c.hotkey("esc", "cancel", "esc"),
		choose:  c.hotkey("enter", "choose", "enter"),
		detail:  c.hotkey("enter", "details", "enter"),
	}
	m.up, m.down, m.pageUp, m.pageDown = scrollKeys(c)
	ic := c.theme.Icons
	// The bar's one name for up and down; its key is no key a terminal sends, so it
	// presses nothing (a binding without keys would not show).
	m.selectKeys = key.NewBinding(key.WithKeys(barOnly), key.WithHelp(ic.Up+"/"+ic.Down, c.tr("select")))
	if ic.Up == "" || ic.Name == "ascii" {
		m.selectKeys.SetHelp("up/down", c.tr("select"))
	}
	return m
}

// Init implements tea.Model: the clock, and the registry as it is now.
func (m RoomModel) Init() tea.Cmd {
	return tea.Batch(tickCmd(m.c.clock, m.tickID), loadRoomCmd(m.rm))
}

// loadRoomCmd reads the registry now.
func loadRoomCmd(rm *room.Room) tea.Cmd {
	return func() tea.Msg {
		events, dropped := rm.Drain()
		return roomChangedMsg{rows: rm.List(), events: events, dropped: dropped}
	}
}

// roomEvery is the most often the room reads the registry: twenty trainees pressing keys
// (or one hostile trainee flooding it) cost the room ten frames a second, not one a key.
const roomEvery = 100 * time.Millisecond

// waitRoomCmd waits for the registry to change, then reads it, no sooner than roomEvery
// after the read at last (what changes meanwhile is read together); nothing once the
// room closed. Real time, not the clock: a guard, as the server's on window changes.
func waitRoomCmd(rm *room.Room, last time.Time) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-rm.Changed():
		case <-rm.Done():
			return nil
		}
		if d := roomEvery - time.Since(last); d > 0 {
			select {
			case <-time.After(d):
			case <-rm.Done():
				return nil
			}
		}
		events, dropped := rm.Drain()
		return roomChangedMsg{rows: rm.List(), events: events, dropped: dropped, at: time.Now()}
	}
}

// Update implements tea.Model.
func (m RoomModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	c := m.c
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.width, c.height = msg.Width, msg.Height
		m.input.Width = max(c.width-2-ansi.StringWidth(m.input.Prompt), 1)
		m.keepVisible()
	case tickMsg:
		if msg.id != m.tickID {
			return m, nil
		}
		c.ticked(msg.t) // the shutdown's countdown runs on the wall clock
		cmds = append(cmds, tickCmd(c.clock, m.tickID))
	case roomChangedMsg:
		m.refresh(msg)
		m.reads++
		cmds = append(cmds, waitRoomCmd(m.rm, msg.at))
	case roomDoneMsg:
		m.done(msg)
	case roomBroadcastMsg:
		m.broadcastDone(msg)
	case tea.KeyMsg:
		cmds = append(cmds, m.key(msg))
	case ShutdownMsg:
		cmds = append(cmds, m.shutdown.update(msg))
	case shutdownNowMsg:
		cmds = append(cmds, m.shutdown.update(msg))
	default:
		if m.mode == roomWriting {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			cmds = append(cmds, cmd)
		}
	}
	for _, p := range c.posted {
		switch p := p.(type) {
		case quitMsg:
			m.quitting = true
		case keyRefusedMsg:
			m.note = p.help.Key + " " + p.help.Desc + ": " + p.why
		}
	}
	c.posted = c.posted[:0]
	if m.quitting {
		return m, tea.Quit
	}
	if t := "okdash: " + c.tr("Trainer's room") + " (" + c.tr("%d trainees", len(m.rows)) + ")"; t != m.title {
		m.title = t
		cmds = append(cmds, tea.SetWindowTitle(t))
	}
	return m, tea.Batch(cmds...)
}

// stateRank orders the states in the list: who needs the trainer's eye first.
func stateRank(r room.Row) int {
	if !r.Known {
		return 8
	}
	switch r.State {
	case oktell.UserLunch:
		return 0
	case oktell.UserOff:
		return 1
	case oktell.UserReady:
		return 2
	case oktell.UserFullbusy:
		return 3
	case oktell.UserReserved:
		return 4
	case oktell.UserWOphone:
		return 5
	case oktell.UserDisconnected:
		return 6
	}
	return 7
}

// since is when a row's time counts from: its state's start, else its arrival.
func since(r room.Row) time.Time {
	if r.Known && !r.Since.IsZero() {
		return r.Since
	}
	return r.Joined
}

// sortRows orders the trainees by state, then the longest in it first.
func sortRows(rows []room.Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if ra, rb := stateRank(a), stateRank(b); ra != rb {
			return ra < rb
		}
		if sa, sb := since(a), since(b); !sa.Equal(sb) {
			return sa.Before(sb)
		}
		if a.Info.User != b.Info.User {
			return a.Info.User < b.Info.User
		}
		return a.ID < b.ID
	})
}

// refresh takes the registry's rows and answers.
func (m *RoomModel) refresh(msg roomChangedMsg) {
	oldIdx := m.selIndex()
	m.rows = msg.rows
	sortRows(m.rows)
	present := make(map[int]bool, len(m.rows))
	for _, r := range m.rows {
		present[r.ID] = true
	}
	for id := range m.answers {
		if !present[id] {
			delete(m.answers, id)
		}
	}
	for _, e := range msg.events {
		if present[e.Trainee] {
			m.answers[e.Trainee] = e
		}
		m.addLine(roomNote{at: e.At, kind: lineAnswer, text: oktell.CleanLine(e.User) + ": " + oktell.CleanLine(e.Text), who: e.Trainee})
	}
	if msg.dropped > 0 {
		m.addLine(roomNote{at: m.c.now, kind: lineFailed, text: m.c.tr("%d answers were lost: the room did not keep up", msg.dropped)})
	}
	if !present[m.sel] {
		// the selected trainee left: the one now at their place
		m.sel = 0
		if len(m.rows) > 0 {
			m.sel = m.rows[min(max(oldIdx, 0), len(m.rows)-1)].ID
		}
	}
	m.keepVisible()
}

func (m *RoomModel) addLine(l roomNote) {
	m.lines = append(m.lines, l)
	if over := len(m.lines) - maxRoomLines; over > 0 {
		n := copy(m.lines, m.lines[over:])
		m.lines = m.lines[:n]
	}
}

// selIndex is the selected trainee's place in the list; -1 when none.
func (m *RoomModel) selIndex() int {
	for i, r := range m.rows {
		if r.ID == m.sel {
			return i
		}
	}
	return -1
}

func (m *RoomModel) selected() (room.Row, bool) {
	if i := m.selIndex(); i >= 0 {
		return m.rows[i], true
	}
	return room.Row{}, false
}

// move moves the selection by d rows.
func (m *RoomModel) move(d int) {
	if len(m.rows) == 0 {
		return
	}
	i := m.selIndex()
	if i < 0 {
		i = 0
	} else {
		i = min(max(i+d, 0), len(m.rows)-1)
	}
	m.sel = m.rows[i].ID
	m.keepVisible()
}

// demoCount is how many trainees the room can act on.
func (m *RoomModel) demoCount() int {
	n := 0
	for _, r := range m.rows {
		if r.Demo {
			n++
		}
	}
	return n
}

// keys are the room's bindings in its mode, in the order of the help bar.
func (m *RoomModel) keys() []binding {
	c := m.c
	switch m.mode {
	case roomWriting:
		return []binding{
			act(m.send, "", m.submit).onBar(barKeep),
			act(m.cancel, "", func() tea.Cmd { m.closeLine(); return nil }).onBar(barKeep),
		}
	case roomPicker:
		n := len(oktell.NotifyTypes())
		return []binding{
			act(m.up, "", func() tea.Cmd { m.pick = (m.pick + n - 1) % n; return nil }),
			act(m.down, "", func() tea.Cmd { m.pick = (m.pick + 1) % n; return nil }),
			act(m.selectKeys, "", nil).onBar(3),
			act(m.choose, "", m.chosen).onBar(barKeep),
			act(m.cancel, "", func() tea.Cmd { m.mode = roomBrowse; return nil }).onBar(barKeep),
		}
	case roomDetail:
		whyMove := ""
		if len(m.rows) == 0 {
			whyMove = "no trainee to scroll to"
		}
		return []binding{
			act(m.up, whyMove, func() tea.Cmd { m.move(-1); return nil }),
			act(m.down, whyMove, func() tea.Cmd { m.move(1); return nil }),
			act(m.selectKeys, whyMove, nil).onBar(3),
			act(m.detail, "", func() tea.Cmd { m.mode = roomBrowse; return nil }).onBar(barKeep),
			act(m.back, "", func() tea.Cmd { m.mode = roomBrowse; return nil }).onBar(barKeep),
			act(m.quit, "", func() tea.Cmd { c.post(quitMsg{}); return nil }).onBar(barKeep),
		}
	case roomHelp:
		return []binding{
			act(m.help, "", func() tea.Cmd { m.mode = roomBrowse; return nil }).onBar(barKeep),
			act(m.back, "", func() tea.Cmd { m.mode = roomBrowse; return nil }).onBar(barKeep),
			act(m.quit, "", func() tea.Cmd { c.post(quitMsg{}); return nil }).onBar(barKeep),
		}
	}
	sel, ok := m.selected()
	why := ""
	switch {
	case !ok:
		why = "no trainee is selected"
	case !sel.Demo:
		why = "not a demo session: the room acts on demo sessions only"
	}
	whyAll := ""
	if m.demoCount() == 0 {
		whyAll = "no demo session in the room"
	}
	whyMove := ""
	if len(m.rows) == 0 {
		whyMove = "no trainee to scroll to"
	}
	page := max(m.tableRows()-1, 1)
	link := m.link
	up := !ok || sel.Stale || sel.Link != oktell.LinkConnected
	if up {
		link.SetHelp(link.Help().Key, c.tr("restore link"))
	}
	return []binding{
		act(m.up, whyMove, func() tea.Cmd { m.move(-1); return nil }),
		act(m.down, whyMove, func() tea.Cmd { m.move(1); return nil }),
		act(m.pageUp, whyMove, func() tea.Cmd { m.move(-page); return nil }),
		act(m.pageDown, whyMove, func() tea.Cmd { m.move(page); return nil }),
		act(m.selectKeys, whyMove, nil).onBar(4),
		act(m.message, why, func() tea.Cmd {
			m.openLine(roomLineFor{kind: room.ActMessage, target: sel.ID, user: sel.Info.User}, "")
			return nil
		}).onBar(9),
		act(m.all, whyAll, func() tea.Cmd { m.openLine(roomLineFor{kind: room.ActMessage, all: true}, ""); return nil }).onBar(8),
		act(m.notify, why, func() tea.Cmd {
			m.mode, m.line = roomPicker, roomLineFor{kind: room.ActNotify, target: sel.ID, user: sel.Info.User}
			return nil
		}).onBar(6),
		act(m.ring, why, func() tea.Cmd {
			m.openLine(roomLineFor{kind: room.ActRing, target: sel.ID, user: sel.Info.User}, DefaultRingNumber)
			return nil
		}).onBar(7),
		act(link, why, func() tea.Cmd {
			a := room.Action{Kind: room.ActLinkDown}
			if up {
				a.Kind = room.ActLinkUp
			}
			return m.doCmd(sel.ID, sel.Info.User, a)
		}).onBar(5),
		act(m.detail, whyDetail(ok), func() tea.Cmd { m.mode = roomDetail; return nil }), // help only: the bar is full
		act(m.help, "", func() tea.Cmd { m.mode = roomHelp; return nil }).onBar(barKeep),
		act(m.quit, "", func() tea.Cmd { c.post(quitMsg{}); return nil }).onBar(barKeep),
	}
}

// whyDetail says why enter shows no details: nobody is selected.
func whyDetail(selected bool) string {
	if selected {
		return ""
	}
	return "no trainee is selected"
}

// key handles a key: ctrl+c quits; an open line takes the keys its bindings do not.
func (m *RoomModel) key(k tea.KeyMsg) tea.Cmd {
	if k.Type == tea.KeyCtrlC {
		m.quitting = true
		return nil
	}
	m.note = ""
	if m.c.tooSmall() && m.mode != roomWriting {
		if quitKey(m.c).presses(k) {
			m.quitting = true
		}
		return nil
	}
	cmd, took := press(m.c, m.keys(), k)
	if !took && m.mode == roomWriting {
		m.input, cmd = m.input.Update(k)
	}
	return cmd
}

// openLine opens the line for what l does, with text in it.
func (m *RoomModel) openLine(l roomLineFor, text string) {
	c := m.c
	m.mode, m.line = roomWriting, l
	switch {
	case l.all:
		m.input.Prompt = c.tr("Message to all (%d): ", m.demoCount())
	case l.kind == room.ActRing:
		m.input.Prompt = c.tr("Ring %s (number and name): ", l.user)
	case l.kind == room.ActNotify:
		m.input.Prompt = c.tr("%s to %s: ", noteTypeLabel(c, l.typ), l.user)
	default:
		m.input.Prompt = c.tr("Message to %s: ", l.user)
	}
	m.input.Reset()
	m.input.SetValue(text)
	m.input.CursorEnd()
	m.input.Width = max(c.width-2-ansi.StringWidth(m.input.Prompt), 1)
	m.input.Focus()
}

func (m *RoomModel) closeLine() {
	m.mode = roomBrowse
	m.input.Blur()
	m.input.Reset()
}

// chosen takes the notification type picked and opens the line for its text.
func (m *RoomModel) chosen() tea.Cmd {
	l := m.line
	l.typ = oktell.NotifyTypes()[m.pick]
	m.openLine(l, "")
	return nil
}

// submit sends what the line holds; an empty line sends nothing and stays open.
func (m *RoomModel) submit() tea.Cmd {
	text := strings.TrimSpace(m.input.Value())
	if text == "" {
		return nil
	}
	l := m.line
	m.closeLine()
	if l.all {
		return broadcastCmd(m.rm, text, m.timeout)
	}
	a := room.Action{Kind: l.kind, Text: text, Type: l.typ}
	if l.kind == room.ActRing {
		f := strings.Fields(text)
		a = room.Action{Kind: room.ActRing, Number: f[0], Name: strings.Join(f[1:], " ")}
	}
	return m.doCmd(l.target, l.user, a)
}

// doCmd does a to one trainee, within the room's timeout.
func (m *RoomModel) doCmd(id int, user string, a room.Action) tea.Cmd {
	rm, timeout := m.rm, m.timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return roomDoneMsg{a: a, id: id, user: user, err: rm.Do(ctx, id, a)}
	}
}

func broadcastCmd(rm *room.Room, text string, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		sent, failed := rm.Broadcast(ctx, text)
		return roomBroadcastMsg{text: text, sent: sent, failed: failed}
	}
}

// done puts what became of an action in the messages area.
func (m *RoomModel) done(msg roomDoneMsg) {
	c, a := m.c, msg.a
	user := oktell.CleanLine(msg.user)
	text := oktell.CleanLine(a.Text)
	l := roomNote{at: c.now, kind: lineDone, who: msg.id}
	switch {
	case msg.err != nil && (a.Kind == room.ActMessage || a.Kind == room.ActNotify):
		l.kind, l.text = lineFailed, c.tr("%s: not sent (%s): %s", user, room.FirstWords(text), m.why(msg.id, msg.err))
	case msg.err != nil && a.Kind == room.ActRing:
		l.kind, l.text = lineFailed, c.tr("%s: no ring: %s", user, m.why(msg.id, msg.err))
	case msg.err != nil:
		l.kind, l.text = lineFailed, c.tr("%s: link unchanged: %s", user, m.why(msg.id, msg.err))
	case a.Kind == room.ActMessage:
		delete(m.answers, msg.id) // a new turn: the answers under the trainee are to come
		l.kind, l.text = lineSent, c.theme.Icons.Outgoing+" "+user+": "+text
	case a.Kind == room.ActNotify:
		l.kind, l.text = lineSent, c.theme.Icons.Outgoing+" "+user+": "+c.theme.Icons.ToastGlyph(a.Type)+" "+noteTypeLabel(c, a.Type)+": "+text
	case a.Kind == room.ActRing:
		l.text = c.tr("%s: ringing %s", user, strings.TrimSpace(oktell.CleanLine(a.Number+" "+a.Name)))
	case a.Kind == room.ActLinkDown:
		l.text = c.tr("%s: link dropped", user)
	default:
		l.text = c.tr("%s: link restored", user)
	}
	m.addLine(l)
}

func (m *RoomModel) broadcastDone(msg roomBroadcastMsg) {
	c := m.c
	for id := range m.answers {
		if _, failed := msg.failed[id]; !failed {
			delete(m.answers, id)
		}
	}
	m.addLine(roomNote{at: c.now, kind: lineSent, text: c.theme.Icons.Outgoing + " " + c.tr("all (%d)", msg.sent) + ": " + oktell.CleanLine(msg.text)})
	ids := make([]int, 0, len(msg.failed))
	for id := range msg.failed {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	for _, id := range ids {
		user := fmt.Sprint("#", id)
		for _, r := range m.rows {
			if r.ID == id {
				user = r.Info.User
			}
		}
		m.addLine(roomNote{at: c.now, kind: lineFailed, text: c.tr("%s: not sent (%s): %s", user, room.FirstWords(oktell.CleanLine(msg.text)), m.why(id, msg.failed[id])), who: id})
	}
}

// why says why an action failed, in the trainer's words.
func (m *RoomModel) why(id int, err error) string {
	c := m.c
	switch {
	case errors.Is(err, room.ErrNotDemo):
		return c.tr("not a demo session: the room acts on demo sessions only")
	case errors.Is(err, room.ErrGone):
		return c.tr("the trainee has left")
	case errors.Is(err, room.ErrEmpty):
		return c.tr("the message is empty")
	case errors.Is(err, room.ErrNotRouted):
		word := c.tr("Unknown")
		for _, r := range m.rows {
			if r.ID == id {
				word = stateWord(c, r.Known, r.State, r.StateName)
			}
		}
		// After "no ring:": the trainee's state first, the call said once, so it fits 80 columns.
		return c.tr("now %s (not ready, no line, or on a call)", word)
	case errors.Is(err, room.ErrLinkDown):
		return c.tr("the trainee's link is down")
	case errors.Is(err, room.ErrLinkAlready):
		return c.tr("it already is")
	case errors.Is(err, context.DeadlineExceeded):
		return c.tr("no answer from the trainee's session within %s", m.timeout)
	}
	return sayError(c.print, err)
}
