package ui

import (
	"context"
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
	"github.com/okdash/okdash/room"
)

// fakeTrainee is one demo shift as the room reaches it, recorded.
type fakeTrainee struct {
	mu     sync.Mutex
	did    []string
	answer func(string) error
	err    error
}

func (f *fakeTrainee) note(s string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.did = append(f.did, s)
	return f.err
}
func (f *fakeTrainee) Message(_ context.Context, from room.Trainer, text string, answer func(string) error) error {
	f.mu.Lock()
	f.answer = answer
	f.mu.Unlock()
	return f.note("message from " + from.Name + ": " + text)
}
func (f *fakeTrainee) Notify(_ context.Context, _ room.Trainer, typ oktell.NotifyType, text string) error {
	return f.note(typ.String() + ": " + text)
}
func (f *fakeTrainee) Ring(_ context.Context, number, name string) error {
	return f.note("ring " + number + " " + name)
}
func (f *fakeTrainee) SetLink(_ context.Context, up bool) error {
	return f.note(fmt.Sprintf("link up=%v", up))
}
func (f *fakeTrainee) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.did...)
}
func (f *fakeTrainee) reply(text string) error {
	f.mu.Lock()
	a := f.answer
	f.mu.Unlock()
	return a(text)
}

// trainee is one row of a test room: who, and what their dashboard shows.
type trainee struct {
	user, addr, source string
	snap               room.Snapshot
}

// classroom is a morning in a training room at t0: a break that has gone on for ten
// minutes, a request on its way, someone typing, a real Oktell line, a lost link.
func classroom() []trainee {
	ago := func(d time.Duration) time.Time { return t0.Add(-d) }
	return []trainee{
		{"ivanova", "10.0.5.17:52144", "demo", room.Snapshot{Known: true, State: oktell.UserLunch, Since: ago(10*time.Minute + 41*time.Second), Link: oktell.LinkConnected, LastKey: "2", LastKeyAt: ago(10*time.Minute + 41*time.Second)}},
		{"petrov", "10.0.5.18:52200", "demo", room.Snapshot{Known: true, State: oktell.UserReady, Since: ago(3*time.Minute + 12*time.Second), Redirect: true, Link: oktell.LinkConnected, LastKey: "f", LastKeyAt: ago(3 * time.Minute)}},
		{"sidorova", "10.0.5.19:52311", "demo", room.Snapshot{Known: true, State: oktell.UserReady, Since: ago(45 * time.Second), Link: oktell.LinkConnected, Pending: "Break", LastKey: "b", LastKeyAt: ago(time.Second)}},
		{"kuznetsov", "10.0.5.20:52402", "demo", room.Snapshot{Known: true, State: oktell.UserFullbusy, Since: ago(65 * time.Second), Link: oktell.LinkConnected, LastKey: room.KeyTyping, LastKeyAt: ago(2 * time.Second)}},
		{"orlova", "10.0.7.4:40022", "ws://oktell.local:4066", room.Snapshot{Known: true, State: oktell.UserOff, Since: ago(25 * time.Minute), Link: oktell.LinkConnected}},
		{"fedorov", "10.0.5.21:52533", "demo", room.Snapshot{Known: true, State: oktell.UserReady, Since: ago(5 * time.Minute), Stale: true, Link: oktell.LinkReconnecting, LastKey: "enter", LastKeyAt: ago(4 * time.Minute)}},
		{"popov", "10.0.5.22:52600", "demo", room.Snapshot{Link: oktell.LinkConnecting}},
	}
}

// twenty is a room of twenty trainees: the list is longer than 80x24 shows.
func twenty() []trainee {
	states := []oktell.UserState{oktell.UserReady, oktell.UserReady, oktell.UserLunch, oktell.UserFullbusy, oktell.UserOff, oktell.UserReady, oktell.UserWOphone}
	var out []trainee
	for i := 0; i < 20; i++ {
		out = append(out, trainee{fmt.Sprintf("trainee%02d", i+1), fmt.Sprintf("10.0.5.%d:%d", 30+i, 50000+i), "demo",
			room.Snapshot{Known: true, State: states[i%len(states)], Since: t0.Add(-time.Duration(i*37+20) * time.Second), Link: oktell.LinkConnected, LastKey: "r", LastKeyAt: t0.Add(-time.Minute)}})
	}
	return out
}

