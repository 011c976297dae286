// Package shift counts the operator's day: the time in each state, the breaks, the calls
// taken and the talk time, the messages received and sent, hour by hour. A Shift is fed
// with the session's updates (Apply) and answers with figures (Summary, Hours); it does
// no I/O and reads no clock: every time comes from the updates themselves (Update.At) or
// from the caller (now). Store keeps a day's figures across restarts; Watch wraps a
// session so that both happen as the dashboard runs.
//
// What is counted, and how the time nobody saw counts:
//
//   - A state counts from the update that reported it to the next change. The day is
//     split at local midnight (Config.Zone): the part before belongs to yesterday's
//     shift, which is closed (Closed); today's starts at 00:00 in the same state.
//   - While the link is down or the state is stale (the source reconnecting, the
//     Oktell client lost its server), the time is Unknown, until the server reports
//     the state again: the operator is never credited with time the server did not
//     report.
//   - While okdash was not watching (closed and started again, or the machine asleep:
//     a silence longer than Config.MaxGap), the time is held apart. If the server then
//     reports the state the operator left in, it counts in that state (a break goes
//     on); otherwise it is NotWatched.
//   - A call counts once, when its talk begins (on hold still counts as talk); its
//     talk time is split at midnight like a state.
//   - Time never runs backwards: an update stamped before the latest one seen counts
//     at the latest time.
//   - A followed log's backlog (Update.Backlog) counts at its documents' own times, its
//     silences included (the log was being written: no MaxGap), and ticks wait until
//     it is over; the first update after it carries the time on to now.
//   - A read-only source's notes (a LinkReadOnly status, a skipped document) do not
//     start the day: a followed log says "following" now, before its backlog from the
//     morning, and the day starts with the log's first document.
package shift

import (
	"time"

	"github.com/okdash/okdash/oktell"
)

// Bucket is where a stretch of the day's time goes: one of the operator's states, or
// Unknown, or NotWatched.
type Bucket uint8

// The buckets, in the order the shift view lists them.
const (
	Ready        Bucket = iota // usReady
	Break                      // usLunch
	Away                       // usOff
	Busy                       // usFullbusy
	Reserved                   // usReserved
	NoPhone                    // usWOphone
	Disconnected               // usDisconnected: the server says the operator is not connected
	Unknown                    // the state was not known: the link down, stale, not reported yet, or undocumented
	NotWatched                 // okdash was not running, and what the state was is not known
	NumBuckets
)

var bucketNames = [NumBuckets]string{"ready", "break", "away", "busy", "reserved", "no phone", "disconnected", "unknown", "not watched"}

// String is the bucket's English name in lower case ("no phone").
func (b Bucket) String() string {
	if b < NumBuckets {
		return bucketNames[b]
	}
	return "bucket?"
}

// BucketOf is the bucket of a user state.
func BucketOf(s oktell.UserState) Bucket {
	switch s {
	case oktell.UserReady:
		return Ready
	case oktell.UserLunch:
		return Break
	case oktell.UserOff:
		return Away
	case oktell.UserFullbusy:
		return Busy
	case oktell.UserReserved:
		return Reserved
	case oktell.UserWOphone:
		return NoPhone
	case oktell.UserDisconnected:
		return Disconnected
	}
	return Unknown
}

// Date is a day of the calendar, in the shift's time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the day t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// String is the date as 2006-01-02.
func (d Date) String() string {
	b := make([]byte, 0, 10)
	b = appendInt(b, d.Year, 4)
	b = append(b, '-')
	b = appendInt(b, int(d.Month), 2)
	b = append(b, '-')
	return string(appendInt(b, d.Day, 2))
}

func appendInt(b []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	if n < 0 {
		n = 0
	}
	for n > 0 || width > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	return append(b, buf[i:]...)
}

// ParseDate reads a date written by Date.String.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, err
	}
	return DateOf(t, time.UTC), nil
}

// Figures are one day's counts: what the shift view shows and what a file keeps.
type Figures struct {
	Date  Date
	Start time.Time // the first moment counted: the first update, or 00:00 when a state ran on from yesterday
	// Time is the time in each bucket; their sum is the shift's length.
	Time [NumBuckets]time.Duration
	// Hours is the time in each bucket per hour of the day (local hours: on the day the
	// clocks go back, the repeated hour adds up in one row).
	Hours [24][NumBuckets]time.Duration
	// Breaks is the number of breaks that had time on this day; their total is
	// Time[Break]; Longest is the longest one's time on this day.
	Breaks  int
	Longest time.Duration
	// Calls is the number of calls whose talk began on this day, Talk the time talked.
	Calls int
	Talk  time.Duration
	// Received and Sent count instant messages.
	Received int
	Sent     int
}

