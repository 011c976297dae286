// Package eventjson is the JSON form of Oktell events that okdash decode prints, one
// object per line. Its types are the schema, for programs that read the lines back with
// encoding/json, and Lines builds them from a scanned document; Encoder writes the same
// bytes straight from the document, without building them, which is what okdash decode
// uses. Every string is escaped so that a terminal showing the output acts on nothing in
// it: encoding/json's escapes, and DEL, the C1 controls and the bidirectional controls as
// \uXXXX.
package eventjson

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/okdash/okdash/oktell"
)

// Line is one line of output: an event, or the content of a document that is not inside
// an event (a bridge query or result, method output).
type Line struct {
	Input  string `json:"input,omitempty"` // the file, when decode reads more than one
	Offset int64  `json:"offset"`
	Lead   string `json:"lead,omitempty"` // the log heading before the document

	// events
	ID    *int    `json:"id,omitempty"`
	RawID *string `json:"raw_id,omitempty"` // the id attribute, when it differs from id
	Type  string  `json:"type,omitempty"`
	Name  *string `json:"name,omitempty"`
	Attrs *Attrs  `json:"attrs,omitempty"` // the event's unknown attributes

	// documents without events
	Root      string  `json:"root,omitempty"`
	DataName  *string `json:"data,omitempty"`
	DataCount *string `json:"count,omitempty"`

	// unknown attributes of the root and of data, on every line of the document
	RootAttrs *Attrs `json:"root_attrs,omitempty"`
	DataAttrs *Attrs `json:"data_attrs,omitempty"`

	Props       *Props       `json:"props,omitempty"`
	Sets        []Set        `json:"sets,omitempty"`
	Collections []Collection `json:"collections,omitempty"`

	// 111 UserStateChanged
	State      *string `json:"state,omitempty"`
	StateValue *int    `json:"state_value,omitempty"`
	Redirect   *bool   `json:"redirect,omitempty"`
	// 112 Notify, 114 UserMessage
	GUID            *string `json:"guid,omitempty"`
	AutoHide        *bool   `json:"autohide,omitempty"`
	DBSaved         *bool   `json:"dbsaved,omitempty"`
	NotifyType      *string `json:"notify_type,omitempty"`
	NotifyTypeValue *int    `json:"notify_type_value,omitempty"`
	BackColorARGB   *uint32 `json:"backcolor_argb,omitempty"`
	Time            *string `json:"time,omitempty"`
	Sender          *string `json:"sender,omitempty"`
	SenderID        *string `json:"sender_id,omitempty"`
	SenderName      *string `json:"sender_name,omitempty"`
	Text            *string `json:"text,omitempty"`

	FieldError string `json:"field_error,omitempty"`
}

// Set is a property_set.
type Set struct {
	Name        *string      `json:"name,omitempty"`
	ID          *string      `json:"id,omitempty"`
	Attrs       *Attrs       `json:"attrs,omitempty"`
	Props       *Props       `json:"props,omitempty"`
	Collections []Collection `json:"collections,omitempty"`
}

// Collection is a property_collection.
type Collection struct {
	Name  *string `json:"name,omitempty"`
	Count *string `json:"count,omitempty"`
	Attrs *Attrs  `json:"attrs,omitempty"`
	Sets  []Set   `json:"sets"`
}

// Prop is one property, under its key in Props.
type Prop struct {
	Value *string `json:"value,omitempty"`
	Name  *string `json:"name,omitempty"`
	Text  *string `json:"text,omitempty"`
	Attrs *Attrs  `json:"attrs,omitempty"`
}

// Props is a JSON object in document order. A key that repeats keeps every occurrence:
// the second is written as "key#2", the third "key#3", so that nothing is lost and the
// first stays where a reader expects it (see keyNamer).
type Props []oktell.Property

// MarshalJSON writes the object of Prop values.
func (ps Props) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	names := newKeyNamer()
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(names.name(p.Key))
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		var jp Prop
		if p.HasValue {
			jp.Value = ptr(p.Value)
		}
		if p.HasName {
			jp.Name = ptr(p.Name)
		}
		if p.HasText {
			jp.Text = ptr(p.Text)
		}
		jp.Attrs = attrsJSON(p.Attrs)
		v, err := marshal(jp)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Attrs is the attributes the protocol does not know, as a JSON object in document
// order ("attrs":{"time":"09:00"}). XML allows a name once per element, so keys are unique.
type Attrs oktell.Attrs

