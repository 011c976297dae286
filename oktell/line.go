package oktell

import (
	"strconv"
	"strings"
	"time"
)

// Abonent is the other party of a call as the server's WebSocket replies describe it
// (getextendedlineinfo, getcurrentqueue, getflashedabonentinfo): the fields the vendor's
// client reads (protocol.md 2.1), and the rest in Extra.
type Abonent struct {
	IsRinging          bool
	IsCommutated       bool
	IsWaitingInFlash   bool // waits on hold
	IsConference       bool
	IsAutoCall         bool
	IsIVR              bool
	IsWaitingForAnswer bool
	IsExtLine          bool
	// ExtLine is the external line's value as the server wrote it ("" when absent or
	// false): the vendor's client counts any non-empty value as "calling".
	ExtLine      string
	ConferenceID string
	Direction    string // "acm_callback" for a call-back; other values are not documented
	Number       string
	CallerID     string
	SimpleName   string
	UserName     string
	Name         string
	Caption      string
	UserLogin    string
	IVRName      string
	UserID       string
	CompetitorID string
	ChainID      string
	Comment      string
	// LenQueueMS is how long a queued caller has waited, in milliseconds, when the server
	// says so (the COM library's lenqueue; not seen over WebSocket yet); -1 when absent.
	LenQueueMS int64
	Extra      []Field
}

// NoChain is the chain id the server writes for "no chain".
const NoChain = "00000000-0000-0000-0000-000000000000"

// Phone is the party's number as the vendor's client shows it: number, else caller id.
func (a Abonent) Phone() string {
	if a.Number != "" {
		return a.Number
	}
	return a.CallerID
}

// DisplayName is the party's name as the vendor's client shows it: the first of
// simplename, username, name, caption, userlogin, number and ivrname.
func (a Abonent) DisplayName() string {
	for _, s := range []string{a.SimpleName, a.UserName, a.Name, a.Caption, a.UserLogin, a.Number, a.IVRName} {
		if s != "" {
			return s
		}
	}
	return ""
}

// Key identifies the party as the vendor's client keys queue items: competitor id, else
// number, user id, caller id, or a chain id other than NoChain.
func (a Abonent) Key() string {
	for _, s := range []string{a.CompetitorID, a.Number, a.UserID, a.CallerID} {
		if s != "" {
			return s
		}
	}
	if a.ChainID != "" && a.ChainID != NoChain {
		return a.ChainID
	}
	return ""
}

// LineInfo is a getextendedlineinfo reply (protocol.md 2.1).
type LineInfo struct {
	LineStateStr string // lsDisconnected, lsHookUp, lsCommutated, lsReserved, ...
	// HasAbonent: the reply carried an abonent object (an empty one counts); without it
	// the vendor's client keeps its phone state as it was.
	HasAbonent      bool
	Abonent         Abonent
	ChainID         string
	CalledID        string
	TimerTalkLenSec int64 // seconds talked so far
	IsFlashing      bool
	Flashed         *Abonent // the party on hold, when IsFlashing
	Extra           []Field
}

// PhoneState is the vendor client's own phone state (oktell.js states), with its numbers.
type PhoneState int

// The vendor client's phone states.
const (
	PhoneDisconnected PhoneState = -1
	PhoneReady        PhoneState = 0
	PhoneBackCall     PhoneState = 1 // an autodial of the server calls out
	PhoneCall         PhoneState = 2 // the operator calls out
	PhoneRing         PhoneState = 3 // an incoming call rings
	PhoneBackRing     PhoneState = 4 // the server's call-back rings the operator
	PhoneTalk         PhoneState = 5
)

var phoneStateNames = map[PhoneState]string{
	PhoneDisconnected: "disconnected", PhoneReady: "ready", PhoneBackCall: "backcall", PhoneCall: "call",
	PhoneRing: "ring", PhoneBackRing: "backring", PhoneTalk: "talk",
}

// String is the vendor client's lower-case name of the state ("backring").
func (p PhoneState) String() string {
	if n, ok := phoneStateNames[p]; ok {
		return n
	}
	return "PhoneState(" + strconv.Itoa(int(p)) + ")"
}

