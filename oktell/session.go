package oktell

import (
	"context"
	"errors"
	"time"
)

// Session is one way of reaching Oktell: the built-in demo, a replayed or followed log,
// the bridge to the Windows client library, or the server's WebSocket protocol.
// Every implementation delivers what it receives on Updates, in order, and closes the
// channel when the session ends.
//
// Besides events and link statuses, a session reports the operator's desk as typed
// updates (Update.Line, Update.Queue, Update.Colleagues) when its Capabilities say it can.
type Session interface {
	// Updates delivers events and link status changes in the order they happened.
	Updates() <-chan Update
	// Capabilities says what the session can do; the dashboard hides what it cannot.
	Capabilities() Capabilities
	// SetUserState asks for a state change. It returns when the request was accepted for
	// delivery and answered (nil), refused (a *RefusedError), or failed; success itself is
	// seen only as a following UserStateChanged event.
	SetUserState(ctx context.Context, state UserState, redirect bool) error
	// SendMessage sends an instant message to one user (Messaging_SendMessage).
	SendMessage(ctx context.Context, userID, text string) error
	// Close ends the session and closes Updates.
	Close() error
}

// SourceKind is the kind of source a session reads, in the words okdash shows for it.
type SourceKind string

// The kinds of source.
const (
	SourceDemo   SourceKind = "demo"   // the built-in demo: the header says "demo" while it plays
	SourceFile   SourceKind = "file"   // a replay of a log or of a WebSocket capture
	SourceFollow SourceKind = "follow" // a followed log
	SourceBridge SourceKind = "bridge" // a bridge to the Oktell client library
	SourceWS     SourceKind = "ws"     // the WebSocket protocol of the web client
)

// Capabilities of a session.
type Capabilities struct {
	Kind         SourceKind
	SetUserState bool
	SendMessage  bool
	ReadOnly     bool // a replay or a followed log: nothing can be sent
	// Line: the source reports the phone line and the current call (Update.Line). A
	// source without it never sends one; the dashboard hides the call line.
	Line bool
	// Queue: the source reports the queue of callers waiting (Update.Queue).
	Queue bool
	// Colleagues: the source reports the colleagues and their states (Update.Colleagues).
	Colleagues bool
	// Reconnect: the session can log in again when asked, after its link closed for good
	// (Reconnecter); a wrapper passes its inner session's on.
	Reconnect bool

	// LogTimes: Update.At is the log's own time of each update (the timestamp in the
	// heading of a document, the time a capture recorded for a frame), not the moment
	// the session delivered it: a replay or a followed log. Where "now" is for those
	// times, Position says.
	LogTimes bool
	// Position is where "now" is for a log played at its own pace (file:, -, at
	// --speed N): the replay's place in the log, moving on at the replay's speed, so
	// that a replay of yesterday's shift shows yesterday's times and the time in a state
	// as it was then. The dashboard counts time in state and stamps its own notes by it;
	// its timers (a toast's life, a timeout) still run on the wall clock. Nil when "now"
	// is the wall clock: a live source, and a followed log, whose backlog is in the past
	// (Update.Backlog) and whose new documents arrive now.
	Position Position
}

// Position is a replay's place in its log (see Capabilities.Position). An oktell.Clock
// is one; a replay's moves on at its speed between documents.
type Position interface {
	Now() time.Time
}

// Update is one thing a session reports: an event, a change of the link's status, or a
// new view of the operator's desk. Any of the pointers may be set together: a line event
// of the service channel comes with the Line it leads to.
type Update struct {
	// At is when the update happened: its arrival by the session's clock for a live
	// source, the log's own time for a log (Capabilities.LogTimes).
	At     time.Time
	Event  *Event
	Status *Status
	// Line is the phone line and its call as they are now (the whole state: replace).
	Line *LineUpdate
	// Queue is the whole queue of callers waiting (replace).
	Queue *Queue
	// Colleagues changes the colleague list: see ColleaguesUpdate and ApplyColleagues.
	Colleagues *ColleaguesUpdate
	// BreakReasons are the reasons a break may be taken for, as the server listed them
	// at this login (the whole list: replace). Sent after a login, and again when a
	// later login lists others; a source without reasons never sends it.
	BreakReasons *BreakReasons
	Raw          []byte // the document's bytes as received, when the source had them (for --record)
	// Err is a problem with the input that did not stop the session: a document that was
	// skipped as malformed, truncated or too large, garbage between documents. It names
	// where (input and byte offset). The dashboard keeps it as a warning the operator can
	// read later; the session goes on with the next document.
	Err error
	// Sent is a request the operator made, or its outcome, as a recording kept it. Only
	// replays of recordings deliver it, at the time it was made: a live session does not
	// echo the operator's requests (the dashboard knows what it asked for). It is never an
	// event: Event is nil beside it.
	Sent *Sent
	// Backlog: catch-up, not news. The update was already in a followed log when okdash
	// opened it (At says when it happened, in the past); the dashboard keeps it (the
	// state and its time, the messages, the notification history) but does not announce
	// it: no toast, no bell, no unread count. The first update after the backlog has it
	// false; every later one too.
	Backlog bool
}

