package oktell

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Encoding is how a document's bytes are encoded on the wire.
type Encoding int

// Encodings.
const (
	UTF16LE Encoding = iota // with BOM when written
	UTF16BE                 // with BOM when written
	UTF8                    // without BOM when written
)

// Encode writes d with long element names, as enc (UTF-16 with a BOM, UTF-8 without),
// in the vendor's layout: declaration, one element per line, CRLF line ends.
// Decode(Encode(d)) equals d for every document Decode returns. For an event built by
// hand with only Type set (RawID and Name empty), Encode writes id and name from Type.
// A string that is not valid UTF-8 or holds no text character (NUL, U+FFFE, U+FFFF) is
// an error, since no reader could get it back. Other control characters go as they
// came: in CDATA raw, in an attribute as a reference (&#11;), both of which Decode reads
// though XML 1.0 does not allow them.
func Encode(d *Document, enc Encoding) ([]byte, error) {
	if d == nil {
		return nil, fmt.Errorf("oktell: encode: nil document")
	}
	w := writer{}
	w.b = make([]byte, 0, 1024)
	decl := "utf-16"
	if enc == UTF8 {
		decl = "utf-8"
	} else if enc != UTF16LE && enc != UTF16BE {
		return nil, fmt.Errorf("oktell: encode: unknown encoding %d", int(enc))
	}
	w.raw(`<?xml version="1.0" encoding="` + decl + `"?>` + "\r\n")
	root := d.Root
	if root == "" {
		root = "oktellcommapper"
	}
	if kindOf(root) != elRoot {
		return nil, fmt.Errorf("oktell: encode: root %q: want oktellcommapper or oktellxmlmapper", root)
	}
	if !d.HasData && !d.DataAttrs.Empty() {
		return nil, fmt.Errorf("oktell: encode: data attributes without a data element (HasData is false)")
	}
	w.open(0, root)
	if d.HasVersion {
		w.attr("version", d.Version)
	}
	w.attrs(d.Attrs)
	w.raw(">\r\n")
	depth := 1
	if d.HasData {
		w.open(1, "data")
		if d.HasDataName {
			w.attr("name", d.DataName)
		}
		if d.HasDataCount {
			w.attr("count", d.DataCount)
		}
		w.attrs(d.DataAttrs)
		if len(d.Events)+len(d.Sets)+len(d.Props)+len(d.Collections) == 0 {
			w.raw(" />\r\n")
		} else {
			w.raw(">\r\n")
		}
		depth = 2
	}
	for i := range d.Events {
		w.event(depth, &d.Events[i])
	}
	for _, p := range d.Props {
		w.prop(depth, p)
	}
	for i := range d.Sets {
		w.set(depth, &d.Sets[i])
	}
	for i := range d.Collections {
		w.collection(depth, &d.Collections[i])
	}
	if d.HasData && len(d.Events)+len(d.Sets)+len(d.Props)+len(d.Collections) > 0 {
		w.close(1, "data")
	}
	w.close(0, root)
	if w.err != nil {
		return nil, w.err
	}
	switch enc {
	case UTF16LE:
		return utf8ToUTF16(append(make([]byte, 0, 2*len(w.b)+2), 0xFF, 0xFE), w.b, true), nil
	case UTF16BE:
		return utf8ToUTF16(append(make([]byte, 0, 2*len(w.b)+2), 0xFE, 0xFF), w.b, false), nil
	}
	return w.b, nil
}

type writer struct {
	b   []byte
	err error
	// the element being opened and the attributes written in its start tag, so that an
	// unknown attribute cannot repeat a known one (no reader would take that back)
	elem  string
	names []string
	// seen holds the names of a start tag with more than dupScan attributes: checking
	// repeats stays linear in the attributes, however many a document has
	seen map[string]struct{}
}

func (w *writer) raw(s string) { w.b = append(w.b, s...) }

func (w *writer) indent(depth int) {
	w.b = append(w.b, ' ')
	for range depth {
		w.b = append(w.b, ' ', ' ')
	}
}

func (w *writer) open(depth int, name string) {
	w.elem, w.names = name, w.names[:0]
	if depth > 0 {
		w.indent(depth)
	}
	w.b = append(w.b, '<')
	w.b = append(w.b, name...)
}