// Length is the shift's length: the time in every bucket.
func (f *Figures) Length() time.Duration {
	var d time.Duration
	for _, t := range f.Time {
		d += t
	}
	return d
}

// Empty says nothing was counted.
func (f *Figures) Empty() bool {
	return f.Length() == 0 && f.Calls == 0 && f.Received == 0 && f.Sent == 0
}

// Config tunes a Shift.
type Config struct {
	// Zone's midnight ends a day; nil is time.Local.
	Zone *time.Location
	// Calls: the source reports calls (Capabilities.Line); without it no call is counted.
	Calls bool
	// MaxGap: a silence longer than this between two updates (Watch ticks every
	// TickEvery, so a live shift is never silent that long) means okdash was not
	// watching, the machine asleep. 0: no limit, as for a replay, whose log may be
	// quiet for hours.
	MaxGap time.Duration
	// LogTimes: the times are a log played at its own pace (a replay, whose session has
	// a Position): nothing is counted past the last update, since the log says nothing
	// about what came after it. A followed log is not one: its backlog is the past, and
	// now is now.
	LogTimes bool
}

// Summary is the shift as of a moment.
type Summary struct {
	Figures
	// Now is the moment the figures are for (the last update's time for a replay).
	Now time.Time
	// Current is where the time goes now, and Since when (today's 00:00 at the latest).
	Current Bucket
	Since   time.Time
	// Calls says the source reports calls: without it Calls and Talk mean nothing.
	HasCalls bool
}

// States lists the buckets of the operator's states that have time: ready, then break
// (the two an operator is judged by), then the others biggest first, Unknown among
// them; NotWatched is left out (it is shown apart).
func (s *Summary) States() []Bucket {
	out := make([]Bucket, 0, NumBuckets)
	for _, b := range []Bucket{Ready, Break} {
		if s.Time[b] > 0 {
			out = append(out, b)
		}
	}
	fixed := len(out)
	for b := Away; b < NotWatched; b++ {
		if s.Time[b] <= 0 {
			continue
		}
		i := len(out)
		out = append(out, b)
		for i > fixed && s.Time[out[i-1]] < s.Time[b] {
			out[i] = out[i-1]
			i--
		}
		out[i] = b
	}
	return out
}

// seenSize is how many message GUIDs are remembered to recognise one delivered again.
const seenSize = 64

// Shift is the accumulator of one operator's day. The zero value is not usable: use New.
// Its methods do no I/O; it is not safe for concurrent use.
type Shift struct {
	cfg Config

	started bool
	fig     Figures
	day     [25]int64 // the local hour boundaries of the day (Unix ns): day[0] 00:00, day[24] the next midnight

	cur  Bucket // where the open stretch goes
	from int64  // the open stretch began
	last int64  // the latest time seen

	state   oktell.UserState // the last state reported, while known
	known   bool             // the state is known and fresh
	stopped bool             // the session ended: nothing counts after last
	backlog bool             // the last update counted was catch-up: ticks wait for the news

	// The break under way: open across a stretch of unknown state, closed by another
	// reported state. breakLen is its time today; counted says it is in Breaks.
	breakOpen    bool
	breakLen     time.Duration
	breakCounted bool

	// A stretch okdash did not watch, until the next reported state resolves it.
	gap            bool
	gapFrom, gapTo int64
	gapState       oktell.UserState
	gapKnown       bool

	// The call: talking is talk being counted since talkFrom; callLive says the call
	// has not been seen to end (a link loss stops the counting, not the call).
	talking  bool
	talkFrom int64
	callLive bool
	callKey  uint64

	seen  [seenSize]uint64
	seenN int

	closed    Figures
	hasClosed bool

	rev uint64 // counts the changes of the figures or the state, not time passing
}

// New returns an empty shift.
func New(cfg Config) *Shift {
	if cfg.Zone == nil {
		cfg.Zone = time.Local
	}
	return &Shift{cfg: cfg}
}

// Config is the shift's configuration.
func (s *Shift) Config() Config { return s.cfg }

