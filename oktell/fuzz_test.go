package oktell

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// addSeeds gives a fuzz target every seed file and a few hand-picked shapes; the corpus
// in testdata/fuzz adds the inputs that once found bugs.
func addSeeds(f *testing.F) {
	for name := range seedFiles() {
		b, err := readSeedErr(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`<oktellcommapper><data><event id="1"><prc k="a"><![CDATA[x]]>y</prc></event></data></oktellcommapper>`,
		`<oktellxmlmapper version='&#x41;&amp;'><s n="a"><c n="b" cn="1"><s/></c></s></oktellxmlmapper>`,
		"xmlevent 12:00\r\n<?xml version=\"1.0\"?><oktellcommapper><data/></oktellcommapper>\x00\x01</oktellcommapper>",
		// unknown attributes everywhere, second spellings, prefixes
		`<oktellcommapper a="1" x:b='2'><data c="&lt;"><event t="x" id="1"><prc k="a" key="b" v="" value="w"/><s n="s" name="t"><c cn="1" count="2" z=""/></s></event></data></oktellcommapper>`,
	} {
		f.Add([]byte(s))
	}
	// UTF-16 without a BOM after UTF-8 headings of odd length: either byte order matches
	doc := `<oktellcommapper><data><event id="112"><prc k="t"><![CDATA[Линия]]></prc></event></data></oktellcommapper>`
	be, le := utf8ToUTF16(nil, []byte(doc), false), utf8ToUTF16(nil, []byte(doc), true)
	f.Add(append(append(append([]byte("xmlevent\n"), be...), "x"...), be...))
	f.Add(append(append([]byte("ab\x00"), le...), "\r\n"...))
}

// FuzzDecode: Decode never panics, its errors name an offset inside the input, and what
// it reads re-encodes (in every encoding) and decodes to the same document.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(b)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e), "error is not *Error: %v", err)
			require.True(t, e.Offset >= 0 && e.Offset <= int64(len(b)), "offset %d outside input of %d bytes", e.Offset, len(b))
			return
		}
		for _, enc := range []Encoding{UTF16LE, UTF16BE, UTF8} {
			out, err := Encode(d, enc)
			require.NoError(t, err)
			again, err := Decode(out)
			require.NoError(t, err, "%s:\n%q", enc, out)
			require.Equal(t, d, again, "%s round trip", enc)
		}
	})
}

// FuzzScanner: the scanner never panics or loops, reads the same items whether the
// input comes whole or one byte at a time, and every document's Raw is the input's bytes
// at its Offset.
func FuzzScanner(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		whole := scanItems(t, bytes.NewReader(b), b)
		bytewise := scanItems(t, iotest.OneByteReader(bytes.NewReader(b)), b)
		require.Equal(t, whole, bytewise)
	})
}

type scanned struct {
	Offset   int64
	Len      int
	Encoding Encoding
	Err      string
	Gap      int64
	Lead     string
}

func scanItems(t *testing.T, r io.Reader, in []byte) []scanned {
	s := NewScanner(r)
	s.SetMaxDocumentSize(4096)
	var out []scanned
	last := int64(-1)
	for {
		it, err := s.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		require.Less(t, len(out), len(in)+1, "more items than bytes")
		require.True(t, it.Offset >= 0 && it.Offset <= int64(len(in)), "offset %d", it.Offset)
		if it.Err == nil {
			require.Equal(t, in[it.Offset:it.Offset+int64(len(it.Raw))], it.Raw)
			require.Greater(t, it.Offset, last, "documents out of order")
			last = it.Offset
		}
		sc := scanned{Offset: it.Offset, Len: len(it.Raw), Encoding: it.Encoding, Gap: it.Gap, Lead: it.Lead}
		if it.Err != nil {
			sc.Err = it.Err.Error()
		}
		out = append(out, sc)
	}
}

// FuzzDifferential: whatever either reader accepts, the other reads the same way
// (modulo what encoding/xml cannot tell: CDATA from text, CR LF from LF).
func FuzzDifferential(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if msg := differ(b); msg != "" {
			t.Fatalf("%s\ninput: %q", msg, b)
		}
	})
}

// FuzzScannerReuse: with ReuseDocuments each document reads the same as without, at the
// time it is handed out (it is valid until the next call to Next, like Raw).
func FuzzScannerReuse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		checkReuse(t, b)
	})
}

func checkReuse(t *testing.T, b []byte) {
	plain, reusing := NewScanner(bytes.NewReader(b)), NewScanner(iotest.HalfReader(bytes.NewReader(b)))
	reusing.ReuseDocuments()
	for {
		a, aerr := plain.Next()
		r, rerr := reusing.Next()
		require.Equal(t, aerr, rerr)
		if aerr != nil {
			return
		}
		require.Equal(t, a.Offset, r.Offset)
		require.Equal(t, a.Err, r.Err)
		require.Equal(t, a.Doc, r.Doc, "document at %d", a.Offset)
	}
}