func (w *writer) close(depth int, name string) {
	if depth > 0 {
		w.indent(depth)
	}
	w.b = append(w.b, "</"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, ">\r\n"...)
}

func (w *writer) check(what, s string) bool {
	if w.err != nil {
		return false
	}
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			w.err = fmt.Errorf("oktell: encode: %s: invalid UTF-8 at byte %d", what, i)
			return false
		}
		if !textChar(r) {
			w.err = fmt.Errorf("oktell: encode: %s: character %U at byte %d is no text character", what, r, i)
			return false
		}
	}
	return true
}

func (w *writer) attr(name, value string) {
	if w.err != nil {
		return
	}
	if !validName(name) {
		w.err = fmt.Errorf("oktell: encode: <%s>: attribute name %q is not an ASCII XML name", w.elem, name)
		return
	}
	if w.repeated(name) {
		w.err = fmt.Errorf("oktell: encode: <%s>: attribute %s written twice (an unknown attribute repeats a known one, or itself)", w.elem, name)
		return
	}
	w.names = append(w.names, name)
	if !w.check("attribute "+name, value) {
		return
	}
	w.b = append(w.b, ' ')
	w.b = append(w.b, name...)
	w.b = append(w.b, '=', '"')
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case '&':
			w.raw("&amp;")
		case '<':
			w.raw("&lt;")
		case '>':
			w.raw("&gt;")
		case '"':
			w.raw("&quot;")
		case '\t':
			w.raw("&#9;")
		case '\n':
			w.raw("&#10;")
		case '\r':
			w.raw("&#13;")
		default:
			if c < 0x20 { // another control: a reference, as .NET writes it
				w.raw("&#")
				w.b = strconv.AppendInt(w.b, int64(c), 10)
				w.b = append(w.b, ';')
				continue
			}
			w.b = append(w.b, c)
		}
	}
	w.b = append(w.b, '"')
}

// repeated reports whether the start tag being written has an attribute called name.
func (w *writer) repeated(name string) bool {
	if len(w.names) < dupScan {
		for _, n := range w.names {
			if n == name {
				return true
			}
		}
		return false
	}
	if len(w.names) == dupScan {
		w.seen = make(map[string]struct{}, 4*dupScan)
		for _, n := range w.names {
			w.seen[n] = struct{}{}
		}
	}
	if _, ok := w.seen[name]; ok {
		return true
	}
	w.seen[name] = struct{}{}
	return false
}

// attrs writes the unknown attributes of an element, in order, after the known ones.
func (w *writer) attrs(as Attrs) {
	for a := range as.All() {
		w.attr(a.Name, a.Value)
	}
}

// spelling is the first of a field's spellings that no unknown attribute takes: for a
// property read from <prc k="a" key="b">, Key is written as k and the unknown key="b"
// after it, so the document reads back the same.
func spelling(as Attrs, names ...string) string {
	for _, n := range names {
		if _, taken := as.Get(n); !taken {
			return n
		}
	}
	return names[0] // every spelling taken: attr reports the repeat
}

// validName reports whether s is a name the decoder reads: ASCII letters, digits and
// "_:-.", not starting with a digit, '-' or '.'.
func validName(s string) bool {
	if s == "" || nameByte[s[0]] != 1 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if nameByte[s[i]] == 0 {
			return false
		}
	}
	return true
}

func (w *writer) event(depth int, e *Event) {
	w.open(depth, "event")
	rawID, name := e.RawID, e.Name
	if rawID == "" && name == "" && e.Type != 0 {
		rawID, name = strconv.Itoa(int(e.Type)), e.Type.WireName()
		if !e.Type.Known() {
			name = ""
		}
	}
	if rawID != "" {
		w.attr("id", rawID)
	}
	if name != "" || (e.Name == "" && e.RawID == "" && e.Type == 0) {
		// An event with neither attribute keeps an empty name, so it reads back the same.
		w.attr("name", name)
	}
	w.attrs(e.Attrs)
	if len(e.Props)+len(e.Sets)+len(e.Collections) == 0 {
		w.raw(" />\r\n")
		return
	}
	w.raw(">\r\n")
	for _, p := range e.Props {
		w.prop(depth+1, p)
	}
	for i := range e.Sets {
		w.set(depth+1, &e.Sets[i])
	}
	for i := range e.Collections {
		w.collection(depth+1, &e.Collections[i])
	}
	w.close(depth, "event")
}

