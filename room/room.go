// Package room is the trainer's view of okdash serve: a registry of the dashboards open
// on the server (the trainees), each with the status its dashboard last published, and
// the way back to each demo session (a message, a notification, a ring, the link) for
// the rooms that trainers open.
//
// A dashboard publishes without waiting for anyone: its snapshot is an atomic value and
// the rooms are woken through channels of one token, so a slow or stuck room never holds
// a trainee's screen. What a trainee can send to a room (answers) is bounded in rate,
// size and number, so that a hostile trainee cannot flood it.
package room

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/okdash/okdash/oktell"
)

// Bounds of what the registry keeps.
const (
	MaxTrainees = 1000 // dashboards listed; more are served but not in the room
	MaxRooms    = 16   // rooms open at once
	MaxText     = 1000 // characters of a message, either way; longer ones are cut
	// MaxEvents are the answers waiting for one room to read them; beyond, the oldest go.
	MaxEvents = 64
	// A trainee may send the trainer replyBurst answers at once, then one every replyEvery.
	replyBurst = 5
	replyEvery = 2 * time.Second
	maxField   = 64 // characters of a user name, an address, a key's comment
	maxKeyName = 16 // characters of a key's name
)

// KeyTyping is the last key of a dashboard whose operator is typing into a line (a
// reply): the room never sees what is typed.
const KeyTyping = "typing"

// Snapshot is what one dashboard shows of its operator, as it last published it.
type Snapshot struct {
	Known     bool // a state has been reported
	State     oktell.UserState
	StateName string    // the server's name of the state
	Since     time.Time // when the state began
	Redirect  bool
	Stale     bool // the state is the last one before the link went down
	Link      oktell.Link
	Ended     bool // the source has ended
	// Pending is the request on its way, in the dashboard's words before translation
	// ("Ready", "Break", "Away", "Redirect on", "Redirect off"); "" when none.
	Pending   string
	LastKey   string // the last key pressed, by name ("b", "enter", KeyTyping); "" before any
	LastKeyAt time.Time
}

// Info is who a trainee is, as the server knows them.
type Info struct {
	User   string // the SSH user name
	Addr   string // HOST:PORT
	Key    string // the key's comment, or its fingerprint
	Source string // what the session shows: demo, ws://..., bridge:...
}

// Trainer is who opens a room: messages from them carry ID and Name, and the trainees'
// answers to ID come back to their rooms.
type Trainer struct {
	ID   string // a stable id made from the key
	Name string // the key's comment, or "Trainer"
	Key  string // the key's fingerprint, for the log
}

// Actions are what a room can do to one trainee's shift: a demo session's engine. A
// session that has none (a real Oktell source) is listed, but the room does nothing to it.
type Actions interface {
	// Message delivers text from the trainer; the trainee's answers go to answer.
	Message(ctx context.Context, from Trainer, text string, answer func(text string) error) error
	// Notify delivers a notification of type typ from the trainer.
	Notify(ctx context.Context, from Trainer, typ oktell.NotifyType, text string) error
	// Ring rings the trainee's line: a call from number (name).
	Ring(ctx context.Context, number, name string) error
	// SetLink drops (false) or restores the link to the server.
	SetLink(ctx context.Context, up bool) error
}

// Why an action did not happen. The room says them in the trainer's words.
var (
	ErrNotDemo     = errors.New("not a demo session: the room acts on demo sessions only")
	ErrGone        = errors.New("the trainee has left")
	ErrEmpty       = errors.New("the message is empty")
	ErrNotRouted   = errors.New("the call was not routed: the trainee is not ready, has no line, or is on a call")
	ErrLinkDown    = errors.New("the trainee's link is down")
	ErrLinkAlready = errors.New("the link is already so")
	ErrFull        = errors.New("the room lists as many trainees as it can")
	ErrTooManyRoom = errors.New("too many rooms are open")
)

// Registry is every dashboard of one server, for the rooms.
type Registry struct {
	clock oktell.Clock
	log   *slog.Logger

	mu       sync.Mutex
	seq      int
	trainees map[int]*Trainee
	full     bool // a join was refused: logged once until there is room again

	rooms atomic.Pointer[[]*Room] // copied on change: a publish reads it without a lock
}