// PhoneMemory is what the vendor's client remembers between two replies: its state, and
// whether a phoneevent_acmcallstarted announced an autodial (its currentSessionData).
type PhoneMemory struct {
	State    PhoneState
	AutoCall bool
}

// VendorPhone is oktell.js 1.8.4's derivation of its phone state from a
// getextendedlineinfo reply, step for step (protocol.md 2.1), leaving out only what
// depends on its WebRTC phone. It returns what the client remembers afterwards: the state
// is kept when the reply has no abonent, or when it would become ready while the line is
// lsReserved.
func VendorPhone(info LineInfo, m PhoneMemory) PhoneMemory {
	m, _ = vendorPhone(info, m)
	return m
}

// vendorPhone is VendorPhone, also saying whether the client kept its state as it was.
func vendorPhone(info LineInfo, m PhoneMemory) (PhoneMemory, bool) {
	if !info.HasAbonent {
		return m, true
	}
	a := info.Abonent
	old := m.State
	switch {
	case m.AutoCall && !a.IsAutoCall && old == PhoneReady:
		m.State = PhoneBackRing
	case a.IsAutoCall:
		m.AutoCall = false
		m.State = PhoneBackCall
	case a.IsRinging:
		if a.Direction == "acm_callback" || old == PhoneBackRing {
			m.State = PhoneBackRing
		} else {
			m.State = PhoneRing
		}
	case (!m.AutoCall && (a.IsCommutated || a.IsWaitingInFlash || a.IsConference)) ||
		(info.LineStateStr == "lsCommutated" && a.IsIVR && !a.IsWaitingForAnswer):
		m.State = PhoneTalk
	case a.ExtLine != "" || a.Number != "":
		m.AutoCall = false
		m.State = PhoneCall
	case info.LineStateStr == "lsDisconnected":
		m.State = PhoneDisconnected
	case info.LineStateStr != "lsReserved":
		m.AutoCall = false
		m.State = PhoneReady
	default:
		return m, true
	}
	return m, false
}

// MaxTalkSec is the longest talk a server's timer is believed (a week): a larger figure
// is a broken server, and would overflow a time.Duration.
const MaxTalkSec = 7 * 24 * 3600

// talkSlack is how far a server's talk timer may drift from the start okdash already
// shows before the shown start moves: replies round to whole seconds.
const talkSlack = 2 * time.Second

// DeriveLine turns a getextendedlineinfo reply into the line okdash shows: the vendor's
// phone state (VendorPhone, from m) mapped onto LineState, with the call filled in from
// the reply and carried over from prev when it is the same call (its direction and talk
// start). now is the session clock's time of the reply.
func DeriveLine(prev LineUpdate, m PhoneMemory, info LineInfo, now time.Time) (LineUpdate, PhoneMemory) {
	next, kept := vendorPhone(info, m)
	if kept {
		// The vendor's client keeps what it showed; so does okdash, with the new fields.
		keep := prev
		keep.Extra = info.Extra
		return keep, next
	}
	a := info.Abonent
	if a.ChainID == "" {
		a.ChainID = info.ChainID
	}
	if a.CallerID == "" {
		a.CallerID = info.CalledID
	}
	out := LineUpdate{Extra: info.Extra}
	switch next.State {
	case PhoneDisconnected:
		out.State = LineDisconnected
	case PhoneReady:
		out.State = LineFree
		if info.IsFlashing && info.Flashed != nil && info.Flashed.Phone() != "" {
			// Free, with a caller waiting on hold.
			out.State = LineOnHold
			out.Call = callOf(*info.Flashed, DirectionUnknown)
		}
	case PhoneRing:
		out.State, out.Call = LineRinging, callOf(a, DirectionIn)
	case PhoneBackRing:
		out.State, out.Call = LineRinging, callOf(a, DirectionCallback)
	case PhoneCall:
		out.State, out.Call = LineCalling, callOf(a, DirectionOut)
	case PhoneBackCall:
		out.State, out.Call = LineCalling, callOf(a, DirectionCallback)
	case PhoneTalk:
		out.State, out.Call = LineTalking, callOf(a, DirectionUnknown)
		out.Call.TalkStart = now.Add(-time.Duration(min(max(info.TimerTalkLenSec, 0), MaxTalkSec)) * time.Second)
		if a.IsWaitingInFlash {
			out.State = LineOnHold
		}
	}
	carry(prev, &out, now)
	return out, next
}