func (w *writer) prop(depth int, p Property) {
	name := "property_simple"
	if p.Kind == CData {
		name = "property_cdata"
	} else if p.HasText {
		if w.err == nil {
			w.err = fmt.Errorf("oktell: encode: property_simple %q carries text; only property_cdata may", p.Key)
		}
		return
	}
	w.open(depth, name)
	w.attr(spelling(p.Attrs, "key", "k"), p.Key)
	if p.HasValue {
		w.attr(spelling(p.Attrs, "value", "v"), p.Value)
	}
	if p.HasName {
		w.attr(spelling(p.Attrs, "name", "n"), p.Name)
	}
	w.attrs(p.Attrs)
	if !p.HasText {
		w.raw(" />\r\n")
		return
	}
	w.b = append(w.b, '>')
	if w.check("text of "+p.Key, p.Text) {
		// "]]>" cannot sit inside one CDATA section: split it across two.
		w.raw("<![CDATA[")
		w.raw(strings.ReplaceAll(p.Text, "]]>", "]]]]><![CDATA[>"))
		w.raw("]]>")
	}
	w.raw("</" + name + ">\r\n")
}

func (w *writer) set(depth int, s *PropertySet) {
	w.open(depth, "property_set")
	if s.HasName {
		w.attr(spelling(s.Attrs, "name", "n"), s.Name)
	}
	if s.HasID {
		w.attr("id", s.ID)
	}
	w.attrs(s.Attrs)
	if len(s.Props)+len(s.Collections) == 0 {
		w.raw(" />\r\n")
		return
	}
	w.raw(">\r\n")
	for _, p := range s.Props {
		w.prop(depth+1, p)
	}
	for i := range s.Collections {
		w.collection(depth+1, &s.Collections[i])
	}
	w.close(depth, "property_set")
}

func (w *writer) collection(depth int, c *Collection) {
	w.open(depth, "property_collection")
	if c.HasName {
		w.attr(spelling(c.Attrs, "name", "n"), c.Name)
	}
	if c.HasCount {
		w.attr(spelling(c.Attrs, "count", "cn"), c.Count)
	}
	w.attrs(c.Attrs)
	if len(c.Sets) == 0 {
		w.raw(" />\r\n")
		return
	}
	w.raw(">\r\n")
	for i := range c.Sets {
		w.set(depth+1, &c.Sets[i])
	}
	w.close(depth, "property_collection")
}

// EventDocument wraps events in an oktellcommapper document with a bare data element, version 80710.
func EventDocument(events ...Event) *Document {
	return &Document{Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true, Events: events}
}

// SimpleProp is a property_simple with a value and, when name is not "", a name.
func SimpleProp(key, value, name string) Property {
	return Property{Kind: Simple, Key: key, Value: value, HasValue: true, Name: name, HasName: name != ""}
}

// CDataProp is a property_cdata holding text.
func CDataProp(key, text string) Property {
	return Property{Kind: CData, Key: key, Text: text, HasText: true}
}

