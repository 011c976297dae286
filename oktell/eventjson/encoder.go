package eventjson

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/okdash/okdash/oktell"
)

// Encoder appends the lines of scanned documents to a byte slice, byte for byte what
// Marshal writes for each of Lines, straight from the document: no Line is built, and
// with a reused slice a line costs no allocation.
type Encoder struct {
	// Input, when set, starts every line ("input": the file it came from).
	Input string
	// Pretty indents each object over several lines, as json.Encoder.SetIndent("", "  ").
	Pretty bool

	indent bytes.Buffer
}

// AppendDocument appends the lines of it (a document the scanner read without error):
// one per event, then one for what lies outside the events (or for an empty document),
// each ending in a line break. When an event's fields cannot be read (autohide="yes")
// its line still comes, with field_error, and report is called with the problem first;
// report gets the lines appended so far and returns the slice to go on appending to (a
// caller that writes the problem out flushes the lines before it, and returns dst[:0]).
func (e *Encoder) AppendDocument(dst []byte, it oktell.Item, report func(dst []byte, problem error) []byte) []byte {
	doc := it.Doc
	for i := range doc.Events {
		start := len(dst)
		var ferr error
		dst, ferr = e.appendEvent(dst, it, &doc.Events[i])
		if ferr != nil && report != nil {
			line := append([]byte(nil), dst[start:]...)
			dst = append(report(dst[:start], ferr), line...)
		}
	}
	if hasOther(doc) {
		start := len(dst)
		dst = e.appendOther(dst, it)
		dst = e.finish(dst, start)
	}
	return dst
}

// finish ends the line that starts at dst[start]: indented when Pretty, then '\n'.
func (e *Encoder) finish(dst []byte, start int) []byte {
	if e.Pretty {
		e.indent.Reset()
		if err := json.Indent(&e.indent, dst[start:], "", "  "); err == nil {
			dst = append(dst[:start], e.indent.Bytes()...)
		}
	}
	return append(dst, '\n')
}

// head appends what starts every line: "{", input, offset, lead.
func (e *Encoder) head(dst []byte, it oktell.Item) []byte {
	dst = append(dst, '{')
	if e.Input != "" {
		dst = append(dst, `"input":`...)
		dst = appendString(dst, e.Input)
		dst = append(dst, ',')
	}
	dst = append(dst, `"offset":`...)
	dst = strconv.AppendInt(dst, it.Offset, 10)
	if it.Lead != "" {
		dst = append(dst, `,"lead":`...)
		dst = appendString(dst, it.Lead)
	}
	return dst
}

func (e *Encoder) appendEvent(dst []byte, it oktell.Item, ev *oktell.Event) ([]byte, error) {
	start := len(dst)
	doc := it.Doc
	dst = e.head(dst, it)
	dst = append(dst, `,"id":`...)
	dst = strconv.AppendInt(dst, int64(ev.Type), 10)
	if !isDecimal(ev.RawID, int(ev.Type)) {
		dst = field(dst, "raw_id", ev.RawID)
	}
	dst = field(dst, "type", typeName(ev.Type)) // never empty
	dst = field(dst, "name", ev.Name)
	dst = appendAttrsField(dst, "attrs", ev.Attrs)
	dst = appendAttrsField(dst, "root_attrs", doc.Attrs)
	dst = appendAttrsField(dst, "data_attrs", doc.DataAttrs)
	dst = append(dst, `,"props":`...)
	dst = appendProps(dst, ev.Props)
	dst = appendSets(dst, "sets", ev.Sets)
	dst = appendCollections(dst, "collections", ev.Collections)

	var ferr error
	switch ev.Type {
	case oktell.UserStateChanged:
		sc, err := ev.StateChange()
		ferr = err
		if err == nil {
			dst = field(dst, "state", stateName(sc))
			dst = append(dst, `,"state_value":`...)
			dst = strconv.AppendInt(dst, int64(sc.State), 10)
			dst = boolField(dst, "redirect", sc.Redirect)
		}
	case oktell.Notify:
		n, err := ev.Notification()
		ferr = err
		dst = field(dst, "guid", n.GUID)
		dst = boolField(dst, "autohide", n.AutoHide)
		dst = boolField(dst, "dbsaved", n.DBSaved)
		dst = field(dst, "notify_type", notifyTypeName(n))
		dst = append(dst, `,"notify_type_value":`...)
		dst = strconv.AppendInt(dst, int64(n.Type), 10)
		dst = append(dst, `,"backcolor_argb":`...)
		dst = strconv.AppendUint(dst, uint64(n.BackColorARGB), 10)
		if !n.Time.IsZero() {
			dst = append(dst, `,"time":"`...)
			dst = append(n.Time.AppendFormat(dst, TimeLayout), '"')
		}
		dst = field(dst, "sender", n.Sender)
		dst = field(dst, "text", n.Text)
	case oktell.UserMessage:
		m, err := ev.Message()
		ferr = err
		dst = field(dst, "guid", m.GUID)
		if !m.Time.IsZero() {
			dst = append(dst, `,"time":"`...)
			dst = append(m.Time.AppendFormat(dst, TimeLayout), '"')
		}
		dst = field(dst, "sender_id", m.SenderID)
		dst = field(dst, "sender_name", m.SenderName)
		dst = field(dst, "text", m.Text)
	}
	if ferr != nil {
		if msg := ferr.Error(); msg != "" {
			dst = field(dst, "field_error", msg)
		}
	}
	dst = append(dst, '}')
	return e.finish(dst, start), ferr
}