// Started says the shift has seen an update (or was restored).
func (s *Shift) Started() bool { return s.started }

// Last is the latest time the shift has seen.
func (s *Shift) Last() time.Time {
	if !s.started {
		return time.Time{}
	}
	return time.Unix(0, s.last).In(s.cfg.Zone)
}

// Apply counts one update. An update without a time counts at the latest time seen.
func (s *Shift) Apply(u oktell.Update) {
	if s.stopped {
		return
	}
	if s.backlog && !u.Backlog {
		// Caught up: the log was read to its end, so the time since its last document
		// is the state going on, not a silence.
		s.backlog = false
		if !u.At.IsZero() {
			s.advanceTo(u.At.UnixNano(), false)
		}
	}
	if !s.started && note(u) {
		return
	}
	var t int64
	switch {
	case !u.At.IsZero():
		t = u.At.UnixNano()
	case s.started:
		t = s.last
	default:
		return // nothing to place it at
	}
	s.backlog = s.backlog || u.Backlog
	t = s.advanceTo(t, !u.Backlog)
	if st := u.Status; st != nil {
		switch st.Link {
		case oktell.LinkConnecting, oktell.LinkReconnecting, oktell.LinkClosed:
			s.linkDown(t)
		}
	}
	if e := u.Event; e != nil {
		switch e.Type {
		case oktell.UserStateChanged:
			if sc, err := e.StateChange(); err == nil {
				s.setState(t, sc.State)
			}
		case oktell.ConnectionLost, oktell.RestartRequested:
			s.linkDown(t)
		case oktell.UserMessage:
			if p, ok := e.Prop("guid"); !ok || s.firstDelivery(propText(p)) {
				s.fig.Received++
				s.rev++
			}
		}
	}
	if u.Line != nil && s.cfg.Calls {
		s.line(t, u.Line)
	}
	if m := u.Sent; m != nil && m.Kind == oktell.SentMessage && m.Answered && m.Why.IsZero() {
		s.fig.Sent++
		s.rev++
	}
}

// note says u is a read-only source's note on its input (a status of a replay or a
// followed log, a skipped document), nothing of the operator's day.
func note(u oktell.Update) bool {
	if u.Event != nil || u.Line != nil || u.Sent != nil {
		return false
	}
	return (u.Status != nil && u.Status.Link == oktell.LinkReadOnly) || (u.Status == nil && u.Err != nil)
}

// Tick moves the shift's time to now without an update: Watch calls it every
// TickEvery, so that a silence longer than MaxGap means okdash was not running. While a
// backlog is read the time is the log's: a tick then would count it all at now. A
// replay's (LogTimes) is never ticked: its shift ends at its last update, as Summary
// counts it, so the quit line after Watched.Close reads what the view showed.
func (s *Shift) Tick(now time.Time) {
	if s.stopped || !s.started || now.IsZero() || s.backlog || s.cfg.LogTimes {
		return
	}
	s.advance(now.UnixNano())
}

// Stop ends the counting at the latest time seen: the session is over, and the time
// after it was not watched.
func (s *Shift) Stop() {
	if !s.started || s.stopped {
		s.stopped = true
		return
	}
	s.commit(s.last)
	s.resolveGap(false)
	s.stopped = true
}

// Revision changes whenever the shift changes otherwise than by time passing: a state,
// a message, a call, a day closed. Watch writes the file when it changed.
func (s *Shift) Revision() uint64 { return s.rev }

// Closed returns the last day closed at midnight and not taken yet.
func (s *Shift) Closed() (Figures, bool) { return s.closed, s.hasClosed }

// TakeClosed returns the day closed at midnight, once.
func (s *Shift) TakeClosed() (Figures, bool) {
	f, ok := s.closed, s.hasClosed
	s.hasClosed = false
	return f, ok
}

// Summary is the shift as of now: the day now falls on (the day of the last update
// for a replay or a stopped session), with the stretch under way counted up to now.
func (s *Shift) Summary(now time.Time) Summary {
	if !s.started {
		sum := Summary{HasCalls: s.cfg.Calls, Now: now, Current: Unknown, Since: now}
		if !now.IsZero() {
			sum.Date = DateOf(now, s.cfg.Zone)
		}
		return sum
	}
	c, t, since := s.settle(now)
	return Summary{
		Figures: c.fig, Now: time.Unix(0, t).In(s.cfg.Zone),
		Current: c.cur, Since: time.Unix(0, since).In(s.cfg.Zone), HasCalls: s.cfg.Calls,
	}
}