// callOf is the call with party a; dir is what the phone state says about who called,
// and a direction the server names wins over it.
func callOf(a Abonent, dir CallDirection) *Call {
	c := &Call{
		Number: a.Phone(), Name: a.DisplayName(), Info: a.Comment, ChainID: a.ChainID,
		Direction:  dir,
		Conference: a.IsConference || a.ConferenceID != "",
		Extra:      a.Extra,
	}
	if c.ChainID == NoChain {
		c.ChainID = ""
	}
	if c.Name == c.Number {
		c.Name = "" // the vendor falls back to the number; okdash shows the number anyway
	}
	if d := directionWord(a.Direction); d != DirectionUnknown {
		c.Direction = d
	}
	return c
}

// directionWord reads a direction as a server or a bridge may write it.
func directionWord(s string) CallDirection {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "acm_callback", "callback", "acm":
		return DirectionCallback
	case "in", "incoming", "inbound", "1":
		return DirectionIn
	case "out", "outgoing", "outbound", "2":
		return DirectionOut
	}
	return DirectionUnknown
}

// carry keeps what okdash already knew about the same call: who called (a ring seen
// before the talk), when the talk began (a server timer that rounds differently), since
// when it is on hold, and the free text a ring announced.
func carry(prev LineUpdate, out *LineUpdate, now time.Time) {
	c := out.Call
	if c == nil {
		return
	}
	p := prev.Call
	same := prev.State.InCall() && p.Same(c)
	if same {
		if c.Direction == DirectionUnknown {
			c.Direction = p.Direction
		}
		if c.Info == "" {
			c.Info = p.Info
		}
		if c.Name == "" {
			c.Name = p.Name
		}
		if !p.TalkStart.IsZero() && !c.TalkStart.IsZero() {
			if d := c.TalkStart.Sub(p.TalkStart); d > -talkSlack && d < talkSlack {
				c.TalkStart = p.TalkStart
			}
		}
		if c.TalkStart.IsZero() && out.State == LineOnHold {
			c.TalkStart = p.TalkStart
		}
	} else if c.Direction == DirectionUnknown && (prev.State == LineRinging || prev.State == LineCalling) && p != nil && p.Number == "" {
		c.Direction = p.Direction // a ring without a number, answered
	}
	if out.State == LineOnHold {
		c.OnHold = true
		c.HoldStart = now
		if same && p.OnHold && !p.HoldStart.IsZero() {
			c.HoldStart = p.HoldStart
		}
	}
}

// Keys a line event of the service channel may carry its call in. The payloads of events
// 231-243 are not documented: these are the names the WebSocket protocol uses for the
// same facts (phoneevent_ringstarted's callerid, callername, callerinfo), the names the
// demo and the bridge simulator write, and a few plain ones.
var (
	numberKeys    = []string{"callerid", "number", "abonentnumber", "callernumber", "remotenumber", "phone"}
	nameKeys      = []string{"callername", "abonentname", "simplename", "name", "caption", "username"}
	infoKeys      = []string{"callerinfo", "info", "callercomment", "comment", "description"}
	directionKeys = []string{"callerdirection", "direction"}
	chainKeys     = []string{"chainid"}
	talkKeys      = []string{"timertalklensec"}
	flashKeys     = []string{"flashtypeid", "flashtype"}
	lineKeys      = []string{"linestatestr", "linestate", "state"}
	readLineKeys  = func() map[string]bool {
		m := map[string]bool{}
		for _, ks := range [][]string{numberKeys, nameKeys, infoKeys, directionKeys, chainKeys, talkKeys, flashKeys, lineKeys} {
			for _, k := range ks {
				m[k] = true
			}
		}
		return m
	}()
)

