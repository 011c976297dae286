package oktell

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Reason says why something happened to a session (the link went down, the input
// ended, a request was refused, okdash is closing) as a code and its arguments, so that
// each reader puts it in its own words: the dashboard translates it from the code, logs
// and `okdash decode` print String, the English. The codes and their arguments are
// declared once, here (reasons); a source never writes a reason as prose.
type Reason struct {
	Code ReasonCode
	// Args are the code's arguments, of the kinds its declaration lists: a string for
	// ArgText (a name, an address, or words quoted as someone else said them), an int
	// for a count (ArgDocuments, ArgFrames, ...), a time.Duration for ArgDuration, a
	// Reason for ArgReason.
	Args []any
}

// ReasonCode names one kind of reason. It reads in a log as it is.
type ReasonCode string

// The reasons okdash's sources and servers give.
const (
	ReasonQuoted           ReasonCode = "quoted"            // words someone else said (a server, a bridge, a scenario), shown as they came
	ReasonClosed           ReasonCode = "closed"            // the session was closed
	ReasonServerLost       ReasonCode = "server-lost"       // the Oktell client library lost its server (an event: ConnectionLost, RestartRequested)
	ReasonRetrying         ReasonCode = "retrying"          // a link failed; the next try is after a while
	ReasonNextTry          ReasonCode = "next-try"          // the WebSocket link failed; the next try is after a while
	ReasonRecordingStopped ReasonCode = "recording-stopped" // --record could not write: the session goes on unrecorded (the link's reason first)
	ReasonRecordingFailed  ReasonCode = "recording-failed"  // the same, on a link that gave no reason
	ReasonReplayingAs      ReasonCode = "replaying-as"      // a replay of a WebSocket capture plays who was logged in where
	ReasonFramesEnded      ReasonCode = "frames-ended"      // a capture's input ended
	ReasonFramesError      ReasonCode = "frames-error"      // a capture's input could not be read further
	ReasonRefused          ReasonCode = "refused"           // the server refused: its words, and what they mean
	ReasonRefusedByServer  ReasonCode = "refused-by-server" // a request or a login the server refused
	ReasonServerError      ReasonCode = "server-error"      // the server's words with its error number
	ReasonServerErrorCode  ReasonCode = "server-error-code" // only an error number
	ReasonNoReasonGiven    ReasonCode = "no-reason-given"   // a refusal without words or number
	ReasonDesktopClient    ReasonCode = "desktop-client"    // the user is logged in with the desktop client
	ReasonLicenceLimit     ReasonCode = "licence-limit"     // the licence's limit of users is reached
	ReasonWrongLogin       ReasonCode = "wrong-login"       // the login or the password is wrong
	ReasonServerStarting   ReasonCode = "server-starting"   // the server is still starting
	ReasonSessionEnded     ReasonCode = "session-ended"     // the saved session ended on the server
	ReasonDemo             ReasonCode = "demo"              // the built-in demo plays a scenario
	ReasonDemoStopped      ReasonCode = "demo-stopped"      // the demo's scenario failed
	ReasonReplaying        ReasonCode = "replaying"         // a replay plays an input
	ReasonInputEnded       ReasonCode = "input-ended"       // a replay's input ended
	ReasonReadError        ReasonCode = "read-error"        // a replay's input could not be read further
	ReasonFollowing        ReasonCode = "following"         // a followed log is read
	ReasonFollowNote       ReasonCode = "follow-note"       // what a followed log is doing (a Reason inside)
	ReasonWaitingFile      ReasonCode = "waiting-file"      // a followed log does not exist yet
	ReasonStoppedFollow    ReasonCode = "stopped-follow"    // a followed log cannot be read further
	ReasonUpToDate         ReasonCode = "up-to-date"        // a followed log is read to its end
	ReasonFileGone         ReasonCode = "file-gone"         // a followed log was removed
	ReasonRotated          ReasonCode = "rotated"           // a followed log was replaced by a new file
	ReasonFileAppeared     ReasonCode = "file-appeared"     // a followed log appeared
	ReasonTruncated        ReasonCode = "truncated"         // a followed log got shorter
	ReasonRewritten        ReasonCode = "rewritten"         // a followed log was written anew
	ReasonFollowedFile     ReasonCode = "followed-file"     // a followed log's later file: PATH (file N: WHAT at TIME)
	ReasonFileRotated      ReasonCode = "file-rotated"      // ... WHAT: the log was replaced by a new file
	ReasonFileTruncated    ReasonCode = "file-truncated"    // ... WHAT: the log got shorter
	ReasonFileRewritten    ReasonCode = "file-rewritten"    // ... WHAT: the log was written anew
	ReasonInputFailed      ReasonCode = "input-failed"      // an input (a Reason: its name) could not be read: the system's words
	ReasonServerStopping   ReasonCode = "server-stopping"   // okdash serve is stopping
	ReasonServerFull       ReasonCode = "server-full"       // okdash serve has as many dashboards open as it may
	ReasonServeNoCommands  ReasonCode = "serve-no-commands" // okdash serve refuses a command or a subsystem (ssh host cmd, sftp)
	ReasonServeKeyRevoked  ReasonCode = "serve-key-revoked" // okdash serve's key was taken out of authorized_keys since the login
	ReasonServeNeedsTTY    ReasonCode = "serve-needs-tty"   // okdash serve got a session without a terminal (ssh -T)
	ReasonServeNoTTY       ReasonCode = "serve-no-tty"      // okdash serve could not open the terminal: the system's words
	ReasonIdle             ReasonCode = "idle"              // okdash serve closes a session that had no input
	ReasonSessionClosed    ReasonCode = "session-closed"    // the line okdash serve writes under a closed dashboard
	ReasonNoPhoneLine      ReasonCode = "no-phone-line"     // a state needs a registered phone line
	ReasonEmptyMessage     ReasonCode = "empty-message"     // a message without text
	ReasonNoSuchUser       ReasonCode = "no-such-user"      // a message to a user that does not exist
	ReasonNoSuchState      ReasonCode = "no-such-state"     // a state number Oktell does not have
	ReasonServerOnlyState  ReasonCode = "server-only-state" // a state only the server sets
	ReasonNoPassword       ReasonCode = "no-password"       // a login needs a password and none was given
	ReasonNoBreakReason    ReasonCode = "no-break-reason"   // a break reason the server does not list
	ReasonNoBreakReasons   ReasonCode = "no-break-reasons"  // a break reason named, and the server lists none
	ReasonTrainerLeft      ReasonCode = "trainer-left"      // an answer to a trainer whose room is closed
	ReasonTooManyMessages  ReasonCode = "too-many-messages" // answers to the trainer faster than the room takes them

	// The WebSocket link: why it ended or could not be made.
	ReasonConnectionLost   ReasonCode = "connection-lost"     // the link ended, and nothing says why
	ReasonConnectionCut    ReasonCode = "connection-cut"      // the connection ended without a close from the server
	ReasonServerClosed     ReasonCode = "server-closed"       // the server closed the connection
	ReasonServerClosedCode ReasonCode = "server-closed-code"  // ... with a close code (and, quoted, its words)
	ReasonConnectionFailed ReasonCode = "connection-failed"   // the connection failed: the network library's words, quoted
	ReasonConnRefused      ReasonCode = "connection-refused"  // nothing accepts connections at the address
	ReasonNoSuchHost       ReasonCode = "no-such-host"        // the server's name is not known
	ReasonDialTimeout      ReasonCode = "dial-timeout"        // the connection was not made in time
	ReasonCertificate      ReasonCode = "certificate"         // the server's TLS certificate is not trusted
	ReasonNotOktellPort    ReasonCode = "not-oktell-port"     // the server did not take the json subprotocol
	ReasonNotWebSocket     ReasonCode = "not-websocket"       // the server answered HTTP, not a WebSocket upgrade
	ReasonTLSRedirect      ReasonCode = "tls-redirect"        // the server asks for TLS (websocketredirect)
	ReasonConnectTo        ReasonCode = "connect-to"          // connecting to an address failed: why
	ReasonOpeningPing      ReasonCode = "opening-ping"        // the first ping of a connection failed: why
	ReasonKeepalive        ReasonCode = "keepalive"           // a keepalive ping failed: why
	ReasonPingUnanswered   ReasonCode = "ping-unanswered"     // a ping got no answer in time
	ReasonNoAnswer         ReasonCode = "no-answer"           // a request (named by its method) got no answer in time
	ReasonTimedOut         ReasonCode = "timed-out"           // a request got no answer in time, its length not known (a recorded outcome)
	ReasonNotConnectedWhy  ReasonCode = "not-connected"       // a request (by its method) failed: the link is down, and why
	ReasonNoLink           ReasonCode = "no-link"             // a request failed: the link is down (ErrNotConnected)
	ReasonRequestFailed    ReasonCode = "request-failed"      // a request of the login (by its method) failed: why
	ReasonSubscribeFailed  ReasonCode = "subscribe-failed"    // the subscription to the user's state failed: why
	ReasonPasswordUnread   ReasonCode = "password-unread"     // the password could not be read: the reader's words, quoted
	ReasonClosedByOkdash   ReasonCode = "closed-by-okdash"    // okdash ended the link itself
	ReasonShiftNotSaved    ReasonCode = "shift-not-saved"     // another okdash keeps this shift's file: this one counts, does not save
	ReasonShiftProblem     ReasonCode = "shift-problem"       // the shift cannot be kept: why
	ReasonShiftUnsavable   ReasonCode = "shift-unsavable"     // the shift's lock cannot be taken: the system's words; counted, not saved
	ReasonShiftPrune       ReasonCode = "shift-prune"         // old shift files could not be removed: the system's words
	ReasonShiftSetAside    ReasonCode = "shift-set-aside"     // a shift file that cannot be read was set aside
	ReasonShiftUnreadable  ReasonCode = "shift-unreadable"    // a shift file that cannot be read or set aside: not saved
	ReasonShiftSaveFailed  ReasonCode = "shift-save-failed"   // the shift could not be written: the system's words
	ReasonShiftNoStateDir  ReasonCode = "shift-no-state-dir"  // there is no state directory to keep the shift in
	ReasonShiftTooManyKeys ReasonCode = "shift-too-many-keys" // okdash serve keeps as many keys' shifts as it may
	ReasonServerLinkLost   ReasonCode = "server-link-lost"    // the demo's (or a trainer's) drop of the link to the Oktell server
	ReasonBridgeClosed     ReasonCode = "bridge-closed"       // the bridge ended the TCP connection
	ReasonBridgeExited     ReasonCode = "bridge-exited"       // the bridge's command exited
	ReasonBridgeExitStatus ReasonCode = "bridge-exit-status"  // ... with a status
	ReasonBridgeExitedWhy  ReasonCode = "bridge-exited-why"   // ... another way (a signal): the system's words
	ReasonBridgeNoOutput   ReasonCode = "bridge-no-output"    // the bridge's command closed its output
	ReasonBridgeFailed     ReasonCode = "bridge-failed"       // reading the bridge's command failed: why
	ReasonBridgeSaid       ReasonCode = "bridge-said"         // ... and the last line it wrote to its standard error

	// The WebSocket link's warnings (Update.Err): what the server sent that okdash skipped.
	ReasonWSProblem         ReasonCode = "ws-problem"          // WebSocket: a warning
	ReasonWSBinary          ReasonCode = "ws-binary"           // a binary message, skipped
	ReasonWSUnreadable      ReasonCode = "ws-unreadable"       // a message that is not a frame, skipped
	ReasonWSDropped         ReasonCode = "ws-dropped"          // frames dropped over the budget
	ReasonWSMoreWarnings    ReasonCode = "ws-more-warnings"    // warnings not shown
	ReasonTooManyQueue      ReasonCode = "too-many-queue"      // a queue longer than okdash keeps
	ReasonTooManyColleagues ReasonCode = "too-many-colleagues" // a colleague list longer than okdash keeps
	ReasonTooManyBreaks     ReasonCode = "too-many-breaks"     // more break reasons than okdash keeps
	ReasonCaptureStopped    ReasonCode = "capture-stopped"     // --record of a WebSocket session stopped: the system's words
	ReasonNoChatSend        ReasonCode = "no-chat-send"        // messages cannot be sent over WebSocket

	// Skipped input (feed.InputError): the input (a Reason: its name, quoted, or a followed
	// log's later file), where, what was skipped, and the scanner's words.
	ReasonSkipped       ReasonCode = "skipped"        // INPUT: byte N: skipped WHAT: DETAIL
	ReasonSkippedAt     ReasonCode = "skipped-at"     // ... with the mistake further in, at byte M
	ReasonSkippedBare   ReasonCode = "skipped-bare"   // ... without a detail
	ReasonSkippedInput  ReasonCode = "skipped-input"  // INPUT: byte N: skipped: DETAIL (not a document's fault)
	ReasonGarbage       ReasonCode = "garbage"        // bytes between documents that are neither
	ReasonMalformedDoc  ReasonCode = "malformed-doc"  // a document that is not well-formed
	ReasonIncompleteDoc ReasonCode = "incomplete-doc" // a document cut before its close tag
	ReasonOversizedDoc  ReasonCode = "oversized-doc"  // a document over the size limit
)

// ArgKind is the kind of one argument of a reason.
type ArgKind int

// Kinds of arguments.
const (
	ArgText       ArgKind = iota // a string shown as it is: a file, an address, a name, someone's words
	ArgDocuments                 // an int: a number of documents
	ArgProblems                  // an int: a number of problems
	ArgFrames                    // an int: a number of WebSocket frames
	ArgDashboards                // an int: a number of dashboards (okdash serve's sessions)
	ArgDuration                  // a time.Duration
	ArgReason                    // a Reason
	// ArgWait is a time.Duration from the reason's time until something happens (the
	// next try): a reader may count it down (Reason.After). It reads "in 4s", or "now"
	// once it has passed.
	ArgWait
)

// ReasonDecl declares one reason: its English, with %s for each argument, and the kinds
// of its arguments.
type ReasonDecl struct {
	English string
	Args    []ArgKind
}

// reasons declares every ReasonCode. The English is the text okdash always wrote for it;
// a reason that tells the operator what to do says that first, so that a banner cut at
// the end of its line still has it.
var reasons = map[ReasonCode]ReasonDecl{
	ReasonQuoted:            {"%s", []ArgKind{ArgText}},
	ReasonClosed:            {"closed", nil},
	ReasonServerLost:        {"the Oktell client lost its server (%s)", []ArgKind{ArgText}},
	ReasonRetrying:          {"%s: %s; retrying %s", []ArgKind{ArgText, ArgReason, ArgWait}},
	ReasonNextTry:           {"%s; next try %s", []ArgKind{ArgReason, ArgWait}},
	ReasonRecordingStopped:  {"%s; recording stopped: %s", []ArgKind{ArgReason, ArgText}},
	ReasonRecordingFailed:   {"recording stopped: %s", []ArgKind{ArgText}},
	ReasonReplayingAs:       {"replaying %s (%s at %s)", []ArgKind{ArgText, ArgText, ArgText}},
	ReasonFramesEnded:       {"%s: end of input after %s (%s)", []ArgKind{ArgText, ArgFrames, ArgProblems}},
	ReasonFramesError:       {"%s: read error: %s after %s (%s)", []ArgKind{ArgText, ArgText, ArgFrames, ArgProblems}},
	ReasonRefused:           {"%s: %s", []ArgKind{ArgReason, ArgReason}},
	ReasonRefusedByServer:   {"refused by the server: %s", []ArgKind{ArgReason}},
	ReasonServerError:       {"%s (error %s)", []ArgKind{ArgText, ArgText}},
	ReasonServerErrorCode:   {"error %s", []ArgKind{ArgText}},
	ReasonNoReasonGiven:     {"request failed without a reason", nil},
	ReasonDesktopClient:     {"close the Oktell desktop client, or log in as another user: this user is already logged in with it", nil},
	ReasonLicenceLimit:      {"ask the administrator, or try again when someone logs out: the server's licence limit of connected users is reached", nil},
	ReasonWrongLogin:        {"the login or the password is wrong", nil},
	ReasonServerStarting:    {"the Oktell server is still starting; okdash will try again", nil},
	ReasonSessionEnded:      {"the saved session has ended on the server (it restarted or logged the user out), so the password is needed again", nil},
	ReasonDemo:              {"demo: %s", []ArgKind{ArgText}},
	ReasonDemoStopped:       {"demo stopped: %s", []ArgKind{ArgText}},
	ReasonReplaying:         {"replaying %s", []ArgKind{ArgText}},
	ReasonInputEnded:        {"%s: end of input after %s (%s)", []ArgKind{ArgText, ArgDocuments, ArgProblems}},
	ReasonReadError:         {"%s: read error: %s after %s (%s)", []ArgKind{ArgText, ArgText, ArgDocuments, ArgProblems}},
	ReasonFollowing:         {"following %s", []ArgKind{ArgText}},
	ReasonFollowNote:        {"following %s: %s", []ArgKind{ArgText, ArgReason}},
	ReasonWaitingFile:       {"waiting for %s to appear", []ArgKind{ArgText}},
	ReasonStoppedFollow:     {"stopped following %s: %s", []ArgKind{ArgText, ArgReason}},
	ReasonUpToDate:          {"up to date, waiting for new documents", nil},
	ReasonFileGone:          {"the file is gone; waiting for it to come back", nil},
	ReasonRotated:           {"rotated; reading the new file", nil},
	ReasonFileAppeared:      {"the file appeared; reading it", nil},
	ReasonTruncated:         {"truncated; reading from the start", nil},
	ReasonRewritten:         {"rewritten; reading from the start", nil},
	ReasonFollowedFile:      {"%s (file %s: %s at %s)", []ArgKind{ArgText, ArgText, ArgReason, ArgText}},
	ReasonFileRotated:       {"rotated", nil},
	ReasonFileTruncated:     {"truncated", nil},
	ReasonFileRewritten:     {"rewritten", nil},
	ReasonInputFailed:       {"%s: %s", []ArgKind{ArgReason, ArgText}},
	ReasonServerStopping:    {"server shutting down", nil},
	ReasonServerFull:        {"the server is full (%s open); try again later", []ArgKind{ArgDashboards}},
	ReasonServeNoCommands:   {"this server shows the okdash dashboard and runs no commands; connect with plain ssh, no command", nil},
	ReasonServeKeyRevoked:   {"your key is no longer authorized on this server", nil},
	ReasonServeNeedsTTY:     {"the dashboard needs a terminal; connect with ssh -t (and without -T or a command)", nil},
	ReasonServeNoTTY:        {"cannot open a terminal: %s", []ArgKind{ArgText}},
	ReasonIdle:              {"no input for %s", []ArgKind{ArgDuration}},
	ReasonSessionClosed:     {"okdash: session closed: %s", []ArgKind{ArgReason}},
	ReasonNoPhoneLine:       {"no phone line is registered", nil},
	ReasonEmptyMessage:      {"the message is empty", nil},
	ReasonNoSuchUser:        {"no user with id %s", []ArgKind{ArgText}},
	ReasonNoSuchState:       {"there is no user state %s", []ArgKind{ArgText}},
	ReasonServerOnlyState:   {"the state %s is set by the server only", []ArgKind{ArgText}},
	ReasonNoPassword:        {"no password was given; the login needs one", nil},
	ReasonNoBreakReason:     {"there is no break reason %s: the server lists %s", []ArgKind{ArgText, ArgText}},
	ReasonNoBreakReasons:    {"there is no break reason %s: the server lists none", []ArgKind{ArgText}},
	ReasonTrainerLeft:       {"the trainer has left", nil},
	ReasonTooManyMessages:   {"too many messages to the trainer at once; wait a moment", nil},
	ReasonConnectionLost:    {"connection lost", nil},
	ReasonConnectionCut:     {"the connection was cut", nil},
	ReasonServerClosed:      {"the server closed the connection", nil},
	ReasonServerClosedCode:  {"the server closed the connection (%s)", []ArgKind{ArgText}},
	ReasonConnectionFailed:  {"the connection failed: %s", []ArgKind{ArgText}},
	ReasonConnRefused:       {"connection refused", nil},
	ReasonNoSuchHost:        {"no such host %s", []ArgKind{ArgText}},
	ReasonDialTimeout:       {"no answer from the server in %s", []ArgKind{ArgDuration}},
	ReasonCertificate:       {"the server's certificate is not trusted: %s", []ArgKind{ArgText}},
	ReasonNotOktellPort:     {"the server did not accept subprotocol json: is this an Oktell WebSocket port?", nil},
	ReasonNotWebSocket:      {"the server answered HTTP status %s, not a WebSocket: is this an Oktell WebSocket port?", []ArgKind{ArgText}},
	ReasonTLSRedirect:       {"the server asks for a TLS connection (websocketredirect)", nil},
	ReasonConnectTo:         {"connect to %s: %s", []ArgKind{ArgText, ArgReason}},
	ReasonOpeningPing:       {"opening ping: %s", []ArgKind{ArgReason}},
	ReasonKeepalive:         {"keepalive: %s", []ArgKind{ArgReason}},
	ReasonPingUnanswered:    {"ping: no answer from the server in %s", []ArgKind{ArgDuration}},
	ReasonNoAnswer:          {"%s: no answer from the server in %s", []ArgKind{ArgText, ArgDuration}},
	ReasonTimedOut:          {"no answer from Oktell in time", nil},
	ReasonNotConnectedWhy:   {"%s: not connected to Oktell: %s", []ArgKind{ArgText, ArgReason}},
	ReasonNoLink:            {"not connected to Oktell", nil},
	ReasonRequestFailed:     {"%s: %s", []ArgKind{ArgText, ArgReason}},
	ReasonSubscribeFailed:   {"subscribe to user state: %s", []ArgKind{ArgReason}},
	ReasonPasswordUnread:    {"password: %s", []ArgKind{ArgText}},
	ReasonClosedByOkdash:    {"closed by okdash", nil},
	ReasonShiftNotSaved:     {"shift: %s: another okdash keeps this shift; this okdash counts it but does not save it", []ArgKind{ArgText}},
	ReasonShiftProblem:      {"shift: %s", []ArgKind{ArgReason}},
	ReasonShiftUnsavable:    {"shift: %s; this okdash counts it but does not save it", []ArgKind{ArgText}},
	ReasonShiftPrune:        {"shift: removing old files: %s", []ArgKind{ArgText}},
	ReasonShiftSetAside:     {"shift: %s; set aside as %s, the shift starts afresh", []ArgKind{ArgText, ArgText}},
	ReasonShiftUnreadable:   {"shift: %s; the shift starts afresh and is not saved", []ArgKind{ArgText}},
	ReasonShiftSaveFailed:   {"shift not saved: %s", []ArgKind{ArgText}},
	ReasonShiftNoStateDir:   {"shift: %s; it is not saved", []ArgKind{ArgText}},
	ReasonShiftTooManyKeys:  {"%s holds the shifts of %s keys already; the shift of key %s is not kept", []ArgKind{ArgText, ArgText, ArgText}},
	ReasonServerLinkLost:    {"connection to the Oktell server lost", nil},
	ReasonWSProblem:         {"WebSocket: %s", []ArgKind{ArgReason}},
	ReasonWSBinary:          {"skipped a binary message of %s bytes", []ArgKind{ArgText}},
	ReasonWSUnreadable:      {"skipped a message: %s", []ArgKind{ArgText}},
	ReasonWSDropped:         {"the server sent more than okdash holds waiting (%s): dropped %s (%s bytes), the first a %s", []ArgKind{ArgText, ArgFrames, ArgText, ArgText}},
	ReasonWSMoreWarnings:    {"%s more warnings not shown", []ArgKind{ArgText}},
	ReasonTooManyQueue:      {"the queue (getcurrentqueue) lists %s entries; okdash keeps the first %s", []ArgKind{ArgText, ArgText}},
	ReasonTooManyColleagues: {"the colleague list lists %s entries; okdash keeps the first %s", []ArgKind{ArgText, ArgText}},
	ReasonTooManyBreaks:     {"the break reasons (cc_getlunchtypes) lists %s entries; okdash keeps the first %s", []ArgKind{ArgText, ArgText}},
	ReasonCaptureStopped:    {"WebSocket capture stopped: %s", []ArgKind{ArgText}},
	ReasonNoChatSend:        {"not supported by this source: messages cannot be sent over the WebSocket protocol yet: the fields of its send method (sendusertextmessage) are not documented anywhere okdash could read; use a bridge source to write to colleagues", nil},
	ReasonBridgeClosed:      {"the bridge closed the connection", nil},
	ReasonBridgeExited:      {"%s exited", []ArgKind{ArgText}},
	ReasonBridgeExitStatus:  {"%s exited: exit status %s", []ArgKind{ArgText, ArgText}},
	ReasonBridgeExitedWhy:   {"%s exited: %s", []ArgKind{ArgText, ArgText}},
	ReasonBridgeNoOutput:    {"%s closed its output", []ArgKind{ArgText}},
	ReasonBridgeFailed:      {"%s: %s", []ArgKind{ArgText, ArgReason}},
	ReasonBridgeSaid:        {"%s (%s)", []ArgKind{ArgReason, ArgText}},
	ReasonSkipped:           {"%s: byte %s: skipped %s: %s", []ArgKind{ArgReason, ArgText, ArgReason, ArgText}},
	ReasonSkippedAt:         {"%s: byte %s: skipped %s, the mistake at byte %s: %s", []ArgKind{ArgReason, ArgText, ArgReason, ArgText, ArgText}},
	ReasonSkippedBare:       {"%s: byte %s: skipped %s", []ArgKind{ArgReason, ArgText, ArgReason}},
	ReasonSkippedInput:      {"%s: byte %s: skipped: %s", []ArgKind{ArgReason, ArgText, ArgText}},
	ReasonGarbage:           {"garbage", nil},
	ReasonMalformedDoc:      {"a malformed document", nil},
	ReasonIncompleteDoc:     {"an incomplete document", nil},
	ReasonOversizedDoc:      {"an oversized document", nil},
}

// ReasonCodes are every code declared, sorted: what a translation must cover.
func ReasonCodes() []ReasonCode {
	out := make([]ReasonCode, 0, len(reasons))
	for c := range reasons {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Declaration returns the declaration of code, and false for a code not declared.
func Declaration(code ReasonCode) (ReasonDecl, bool) {
	d, ok := reasons[code]
	return d, ok
}

// Because builds a reason. It panics when the arguments do not match the code's
// declaration: a programming error, caught by the source's tests.
func Because(code ReasonCode, args ...any) Reason {
	d, ok := reasons[code]
	if !ok {
		panic(fmt.Sprintf("oktell: reason %q is not declared", code))
	}
	if len(args) != len(d.Args) {
		panic(fmt.Sprintf("oktell: reason %q takes %d arguments, got %d", code, len(d.Args), len(args)))
	}
	for i, k := range d.Args {
		if !k.fits(args[i]) {
			panic(fmt.Sprintf("oktell: reason %q: argument %d is %T", code, i+1, args[i]))
		}
	}
	return Reason{Code: code, Args: args}
}

// Quoted is the reason that someone else gave, in their words.
func Quoted(text string) Reason { return Reason{Code: ReasonQuoted, Args: []any{text}} }

// isCount says the kind is a number of things (an int): the one list of them, for
// Because and for a recording's reader.
func (k ArgKind) isCount() bool {
	switch k {
	case ArgDocuments, ArgProblems, ArgFrames, ArgDashboards:
		return true
	}
	return false
}

func (k ArgKind) fits(v any) bool {
	if k.isCount() {
		_, ok := v.(int)
		return ok
	}
	switch k {
	case ArgText:
		_, ok := v.(string)
		return ok
	case ArgDuration, ArgWait:
		_, ok := v.(time.Duration)
		return ok
	case ArgReason:
		_, ok := v.(Reason)
		return ok
	}
	return false
}

// After is the reason as it reads d after it was given: each wait in it (ArgWait, in it
// or in the reasons it holds) is shorter by d, in whole seconds when it was a second or
// more, and zero once it has passed.
func (r Reason) After(d time.Duration) Reason {
	decl, ok := reasons[r.Code]
	if !ok || len(r.Args) != len(decl.Args) || d <= 0 {
		return r
	}
	var args []any
	for i, k := range decl.Args {
		v := r.Args[i]
		switch k {
		case ArgWait:
			if w, ok := v.(time.Duration); ok {
				v = waitLeft(w, d)
			}
		case ArgReason:
			if in, ok := v.(Reason); ok {
				v = in.After(d)
			}
		default:
			continue
		}
		if args == nil {
			args = slices.Clone(r.Args)
		}
		args[i] = v
	}
	if args == nil {
		return r
	}
	return Reason{Code: r.Code, Args: args}
}

// waitLeft is what is left of wait after d: rounded up to the second, so that a count
// from 4s reads 4s, 3s, 2s, 1s, now.
func waitLeft(wait, d time.Duration) time.Duration {
	left := wait - d
	switch {
	case left <= 0:
		return 0
	case wait >= time.Second:
		return (left + time.Second - 1) / time.Second * time.Second
	}
	return left.Truncate(time.Millisecond)
}

// IsZero says whether the reason is empty: no code.
func (r Reason) IsZero() bool { return r.Code == "" }

// String is the reason in English.
func (r Reason) String() string {
	if r.Code == "" {
		return ""
	}
	d, ok := reasons[r.Code]
	if !ok || len(r.Args) != len(d.Args) {
		return string(r.Code)
	}
	args := make([]any, len(r.Args))
	for i, k := range d.Args {
		args[i] = englishArg(k, r.Args[i])
	}
	return fmt.Sprintf(d.English, args...)
}

func englishArg(k ArgKind, v any) string {
	switch k {
	case ArgDocuments:
		return count(v, "document")
	case ArgProblems:
		return count(v, "problem")
	case ArgFrames:
		return count(v, "frame")
	case ArgDashboards:
		return count(v, "dashboard")
	case ArgDuration:
		if d, ok := v.(time.Duration); ok {
			return shortDuration(d)
		}
	case ArgWait:
		if d, ok := v.(time.Duration); ok {
			if d <= 0 {
				return "now"
			}
			return "in " + shortDuration(d)
		}
	case ArgReason:
		if r, ok := v.(Reason); ok {
			return r.String()
		}
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// shortDuration is a duration as a person writes it: "15m", "1h", "4s", "1m30s".
func shortDuration(d time.Duration) string {
	t := d.String()
	if strings.HasSuffix(t, "m0s") {
		t = strings.TrimSuffix(t, "0s")
	}
	if strings.HasSuffix(t, "h0m") {
		t = strings.TrimSuffix(t, "0m")
	}
	return t
}

func count(v any, noun string) string {
	n, _ := v.(int)
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// Reasoner is an error that can say its reason as a code: the dashboard translates it
// rather than showing its English.
type Reasoner interface {
	error
	Reason() Reason
}

// ReasonError is an error whose text is its reason. Err, when set, is what it stands
// for (errors.Is and errors.As find it): a sentinel, or the library's own error kept for
// the diagnostics.
type ReasonError struct {
	Why Reason
	Err error
}

func (e *ReasonError) Error() string  { return e.Why.String() }
func (e *ReasonError) Reason() Reason { return e.Why }
func (e *ReasonError) Unwrap() error  { return e.Err }

// Wrap is err with why as its reason: its text is why's English, and errors.Is and
// errors.As still find err.
func Wrap(why Reason, err error) error { return &ReasonError{Why: why, Err: err} }

// ReasonOf is the reason err gives: its own when it carries one (a Reasoner anywhere in
// its chain), a refusal's, else its text as someone else's words; zero for nil.
func ReasonOf(err error) Reason {
	var r Reasoner
	var re *RefusedError
	switch {
	case err == nil:
		return Reason{}
	case errors.As(err, &r):
		return r.Reason()
	case errors.As(err, &re) && !re.Why.IsZero():
		return Because(ReasonRefusedByServer, re.Why)
	case errors.As(err, &re):
		return Because(ReasonRefusedByServer, Because(ReasonNoReasonGiven))
	}
	return Quoted(err.Error())
}