// seat opens a registry on clk with the trainees in, and a room for the trainer.
func seat(t *testing.T, clk *clocktest.Clock, who []trainee) (*room.Room, map[string]*fakeTrainee, map[string]*room.Trainee) {
	t.Helper()
	reg := room.New(clk, nil)
	rm, err := reg.Open(room.Trainer{ID: "trainer-1", Name: "Анна Тренер", Key: "SHA256:test"})
	require.NoError(t, err)
	t.Cleanup(rm.Close)
	fakes, rows := map[string]*fakeTrainee{}, map[string]*room.Trainee{}
	for _, w := range who {
		var acts room.Actions
		if w.source == "demo" {
			f := &fakeTrainee{}
			fakes[w.user] = f
			acts = f
		}
		tr, err := reg.Join(room.Info{User: w.user, Addr: w.addr, Source: w.source}, acts)
		require.NoError(t, err)
		tr.Publish(w.snap)
		rows[w.user] = tr
	}
	return rm, fakes, rows
}

func newRoomModel(rm *room.Room, clk oktell.Clock, lang language.Tag, profile termenv.Profile) RoomModel {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(profile)
	return NewRoom(RoomOptions{Room: rm, Theme: look(r, "unicode", false, false), Clock: clk, Lang: lang})
}

// answerFrom has a trainee answer the trainer: the room first writes to them.
func answerFrom(t *testing.T, rm *room.Room, tr *room.Trainee, f *fakeTrainee, text string) {
	t.Helper()
	require.NoError(t, rm.Do(context.Background(), tr.ID, room.Action{Kind: room.ActMessage, Text: "Как дела?"}))
	require.NoError(t, f.reply(text))
}

type roomGolden struct {
	name    string
	w, h    int
	lang    language.Tag
	profile termenv.Profile
	who     func() []trainee
	keys    []string
	until   string
	then    func(t *testing.T, rm *room.Room, fakes map[string]*fakeTrainee, tp *testProgram)
}

func runRoomGolden(t *testing.T, gc roomGolden) {
	clk := clocktest.New(t0)
	rm, fakes, rows := seat(t, clk, gc.who())
	if _, ok := rows["petrov"]; ok {
		answerFrom(t, rm, rows["petrov"], fakes["petrov"], "Всё хорошо, клиент доволен, жду следующего звонка")
	}
	tp := startProgram(t, newRoomModel(rm, clk, gc.lang, gc.profile), gc.w, gc.h)
	tp.wait(gc.until)
	for _, k := range gc.keys {
		tp.prog.Send(keyPress(k))
	}
	if gc.then != nil {
		gc.then(t, rm, fakes, tp)
	}
	fm := tp.finish().(RoomModel)
	golden.RequireEqualEscape(t, []byte(fm.View()), true)
}