// IsLineEvent reports whether t is one of the service channel's line events that
// LineFromEvent reads.
func IsLineEvent(t EventType) bool {
	switch t {
	case CommutationStarted, CommutationStopped, RingStarted, RingFinished, FlashHoldAction, LineStateChange, CallDetected:
		return true
	}
	return false
}

// Flash types of flashstatechanged and FlashHoldAction (protocol.md 2.1).
const (
	FlashPut      = 1
	FlashReturn   = 2
	FlashAbort    = 3
	FlashLost     = 4
	FlashFlashed  = 11
	FlashRestored = 12
	FlashAborted  = 13
)

// LineFromEvent is the line after a line event of the service channel (231
// CommutationStarted, 232 CommutationStopped, 236 RingStarted, 237 RingFinished, 240
// FlashHoldAction, 242 LineStateChange, 243 CallDetected), from the line before it. Their
// payloads are not documented: the call is read from the properties named above as far
// as they go, and every other property is kept in Extra. It returns false for any other
// event, which leaves the line as it was.
func LineFromEvent(prev LineUpdate, ev *Event, now time.Time) (LineUpdate, bool) {
	if !IsLineEvent(ev.Type) {
		return prev, false
	}
	out := LineUpdate{State: prev.State, Extra: eventExtra(ev)}
	if prev.Call != nil {
		c := *prev.Call
		out.Call = &c
	}
	party := callFromEvent(ev)
	ensureCall := func(dir CallDirection) *Call {
		if out.Call == nil || (party.Number != "" && out.Call.Number != "" && !out.Call.Same(party)) {
			c := *party
			if c.Direction == DirectionUnknown {
				c.Direction = dir
			}
			out.Call = &c
			return out.Call
		}
		mergeCall(out.Call, party)
		return out.Call
	}
	switch ev.Type {
	case RingStarted:
		out.State = LineRinging
		out.Call = nil // a new ring is a new call
		c := ensureCall(DirectionIn)
		c.TalkStart, c.OnHold, c.HoldStart = time.Time{}, false, time.Time{}
	case RingFinished:
		if out.State == LineRinging {
			out.State, out.Call = LineFree, nil
		}
	case CallDetected:
		dir := DirectionIn
		if out.State == LineCalling {
			dir = DirectionOut
		}
		c := ensureCall(dir)
		if !out.State.InCall() {
			out.State = LineRinging
			if c.Direction == DirectionOut {
				out.State = LineCalling // the operator dials: the number is the one called
			}
		}
	case CommutationStarted:
		dir := DirectionUnknown
		switch prev.State {
		case LineRinging:
			dir = DirectionIn
		case LineCalling:
			dir = DirectionOut
		}
		c := ensureCall(dir)
		if c.Direction == DirectionUnknown {
			c.Direction = dir
		}
		start := now
		if n, ok := eventInt(ev, talkKeys); ok && n >= 0 && n <= MaxTalkSec {
			start = now.Add(-time.Duration(n) * time.Second)
		}
		if (prev.State != LineTalking && prev.State != LineOnHold) || c.TalkStart.IsZero() {
			c.TalkStart = start
		}
		c.OnHold, c.HoldStart = false, time.Time{}
		out.State = LineTalking
	case CommutationStopped:
		out.State, out.Call = LineFree, nil
	case FlashHoldAction:
		hold := out.State != LineOnHold // without a flash type: a toggle
		if n, ok := eventInt(ev, flashKeys); ok {
			switch n {
			case FlashPut, FlashFlashed:
				hold = true
			case FlashReturn, FlashRestored, FlashAbort, FlashAborted:
				hold = false
			case FlashLost:
				out.State, out.Call = LineFree, nil
				return out, true
			default:
				return out, true // switch, invite, between, next: the line stays as it is
			}
		}
		c := ensureCall(DirectionUnknown)
		if hold {
			if !c.OnHold {
				c.OnHold, c.HoldStart = true, now
			}
			out.State = LineOnHold
		} else {
			c.OnHold, c.HoldStart = false, time.Time{}
			out.State = LineTalking
			if c.TalkStart.IsZero() {
				c.TalkStart = now
			}
		}
	case LineStateChange:
		switch ls := eventText(ev, lineKeys); strings.ToLower(ls) {
		case "lsdisconnected":
			out.State, out.Call = LineDisconnected, nil
		case "lscommutated":
			if out.State != LineTalking && out.State != LineOnHold {
				c := ensureCall(DirectionUnknown)
				c.TalkStart = now
				out.State = LineTalking
			}
		default:
			if out.State == LineUnknown || out.State == LineDisconnected {
				out.State = LineFree
			}
		}
	}
	if !out.State.InCall() {
		out.Call = nil
	}
	return out, true
}

