package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/okdash/okdash/internal/textfile"
	"github.com/okdash/okdash/oktell"
)

var decodeCmd = &command{
	name: "okdash decode",
	usage: `Usage: okdash decode [--pretty] [FILE ...]

Reads Oktell service-event documents from each FILE (standard input when there is none,
or for "-"): a bridge stream, a CommonLog with xmlevent headings, concatenated documents
in UTF-16 or UTF-8. Prints one JSON object per event, one per line; with more than one
input, each object starts with "input": the FILE it came from ("stdin" for "-"), as
problems name it. Problems go to standard error as "okdash: decode: INPUT:OFFSET:
REASON"; the exit status is 1 when anything could not be read. Flags may follow the
files.
`,
	groups: []group{groupDecode},
	mixed:  true,
}

// cmdDecode is "okdash decode".
func cmdDecode(args []string, io stdio) int {
	p, err := decodeCmd.parse(args, os.Getenv)
	if err != nil {
		return parseFail(io, decodeCmd, err)
	}
	files, pretty := p.args, &p.opts.Pretty
	if len(files) == 0 {
		files = []string{"-"}
	}
	// With several inputs, offsets alone cannot say where a line came from.
	d := decoder{out: io.out, errw: io.err, pretty: *pretty, named: len(files) > 1}
	for _, f := range files {
		if d.broken {
			break
		}
		if f == "-" {
			d.input(io.in, "stdin")
			continue
		}
		file, err := openInput(f)
		if err != nil {
			fmt.Fprintf(io.err, "okdash: decode: %v\n", err)
			d.failed = true
			continue
		}
		d.input(file, f)
		file.Close()
	}
	if d.failed {
		return 1
	}
	return 0
}

// openInput opens a file to decode; a directory is refused here, not as a read error.
func openInput(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, textfile.PathError(path, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, &textfile.Error{Path: path, Msg: "is a directory, not a file"}
	}
	return f, nil
}

type decoder struct {
	out, errw io.Writer
	pretty    bool
	named     bool // every line names its input
	failed    bool
	broken    bool // the output cannot be written
}

func (d *decoder) problem(input string, off int64, reason string) {
	d.failed = true
	fmt.Fprintf(d.errw, "okdash: decode: %s:%d: %s\n", input, off, reason)
}

// input decodes one input to the end.
func (d *decoder) input(r io.Reader, name string) {
	s := oktell.NewScanner(r)
	for {
		it, err := s.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			d.failed = true
			fmt.Fprintf(d.errw, "okdash: decode: %v\n", textfile.PathError(name, err))
			return
		}
		if it.Err != nil {
			var e *oktell.Error
			if errors.As(it.Err, &e) {
				d.problem(name, e.Offset, e.Msg)
			} else {
				d.problem(name, it.Offset, it.Err.Error())
			}
			continue
		}
		for _, obj := range documentJSON(it) {
			if d.named {
				obj.Input = name
			}
			if obj.FieldError != "" {
				d.problem(name, it.Offset, obj.FieldError)
			}
			if err := d.print(obj); err != nil {
				// the output is gone (a closed pipe): nothing more can be told
				d.failed, d.broken = true, true
				fmt.Fprintf(d.errw, "okdash: decode: writing the output: %v\n", err)
				return
			}
		}
	}
}

