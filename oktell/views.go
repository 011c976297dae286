package oktell

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateLayout is the vendor's date format, dd.MM.yyyy HH:mm:ss in the server's local time.
const DateLayout = "02.01.2006 15:04:05"

// ParseTime reads a vendor date. The result carries no zone of its own: it is the
// server's wall clock, returned in time.Local's absence as UTC fields.
func ParseTime(s string) (time.Time, error) {
	return time.Parse(DateLayout, strings.TrimSpace(s))
}

// FieldError says which field of which event could not be read.
type FieldError struct {
	Event EventType
	Field string
	Value string
	Err   error
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: field %q: %q: %v", e.Event, e.Field, e.Value, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// StateChange is the typed view of UserStateChanged (111).
type StateChange struct {
	State     UserState
	StateName string // the name attribute as it arrived ("usWOphone"); kept for unknown states
	Redirect  bool
	// BreakReason is the id of the break's reason when the state names one
	// (lunchreasonid: the WebSocket server's and the demo's); "" otherwise.
	BreakReason string
}

// Notification is the typed view of Notify (112).
type Notification struct {
	GUID          string
	AutoHide      bool
	BackColorARGB uint32 // used by NltColor only
	Type          NotifyType
	TypeName      string // the name attribute as it arrived
	Time          time.Time
	RawTime       string
	DBSaved       bool
	Sender        string
	Text          string
}

// Message is the typed view of UserMessage (114).
type Message struct {
	GUID       string
	Time       time.Time
	RawTime    string
	SenderID   string
	SenderName string
	Text       string
}

// text returns the text of a cdata property, or the value of a simple one.
func (e *Event) text(key string) string {
	p, ok := e.Prop(key)
	if !ok {
		return ""
	}
	if p.HasText {
		return p.Text
	}
	return p.Value
}

func (e *Event) intProp(key string) (int64, string, bool, error) {
	p, ok := e.Prop(key)
	if !ok {
		return 0, "", false, nil
	}
	v := strings.TrimSpace(p.Value)
	n, err := strconv.ParseInt(v, 0, 64)
	if err != nil {
		return 0, p.Name, true, &FieldError{Event: e.Type, Field: key, Value: p.Value, Err: errWantNumber}
	}
	return n, p.Name, true, nil
}

// The reasons a field cannot be read, in the words of the protocol, not of strconv.
var (
	errWantNumber = errors.New("want a whole number")
	errWantBool   = errors.New("want 0 or 1")
	errWantTime   = errors.New("want a date and time as dd.mm.yyyy hh:mm:ss")
)

func (e *Event) boolProp(key string) (bool, error) {
	n, _, ok, err := e.intProp(key)
	if fe, isField := err.(*FieldError); isField {
		fe.Err = errWantBool
	}
	if !ok || err != nil {
		return false, err
	}
	return n != 0, nil
}

// StateChange reads a UserStateChanged event. A missing newstate is an error.
func (e *Event) StateChange() (StateChange, error) {
	n, name, ok, err := e.intProp("newstate")
	if err != nil {
		return StateChange{}, err
	}
	if !ok {
		return StateChange{}, &FieldError{Event: e.Type, Field: "newstate", Err: fmt.Errorf("missing")}
	}
	redirect, err := e.boolProp("redirect")
	if err != nil {
		return StateChange{}, err
	}
	sc := StateChange{State: UserState(n), StateName: name, Redirect: redirect}
	if sc.State == UserLunch {
		sc.BreakReason = CleanLine(e.text("lunchreasonid"))
	}
	return sc, nil
}

// Notification reads a Notify event. The first field that cannot be read is the error;
// fields that could be read are still filled in.
func (e *Event) Notification() (Notification, error) {
	var n Notification
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	n.GUID = e.text("guid")
	var err error
	if n.AutoHide, err = e.boolProp("autohide"); err != nil {
		keep(err)
	}
	if c, _, ok, err := e.intProp("backcolor_argb"); err != nil {
		keep(err)
	} else if ok {
		n.BackColorARGB = uint32(c)
	}
	if t, name, _, err := e.intProp("type"); err != nil {
		keep(err)
	} else {
		n.Type, n.TypeName = NotifyType(t), name
	}
	n.RawTime = e.text("datetime")
	if n.RawTime != "" {
		if n.Time, err = ParseTime(n.RawTime); err != nil {
			keep(&FieldError{Event: e.Type, Field: "datetime", Value: n.RawTime, Err: errWantTime})
		}
	}
	if n.DBSaved, err = e.boolProp("dbsaved"); err != nil {
		keep(err)
	}
	n.Sender = e.text("sender")
	n.Text = e.text("text")
	return n, first
}

// Message reads a UserMessage event.
func (e *Event) Message() (Message, error) {
	m := Message{
		GUID:       e.text("guid"),
		RawTime:    e.text("datetime"),
		SenderID:   e.text("senderid"),
		SenderName: e.text("sendername"),
		Text:       e.text("text"),
	}
	if m.RawTime != "" {
		t, err := ParseTime(m.RawTime)
		if err != nil {
			return m, &FieldError{Event: e.Type, Field: "datetime", Value: m.RawTime, Err: errWantTime}
		}
		m.Time = t
	}
	return m, nil
}