// settle is a copy of the shift with everything up to now counted, as it stands: a
// stretch not watched is NotWatched until a report says otherwise. It returns the
// time counted to and when the stretch under way began. s itself is unchanged.
func (s *Shift) settle(now time.Time) (c Shift, t, since int64) {
	c = *s
	t = now.UnixNano()
	if now.IsZero() || c.stopped || c.cfg.LogTimes || t < c.last {
		t = c.last
	}
	if !c.stopped {
		t = c.advanceTo(t, false) // the caller watches now: no silence to hold apart
	}
	since = max(c.from, c.day[0])
	c.commit(t)
	c.resolveGap(false)
	return c, t, since
}

// Hours is the time in each bucket per hour of the day, as of now (see Summary).
func (s *Shift) Hours(now time.Time) [24][NumBuckets]time.Duration {
	return s.Summary(now).Hours
}

// advance moves the shift's time to t, closing the day at midnight and holding apart a
// silence longer than MaxGap; it returns the time the update counts at.
func (s *Shift) advance(t int64) int64 { return s.advanceTo(t, true) }

func (s *Shift) advanceTo(t int64, gaps bool) int64 {
	if !s.started {
		s.start(t)
		return t
	}
	if t <= s.last {
		return s.last // the clock went back, or the same instant
	}
	if gaps && s.cfg.MaxGap > 0 && time.Duration(t-s.last) > s.cfg.MaxGap {
		s.notWatched(s.last, t)
		return t
	}
	for t >= s.day[24] {
		s.rollover()
	}
	s.last = t
	return t
}

// start begins the shift at t, in the unknown state until a report says otherwise.
func (s *Shift) start(t int64) {
	s.started = true
	s.newDay(DateOf(time.Unix(0, t), s.cfg.Zone))
	s.fig.Start = time.Unix(0, t).In(s.cfg.Zone)
	s.cur, s.from, s.last = Unknown, t, t
}

// newDay sets the figures and hour boundaries for d.
func (s *Shift) newDay(d Date) {
	s.fig = Figures{Date: d, Start: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, s.cfg.Zone)}
	for h := 0; h <= 24; h++ {
		s.day[h] = time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, s.cfg.Zone).UnixNano()
		if h > 0 && s.day[h] < s.day[h-1] { // a clock change at that hour
			s.day[h] = s.day[h-1]
		}
	}
	s.breakLen, s.breakCounted = 0, false
}

// rollover closes the day at midnight; the stretch under way goes on from 00:00.
func (s *Shift) rollover() {
	mid := s.day[24]
	s.rev++
	s.commit(mid)
	s.resolveGap(false) // a report tomorrow cannot change yesterday's closed figures
	s.closed, s.hasClosed = s.fig, true
	next := DateOf(time.Unix(0, mid), s.cfg.Zone)
	if next == s.fig.Date { // a zone whose midnight does not exist that day
		next = DateOf(time.Unix(0, mid).Add(time.Hour), s.cfg.Zone)
	}
	s.newDay(next)
	s.fig.Start = time.Unix(0, mid).In(s.cfg.Zone)
	s.from, s.talkFrom, s.last = mid, mid, mid
}

// notWatched holds [from, to) apart: okdash was not running (or the machine slept).
// The state is stale from then on; the next report resolves the stretch.
func (s *Shift) notWatched(from, to int64) {
	s.rev++
	s.commit(from)
	s.resolveGap(false)
	s.stopTalk(from)
	state, known := s.state, s.known
	if to >= s.day[24] {
		// Not watched past midnight: the day ended when okdash last saw it, and the next
		// one begins when it sees again.
		s.closed, s.hasClosed = s.fig, true
		s.newDay(DateOf(time.Unix(0, to), s.cfg.Zone))
		s.fig.Start = time.Unix(0, to).In(s.cfg.Zone)
		s.breakOpen = false
	} else {
		s.gap, s.gapFrom, s.gapTo = true, from, to
		s.gapState, s.gapKnown = state, known
	}
	s.cur, s.from, s.last, s.known = Unknown, to, to, false
}