func (d *decoder) print(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if d.pretty {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := d.out.Write(buf.Bytes())
	return err
}

// jsonLine is one line of output: an event, or the content of a document that is not
// inside an event (a bridge query or result, method output).
type jsonLine struct {
	Input  string `json:"input,omitempty"` // the file, when decode reads more than one
	Offset int64  `json:"offset"`
	Lead   string `json:"lead,omitempty"` // the log heading before the document

	// events
	ID    *int    `json:"id,omitempty"`
	RawID *string `json:"raw_id,omitempty"` // the id attribute, when it differs from id
	Type  string  `json:"type,omitempty"`
	Name  *string `json:"name,omitempty"`
	Attrs *attrs  `json:"attrs,omitempty"` // the event's unknown attributes

	// documents without events
	Root      string  `json:"root,omitempty"`
	DataName  *string `json:"data,omitempty"`
	DataCount *string `json:"count,omitempty"`

	// unknown attributes of the root and of data, on every line of the document
	RootAttrs *attrs `json:"root_attrs,omitempty"`
	DataAttrs *attrs `json:"data_attrs,omitempty"`

	Props       *props           `json:"props,omitempty"`
	Sets        []jsonSet        `json:"sets,omitempty"`
	Collections []jsonCollection `json:"collections,omitempty"`

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

type jsonSet struct {
	Name        *string          `json:"name,omitempty"`
	ID          *string          `json:"id,omitempty"`
	Attrs       *attrs           `json:"attrs,omitempty"`
	Props       *props           `json:"props,omitempty"`
	Collections []jsonCollection `json:"collections,omitempty"`
}

type jsonCollection struct {
	Name  *string   `json:"name,omitempty"`
	Count *string   `json:"count,omitempty"`
	Attrs *attrs    `json:"attrs,omitempty"`
	Sets  []jsonSet `json:"sets"`
}

type jsonProp struct {
	Value *string `json:"value,omitempty"`
	Name  *string `json:"name,omitempty"`
	Text  *string `json:"text,omitempty"`
	Attrs *attrs  `json:"attrs,omitempty"`
}

// props is a JSON object in document order. A key that repeats keeps every occurrence:
// the second is written as "key#2", the third "key#3", so that nothing is lost and the
// first stays where a reader expects it.
type props []oktell.Property

func (ps props) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	seen := map[string]int{}
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		key := p.Key
		seen[key]++
		if n := seen[key]; n > 1 {
			key += "#" + strconv.Itoa(n)
			for seen[key] > 0 { // a real key "a#2" already used
				n++
				key = p.Key + "#" + strconv.Itoa(n)
			}
			seen[key]++
		}
		k, err := marshal(key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		var jp jsonProp
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

// attrs is the attributes the protocol does not know, as a JSON object in document
// order ("attrs":{"time":"09:00"}). XML allows a name once per element, so keys are unique.
type attrs oktell.Attrs

func (as attrs) MarshalJSON() ([]byte, error) {
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
func attrsJSON(as oktell.Attrs) *attrs {
	if as.Empty() {
		return nil
	}
	return ptr(attrs(as))
}

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

func setsJSON(sets []oktell.PropertySet) []jsonSet {
	var out []jsonSet
	for _, s := range sets {
		js := jsonSet{Name: optional(s.Name, s.HasName), ID: optional(s.ID, s.HasID), Attrs: attrsJSON(s.Attrs),
			Collections: collectionsJSON(s.Collections)}
		if len(s.Props) > 0 {
			js.Props = ptr(props(s.Props))
		}
		out = append(out, js)
	}
	return out
}

func collectionsJSON(cs []oktell.Collection) []jsonCollection {
	var out []jsonCollection
	for _, c := range cs {
		out = append(out, jsonCollection{Name: optional(c.Name, c.HasName), Count: optional(c.Count, c.HasCount),
			Attrs: attrsJSON(c.Attrs), Sets: setsJSON(c.Sets)})
	}
	return out
}

const jsonTime = "2006-01-02T15:04:05"

// documentJSON turns one scanned document into output lines: one per event, then one for
// whatever sits outside the events (or for an empty document), so nothing is dropped.
func documentJSON(it oktell.Item) []jsonLine {
	doc := it.Doc
	var out []jsonLine
	for i := range doc.Events {
		l := eventJSON(it, &doc.Events[i])
		l.RootAttrs, l.DataAttrs = attrsJSON(doc.Attrs), attrsJSON(doc.DataAttrs)
		out = append(out, l)
	}
	if len(doc.Sets)+len(doc.Props)+len(doc.Collections) > 0 || len(doc.Events) == 0 {
		l := jsonLine{Offset: it.Offset, Lead: it.Lead, Root: doc.Root,
			DataName: optional(doc.DataName, doc.HasDataName), DataCount: optional(doc.DataCount, doc.HasDataCount),
			RootAttrs: attrsJSON(doc.Attrs), DataAttrs: attrsJSON(doc.DataAttrs),
			Sets: setsJSON(doc.Sets), Collections: collectionsJSON(doc.Collections)}
		if len(doc.Props) > 0 {
			l.Props = ptr(props(doc.Props))
		}
		out = append(out, l)
	}
	return out
}

func eventJSON(it oktell.Item, ev *oktell.Event) jsonLine {
	l := jsonLine{Offset: it.Offset, Lead: it.Lead, ID: ptr(int(ev.Type)), Type: ev.Type.String(), Name: ptr(ev.Name), Attrs: attrsJSON(ev.Attrs),
		Props: ptr(props(ev.Props)), Sets: setsJSON(ev.Sets), Collections: collectionsJSON(ev.Collections)}
	if l.Props == nil || len(*l.Props) == 0 {
		l.Props = ptr(props{})
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
			name := sc.StateName
			if sc.State.Known() || name == "" {
				name = sc.State.String()
			}
			l.State, l.StateValue, l.Redirect = ptr(name), ptr(int(sc.State)), ptr(sc.Redirect)
		}
	case oktell.Notify:
		n, err := ev.Notification()
		ferr = err
		typeName := n.TypeName
		if n.Type.Known() || typeName == "" {
			typeName = n.Type.String()
		}
		l.GUID, l.AutoHide, l.DBSaved = ptr(n.GUID), ptr(n.AutoHide), ptr(n.DBSaved)
		l.NotifyType, l.NotifyTypeValue, l.BackColorARGB = ptr(typeName), ptr(int(n.Type)), ptr(n.BackColorARGB)
		if !n.Time.IsZero() {
			l.Time = ptr(n.Time.Format(jsonTime))
		}
		l.Sender, l.Text = ptr(n.Sender), ptr(n.Text)
	case oktell.UserMessage:
		m, err := ev.Message()
		ferr = err
		l.GUID, l.SenderID, l.SenderName, l.Text = ptr(m.GUID), ptr(m.SenderID), ptr(m.SenderName), ptr(m.Text)
		if !m.Time.IsZero() {
			l.Time = ptr(m.Time.Format(jsonTime))
		}
	}
	if ferr != nil {
		l.FieldError = ferr.Error()
	}
	return l
}
