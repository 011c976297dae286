package oktell

import (
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The operator's desk: the phone line and its current call, the queue of callers waiting,
// and the colleagues. Sessions report them as typed updates beside events (Update.Line,
// Update.Queue, Update.Colleagues); Capabilities says which a source can supply at all.
// Every text in them came off the wire: pass it through CleanLine (or CleanText for
// Call.Info) before it reaches the screen.

// Limits on what a server can make okdash hold for the desk. A source checks them before
// it keeps anything, keeps the first items and reports the rest as an Update.Err.
const (
	MaxColleagues = 5000 // colleagues in one list: a large call centre has a few thousand users
	MaxQueue      = 1000 // callers waiting in one queue
	MaxFields     = 64   // fields of one item kept beyond those okdash reads (Extra)
	MaxNameLen    = 256  // bytes of a name, number, id, department or field value
	MaxTextLen    = 4096 // bytes of a free text (Call.Info, a message's text)
	maxFieldDepth = 4    // nesting of objects flattened into Extra ("abonent.user.name")
)

// LineState is the state of the operator's phone line.
type LineState int

// The line states. The zero value, LineUnknown, is a line nothing has been heard about.
const (
	LineUnknown      LineState = iota
	LineDisconnected           // the phone is not registered: no calls can ring or be made
	LineFree                   // registered and idle
	LineRinging                // an incoming call (or a call-back of the server) rings
	LineCalling                // the operator dials out, the other party does not answer yet
	LineTalking                // a call is in progress; Call.TalkStart says since when
	LineOnHold                 // the other party waits on hold; Call.HoldStart says since when
)

var lineStateNames = [...]string{"unknown", "disconnected", "free", "ringing", "calling", "talking", "on hold"}

// String is the state in English ("on hold"); the dashboard translates it.
func (s LineState) String() string {
	if s >= 0 && int(s) < len(lineStateNames) {
		return lineStateNames[s]
	}
	return "LineState(" + strconv.Itoa(int(s)) + ")"
}

// InCall reports whether the line holds a call (ringing, calling, talking or on hold).
func (s LineState) InCall() bool { return s >= LineRinging && s <= LineOnHold }

// CallDirection says who started a call.
type CallDirection int

// Call directions.
const (
	DirectionUnknown  CallDirection = iota
	DirectionIn                     // the other party called the operator
	DirectionOut                    // the operator called the other party
	DirectionCallback               // the server called the operator back (autodial, acm_callback)
)

func (d CallDirection) String() string {
	switch d {
	case DirectionIn:
		return "in"
	case DirectionOut:
		return "out"
	case DirectionCallback:
		return "callback"
	}
	return "unknown"
}

// Field is one field of the wire that the typed view does not read, kept as it came:
// nested objects are flattened into dotted keys ("abonent.comment"), list items into
// indices ("nums.0"), numbers and flags written out as text.
type Field struct {
	Key   string
	Value string
}

// Call is the current call on the operator's line.
type Call struct {
	Direction CallDirection
	// Number is the other party's number (or caller id), Name their display name, both
	// "" when not known. Info is free text about the caller that the server or a
	// scenario attached (a CRM note, the queue's greeting); it may hold line breaks.
	Number string
	Name   string
	Info   string
	// ChainID identifies the call on the server when it says so; two updates with the
	// same ChainID (or, without one, the same Number) are the same call.
	ChainID string
	// TalkStart is when the talk began, by the session's clock: zero while the call
	// rings or dials. The talk timer is the session clock's now minus TalkStart; on
	// hold it keeps running, as the vendor's client counts it.
	TalkStart time.Time
	// OnHold: the other party waits on hold since HoldStart.
	OnHold    bool
	HoldStart time.Time
	// Conference: the call is a conference; Number and Name are then its first party.
	Conference bool
	// Extra are the fields about the other party that okdash does not read.
	Extra []Field
}

// Same reports whether c and o are the same call (by ChainID, else by Number).
func (c *Call) Same(o *Call) bool {
	if c == nil || o == nil {
		return false
	}
	if c.ChainID != "" && o.ChainID != "" {
		return c.ChainID == o.ChainID
	}
	return c.Number != "" && c.Number == o.Number
}

// LineUpdate is the operator's line as a source now knows it: the whole state, not a
// change, so the dashboard replaces what it showed.
type LineUpdate struct {
	State LineState
	// Call is the current call; nil when the line is free, disconnected or unknown.
	Call *Call
	// Extra are the fields of what the source read (a getextendedlineinfo reply, a line
	// event's properties) that okdash does not read, kept so nothing is lost.
	Extra []Field
}

// QueuedCaller is one caller waiting in the queue.
type QueuedCaller struct {
	// Key identifies the caller from one reading of the queue to the next (as the
	// vendor's client keys them: competitor id, else number, user id, caller id, chain).
	Key    string
	Number string
	Name   string
	// Since is when the caller started waiting, by the session's clock: the server's
	// own figure when it gives one, else the first time okdash saw them in the queue.
	Since time.Time
	Extra []Field
}

// Waiting is how long the caller has waited by now.
func (c QueuedCaller) Waiting(now time.Time) time.Duration {
	if c.Since.IsZero() || now.Before(c.Since) {
		return 0
	}
	return now.Sub(c.Since)
}

// Queue is the whole queue of callers waiting, first come first; an empty Callers is an
// empty queue (and says the source can read it).
type Queue struct {
	Callers []QueuedCaller
}

// Longest is how long the caller who has waited longest has waited by now (0 when empty).
func (q Queue) Longest(now time.Time) time.Duration {
	var d time.Duration
	for _, c := range q.Callers {
		d = max(d, c.Waiting(now))
	}
	return d
}

// MergeQueue is a new reading of the queue, with each caller's Since taken from the
// previous reading when the same caller (by Key) was already waiting then, and set to now
// for a caller who has just arrived and whose Since the source did not know. At most
// MaxQueue callers are kept.
func MergeQueue(prev, next []QueuedCaller, now time.Time) []QueuedCaller {
	since := make(map[string]time.Time, len(prev))
	for _, c := range prev {
		since[c.Key] = c.Since
	}
	out := make([]QueuedCaller, 0, min(len(next), MaxQueue))
	for _, c := range next {
		if len(out) == MaxQueue {
			break
		}
		if s, ok := since[c.Key]; ok && !s.IsZero() && (c.Since.IsZero() || s.Before(c.Since)) {
			c.Since = s
		}
		if c.Since.IsZero() {
			c.Since = now
		}
		out = append(out, c)
	}
	return out
}

// Colleague is another user of the call centre (the operator's own entry is marked Self).
type Colleague struct {
	// ID is the user's id (a GUID) when the source knows it, Login their login; Key says
	// which identifies them.
	ID    string
	Login string
	Name  string
	// Number is the main phone number; Numbers all of them, the main one first.
	Number  string
	Numbers []string
	// Department is the department's name ("" for none), DepartmentID its id.
	Department   string
	DepartmentID string
	// State is the state of the colleague's main number, on the user-state scale;
	// StateKnown is false until the source has said it.
	State      UserState
	StateKnown bool
	// Self is the logged-in operator's own entry.
	Self bool
	// Subordinate: the server says this colleague is supervised by the operator.
	Subordinate bool
	Extra       []Field
}

// Key identifies the colleague within a list: the id, else the login, else the number.
func (c Colleague) Key() string {
	switch {
	case c.ID != "":
		return "id:" + strings.ToLower(c.ID)
	case c.Login != "":
		return "login:" + c.Login
	}
	return "number:" + c.Number
}

// Free reports whether the colleague can take a call or a question now.
func (c Colleague) Free() bool { return c.StateKnown && c.State == UserReady }

// ColleaguesUpdate is a change of the colleague list. With Full, Colleagues is the whole
// list (after a login or a reconnect) and replaces what was known; otherwise Colleagues
// holds only the colleagues that changed, each whole, to merge by Key (a colleague not
// known yet is added), and Removed the keys of colleagues who are gone. ApplyColleagues
// does exactly that.
type ColleaguesUpdate struct {
	Full       bool
	Colleagues []Colleague
	Removed    []string
}

// ApplyColleagues returns the list after u, in the order colleagues first appeared; cur
// is not changed. At most MaxColleagues are kept.
func ApplyColleagues(cur []Colleague, u ColleaguesUpdate) []Colleague {
	if u.Full {
		return append([]Colleague(nil), u.Colleagues[:min(len(u.Colleagues), MaxColleagues)]...)
	}
	out := append([]Colleague(nil), cur...)
	at := make(map[string]int, len(out))
	for i, c := range out {
		at[c.Key()] = i
	}
	for _, c := range u.Colleagues {
		if i, ok := at[c.Key()]; ok {
			out[i] = c
		} else if len(out) < MaxColleagues {
			at[c.Key()] = len(out)
			out = append(out, c)
		}
	}
	if len(u.Removed) > 0 {
		gone := make(map[string]bool, len(u.Removed))
		for _, k := range u.Removed {
			gone[k] = true
		}
		kept := out[:0]
		for _, c := range out {
			if !gone[c.Key()] {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	return out
}

// Department is one department's colleagues, as GroupColleagues orders them.
type Department struct {
	Name       string // "" for colleagues in no department
	Colleagues []Colleague
}

// GroupColleagues sorts colleagues for a colleagues view: by department (named ones in
// alphabetical order, then those in none), and within one, free colleagues first, then
// the others by state (break, away, busy, ...), each group by name.
func GroupColleagues(list []Colleague) []Department {
	// Each key is computed once, not in every comparison: a dashboard regroups a list of
	// thousands after every change a server sends.
	type entry struct {
		rank int
		name string
		at   int // the colleague's index in list: sorting moves this, not the whole Colleague
	}
	type group struct {
		key     string
		name    string
		entries []entry
	}
	byName := map[string]int{}
	var groups []group
	for at, c := range list {
		i, ok := byName[c.Department]
		if !ok {
			i = len(groups)
			byName[c.Department] = i
			groups = append(groups, group{key: strings.ToLower(c.Department), name: c.Department})
		}
		groups[i].entries = append(groups[i].entries, entry{stateRank(c), strings.ToLower(c.Name), at})
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if (a.name == "") != (b.name == "") {
			return b.name == ""
		}
		return a.key < b.key
	})
	out := make([]Department, len(groups))
	for gi, g := range groups {
		sort.SliceStable(g.entries, func(i, j int) bool {
			a, b := g.entries[i], g.entries[j]
			if a.rank != b.rank {
				return a.rank < b.rank
			}
			return a.name < b.name
		})
		d := Department{Name: g.name, Colleagues: make([]Colleague, len(g.entries))}
		for i, e := range g.entries {
			d.Colleagues[i] = list[e.at]
		}
		out[gi] = d
	}
	return out
}

// stateRank orders colleagues: who can help now first, who cannot be reached last.
func stateRank(c Colleague) int {
	if !c.StateKnown {
		return 8
	}
	switch c.State {
	case UserReady:
		return 0
	case UserFullbusy, UserReserved:
		return 1
	case UserLunch:
		return 2
	case UserOff:
		return 3
	case UserWOphone:
		return 4
	case UserDisconnected:
		return 6
	}
	return 7
}

// Clip cuts s to at most n bytes without splitting a UTF-8 sequence, so that a server
// cannot make okdash keep an endless name.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}
