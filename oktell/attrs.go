package oktell

import (
	"encoding/binary"
	"iter"
	"strings"
	"unique"
)

// Attr is an attribute the protocol gives no meaning to (say time on an event), kept as
// it arrived. A second spelling of a known attribute (k beside key) is one too: the
// first spelling fills the field, the rest are kept as Attrs.
type Attr struct {
	Name  string
	Value string
}

// Attrs is an ordered list of unknown attributes. It is a value: two lists with the same
// attributes in the same order are ==, so Property stays comparable (code compares
// properties with ==), and the zero Attrs is the empty list. Build one with NewAttrs or
// Append; read it with All, Len and Get.
type Attrs struct {
	// Each attribute as uvarint(len(name)) name uvarint(len(value)) value, in one
	// interned string: equal lists share one handle, so == compares contents, and the
	// field takes one word (a Property of 80 bytes, not 88; a decoded Notify fits the
	// allocator's 1 KiB class instead of the 1152-byte one).
	h unique.Handle[string]
}

func attrsOf(enc string) Attrs {
	if enc == "" {
		return Attrs{}
	}
	return Attrs{h: unique.Make(enc)}
}

// enc is the encoded list, "" for none.
func (l Attrs) enc() string {
	if l.h == (unique.Handle[string]{}) {
		return ""
	}
	return l.h.Value()
}

// NewAttrs returns the list of as, in order.
func NewAttrs(as ...Attr) Attrs {
	var b []byte
	for _, a := range as {
		b = appendAttr(b, a.Name, a.Value)
	}
	return attrsOf(string(b))
}

// Append returns l with one more attribute at its end; l itself is unchanged.
func (l Attrs) Append(name, value string) Attrs {
	enc := l.enc()
	b := make([]byte, 0, len(enc)+len(name)+len(value)+2*binary.MaxVarintLen64)
	return attrsOf(string(appendAttr(append(b, enc...), name, value)))
}

func appendAttr(b []byte, name, value string) []byte {
	b = binary.AppendUvarint(b, uint64(len(name)))
	b = append(b, name...)
	b = binary.AppendUvarint(b, uint64(len(value)))
	return append(b, value...)
}

// All yields the attributes in order.
func (l Attrs) All() iter.Seq[Attr] {
	return func(yield func(Attr) bool) {
		s := l.enc()
		for len(s) > 0 {
			var a Attr
			a.Name, s = readField(s)
			a.Value, s = readField(s)
			if !yield(a) {
				return
			}
		}
	}
}

func readField(s string) (field, rest string) {
	var n uint64
	for k, shift := 0, 0; k < len(s) && shift < 64; k, shift = k+1, shift+7 {
		n |= uint64(s[k]&0x7F) << shift
		if s[k] < 0x80 {
			if k++; uint64(len(s)-k) < n {
				break
			}
			return s[k : k+int(n)], s[k+int(n):]
		}
	}
	return "", "" // cannot happen: only appendAttr writes enc
}

// List returns the attributes as a slice (nil when there are none).
func (l Attrs) List() []Attr {
	var out []Attr
	for a := range l.All() {
		out = append(out, a)
	}
	return out
}

// Len is how many attributes l holds.
func (l Attrs) Len() int {
	n := 0
	for range l.All() {
		n++
	}
	return n
}

// Empty reports whether l holds no attribute.
func (l Attrs) Empty() bool { return l.h == (unique.Handle[string]{}) }

// Get returns the value of the first attribute called name.
func (l Attrs) Get(name string) (string, bool) {
	for a := range l.All() {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// String shows the list as name="value" pairs, for logs and test failures.
func (l Attrs) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for a := range l.All() {
		if b.Len() > 1 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Name + "=" + `"` + a.Value + `"`)
	}
	b.WriteByte(']')
	return b.String()
}
