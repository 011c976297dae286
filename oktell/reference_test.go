package oktell

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// This file holds a plain encoding/xml reading of Oktell documents: the reference the
// differential test and the benchmark compare the hand-written decoder with.

// xNode is any element, read generically by xml.Unmarshal.
type xNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xNode    `xml:",any"`
	Text     string     `xml:",chardata"`
	raw      []Attr     // the attributes with their names as written, in order
}

// refUTF8 turns the document's bytes into UTF-8 with x/text, by BOM or by the first bytes.
func refUTF8(b []byte) ([]byte, error) {
	var dec interface{ Bytes([]byte) ([]byte, error) }
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case len(b) >= 2 && b[0] != 0 && b[1] == 0:
		dec = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case len(b) >= 2 && b[0] == 0 && b[1] != 0:
		dec = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	default:
		return bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}), nil
	}
	return dec.Bytes(b)
}

// refIsUTF16 is refUTF8's test for UTF-16: a BOM, or a zero in the first two bytes.
func refIsUTF16(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) ||
		(len(b) >= 2 && (b[0] == 0) != (b[1] == 0))
}

func refCharsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf-8", "utf16", "utf8", "unicode", "us-ascii", "ascii":
		return r, nil
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(r), nil
}

// refDecode reads a document with encoding/xml + xml.Unmarshal and maps the generic tree
// onto Document by the rules of protocol.md 1.1.
func refDecode(b []byte) (*Document, error) {
	u, err := refUTF8(b)
	if err != nil {
		return nil, err
	}
	charsetReader := refCharsetReader
	if refIsUTF16(b) {
		// UTF-16 bytes say what they are: whatever the declaration names is not read
		charsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	}
	// encoding/xml accepts <!...> directives anywhere and skips them when unmarshalling;
	// XML allows only a DOCTYPE, before the root, which Oktell never writes.
	pre := xml.NewDecoder(bytes.NewReader(u))
	pre.CharsetReader = charsetReader
	for {
		tok, err := pre.Token()
		if err != nil {
			break
		}
		if _, ok := tok.(xml.Directive); ok {
			return nil, fmt.Errorf("directive <!%s>", tok)
		}
	}
	// Attribute names as written: Unmarshal resolves prefixes to namespaces, RawToken
	// does not. Start tags come in document order, the order of a pre-order walk.
	var rawAttrs [][]Attr
	raw := xml.NewDecoder(bytes.NewReader(u))
	raw.CharsetReader = charsetReader
	for {
		tok, err := raw.RawToken()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			var as []Attr
			for _, a := range se.Attr {
				name := a.Name.Local
				if a.Name.Space != "" {
					name = a.Name.Space + ":" + name
				}
				as = append(as, Attr{Name: name, Value: a.Value})
			}
			rawAttrs = append(rawAttrs, as)
		}
	}
	var root xNode
	dec := xml.NewDecoder(bytes.NewReader(u))
	dec.CharsetReader = charsetReader
	// Only whitespace, comments and processing instructions may surround the root.
	misc := func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlBlank(string(t)) { // XML's four blanks, not Unicode's (U+200A is text)
				return fmt.Errorf("text outside the root")
			}
		case xml.Comment, xml.ProcInst:
		default:
			return fmt.Errorf("%T outside the root", tok)
		}
		return nil
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := dec.DecodeElement(&root, &se); err != nil {
				return nil, err
			}
			break
		}
		if err := misc(tok); err != nil {
			return nil, err
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := misc(tok); err != nil {
			return nil, err
		}
	}
	var walk func(n *xNode) error
	walk = func(n *xNode) error {
		if len(rawAttrs) == 0 {
			return fmt.Errorf("more elements than start tags")
		}
		n.raw, rawAttrs = rawAttrs[0], rawAttrs[1:]
		for i := range n.Children {
			if err := walk(&n.Children[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(&root); err != nil {
		return nil, err
	}
	if root.XMLName.Local != "oktellcommapper" && root.XMLName.Local != "oktellxmlmapper" {
		return nil, fmt.Errorf("root %s", root.XMLName.Local)
	}
	if err := noText(root); err != nil {
		return nil, err
	}
	d := &Document{Root: root.XMLName.Local}
	f := refFields(root, []string{"version"})
	d.Version, d.HasVersion, d.Attrs = f.vals[0], f.has[0], NewAttrs(f.rest...)
	content := root.Children
	for _, c := range root.Children {
		if c.XMLName.Local == "data" {
			if len(root.Children) != 1 {
				return nil, fmt.Errorf("data beside other content")
			}
			d.HasData = true
			f := refFields(c, []string{"name"}, []string{"count"})
			d.DataName, d.HasDataName = f.vals[0], f.has[0]
			d.DataCount, d.HasDataCount = f.vals[1], f.has[1]
			d.DataAttrs = NewAttrs(f.rest...)
			content = c.Children
			if err := noText(c); err != nil {
				return nil, err
			}
		}
	}
	for _, c := range content {
		switch c.XMLName.Local {
		case "event":
			if err := noText(c); err != nil {
				return nil, err
			}
			ev := Event{}
			f := refFields(c, []string{"id"}, []string{"name"})
			ev.RawID, ev.Name, ev.Attrs = f.vals[0], f.vals[1], NewAttrs(f.rest...)
			ev.ID, ev.Type = resolveEvent(ev.RawID, ev.Name, f.has[1])
			for _, p := range c.Children {
				switch p.XMLName.Local {
				case "property_set", "s":
					s, err := refSet(p)
					if err != nil {
						return nil, err
					}
					ev.Sets = append(ev.Sets, s)
				case "property_collection", "c":
					cl, err := refCollection(p)
					if err != nil {
						return nil, err
					}
					ev.Collections = append(ev.Collections, cl)
				default:
					pr, err := refProp(p)
					if err != nil {
						return nil, err
					}
					ev.Props = append(ev.Props, pr)
				}
			}
			d.Events = append(d.Events, ev)
		case "property_set", "s":
			s, err := refSet(c)
			if err != nil {
				return nil, err
			}
			d.Sets = append(d.Sets, s)
		case "property_collection", "c":
			cl, err := refCollection(c)
			if err != nil {
				return nil, err
			}
			d.Collections = append(d.Collections, cl)
		default:
			pr, err := refProp(c)
			if err != nil {
				return nil, err
			}
			d.Props = append(d.Props, pr)
		}
	}
	return d, nil
}

// xmlBlank is XML's own whitespace, narrower than unicode's.
func xmlBlank(s string) bool { return strings.Trim(s, " \t\r\n") == "" }

// noText: elements that hold only elements may hold blank text only.
func noText(n xNode) error {
	if !xmlBlank(n.Text) {
		return fmt.Errorf("text in <%s>", n.XMLName.Local)
	}
	return nil
}

// refFound is what refFields read: a value and its presence per field, and the
// attributes no field took, in order.
type refFound struct {
	vals []string
	has  []bool
	rest []Attr
}

// refFields fills each field (given by its spellings) from the first attribute spelled
// one of its names; every other attribute is unknown and kept.
func refFields(n xNode, fields ...[]string) refFound {
	f := refFound{vals: make([]string, len(fields)), has: make([]bool, len(fields))}
next:
	for _, a := range n.raw {
		for i, names := range fields {
			if !f.has[i] && slices.Contains(names, a.Name) {
				f.vals[i], f.has[i] = a.Value, true
				continue next
			}
		}
		f.rest = append(f.rest, a)
	}
	return f
}

func refProp(n xNode) (Property, error) {
	var p Property
	switch n.XMLName.Local {
	case "property_simple":
		p.Kind = Simple
	case "property_cdata", "prc":
		p.Kind = CData
	default:
		return p, fmt.Errorf("unknown element %s", n.XMLName.Local)
	}
	if len(n.Children) > 0 {
		return p, fmt.Errorf("element in a property")
	}
	if p.Kind == Simple {
		if err := noText(n); err != nil {
			return p, err
		}
	}
	f := refFields(n, []string{"key", "k"}, []string{"value", "v"}, []string{"name", "n"})
	p.Key, p.Value, p.HasValue, p.Name, p.HasName = f.vals[0], f.vals[1], f.has[1], f.vals[2], f.has[2]
	p.Attrs = NewAttrs(f.rest...)
	if p.Kind == CData && n.Text != "" {
		p.Text, p.HasText = n.Text, true
	}
	return p, nil
}

func refSet(n xNode) (PropertySet, error) {
	var s PropertySet
	if err := noText(n); err != nil {
		return s, err
	}
	f := refFields(n, []string{"name", "n"}, []string{"id"})
	s.Name, s.HasName, s.ID, s.HasID, s.Attrs = f.vals[0], f.has[0], f.vals[1], f.has[1], NewAttrs(f.rest...)
	for _, c := range n.Children {
		if c.XMLName.Local == "property_collection" || c.XMLName.Local == "c" {
			cl, err := refCollection(c)
			if err != nil {
				return s, err
			}
			s.Collections = append(s.Collections, cl)
			continue
		}
		p, err := refProp(c)
		if err != nil {
			return s, err
		}
		s.Props = append(s.Props, p)
	}
	return s, nil
}

func refCollection(n xNode) (Collection, error) {
	var c Collection
	if err := noText(n); err != nil {
		return c, err
	}
	f := refFields(n, []string{"name", "n"}, []string{"count", "cn"})
	c.Name, c.HasName, c.Count, c.HasCount, c.Attrs = f.vals[0], f.has[0], f.vals[1], f.has[1], NewAttrs(f.rest...)
	for _, ch := range n.Children {
		if ch.XMLName.Local != "property_set" && ch.XMLName.Local != "s" {
			return c, fmt.Errorf("%s in a collection", ch.XMLName.Local)
		}
		s, err := refSet(ch)
		if err != nil {
			return c, err
		}
		c.Sets = append(c.Sets, s)
	}
	return c, nil
}

// comparable puts a document in the form both readers agree on: encoding/xml folds
// CRLF to LF and cannot tell CDATA from text, so texts are compared trimmed and with
// LF line ends, and an empty text counts as none.
func comparable(d *Document) *Document {
	norm := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	attrs := func(as Attrs) Attrs {
		var out []Attr
		for a := range as.All() {
			out = append(out, Attr{Name: a.Name, Value: norm(a.Value)})
		}
		return NewAttrs(out...)
	}
	var props func([]Property) []Property
	var sets func([]PropertySet) []PropertySet
	var colls func([]Collection) []Collection
	props = func(ps []Property) []Property {
		var out []Property
		for _, p := range ps {
			p.Key, p.Value, p.Name, p.Attrs = norm(p.Key), norm(p.Value), norm(p.Name), attrs(p.Attrs)
			p.Text = strings.TrimSpace(norm(p.Text))
			p.HasText = p.Text != ""
			out = append(out, p)
		}
		return out
	}
	sets = func(ss []PropertySet) []PropertySet {
		var out []PropertySet
		for _, s := range ss {
			s.Name, s.ID, s.Attrs = norm(s.Name), norm(s.ID), attrs(s.Attrs)
			s.Props, s.Collections = props(s.Props), colls(s.Collections)
			out = append(out, s)
		}
		return out
	}
	colls = func(cs []Collection) []Collection {
		var out []Collection
		for _, c := range cs {
			c.Name, c.Count, c.Attrs = norm(c.Name), norm(c.Count), attrs(c.Attrs)
			c.Sets = sets(c.Sets)
			out = append(out, c)
		}
		return out
	}
	c := *d
	c.Version, c.DataName, c.DataCount = norm(c.Version), norm(c.DataName), norm(c.DataCount)
	c.Attrs, c.DataAttrs = attrs(d.Attrs), attrs(d.DataAttrs)
	c.Events = nil
	for _, e := range d.Events {
		e.RawID, e.Name, e.Attrs = norm(e.RawID), norm(e.Name), attrs(e.Attrs)
		e.Props, e.Sets, e.Collections = props(e.Props), sets(e.Sets), colls(e.Collections)
		c.Events = append(c.Events, e)
	}
	c.Sets, c.Props, c.Collections = sets(d.Sets), props(d.Props), colls(d.Collections)
	return &c
}

// laxInEncodingXML tells the well-formedness rules encoding/xml does not check and
// okdash does: whitespace between attributes, an attribute given twice.
func laxInEncodingXML(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "non-ASCII character") || strings.Contains(msg, "not a text character") || strings.Contains(msg, "after the processing instruction's name") || strings.Contains(msg, "want a space, \">\" or \"/>\" in the start tag") || strings.Contains(msg, "repeated in <")
}

// hasControl reports whether any string of d holds a C0 control other than tab, LF, CR.
func hasControl(d *Document) bool {
	found := false
	check := func(ss ...string) {
		for _, x := range ss {
			found = found || strings.ContainsFunc(x, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' })
		}
	}
	attrs := func(as Attrs) {
		for a := range as.All() {
			check(a.Value)
		}
	}
	props := func(ps []Property) {
		for _, p := range ps {
			check(p.Key, p.Value, p.Name, p.Text)
			attrs(p.Attrs)
		}
	}
	var sets func([]PropertySet)
	colls := func(cs []Collection) {
		for _, c := range cs {
			check(c.Name, c.Count)
			attrs(c.Attrs)
			sets(c.Sets)
		}
	}
	sets = func(ss []PropertySet) {
		for _, s := range ss {
			check(s.Name, s.ID)
			attrs(s.Attrs)
			props(s.Props)
			colls(s.Collections)
		}
	}
	check(d.Version, d.DataName, d.DataCount)
	attrs(d.Attrs)
	attrs(d.DataAttrs)
	for _, e := range d.Events {
		check(e.RawID, e.Name)
		attrs(e.Attrs)
		props(e.Props)
		sets(e.Sets)
		colls(e.Collections)
	}
	props(d.Props)
	sets(d.Sets)
	colls(d.Collections)
	return found
}

// differ compares the two readers on one input; it returns "" when they agree.
func differ(b []byte) string {
	mine, err1 := Decode(b)
	ref, err2 := refDecode(b)
	switch {
	case err1 == nil && err2 != nil && strings.Contains(err2.Error(), "unsupported version"):
		// okdash reads past the declaration's version: the documents are what matters,
		// and a writer that puts "1.1" or junk there still wrote a readable document.
		return ""
	case err1 == nil && err2 != nil && (strings.Contains(err2.Error(), "illegal character code") ||
		strings.Contains(err2.Error(), "invalid character entity")) && hasControl(mine):
		// okdash keeps the C0 controls XML 1.0 forbids (a vertical tab pasted into a
		// message), raw or as references; encoding/xml refuses the whole document.
		return ""
	case err1 == nil && err2 != nil:
		return fmt.Sprintf("okdash reads what encoding/xml rejects (%v)", err2)
	case err1 != nil && err2 == nil && laxInEncodingXML(err1):
		return ""
	case err1 != nil && err2 == nil:
		return fmt.Sprintf("okdash rejects what encoding/xml reads (%v)", err1)
	case err1 != nil:
		return ""
	}
	a, r := comparable(mine), comparable(ref)
	if !assert.ObjectsAreEqual(a, r) {
		return fmt.Sprintf("readings differ:\nokdash:  %+v\nencoding/xml: %+v", a, r)
	}
	return ""
}

func TestDifferentialSeeds(t *testing.T) {
	for name := range seedFiles() {
		b := readSeed(t, name)
		ref, err := refDecode(b)
		require.NoError(t, err, name)
		mine, err := Decode(b)
		require.NoError(t, err, name)
		assert.Equal(t, comparable(ref), comparable(mine), name)
		assert.Empty(t, differ(b), name)
	}
}