func boolValue(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// SetUserStateRequest is the document passed to SetUserState (protocol.md 1.5, ours): a
// bare data holding the keys of event 111, newstate (with the state's name when known)
// and redirect.
func SetUserStateRequest(state UserState, redirect bool) *Document {
	name := ""
	if state.Known() {
		name = state.String()
	}
	return &Document{Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true,
		Props: []Property{
			SimpleProp("newstate", strconv.Itoa(int(state)), name),
			SimpleProp("redirect", boolValue(redirect), ""),
		}}
}

// AsSetUserStateRequest reads a document made by SetUserStateRequest.
func AsSetUserStateRequest(d *Document) (state UserState, redirect bool, err error) {
	if d == nil {
		return 0, false, fmt.Errorf("no document")
	}
	ev := Event{Type: UserStateChanged, Props: d.Props}
	sc, err := ev.StateChange()
	if err != nil {
		return 0, false, err
	}
	return sc.State, sc.Redirect, nil
}

// SendMessageRequest is the document passed to Messaging_SendMessage. idMessage may be ""
// (the library assigns one); it is then left out.
func SendMessageRequest(userID, text, idMessage string) *Document {
	d := &Document{Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true}
	if idMessage != "" {
		d.Props = append(d.Props, SimpleProp("idmessage", idMessage, ""))
	}
	d.Props = append(d.Props, SimpleProp("userid", userID, ""), CDataProp("text", text))
	return d
}

// MessageRequest is what a Messaging_SendMessage document asks for.
type MessageRequest struct {
	IDMessage string
	UserID    string
	Text      string
}

// AsSendMessageRequest reads a document made by SendMessageRequest. A missing userid is an error.
func AsSendMessageRequest(d *Document) (MessageRequest, error) {
	if d == nil {
		return MessageRequest{}, fmt.Errorf("no document")
	}
	ev := Event{Props: d.Props}
	m := MessageRequest{IDMessage: ev.text("idmessage"), UserID: ev.text("userid"), Text: ev.text("text")}
	if _, ok := ev.Prop("userid"); !ok {
		return m, fmt.Errorf("field %q: missing", "userid")
	}
	return m, nil
}

// Query wraps a request for the bridge (protocol.md 1.6): data name="query" count="1"
// holding one property_set named after the method, with the request id. The set holds the
// request's properties and collections (those under its data, or under its root).
func Query(method, id string, req *Document) *Document {
	s := PropertySet{Name: method, HasName: true, ID: id, HasID: true}
	if req != nil {
		s.Props = append(s.Props, req.Props...)
		s.Collections = append(s.Collections, req.Collections...)
	}
	return &Document{Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true,
		DataName: "query", HasDataName: true, DataCount: "1", HasDataCount: true, Sets: []PropertySet{s}}
}

// QueryResultDocument is the bridge's answer to a query: data name="queryresult" with one
// set named after the method, holding resultcode (0 = ok), cdata error when errText is not
// "", then props.
func QueryResultDocument(method, id string, code int, errText string, props []Property) *Document {
	name := "ok"
	if code != 0 {
		name = "error"
	}
	s := PropertySet{Name: method, HasName: true, ID: id, HasID: true,
		Props: []Property{SimpleProp("resultcode", strconv.Itoa(code), name)}}
	if errText != "" {
		s.Props = append(s.Props, CDataProp("error", errText))
	}
	s.Props = append(s.Props, props...)
	return &Document{Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true,
		DataName: "queryresult", HasDataName: true, DataCount: "1", HasDataCount: true, Sets: []PropertySet{s}}
}

// QueryResult is a bridge reply: data name="queryresult".
type QueryResult struct {
	Method     string
	ID         string
	ResultCode int
	Error      string // cdata "error"
	Props      []Property
}

// AsQueryResult reads d as a bridge query result; ok is false when d is not one. Props
// holds every property of the set except resultcode and error. A resultcode that is not a
// number reads as -1, a refusal, with the text kept in Error when there is none.
func AsQueryResult(d *Document) (r QueryResult, ok bool) {
	s, ok := bridgeSet(d, "queryresult")
	if !ok {
		return QueryResult{}, false
	}
	r = QueryResult{Method: s.Name, ID: s.ID}
	haveCode := false
	for _, p := range s.Props {
		switch {
		case p.Key == "resultcode" && !haveCode:
			haveCode = true
			n, err := strconv.Atoi(strings.TrimSpace(p.Value))
			if err != nil {
				n = -1
				if r.Error == "" {
					r.Error = "resultcode " + strconv.Quote(p.Value)
				}
			}
			r.ResultCode = n
		case p.Key == "error" && (p.HasText || p.HasValue):
			if p.HasText {
				r.Error = p.Text
			} else {
				r.Error = p.Value
			}
		default:
			r.Props = append(r.Props, p)
		}
	}
	return r, true
}

// AsQuery reads d as a bridge query (for the simulator): the method, the id and the request
// (a bare-data document holding the set's properties and collections).
func AsQuery(d *Document) (method, id string, req *Document, ok bool) {
	s, ok := bridgeSet(d, "query")
	if !ok {
		return "", "", nil, false
	}
	req = &Document{Root: d.Root, Version: d.Version, HasVersion: d.HasVersion, HasData: true,
		Props: s.Props, Collections: s.Collections}
	return s.Name, s.ID, req, true
}

func bridgeSet(d *Document, dataName string) (PropertySet, bool) {
	if d == nil || !d.HasDataName || !strings.EqualFold(d.DataName, dataName) || len(d.Sets) != 1 || len(d.Events) != 0 {
		return PropertySet{}, false
	}
	return d.Sets[0], true
}
