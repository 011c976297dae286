package oktell

import (
	"context"
	"strings"
)

// Break reasons: the server lists the reasons a break may be taken for (Обед, Перерыв,
// Обучение: the WebSocket protocol's cc_getlunchtypes), and a break names one of them
// (setuserstate's lunchreasonid). A session reports the list as an update after each
// login (Update.BreakReasons: it may change after a reconnect), and a break asks for one
// through BreakReasonSetter. A source without reasons (the bridge, a replay) never
// reports a list: the dashboard then asks for a break as it always did.

// MaxBreakReasons bounds the list a session keeps: a server that lists more has the rest
// cut, with a warning (Update.Err).
const MaxBreakReasons = 64

// BreakReason is one reason a break may be taken for.
type BreakReason struct {
	ID   string // what a break request names (lunchreasonid)
	Name string // what the operator reads: cleaned of control characters
}

// BreakReasons are the reasons a session offers, as the server listed them at the last
// login, with the one a break takes unless the operator picks another.
type BreakReasons struct {
	List []BreakReason
	// Default is the ID of the reason the operator named beforehand (--break-reason),
	// when the server lists it; "" otherwise.
	Default string
	// Unlisted is the reason the operator named beforehand when the server does not list
	// it (as they wrote it, cleaned); "" when it does, or none was named.
	Unlisted string
}

// NewBreakReasons is the list with the reason want (an ID or a name, in any case)
// resolved against it: Default when listed, Unlisted when not.
func NewBreakReasons(list []BreakReason, want string) BreakReasons {
	b := BreakReasons{List: list}
	want = strings.TrimSpace(want)
	if want == "" {
		return b
	}
	if r, ok := b.Find(want); ok {
		b.Default = r.ID
	} else {
		b.Unlisted = CleanLine(want)
	}
	return b
}

// Find is the reason whose ID or name is want, ignoring case.
func (b BreakReasons) Find(want string) (BreakReason, bool) {
	for _, r := range b.List {
		if strings.EqualFold(r.ID, want) || strings.EqualFold(r.Name, want) {
			return r, true
		}
	}
	return BreakReason{}, false
}

// Names are the reasons' names in the server's order.
func (b BreakReasons) Names() []string {
	out := make([]string, len(b.List))
	for i, r := range b.List {
		out[i] = r.Name
	}
	return out
}

// Equal says whether two lists say the same: a repeat a source need not send again.
func (b BreakReasons) Equal(o BreakReasons) bool {
	if b.Default != o.Default || b.Unlisted != o.Unlisted || len(b.List) != len(o.List) {
		return false
	}
	for i := range b.List {
		if b.List[i] != o.List[i] {
			return false
		}
	}
	return true
}

// BreakReasonSetter is a session whose break can name its reason: one of the IDs of the
// BreakReasons it reported.
type BreakReasonSetter interface {
	// SetUserStateReason is SetUserState with a break reason; reason "" asks as
	// SetUserState does. A reason the server does not list is refused.
	SetUserStateReason(ctx context.Context, state UserState, redirect bool, reason string) error
}

// SetUserStateReason asks s for state with the break reason reason: through
// BreakReasonSetter when s is one, else (reason "") as SetUserState. A reason s cannot
// carry is ErrUnsupported: sending the break without it would take another reason.
func SetUserStateReason(ctx context.Context, s Session, state UserState, redirect bool, reason string) error {
	if rs, ok := s.(BreakReasonSetter); ok {
		return rs.SetUserStateReason(ctx, state, redirect, reason)
	}
	if reason != "" {
		return ErrUnsupported
	}
	return s.SetUserState(ctx, state, redirect)
}

// Reconnecter is a session that can log in again when the operator asks, after its link
// closed for good (Status.Link LinkClosed: the server refused the login, or forgot the
// saved session and no password is at hand). Capabilities.Reconnect says it may be used.
type Reconnecter interface {
	// Reconnect logs in again, with password when it is not "" (the session keeps what
	// it keeps of a password, in memory only; it is never logged or recorded). It
	// returns when the first try is over: nil when logged in, a *RefusedError when the
	// server refused it (the link stays closed, and Status says why), another error
	// when the link failed (the session then keeps trying by itself). A session whose
	// link is not closed for good does nothing and returns nil.
	Reconnect(ctx context.Context, password string) error
}

// Reconnect asks s to log in again (Reconnecter); ErrUnsupported when it cannot.
func Reconnect(ctx context.Context, s Session, password string) error {
	if rc, ok := s.(Reconnecter); ok {
		return rc.Reconnect(ctx, password)
	}
	return ErrUnsupported
}