func TestRoomGolden(t *testing.T) {
	// The trainer writes to the selected trainee, who answers: both in the messages
	// area, the answer under the trainee too.
	conversation := func(sent, answer string) func(*testing.T, *room.Room, map[string]*fakeTrainee, *testProgram) {
		return func(t *testing.T, rm *room.Room, fakes map[string]*fakeTrainee, tp *testProgram) {
			tp.wait(sent)
			require.NoError(t, fakes["ivanova"].reply(answer))
			tp.wait(answer)
		}
	}
	typeText := func(s string) []string {
		var ks []string
		for _, r := range s {
			ks = append(ks, string(r))
		}
		return ks
	}
	cases := []roomGolden{
		{name: "en_80x24", w: 80, h: 24, lang: language.English, who: classroom, until: "жду следующего"},
		{name: "ru_80x24", w: 80, h: 24, lang: language.Russian, who: classroom, until: "жду следующего"},
		{name: "en_160x48", w: 160, h: 48, lang: language.English, who: classroom, until: "жду следующего"},
		{name: "ru_160x48", w: 160, h: 48, lang: language.Russian, who: classroom, until: "жду следующего"},
		{name: "en_80x24_ansi256", w: 80, h: 24, lang: language.English, profile: termenv.ANSI256, who: classroom, until: "жду следующего"},
		{name: "en_80x24_twenty", w: 80, h: 24, lang: language.English, who: twenty, until: "20 trainees",
			keys: []string{"down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down", "down"}},
		{name: "ru_80x24_twenty", w: 80, h: 24, lang: language.Russian, who: twenty, until: "20 стажёров", keys: []string{"pgdown", "pgdown"}},
		{name: "en_80x24_message", w: 80, h: 24, lang: language.English, who: classroom, until: "жду следующего",
			keys: append(append([]string{"m"}, typeText("Как долго ещё перерыв?")...), "enter"),
			then: conversation("→ ivanova: Как долго", "Ещё пять минут")},
		{name: "ru_80x24_line", w: 80, h: 24, lang: language.Russian, who: classroom, until: "жду следующего",
			keys: append([]string{"ф"}, typeText("Через 5 минут собрание")...)},
		{name: "en_80x24_picker", w: 80, h: 24, lang: language.English, who: classroom, until: "жду следующего", keys: []string{"t", "down", "down", "down"}},
		{name: "ru_80x24_help", w: 80, h: 24, lang: language.Russian, who: classroom, until: "жду следующего", keys: []string{"?"}},
		{name: "en_80x24_empty", w: 80, h: 24, lang: language.English, who: func() []trainee { return nil }, until: "no trainees yet"},
	}
	for _, gc := range cases {
		if gc.profile == 0 {
			gc.profile = termenv.Ascii
		}
		t.Run(gc.name, func(t *testing.T) { runRoomGolden(t, gc) })
	}
}