// resolveGap settles the stretch okdash did not watch: in the state it left in when
// resume, else as NotWatched (and a break under way then ended when okdash stopped).
func (s *Shift) resolveGap(resume bool) {
	if !s.gap {
		return
	}
	s.gap = false
	if !resume {
		s.add(NotWatched, s.gapFrom, s.gapTo)
		if s.gapState == oktell.UserLunch {
			s.breakOpen = false
		}
		return
	}
	b := BucketOf(s.gapState)
	s.add(b, s.gapFrom, s.gapTo)
	if b == Break {
		s.countBreak(time.Duration(s.gapTo - s.gapFrom))
	}
}

// Restore goes on with a shift saved earlier the same day: its figures, and the state
// it was in when okdash last watched, which counts on from then if the server reports
// it again (see the package doc). now is when okdash watches again.
func (s *Shift) Restore(sv Saved, now time.Time) {
	t := now.UnixNano()
	w := sv.Watched.UnixNano()
	s.started = true
	s.newDay(sv.Figures.Date)
	s.fig = sv.Figures
	s.breakOpen, s.breakLen, s.breakCounted = sv.BreakOpen, sv.BreakLen, sv.BreakOpen && sv.BreakLen > 0
	s.callLive, s.callKey = sv.CallLive, sv.CallKey
	s.seen, s.seenN = [seenSize]uint64{}, 0
	for _, h := range sv.Seen {
		s.remember(h)
	}
	s.state, s.known = sv.State, sv.Known
	if t < w {
		t = w // the clock went back since: nothing to hold apart
	}
	s.cur, s.from, s.last = Unknown, w, w
	if t > w {
		if t >= s.day[24] {
			s.notWatched(w, t) // closes the saved day and starts today's
			s.hasClosed = false
			return
		}
		s.gap, s.gapFrom, s.gapTo = true, w, t
		s.gapState, s.gapKnown = sv.State, sv.Known
	}
	s.cur, s.from, s.last, s.known = Unknown, t, t, false
}

// Saved is what a file keeps of a shift to go on with it (see Snapshot and Restore).
type Saved struct {
	Figures
	// Watched is the last moment okdash watched: the figures run up to it.
	Watched time.Time
	// State is the state the operator was in then, Known whether it was known and fresh.
	State oktell.UserState
	Known bool
	// The break under way then, and its time so far today.
	BreakOpen bool
	BreakLen  time.Duration
	// The call on the line then (a hash of its identity, never the number itself).
	CallLive bool
	CallKey  uint64
	// Seen are the hashes of the last messages' GUIDs, to count a message delivered
	// again after a restart once.
	Seen []uint64
}

// Snapshot is the shift to save as of now: the figures with the stretch under way
// counted up to now.
func (s *Shift) Snapshot(now time.Time) Saved {
	if !s.started {
		return Saved{Figures: Figures{Date: DateOf(now, s.cfg.Zone), Start: now}, Watched: now}
	}
	known := s.known && !s.gap
	c, t, _ := s.settle(now)
	sv := Saved{
		Figures: c.fig, Watched: time.Unix(0, t).In(s.cfg.Zone),
		State: c.state, Known: known && c.known,
		BreakOpen: c.breakOpen, CallLive: c.callLive, CallKey: c.callKey,
	}
	if c.breakOpen {
		sv.BreakLen = c.breakLen
	}
	n := min(c.seenN, seenSize)
	sv.Seen = make([]uint64, 0, n)
	for i := c.seenN - n; i < c.seenN; i++ {
		sv.Seen = append(sv.Seen, c.seen[i%seenSize])
	}
	return sv
}

// setState counts a reported state from t.
func (s *Shift) setState(t int64, st oktell.UserState) {
	b := BucketOf(st)
	if s.gap {
		resume := s.gapKnown && st == s.gapState
		if resume {
			// The stretch since okdash watched again counts in the state too: the
			// server's first report says nothing changed.
			s.resolveGap(true)
			s.cur = b
		} else {
			s.resolveGap(false)
		}
	}
	if s.known && st == s.state && s.cur == b {
		return // the same state again
	}
	s.rev++
	s.commit(t)
	if b == Break {
		if !s.breakOpen {
			s.breakOpen, s.breakLen, s.breakCounted = true, 0, false
		}
	} else {
		s.breakOpen = false
	}
	s.cur, s.state, s.known = b, st, true
}

// linkDown makes the state stale from t: unknown until the server reports it again.
func (s *Shift) linkDown(t int64) {
	if s.cur == Unknown && !s.known {
		s.stopTalk(t)
		return
	}
	s.rev++
	s.commit(t)
	s.stopTalk(t)
	s.cur, s.known = Unknown, false
}