func (e *Encoder) appendOther(dst []byte, it oktell.Item) []byte {
	doc := it.Doc
	dst = e.head(dst, it)
	if doc.Root != "" {
		dst = field(dst, "root", doc.Root)
	}
	if doc.HasDataName {
		dst = field(dst, "data", doc.DataName)
	}
	if doc.HasDataCount {
		dst = field(dst, "count", doc.DataCount)
	}
	dst = appendAttrsField(dst, "root_attrs", doc.Attrs)
	dst = appendAttrsField(dst, "data_attrs", doc.DataAttrs)
	if len(doc.Props) > 0 {
		dst = append(dst, `,"props":`...)
		dst = appendProps(dst, doc.Props)
	}
	dst = appendSets(dst, "sets", doc.Sets)
	dst = appendCollections(dst, "collections", doc.Collections)
	return append(dst, '}')
}

// typeNames holds the names of the known event types by id, read once instead of looked
// up for every line.
var typeNames = func() (t [300]string) {
	for _, et := range oktell.EventTypes() {
		if et >= 0 && int(et) < len(t) {
			t[et] = et.String()
		}
	}
	return
}()

// typeName is t.String().
func typeName(t oktell.EventType) string {
	if t >= 0 && int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return t.String()
}

// isDecimal reports whether s is n as strconv.Itoa writes it, without building it.
func isDecimal(s string, n int) bool {
	var b [20]byte
	return string(strconv.AppendInt(b[:0], int64(n), 10)) == s
}

// key appends ,"name": (the next member of an object that has one already).
func key(dst []byte, name string) []byte {
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	return append(dst, '"', ':')
}

// field appends ,"name":"value".
func field(dst []byte, name, value string) []byte {
	return appendString(key(dst, name), value)
}

func boolField(dst []byte, name string, v bool) []byte {
	return strconv.AppendBool(key(dst, name), v)
}

// member appends the name of an object's member, after a comma unless it is the first:
// the object's members start at dst[mark].
func member(dst []byte, mark int, name string) []byte {
	if len(dst) > mark {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, '"', ':')
}

// appendAttrsField appends ,"name":{...} when as holds any attribute.
func appendAttrsField(dst []byte, name string, as oktell.Attrs) []byte {
	if as.Empty() {
		return dst
	}
	return appendAttrs(key(dst, name), as)
}

// appendAttrs appends the object of as's names and values (see Attrs).
func appendAttrs(dst []byte, as oktell.Attrs) []byte {
	dst = append(dst, '{')
	first := true
	for a := range as.All() {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendString(dst, a.Name)
		dst = append(dst, ':')
		dst = appendString(dst, a.Value)
	}
	return append(dst, '}')
}

// appendProps appends the object of ps (see Props).
func appendProps(dst []byte, ps []oktell.Property) []byte {
	var names *keyNamer
	if keysRepeat(ps) {
		names = newKeyNamer()
	}
	dst = append(dst, '{')
	for i := range ps {
		p := &ps[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		key := p.Key
		if names != nil {
			key = names.name(key)
		}
		dst = appendString(dst, key)
		dst = append(dst, ':', '{')
		mark := len(dst)
		if p.HasValue {
			dst = member(dst, mark, "value")
			dst = appendString(dst, p.Value)
		}
		if p.HasName {
			dst = member(dst, mark, "name")
			dst = appendString(dst, p.Name)
		}
		if p.HasText {
			dst = member(dst, mark, "text")
			dst = appendString(dst, p.Text)
		}
		if !p.Attrs.Empty() {
			dst = member(dst, mark, "attrs")
			dst = appendAttrs(dst, p.Attrs)
		}
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// appendSets appends ,"name":[...] when there are sets (omitempty).
func appendSets(dst []byte, name string, sets []oktell.PropertySet) []byte {
	if len(sets) == 0 {
		return dst
	}
	return appendSetList(key(dst, name), sets)
}

// appendSetList appends [...] of the sets, null for none (a collection's "sets").
func appendSetList(dst []byte, sets []oktell.PropertySet) []byte {
	if len(sets) == 0 {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range sets {
		s := &sets[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		mark := len(dst)
		if s.HasName {
			dst = member(dst, mark, "name")
			dst = appendString(dst, s.Name)
		}
		if s.HasID {
			dst = member(dst, mark, "id")
			dst = appendString(dst, s.ID)
		}
		if !s.Attrs.Empty() {
			dst = member(dst, mark, "attrs")
			dst = appendAttrs(dst, s.Attrs)
		}
		if len(s.Props) > 0 {
			dst = member(dst, mark, "props")
			dst = appendProps(dst, s.Props)
		}
		if len(s.Collections) > 0 {
			dst = member(dst, mark, "collections")
			dst = appendCollectionList(dst, s.Collections)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendCollections appends ,"name":[...] when there are collections (omitempty).
func appendCollections(dst []byte, name string, cs []oktell.Collection) []byte {
	if len(cs) == 0 {
		return dst
	}
	return appendCollectionList(key(dst, name), cs)
}

func appendCollectionList(dst []byte, cs []oktell.Collection) []byte {
	dst = append(dst, '[')
	for i := range cs {
		c := &cs[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		mark := len(dst)
		if c.HasName {
			dst = member(dst, mark, "name")
			dst = appendString(dst, c.Name)
		}
		if c.HasCount {
			dst = member(dst, mark, "count")
			dst = appendString(dst, c.Count)
		}
		if !c.Attrs.Empty() {
			dst = member(dst, mark, "attrs")
			dst = appendAttrs(dst, c.Attrs)
		}
		dst = member(dst, mark, "sets")
		dst = appendSetList(dst, c.Sets)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}