// roomTest is a room in an Update table: a fixed size, the classroom, a fake clock.
func roomTest(t *testing.T, w, h int, who []trainee) (RoomModel, *room.Room, map[string]*fakeTrainee, map[string]*room.Trainee, *clocktest.Clock) {
	t.Helper()
	clk := clocktest.New(t0)
	rm, fakes, rows := seat(t, clk, who)
	m := newRoomModel(rm, clk, language.English, termenv.Ascii)
	m = rstep(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m = rstep(t, m, loadRoomCmd(rm)())
	return m, rm, fakes, rows, clk
}

func rstep(t *testing.T, m RoomModel, msg tea.Msg) RoomModel {
	t.Helper()
	nm, _ := m.Update(msg)
	return nm.(RoomModel)
}

// rkey presses k and runs the action it started (an action returns at once on fakes).
func rkey(t *testing.T, m RoomModel, k string) RoomModel {
	t.Helper()
	nm, _ := m.Update(keyPress(k))
	m = nm.(RoomModel)
	return m
}

// rdo presses k and delivers what its action did.
func rdo(t *testing.T, m RoomModel, k string) RoomModel {
	t.Helper()
	m, cmd := m.updateKey(keyPress(k))
	require.NotNil(t, cmd, "%s started no action", k)
	return rstep(t, m, cmd())
}

func (m RoomModel) updateKey(k tea.KeyMsg) (RoomModel, tea.Cmd) {
	cmd := m.key(k)
	return m, cmd
}

func typeInto(t *testing.T, m RoomModel, text string) RoomModel {
	for _, r := range text {
		m = rkey(t, m, string(r))
	}
	return m
}

func (m RoomModel) selectedUser() string {
	r, _ := m.selected()
	return r.Info.User
}

func (m RoomModel) plain() string { return ansi.Strip(m.View()) }

func selectUser(t *testing.T, m RoomModel, user string) RoomModel {
	t.Helper()
	for range m.rows {
		m = rkey(t, m, "up")
	}
	for i := 0; i < len(m.rows) && m.selectedUser() != user; i++ {
		m = rkey(t, m, "down")
	}
	require.Equal(t, user, m.selectedUser())
	return m
}

// The list is sorted by state (breaks first), then the longest in it; the selection
// stays on its trainee when the list moves under it, and goes to the next one when its
// trainee leaves.
func TestRoomSortAndSelection(t *testing.T) {
	m, rm, _, rows, clk := roomTest(t, 80, 24, classroom())
	var order []string
	for _, r := range m.rows {
		order = append(order, r.Info.User)
	}
	assert.Equal(t, []string{"ivanova", "orlova", "fedorov", "petrov", "sidorova", "kuznetsov", "popov"}, order)
	assert.Equal(t, "ivanova", m.selectedUser(), "the first row is selected")
	m = selectUser(t, m, "sidorova")

	clk.Advance(time.Second)
	rows["sidorova"].Publish(room.Snapshot{Known: true, State: oktell.UserLunch, Since: clk.Now(), Link: oktell.LinkConnected})
	m = rstep(t, m, loadRoomCmd(rm)())
	assert.Equal(t, "sidorova", m.selectedUser(), "the selection follows the trainee")
	assert.Equal(t, "sidorova", m.rows[1].Info.User, "on a break now: after the longer break")

	rows["sidorova"].Leave()
	m = rstep(t, m, loadRoomCmd(rm)())
	assert.Equal(t, "orlova", m.selectedUser(), "the trainee now at the same place")
	header := strings.Split(m.plain(), "\n")[0]
	assert.Equal(t, header, " 6 trainees:  ◐ Break 1  ○ Away 1  ● Ready 2  ■ Busy 1  ? Unknown 1")
}

// m writes to the selected trainee; the answer comes back under them and in the messages;
// a new message starts a new turn.
func TestRoomMessageAndAnswer(t *testing.T) {
	m, _, fakes, _, clk := roomTest(t, 80, 24, classroom())
	m = rkey(t, m, "m")
	require.Equal(t, roomWriting, m.mode)
	m = typeInto(t, m, "Привет, q и r здесь просто буквы")
	assert.Equal(t, roomWriting, m.mode, "the letters went into the line, not to the hotkeys")
	m = rdo(t, m, "enter")
	assert.Equal(t, roomBrowse, m.mode)
	assert.Equal(t, []string{"message from Анна Тренер: Привет, q и r здесь просто буквы"}, fakes["ivanova"].got())
	assert.Contains(t, m.plain(), " 09:00 → ivanova: Привет, q и r")

	clk.Advance(time.Minute)
	require.NoError(t, fakes["ivanova"].reply("Иду\x1b[2J"))
	m = rstep(t, m, waitRoomCmd(m.rm, time.Time{})())
	screen := m.plain()
	assert.Contains(t, screen, "    09:01 Иду", "the answer under the trainee")
	assert.Contains(t, screen, " 09:01 ivanova: Иду", "and in the messages")

	m = rkey(t, m, "m")
	m = typeInto(t, m, "ok")
	m = rdo(t, m, "enter")
	assert.NotContains(t, m.plain(), "    09:01 Иду", "a new turn")
}

// Writing to all reaches every demo trainee and is one line; a failure is named.
func TestRoomWritesToAll(t *testing.T) {
	m, _, fakes, _, _ := roomTest(t, 80, 24, classroom())
	fakes["popov"].err = room.ErrLinkDown
	m = rkey(t, m, "a")
	assert.Contains(t, m.plain(), "Message to all (6): ")
	m = typeInto(t, m, "Собрание в 12")
	m = rdo(t, m, "enter")
	for user, f := range fakes {
		assert.Equal(t, []string{"message from Анна Тренер: Собрание в 12"}, f.got(), user)
	}
	assert.Contains(t, m.plain(), " 09:00 → all (5): Собрание в 12")
	assert.Contains(t, m.plain(), "popov: not sent (Собрание в 12): the trainee's link is down")
}

// r rings the selected trainee: the line offers a number and a name; a call that is not
// routed says why, with the trainee's state.
func TestRoomRings(t *testing.T) {
	m, _, fakes, _, _ := roomTest(t, 80, 24, classroom())
	m = selectUser(t, m, "petrov")
	m = rkey(t, m, "r")
	assert.Equal(t, DefaultRingNumber, m.input.Value())
	m = rdo(t, m, "enter")
	assert.Equal(t, []string{"ring +74951234567 Иванов Иван"}, fakes["petrov"].got())
	assert.Contains(t, m.plain(), "petrov: ringing +74951234567 Иванов Иван")

	m = selectUser(t, m, "ivanova")
	fakes["ivanova"].err = room.ErrNotRouted
	m = rkey(t, m, "к") // the Russian layout
	for range []rune(DefaultRingNumber) {
		m = rkey(t, m, "backspace")
	}
	m = typeInto(t, m, "+7 Сидоров")
	m = rdo(t, m, "enter")
	assert.Equal(t, []string{"ring +7 Сидоров"}, fakes["ivanova"].got())
	assert.Equal(t, "ivanova: no ring: now Break (not ready, no line, or on a call)", m.lines[len(m.lines)-1].text)
}

// l drops a live link and restores a lost one.
func TestRoomLink(t *testing.T) {
	m, _, fakes, _, _ := roomTest(t, 80, 24, classroom())
	m = selectUser(t, m, "petrov")
	assert.Equal(t, "drop link", liveRoomBinding(t, m, "l").Help().Desc)
	m = rdo(t, m, "l")
	assert.Equal(t, []string{"link up=false"}, fakes["petrov"].got())
	assert.Contains(t, m.plain(), "petrov: link dropped")
	m = selectUser(t, m, "fedorov") // its link is lost
	assert.Equal(t, "restore link", liveRoomBinding(t, m, "l").Help().Desc)
	m = rdo(t, m, "l")
	assert.Equal(t, []string{"link up=true"}, fakes["fedorov"].got())
}

func liveRoomBinding(t *testing.T, m RoomModel, k string) binding {
	t.Helper()
	for _, b := range m.keys() {
		if b.presses(keyPress(k)) {
			return b
		}
	}
	t.Fatalf("no binding for %q", k)
	return binding{}
}

// t picks a notification type, then its text; the trainee gets that type.
func TestRoomNotification(t *testing.T) {
	m, _, fakes, _, _ := roomTest(t, 80, 24, classroom())
	m = rkey(t, m, "t")
	require.Equal(t, roomPicker, m.mode)
	for i := 0; i < 3; i++ {
		m = rkey(t, m, "down")
	}
	assert.Equal(t, oktell.NltInformation, oktell.NotifyTypes()[m.pick])
	m = rkey(t, m, "enter")
	assert.Contains(t, m.plain(), "Information to ivanova: ")
	m = typeInto(t, m, "Обновление в 18:00")
	m = rdo(t, m, "enter")
	assert.Equal(t, []string{"nltInformation: Обновление в 18:00"}, fakes["ivanova"].got())
	m = rkey(t, m, "t")
	m = rkey(t, m, "esc")
	assert.Equal(t, roomBrowse, m.mode)
}

// The room acts on demo sessions only: on a real Oktell line every action says why not.
func TestRoomRefusesRealSources(t *testing.T) {
	m, _, _, _, _ := roomTest(t, 80, 24, classroom())
	m = selectUser(t, m, "orlova")
	for _, k := range []string{"m", "t", "r", "l"} {
		b := liveRoomBinding(t, m, k)
		assert.False(t, b.Enabled(), k)
		m = rkey(t, m, k)
		assert.Equal(t, roomBrowse, m.mode, k)
		assert.Contains(t, m.plain(), "not a demo session: the room acts on demo sessions only", k)
	}
	assert.True(t, liveRoomBinding(t, m, "a").Enabled(), "the others can still be written to")

	only, _, _, _, _ := roomTest(t, 80, 24, []trainee{classroom()[4]})
	only = rkey(t, only, "a")
	assert.Contains(t, only.plain(), "no demo session in the room")
}

// The messages area is bounded, whatever arrives.
func TestRoomLinesBounded(t *testing.T) {
	m, rm, fakes, rows, clk := roomTest(t, 80, 24, classroom())
	for i := 0; i < 100; i++ {
		answerFrom(t, rm, rows["petrov"], fakes["petrov"], fmt.Sprint("ответ ", i))
		answerFrom(t, rm, rows["ivanova"], fakes["ivanova"], fmt.Sprint("ответ ", i))
		answerFrom(t, rm, rows["sidorova"], fakes["sidorova"], fmt.Sprint("ответ ", i))
		clk.Advance(time.Minute)
		m = rstep(t, m, waitRoomCmd(rm, time.Time{})())
	}
	assert.Len(t, m.lines, maxRoomLines)
	assert.Len(t, m.answers, 3, "one answer under each trainee")
}

// The server's shutdown: the countdown on the banner, then the room quits.
func TestRoomShutdown(t *testing.T) {
	m, _, _, _, _ := roomTest(t, 80, 24, classroom())
	nm, cmd := m.Update(ShutdownMsg{Why: oktell.Because(oktell.ReasonServerStopping), After: 5 * time.Second})
	m = nm.(RoomModel)
	assert.Contains(t, m.plain(), "server shutting down: closing in 5 seconds")
	require.NotNil(t, cmd)
	nm, _ = m.Update(tickMsg{id: m.tickID, t: t0.Add(2 * time.Second)})
	m = nm.(RoomModel)
	assert.Contains(t, m.plain(), "closing in 3 seconds", "the countdown counts the clock's seconds")
	_, quit := m.Update(shutdownNowMsg{seq: m.shutdown.seq})
	require.NotNil(t, quit)
	assert.IsType(t, tea.QuitMsg{}, quit())
}

// Every binding of the room speaks Russian.
func TestRoomSpeaksRussian(t *testing.T) {
	clk := clocktest.New(t0)
	rm, _, _ := seat(t, clk, classroom())
	m := newRoomModel(rm, clk, language.Russian, termenv.Ascii)
	m = rstep(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = rstep(t, m, loadRoomCmd(rm)())
	for _, mode := range []roomMode{roomBrowse, roomWriting, roomPicker, roomHelp} {
		m.mode = mode
		for _, b := range m.keys() {
			d := b.Help().Desc
			assert.NotRegexp(t, `^[a-z ]+$`, d, "%q has no Russian", d)
		}
	}
}

// A trainee pressing keys as fast as a program can (a hostile one) costs the room at most
// one read of the registry every roomEvery, however many publishes it makes.
func TestRoomReadsAtMostEveryRoomEvery(t *testing.T) {
	clk := clocktest.New(t0)
	rm, _, rows := seat(t, clk, classroom())
	tp := startProgram(t, newRoomModel(rm, clk, language.English, termenv.Ascii), 80, 24)
	tp.wait("7 trainees")
	start := time.Now()
	for i := 0; i < 200000; i++ {
		rows["ivanova"].Publish(room.Snapshot{Known: true, State: oktell.UserReady, LastKey: fmt.Sprint(i % 10)})
	}
	rows["ivanova"].Publish(room.Snapshot{Known: true, State: oktell.UserLunch, Since: t0, LastKey: "end"})
	tp.wait("end")
	elapsed := time.Since(start)
	fm := tp.finish().(RoomModel)
	limit := int(elapsed/roomEvery) + 3 // the first read, the last, and one a period between
	t.Logf("%d reads of the registry in %v of publishing", fm.reads, elapsed)
	assert.LessOrEqual(t, fm.reads, limit)
}

// What trainees send (their user names, their answers) reaches the room's screen cleaned
// and cut: whatever it holds, the room stays 80x24, every line within its width, and no
// escape of theirs reaches the trainer's terminal.
func FuzzRoomScreen(f *testing.F) {
	f.Add("ivanova", "Понял, спасибо")
	f.Add("\x1b]0;pwned\x07root", "\x1b[2J\x1b[31mred\u202e evil \r\n\tmore")
	f.Add(strings.Repeat("ж", 300), strings.Repeat("字", 5000))
	f.Add("", "\xff\xfe not utf-8 \x00")
	f.Fuzz(func(t *testing.T, user, answer string) {
		clk := clocktest.New(t0)
		who := []trainee{{user, "10.0.0.1:1", "demo", room.Snapshot{Known: true, State: oktell.UserReady, Since: t0, StateName: user, LastKey: user, Pending: user}}}
		rm, fakes, rows := seat(t, clk, who)
		answerFrom(t, rm, rows[user], fakes[user], answer)
		m := newRoomModel(rm, clk, language.Russian, termenv.Ascii)
		m = rstep(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		m = rstep(t, m, loadRoomCmd(rm)())
		for _, w := range []int{80, 160} {
			m = rstep(t, m, tea.WindowSizeMsg{Width: w, Height: 24})
			view := m.View()
			lines := strings.Split(view, "\n")
			require.Len(t, lines, 24)
			for _, l := range lines {
				require.LessOrEqual(t, ansi.StringWidth(l), w, "%q", l)
			}
			require.NotContains(t, view, "\x1b")
			require.NotContains(t, view, "\u202e")
		}
	})
}

// At 80x24 a long answer and a ring refusal are cut in the list and the messages; enter
// shows the selected trainee's whole: the last answer and the room's lines about them,
// wrapped, no character lost; enter or esc goes back to the list.
func TestRoomDetailShowsTheWholeAnswer(t *testing.T) {
	m, _, fakes, _, clk := roomTest(t, 80, 24, classroom())
	m = selectUser(t, m, "ivanova")
	m = rkey(t, m, "m")
	m = typeInto(t, m, "Как дела?")
	m = rdo(t, m, "enter")
	clk.Advance(time.Minute)
	answer := "Ещё пять минут, заканчиваю с клиентом, потом беру следующий звонок из очереди «Поддержка», а после — перерыв на обед"
	require.NoError(t, fakes["ivanova"].reply(answer))
	m = rstep(t, m, waitRoomCmd(m.rm, time.Time{})())
	fakes["ivanova"].err = room.ErrNotRouted
	m = rkey(t, m, "r")
	m = rdo(t, m, "enter")
	refusal := m.lines[len(m.lines)-1].text
	require.Contains(t, refusal, "ivanova: no ring: now ")
	list := m.plain()
	require.NotContains(t, strings.ReplaceAll(list, " ", ""), strings.ReplaceAll(answer, " ", ""), "the list cuts it (else this test shows nothing)")

	m = rkey(t, m, "enter")
	require.Equal(t, roomDetail, m.mode)
	screen := m.plain()
	var text []string
	for _, l := range strings.Split(screen, "\n") {
		require.LessOrEqual(t, ansi.StringWidth(l), 80)
		text = append(text, strings.TrimSpace(l))
	}
	flat := strings.ReplaceAll(strings.Join(text, ""), " ", "")
	assert.Contains(t, flat, strings.ReplaceAll(answer, " ", ""), "the whole answer:\n%s", screen)
	assert.Contains(t, flat, strings.ReplaceAll(refusal, " ", ""), "the whole refusal:\n%s", screen)
	assert.Contains(t, screen, "Trainee ivanova")
	assert.Contains(t, screen, "enter details", "the help bar says how to go back")

	m = rkey(t, m, "esc")
	assert.Equal(t, roomBrowse, m.mode)
	m = rkey(t, m, "enter")
	m = rkey(t, m, "enter")
	assert.Equal(t, roomBrowse, m.mode, "enter goes back too")
}
