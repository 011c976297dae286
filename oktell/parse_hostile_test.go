package oktell

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attributeBomb is one document whose property carries n attributes a0 … a(n-1) (issue
// 10 item 8: 104,000 of them in 970 KB took 39 s), and a repeat of a(dup) at the end
// when dup >= 0.
func attributeBomb(n, dup int) []byte {
	var b strings.Builder
	b.WriteString(`<oktellcommapper><data><event id="111" name="userstatechanged"><property_simple key="newstate" value="1"`)
	for i := range n {
		fmt.Fprintf(&b, ` a%d="1"`, i)
	}
	if dup >= 0 {
		fmt.Fprintf(&b, ` a%d="2"`, dup)
	}
	b.WriteString(` /></event></data></oktellcommapper>`)
	return []byte(b.String())
}

// Checking a start tag's attributes for repeats costs work linear in their number,
// however many there are: names compared or looked up, counted by the parser.
func TestDecodeAttributeBombWork(t *testing.T) {
	for _, n := range []int{1000, 10000, 100000} {
		p := new(parser)
		_, err := p.decode(attributeBomb(n, -1), 0)
		require.NoError(t, err)
		assert.LessOrEqual(t, p.work, 2*(n+3), "%d attributes", n)
	}
}

// Reading a start tag's attributes allocates in proportion to them, not to their square
// (the list was copied once per attribute): bytes allocated per byte of document stay
// flat from 2,000 to 20,000 attributes.
func TestDecodeAttributeBombAllocations(t *testing.T) {
	perByte := func(n int) float64 {
		doc := attributeBomb(n, -1)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Decode(doc)
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		return float64(after.TotalAlloc-before.TotalAlloc) / float64(len(doc))
	}
	small, large := perByte(2000), perByte(20000)
	assert.Less(t, large, 2*small+4, "bytes allocated per byte: %.1f at 2,000 attributes, %.1f at 20,000", small, large)
	assert.Less(t, large, 64.0, "bytes allocated per byte of document")
}

// A repeat is found wherever it sits, with few attributes and with many.
func TestDecodeRepeatedAttributeAmongMany(t *testing.T) {
	for _, c := range []struct{ n, dup int }{{3, 0}, {3, 2}, {15, 14}, {16, 0}, {17, 16}, {100, 0}, {100, 57}, {5000, 4999}} {
		doc := attributeBomb(c.n, c.dup)
		_, err := Decode(doc)
		var e *Error
		require.True(t, errors.As(err, &e), "%d attributes, a%d twice: %v", c.n, c.dup, err)
		assert.Contains(t, e.Msg, fmt.Sprintf("attribute a%d repeated in <property_simple>", c.dup))
		assert.Equal(t, int64(strings.LastIndex(string(doc), fmt.Sprintf(" a%d=", c.dup))+1), e.Offset)
	}
	d, err := Decode(attributeBomb(5000, -1))
	require.NoError(t, err)
	attrs := d.Events[0].Props[0].Attrs
	assert.Equal(t, 5000, attrs.Len())
	v, ok := attrs.Get("a4999")
	assert.True(t, ok)
	assert.Equal(t, "1", v)

	// Encode finds repeats among many attributes too, and writes many without one.
	many := make([]Attr, 0, 5001)
	for i := range 5000 {
		many = append(many, Attr{Name: fmt.Sprintf("a%d", i), Value: "1"})
	}
	b, err := Encode(&Document{Attrs: NewAttrs(many...)}, UTF8)
	require.NoError(t, err)
	back, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, 5000, back.Attrs.Len())
	_, err = Encode(&Document{Attrs: NewAttrs(append(many, Attr{Name: "a1234", Value: "2"})...)}, UTF8)
	assert.ErrorContains(t, err, "attribute a1234 written twice")
}

// Control characters other than NUL in CDATA, in text and in attribute values, raw or
// as references, are kept as they came (issue 10 item 9), and Encode writes them back so
// that Decode reads the same document, in every encoding.
func TestDecodeKeepsControlCharacters(t *testing.T) {
	doc := "<oktellcommapper version=\"a\x0bb&#7;\"><data><event id=\"114\" name=\"usermessage\">" +
		"<property_cdata key=\"text\"><![CDATA[Word\vpaste \x07bell \x1b[31mred\x1b[0m \x01\x1f]]></property_cdata>" +
		"<property_cdata key=\"plain\">esc \x1b and &#x1B; &#11;</property_cdata>" +
		"<property_simple key=\"guid\" value=\"\x0c\" name=\"&#x8;\" />" +
		"</event></data></oktellcommapper>"
	for _, enc := range []Encoding{UTF8, UTF16LE, UTF16BE} {
		b := []byte(doc)
		if enc != UTF8 {
			b = encodeASCII(doc, enc)
		}
		d, err := Decode(b)
		require.NoError(t, err, enc.String())
		assert.Equal(t, "a\vb\a", d.Version)
		ps := d.Events[0].Props
		assert.Equal(t, "Word\vpaste \abell \x1b[31mred\x1b[0m \x01\x1f", ps[0].Text)
		assert.Equal(t, "esc \x1b and \x1b \v", ps[1].Text)
		assert.Equal(t, "\f", ps[2].Value)
		assert.Equal(t, "\b", ps[2].Name)
		for _, out := range []Encoding{UTF8, UTF16LE, UTF16BE} {
			w, err := Encode(d, out)
			require.NoError(t, err)
			again, err := Decode(w)
			require.NoError(t, err, "%s: %q", out, w)
			assert.Equal(t, d, again, "%s round trip", out)
		}
	}
	// NUL stays no text: raw, as a reference, in every encoding
	for _, bad := range []string{"<oktellcommapper version=\"\x00\"/>", `<oktellcommapper version="&#0;"/>`} {
		for _, b := range [][]byte{[]byte(bad), encodeASCII(bad, UTF16LE), encodeASCII(bad, UTF16BE)} {
			_, err := Decode(b)
			assert.Error(t, err, "%q", b)
		}
	}
}