// New returns an empty registry; log receives the rooms' actions (nil: none).
func New(clock oktell.Clock, log *slog.Logger) *Registry {
	if clock == nil {
		clock = oktell.RealClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Registry{clock: clock, log: log, trainees: map[int]*Trainee{}}
	r.rooms.Store(&[]*Room{})
	return r
}

// Trainee is one dashboard in the registry.
type Trainee struct {
	ID     int
	Info   Info
	Joined time.Time

	reg     *Registry
	actions Actions
	snap    atomic.Pointer[Snapshot]
	gone    atomic.Bool

	mu     sync.Mutex // the answers' bucket
	tokens float64
	last   time.Time
}

// Join lists a dashboard; actions is nil for a session the room cannot act on. It fails
// with ErrFull beyond MaxTrainees: the dashboard is served, only not listed.
func (r *Registry) Join(info Info, actions Actions) (*Trainee, error) {
	info = Info{User: clean(info.User, maxField), Addr: clean(info.Addr, maxField), Key: clean(info.Key, maxField), Source: clean(info.Source, maxField)}
	r.mu.Lock()
	if len(r.trainees) >= MaxTrainees {
		logIt := !r.full
		r.full = true
		r.mu.Unlock()
		if logIt {
			r.log.Warn("room: a dashboard is not listed in the room, which is full", "user", info.User, "addr", info.Addr, "max", MaxTrainees)
		}
		return nil, ErrFull
	}
	r.seq++
	now := r.clock.Now()
	t := &Trainee{ID: r.seq, Info: info, Joined: now, reg: r, actions: actions, tokens: replyBurst, last: now}
	t.snap.Store(&Snapshot{})
	r.trainees[t.ID] = t
	r.mu.Unlock()
	r.wake()
	return t, nil
}

// Publish replaces the trainee's snapshot and wakes the rooms. It never waits: the
// dashboard calls it from its Update.
func (t *Trainee) Publish(s Snapshot) {
	if t == nil || t.gone.Load() {
		return
	}
	s.StateName = clean(s.StateName, maxField)
	s.Pending = clean(s.Pending, maxField)
	s.LastKey = clean(s.LastKey, maxKeyName)
	t.snap.Store(&s)
	t.reg.wake()
}

// Leave takes the trainee out of the registry (the session ended).
func (t *Trainee) Leave() {
	if t == nil || t.gone.Swap(true) {
		return
	}
	r := t.reg
	r.mu.Lock()
	delete(r.trainees, t.ID)
	if len(r.trainees) < MaxTrainees {
		r.full = false
	}
	r.mu.Unlock()
	r.wake()
}

// wake tells every room that something changed; a room already told is not told twice.
func (r *Registry) wake() {
	for _, rm := range *r.rooms.Load() {
		select {
		case rm.wake <- struct{}{}:
		default:
		}
	}
}

// Row is one trainee as a room lists it.
type Row struct {
	ID     int
	Info   Info
	Joined time.Time
	Snapshot
	Demo bool // the room can act on it
}

// List is every trainee now, by ID (the room sorts them its own way).
func (r *Registry) List() []Row {
	r.mu.Lock()
	out := make([]Row, 0, len(r.trainees))
	for _, t := range r.trainees {
		out = append(out, Row{ID: t.ID, Info: t.Info, Joined: t.Joined, Snapshot: *t.snap.Load(), Demo: t.actions != nil})
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (r *Registry) trainee(id int) *Trainee {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.trainees[id]
}

// Room is one trainer's room: what the registry tells it, and its actions.
type Room struct {
	Trainer Trainer
	reg     *Registry
	wake    chan struct{} // a token when something changed
	done    chan struct{}

	mu      sync.Mutex
	events  []Event // answers not read yet, oldest first
	dropped int     // answers lost because the room did not read them in time
	closed  bool
}

// Event is a trainee's answer to the trainer.
type Event struct {
	At      time.Time
	Trainee int
	User    string
	Text    string
}

// Open opens a room for tr; ErrTooManyRoom beyond MaxRooms.
func (r *Registry) Open(tr Trainer) (*Room, error) {
	tr.Name = clean(tr.Name, maxField)
	if tr.Name == "" {
		tr.Name = "Trainer"
	}
	rm := &Room{Trainer: tr, reg: r, wake: make(chan struct{}, 1), done: make(chan struct{})}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := *r.rooms.Load()
	if len(old) >= MaxRooms {
		return nil, ErrTooManyRoom
	}
	rooms := append(append(make([]*Room, 0, len(old)+1), old...), rm)
	r.rooms.Store(&rooms)
	r.log.Info("room open", "trainer", tr.Name, "trainer_key", tr.Key)
	return rm, nil
}

// Close closes the room: its waits end, and answers to its trainer are refused once no
// other room of theirs is open.
func (rm *Room) Close() {
	r := rm.reg
	r.mu.Lock()
	old := *r.rooms.Load()
	rooms := make([]*Room, 0, len(old))
	for _, o := range old {
		if o != rm {
			rooms = append(rooms, o)
		}
	}
	r.rooms.Store(&rooms)
	r.mu.Unlock()
	rm.mu.Lock()
	if !rm.closed {
		rm.closed = true
		close(rm.done)
	}
	rm.mu.Unlock()
}

// Changed is a channel that holds a token once something changed since the last read.
func (rm *Room) Changed() <-chan struct{} { return rm.wake }

// Done is closed when the room closes.
func (rm *Room) Done() <-chan struct{} { return rm.done }

// List is every trainee now.
func (rm *Room) List() []Row { return rm.reg.List() }

// Drain takes the answers that arrived since the last Drain, and how many were lost.
func (rm *Room) Drain() (events []Event, dropped int) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	events, dropped = rm.events, rm.dropped
	rm.events, rm.dropped = nil, 0
	return events, dropped
}

// push adds an answer for the room, dropping the oldest beyond MaxEvents.
func (rm *Room) push(e Event) {
	rm.mu.Lock()
	if len(rm.events) >= MaxEvents {
		n := copy(rm.events, rm.events[1:])
		rm.events = rm.events[:n]
		rm.dropped++
	}
	rm.events = append(rm.events, e)
	rm.mu.Unlock()
	select {
	case rm.wake <- struct{}{}:
	default:
	}
}

// answer is a trainee's answer to trainer id: to each room of theirs, within the
// trainee's rate and the size limit; refused with a reason the trainee's dashboard says.
func (t *Trainee) answer(trainer, text string) error {
	r := t.reg
	if !t.allow(r.clock.Now()) {
		return roomRefused(5, oktell.Because(oktell.ReasonTooManyMessages))
	}
	e := Event{At: r.clock.Now(), Trainee: t.ID, User: t.Info.User, Text: boundText(text)}
	delivered := false
	for _, rm := range *r.rooms.Load() {
		if rm.Trainer.ID == trainer {
			rm.push(e)
			delivered = true
		}
	}
	if !delivered {
		return roomRefused(4, oktell.Because(oktell.ReasonTrainerLeft))
	}
	r.log.Info("room answer", "from", t.Info.User, "addr", t.Info.Addr, "trainer_key", keyOf(r, trainer), "chars", utf8.RuneCountInString(e.Text))
	return nil
}

// roomRefused is the room's refusal of an answer: the trainee's dashboard labels it as
// the room's, not Oktell's.
func roomRefused(code int, why oktell.Reason) *oktell.RefusedError {
	re := oktell.Refused(code, why)
	re.By = oktell.RefuserRoom
	return re
}

func keyOf(r *Registry, trainer string) string {
	for _, rm := range *r.rooms.Load() {
		if rm.Trainer.ID == trainer {
			return rm.Trainer.Key
		}
	}
	return ""
}

// allow takes a token of the trainee's answer bucket.
func (t *Trainee) allow(now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d := now.Sub(t.last); d > 0 {
		t.tokens = min(t.tokens+d.Seconds()/replyEvery.Seconds(), replyBurst)
	}
	t.last = now
	if t.tokens < 1 {
		return false
	}
	t.tokens--
	return true
}

// ActionKind is what a room does to a trainee.
type ActionKind int

// The room's actions.
const (
	ActMessage ActionKind = iota + 1
	ActNotify
	ActRing
	ActLinkDown
	ActLinkUp
)

func (k ActionKind) String() string {
	switch k {
	case ActMessage:
		return "message"
	case ActNotify:
		return "notification"
	case ActRing:
		return "ring"
	case ActLinkDown:
		return "link down"
	case ActLinkUp:
		return "link up"
	}
	return "unknown"
}

// Action is one thing a room does.
type Action struct {
	Kind   ActionKind
	Text   string            // ActMessage, ActNotify
	Type   oktell.NotifyType // ActNotify
	Number string            // ActRing
	Name   string            // ActRing
}

// ColorNoteARGB is the colour (backcolor_argb) of an nltColor notification from a room:
// the trainee's shift delivers it so (Actions.Notify), and the room's picker shows it.
const ColorNoteARGB uint32 = 0xFFFF8800

// Do does a to trainee id, and logs it (who, to whom, what). Texts are cut to MaxText.
func (rm *Room) Do(ctx context.Context, id int, a Action) error {
	t := rm.reg.trainee(id)
	if t == nil || t.gone.Load() {
		return ErrGone
	}
	if t.actions == nil {
		return ErrNotDemo
	}
	a.Text = boundText(a.Text)
	if (a.Kind == ActMessage || a.Kind == ActNotify) && a.Text == "" {
		return ErrEmpty
	}
	err := rm.do(ctx, t, a)
	rm.logAction(a, err, "to", t.Info.User, "addr", t.Info.Addr)
	return err
}

// Broadcast writes text to every demo trainee at once; it returns how many got it and
// the failures by trainee. It is logged as one action.
func (rm *Room) Broadcast(ctx context.Context, text string) (sent int, failed map[int]error) {
	a := Action{Kind: ActMessage, Text: boundText(text)}
	failed = map[int]error{}
	if a.Text == "" {
		return 0, failed
	}
	rm.reg.mu.Lock()
	var all []*Trainee
	for _, t := range rm.reg.trainees {
		if t.actions != nil {
			all = append(all, t)
		}
	}
	rm.reg.mu.Unlock()
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for _, t := range all {
		wg.Add(1)
		go func() { // one trainee's stuck shift does not hold the others'
			defer wg.Done()
			err := rm.do(ctx, t, a)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed[t.ID] = err
			} else {
				sent++
			}
		}()
	}
	wg.Wait()
	rm.logAction(a, nil, "to", "all", "sent", sent, "failed", len(failed))
	return sent, failed
}

func (rm *Room) do(ctx context.Context, t *Trainee, a Action) error {
	switch a.Kind {
	case ActMessage:
		return t.actions.Message(ctx, rm.Trainer, a.Text, func(text string) error { return t.answer(rm.Trainer.ID, text) })
	case ActNotify:
		return t.actions.Notify(ctx, rm.Trainer, a.Type, a.Text)
	case ActRing:
		return t.actions.Ring(ctx, a.Number, a.Name)
	case ActLinkDown, ActLinkUp:
		return t.actions.SetLink(ctx, a.Kind == ActLinkUp)
	}
	return errors.New("room: unknown action")
}

// logAction writes one line per action: the trainer, the trainee, what. A text goes
// with its length and its first words only: the log names what was done without keeping
// the conversation, which is often shipped to a shared journal.
func (rm *Room) logAction(a Action, err error, to ...any) {
	attrs := []any{"trainer", rm.Trainer.Name, "trainer_key", rm.Trainer.Key}
	attrs = append(attrs, to...)
	attrs = append(attrs, "action", a.Kind.String())
	switch a.Kind {
	case ActMessage, ActNotify:
		if a.Kind == ActNotify {
			attrs = append(attrs, "type", a.Type.String())
		}
		attrs = append(attrs, "chars", utf8.RuneCountInString(a.Text), "text", FirstWords(a.Text))
	case ActRing:
		attrs = append(attrs, "number", a.Number, "name", a.Name)
	}
	if err != nil {
		attrs = append(attrs, "err", err.Error())
	}
	rm.reg.log.Info("room action", attrs...)
}

// FirstWords is the start of a text for the log: its first three words, at most 32
// characters, with an ellipsis when there is more.
func FirstWords(text string) string {
	words := strings.Fields(text)
	more := len(words) > 3
	if more {
		words = words[:3]
	}
	s := strings.Join(words, " ")
	if utf8.RuneCountInString(s) > 32 {
		s, more = string([]rune(s)[:32]), true
	}
	if more {
		s += "…"
	}
	return s
}

// clean makes a name or an address from a client safe for a screen and bounded.
func clean(s string, limit int) string {
	if len(s) > 4*limit {
		s = s[:4*limit]
	}
	return cut(oktell.CleanLine(s), limit)
}

// boundText is a message's text, cleaned and cut to MaxText characters; what is cut is
// not cleaned first, so a huge text costs no more than a long one.
func boundText(s string) string {
	if len(s) > 4*MaxText {
		s = s[:4*MaxText]
	}
	return cut(strings.TrimSpace(oktell.CleanText(s)), MaxText)
}

// cut keeps the first limit characters of s, with an ellipsis when it cut.
func cut(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit-1]) + "…"
}