// callFromEvent reads the party a line event names.
func callFromEvent(ev *Event) *Call {
	c := &Call{
		Number:    Clip(eventText(ev, numberKeys), MaxNameLen),
		Name:      Clip(eventText(ev, nameKeys), MaxNameLen),
		Info:      Clip(eventText(ev, infoKeys), MaxTextLen),
		ChainID:   Clip(eventText(ev, chainKeys), MaxNameLen),
		Direction: directionWord(eventText(ev, directionKeys)),
	}
	if c.ChainID == NoChain {
		c.ChainID = ""
	}
	if c.Name == c.Number {
		c.Name = ""
	}
	return c
}

// mergeCall fills what c does not know yet from p.
func mergeCall(c, p *Call) {
	if c.Number == "" {
		c.Number = p.Number
	}
	if c.Name == "" {
		c.Name = p.Name
	}
	if p.Info != "" {
		c.Info = p.Info
	}
	if c.ChainID == "" {
		c.ChainID = p.ChainID
	}
	if c.Direction == DirectionUnknown {
		c.Direction = p.Direction
	}
}

// eventText is the first of keys the event carries: a cdata's text, else the simple
// property's symbolic name for the line state, else its value.
func eventText(ev *Event, keys []string) string {
	for _, k := range keys {
		for _, p := range ev.Props {
			if !strings.EqualFold(p.Key, k) {
				continue
			}
			switch {
			case p.HasText && strings.TrimSpace(p.Text) != "":
				return strings.TrimSpace(p.Text)
			case p.HasName && strings.HasPrefix(strings.ToLower(p.Name), "ls"):
				return p.Name
			case strings.TrimSpace(p.Value) != "":
				return strings.TrimSpace(p.Value)
			}
		}
	}
	return ""
}

func eventInt(ev *Event, keys []string) (int64, bool) {
	s := eventText(ev, keys)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// eventExtra keeps the properties of a line event that LineFromEvent does not read.
func eventExtra(ev *Event) []Field {
	var out []Field
	for _, p := range ev.Props {
		if readLineKeys[strings.ToLower(p.Key)] || len(out) == MaxFields {
			continue
		}
		v := p.Value
		if p.HasText {
			v = p.Text
		}
		out = append(out, Field{Key: Clip(p.Key, MaxNameLen), Value: Clip(v, MaxNameLen)})
	}
	return out
}

// LineTracker follows the line through the service channel's events, for a source that
// reads documents (the demo, a replay, the bridge): Track returns the line after each
// line event. The zero value starts from LineUnknown. It is not safe for concurrent use.
type LineTracker struct {
	line LineUpdate
}

// Line is the line as the events so far tell it, and false before the first line event.
func (t *LineTracker) Line() (*LineUpdate, bool) {
	if t.line.State == LineUnknown {
		return nil, false
	}
	out := t.line
	if t.line.Call != nil {
		c := *t.line.Call
		out.Call = &c
	}
	return &out, true
}

// Track returns the line after ev, and false when ev is not a line event.
func (t *LineTracker) Track(ev *Event, now time.Time) (*LineUpdate, bool) {
	next, ok := LineFromEvent(t.line, ev, now)
	if !ok {
		return nil, false
	}
	t.line = next
	out := next
	if next.Call != nil {
		c := *next.Call
		out.Call = &c
	}
	return &out, true
}