// SentKind says what the operator asked for.
type SentKind int

// Kinds of requests a recording keeps.
const (
	SentState   SentKind = iota + 1 // a state change: SetUserState
	SentMessage                     // an instant message: SendMessage
	SentOther                       // another request of the source (a WebSocket method), named by Method
)

func (k SentKind) String() string {
	switch k {
	case SentState:
		return "state"
	case SentMessage:
		return "message"
	case SentOther:
		return "other"
	}
	return "unknown"
}

// Sent is one request the operator made, or its outcome, in a recording. A request and
// its outcome share ID; the outcome has Answered set and repeats Kind and Method.
type Sent struct {
	Kind   SentKind
	Method string // the request as the source names it: SetUserState, Messaging_SendMessage, setuserstate
	ID     string // the request id: pairs the request with its outcome

	// SentState: the state asked for, the redirect flag, and the break reason when one
	// was chosen (the WebSocket protocol's lunchreasonid; "" otherwise), with its name
	// when the source knew it (the server's list at login).
	State       UserState
	Redirect    bool
	BreakReason string
	BreakName   string

	// SentMessage: the recipient's user id and the text.
	To   string
	Text string

	// Answered says this is the outcome of request ID, not the request itself. Why is
	// why the request failed or was refused (RequestWhy); zero means accepted.
	Answered bool
	Why      Reason
}

// RequestWhy is the reason a recorded outcome keeps for a request that failed with err:
// a timeout as ReasonTimedOut (how long the source waited is its own), else the
// error's reason (ReasonOf); zero for nil.
func RequestWhy(err error) Reason {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTimeout) {
		return Because(ReasonTimedOut)
	}
	return ReasonOf(err)
}

// Link is the state of the link to Oktell.
type Link int

// Link states.
const (
	LinkConnecting Link = iota
	LinkConnected
	LinkReconnecting
	LinkReadOnly
	LinkClosed
)

func (l Link) String() string {
	switch l {
	case LinkConnecting:
		return "connecting"
	case LinkConnected:
		return "connected"
	case LinkReconnecting:
		return "reconnecting"
	case LinkReadOnly:
		return "read-only"
	case LinkClosed:
		return "closed"
	}
	return "unknown"
}

// Status is a change of the link's status.
type Status struct {
	Link Link
	// Why says why, as a code the dashboard translates; its String is the English for
	// logs and tests. Someone else's words (a server's, a bridge's) are ReasonQuoted.
	Why Reason
	// Operator and Line identify the logged-in user when the source knows them (ws).
	Operator string
	Line     string
	// NeedPassword says the link is closed until the session is given a password
	// (Reconnecter): the server refused the one it had, or forgot the saved session and
	// the session has none.
	NeedPassword bool
}

// ErrUnsupported is returned by a session that cannot do what was asked (a replay, say).
var ErrUnsupported = errors.New("not supported by this source")

// ErrNotConnected is returned for a request made or pending while the link is down.
var ErrNotConnected error = &ReasonError{Why: Because(ReasonNoLink)}

// ErrTimeout is a request that got no answer within the source's own timeout. Every
// source wraps it (errors.Is), so the dashboard can say "no answer" rather than "refused".
var ErrTimeout = errors.New("no answer from Oktell in time")

// RefusedError is a request the server refused, with its reason as a code (Why): the
// server's own words, when it gave no code okdash knows, are ReasonQuoted
// (RefusedSaying); zero when it gave neither.
type RefusedError struct {
	Code int
	Why  Reason
	By   Refuser // who refused: the server, unless it says otherwise
}

// Refuser is who refused a request.
type Refuser int

// Who can refuse.
const (
	RefuserServer Refuser = iota // the Oktell server (or the demo's, which plays it)
	RefuserRoom                  // the training room of okdash serve (an answer to a trainer)
)

// Refused is a refusal with its reason as a code.
func Refused(code int, why Reason) *RefusedError {
	return &RefusedError{Code: code, Why: why}
}

// RefusedSaying is a refusal in someone else's words (a server's, a bridge's, with no
// code okdash knows), quoted as they came; with no words, a refusal without a reason.
func RefusedSaying(code int, words string) *RefusedError {
	if words == "" {
		return &RefusedError{Code: code}
	}
	return &RefusedError{Code: code, Why: Quoted(words)}
}

func (e *RefusedError) Error() string {
	if e.By == RefuserRoom {
		return "refused by the training room: " + e.Why.String()
	}
	if e.Why.IsZero() {
		return "refused by the server"
	}
	return "refused by the server: " + e.Why.String()
}

// Clock is the time source of sessions and the dashboard; tests inject a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Same says whether two statuses say the same: a repeat a source need not send again.
func (s Status) Same(o Status) bool {
	return s.Link == o.Link && s.Operator == o.Operator && s.Line == o.Line &&
		s.NeedPassword == o.NeedPassword && s.Why.String() == o.Why.String()
}