// commit counts the open stretch up to t.
func (s *Shift) commit(t int64) {
	if s.talking && t > s.talkFrom {
		from := max(s.talkFrom, s.day[0])
		if t > from {
			s.fig.Talk += time.Duration(t - from)
		}
		s.talkFrom = t
	}
	if t <= s.from {
		return
	}
	from := max(s.from, s.day[0])
	s.add(s.cur, from, t)
	if s.cur == Break {
		s.countBreak(time.Duration(t - from))
	}
	s.from = t
}

// countBreak adds d to the break under way.
func (s *Shift) countBreak(d time.Duration) {
	if d <= 0 {
		return
	}
	if !s.breakCounted {
		s.fig.Breaks++
		s.breakCounted = true
	}
	s.breakLen += d
	s.fig.Longest = max(s.fig.Longest, s.breakLen)
}

// add counts [from, to) in bucket b, hour by hour, within the day.
func (s *Shift) add(b Bucket, from, to int64) {
	from, to = max(from, s.day[0]), min(to, s.day[24])
	if to <= from {
		return
	}
	s.fig.Time[b] += time.Duration(to - from)
	h := int((from - s.day[0]) / int64(time.Hour))
	h = min(max(h, 0), 23)
	for h > 0 && from < s.day[h] {
		h--
	}
	for h < 23 && from >= s.day[h+1] {
		h++
	}
	for from < to {
		end := to
		if h < 23 && s.day[h+1] < end {
			end = s.day[h+1]
		}
		s.fig.Hours[h][b] += time.Duration(end - from)
		from = end
		h++
	}
}

// line follows the call on the operator's line.
func (s *Shift) line(t int64, l *oktell.LineUpdate) {
	talk := l.State == oktell.LineTalking || l.State == oktell.LineOnHold
	key := callKey(l.Call)
	if s.talking && (!talk || key != s.callKey) {
		s.stopTalk(t)
		s.rev++
	}
	switch {
	case talk && !s.talking:
		if !s.callLive || key != s.callKey {
			s.fig.Calls++ // a new call: counted on the day its talk began
		}
		s.talking, s.talkFrom, s.callLive, s.callKey = true, t, true, key
		s.rev++
	case !talk && l.State != oktell.LineUnknown:
		s.callLive = false // the line says the call is over (or another rings)
	}
}

// stopTalk counts the talk up to t and stops counting it.
func (s *Shift) stopTalk(t int64) {
	if !s.talking {
		return
	}
	if t > s.talkFrom {
		from := max(s.talkFrom, s.day[0])
		if t > from {
			s.fig.Talk += time.Duration(t - from)
		}
	}
	s.talking = false
}

// callKey identifies a call without keeping its number: a hash of the chain id, else
// the number; 0 when the call says neither.
func callKey(c *oktell.Call) uint64 {
	if c == nil {
		return 0
	}
	if c.ChainID != "" {
		return hashFold("c:", c.ChainID)
	}
	if c.Number != "" {
		return hashFold("n:", c.Number)
	}
	return 0
}

// firstDelivery says whether a message with this GUID has not been counted yet; a
// message without a real GUID (empty, all zeros) always counts.
func (s *Shift) firstDelivery(guid string) bool {
	if !realGUID(guid) {
		return true
	}
	h := hashFold("g:", guid)
	n := min(s.seenN, seenSize)
	for i := 0; i < n; i++ {
		if s.seen[i] == h {
			return false
		}
	}
	s.remember(h)
	return true
}

func (s *Shift) remember(h uint64) {
	s.seen[s.seenN%seenSize] = h
	s.seenN++
}

// realGUID says whether a GUID identifies one delivery: not empty, not all zeros.
func realGUID(g string) bool {
	for i := 0; i < len(g); i++ {
		switch g[i] {
		case '{', '}', '-', '0', ' ':
		default:
			return true
		}
	}
	return false
}

// hashFold is FNV-1a of prefix and s with ASCII letters folded to lower case, and never 0.
func hashFold(prefix, s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(prefix); i++ {
		h = (h ^ uint64(prefix[i])) * prime
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * prime
	}
	if h == 0 {
		h = 1
	}
	return h
}

// propText is a property's text: the cdata of a cdata property, else its value.
func propText(p oktell.Property) string {
	if p.HasText {
		return p.Text
	}
	return p.Value
}