// MarshalJSON writes the object of names and values.
func (as Attrs) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for a := range oktell.Attrs(as).All() {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, err := marshal(a.Name)
		if err != nil {
			return nil, err
		}
		v, err := marshal(a.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// attrsJSON is nil when there are none, so that "attrs" is left out.
func attrsJSON(as oktell.Attrs) *Attrs {
	if as.Empty() {
		return nil
	}
	return ptr(Attrs(as))
}

// marshal is encoding/json without the HTML escapes, and without Encode's line break.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func ptr[T any](v T) *T { return &v }

func optional(s string, has bool) *string {
	if !has {
		return nil
	}
	return &s
}

func setsJSON(sets []oktell.PropertySet) []Set {
	var out []Set
	for _, s := range sets {
		js := Set{Name: optional(s.Name, s.HasName), ID: optional(s.ID, s.HasID), Attrs: attrsJSON(s.Attrs),
			Collections: collectionsJSON(s.Collections)}
		if len(s.Props) > 0 {
			js.Props = ptr(Props(s.Props))
		}
		out = append(out, js)
	}
	return out
}

func collectionsJSON(cs []oktell.Collection) []Collection {
	var out []Collection
	for _, c := range cs {
		out = append(out, Collection{Name: optional(c.Name, c.HasName), Count: optional(c.Count, c.HasCount),
			Attrs: attrsJSON(c.Attrs), Sets: setsJSON(c.Sets)})
	}
	return out
}

// TimeLayout is how "time" is written: the server's wall clock, no zone.
const TimeLayout = "2006-01-02T15:04:05"

// Lines turns one scanned document into its lines: one per event, then one for whatever
// sits outside the events (or for an empty document), so nothing is dropped. An event
// whose fields cannot be read still has its line, with FieldError set.
func Lines(it oktell.Item) []Line {
	doc := it.Doc
	var out []Line
	for i := range doc.Events {
		l := eventLine(it, &doc.Events[i])
		l.RootAttrs, l.DataAttrs = attrsJSON(doc.Attrs), attrsJSON(doc.DataAttrs)
		out = append(out, l)
	}
	if hasOther(doc) {
		l := Line{Offset: it.Offset, Lead: it.Lead, Root: doc.Root,
			DataName: optional(doc.DataName, doc.HasDataName), DataCount: optional(doc.DataCount, doc.HasDataCount),
			RootAttrs: attrsJSON(doc.Attrs), DataAttrs: attrsJSON(doc.DataAttrs),
			Sets: setsJSON(doc.Sets), Collections: collectionsJSON(doc.Collections)}
		if len(doc.Props) > 0 {
			l.Props = ptr(Props(doc.Props))
		}
		out = append(out, l)
	}
	return out
}

// hasOther reports whether d needs a line for what is outside its events.
func hasOther(d *oktell.Document) bool {
	return len(d.Sets)+len(d.Props)+len(d.Collections) > 0 || len(d.Events) == 0
}

func eventLine(it oktell.Item, ev *oktell.Event) Line {
	l := Line{Offset: it.Offset, Lead: it.Lead, ID: ptr(int(ev.Type)), Type: ev.Type.String(), Name: ptr(ev.Name), Attrs: attrsJSON(ev.Attrs),
		Props: ptr(Props(ev.Props)), Sets: setsJSON(ev.Sets), Collections: collectionsJSON(ev.Collections)}
	if l.Props == nil || len(*l.Props) == 0 {
		l.Props = ptr(Props{})
	}
	if ev.RawID != strconv.Itoa(int(ev.Type)) {
		l.RawID = ptr(ev.RawID)
	}
	var ferr error
	switch ev.Type {
	case oktell.UserStateChanged:
		sc, err := ev.StateChange()
		ferr = err
		if err == nil {
			l.State, l.StateValue, l.Redirect = ptr(stateName(sc)), ptr(int(sc.State)), ptr(sc.Redirect)
		}
	case oktell.Notify:
		n, err := ev.Notification()
		ferr = err
		l.GUID, l.AutoHide, l.DBSaved = ptr(n.GUID), ptr(n.AutoHide), ptr(n.DBSaved)
		l.NotifyType, l.NotifyTypeValue, l.BackColorARGB = ptr(notifyTypeName(n)), ptr(int(n.Type)), ptr(n.BackColorARGB)
		if !n.Time.IsZero() {
			l.Time = ptr(n.Time.Format(TimeLayout))
		}
		l.Sender, l.Text = ptr(n.Sender), ptr(n.Text)
	case oktell.UserMessage:
		m, err := ev.Message()
		ferr = err
		l.GUID, l.SenderID, l.SenderName, l.Text = ptr(m.GUID), ptr(m.SenderID), ptr(m.SenderName), ptr(m.Text)
		if !m.Time.IsZero() {
			l.Time = ptr(m.Time.Format(TimeLayout))
		}
	}
	if ferr != nil {
		l.FieldError = ferr.Error()
	}
	return l
}

// stateName is the canonical name of a known state, else the name the document gave.
func stateName(sc oktell.StateChange) string {
	if sc.State.Known() || sc.StateName == "" {
		return sc.State.String()
	}
	return sc.StateName
}

// notifyTypeName is the canonical name of a known type, else the name the document gave.
func notifyTypeName(n oktell.Notification) string {
	if n.Type.Known() || n.TypeName == "" {
		return n.Type.String()
	}
	return n.TypeName
}

// Marshal is the reference encoding of one line: encoding/json, then DEL, the C1 and
// the bidirectional controls escaped. Encoder writes the same bytes.
func Marshal(l Line) ([]byte, error) {
	b, err := marshal(l)
	if err != nil {
		return nil, err
	}
	return escapeTerminal(append(b, '\n')), nil
}
