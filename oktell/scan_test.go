package oktell

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scanAll reads every item of r, copying Raw (valid only until the next call).
func scanAll(t testing.TB, r io.Reader) []Item {
	t.Helper()
	s := NewScanner(r)
	var items []Item
	for {
		it, err := s.Next()
		if errors.Is(err, io.EOF) {
			return items
		}
		require.NoError(t, err)
		it.Raw = bytes.Clone(it.Raw)
		items = append(items, it)
		require.Less(t, len(items), 100000, "scanner does not end")
	}
}

// logOf builds a stream from parts, returning it and the offset of each part.
func logOf(parts ...[]byte) ([]byte, []int64) {
	var b []byte
	var offs []int64
	for _, p := range parts {
		offs = append(offs, int64(len(b)))
		b = append(b, p...)
	}
	return b, offs
}

func le(s string) []byte { return utf8ToUTF16(nil, []byte(s), true) }
func be(s string) []byte { return utf8ToUTF16(nil, []byte(s), false) }

func TestScannerLog(t *testing.T) {
	notify := readSeed(t, "112_notify.xml")
	um := readSeed(t, "114_usermessage.utf8.xml")
	usc := readSeed(t, "111_userstatechanged.xml")
	beDoc := readSeed(t, "112_notify.utf16be.xml")
	in, offs := logOf(
		[]byte("2026-11-24 12:00:01.123 xmlevent\r\n"), notify,
		[]byte("\r\n2026-11-24 12:00:02.000 xmlevent\r\n"), um,
		[]byte("\r\n"), usc, beDoc,
		[]byte("\r\nend of log\r\n"),
	)
	for name, r := range map[string]func() io.Reader{
		"whole":    func() io.Reader { return bytes.NewReader(in) },
		"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(in)) },
		"half":     func() io.Reader { return iotest.HalfReader(bytes.NewReader(in)) },
	} {
		t.Run(name, func(t *testing.T) {
			items := scanAll(t, r())
			require.Len(t, items, 4)
			for i, it := range items {
				require.NoError(t, it.Err, "item %d", i)
			}
			assert.Equal(t, offs[1], items[0].Offset)
			assert.Equal(t, notify, items[0].Raw)
			assert.Equal(t, UTF16LE, items[0].Encoding)
			assert.Equal(t, offs[1], items[0].Gap)
			assert.Equal(t, "2026-11-24 12:00:01.123 xmlevent", items[0].Lead)
			assert.Equal(t, Notify, items[0].Doc.Events[0].Type)

			assert.Equal(t, offs[3], items[1].Offset)
			assert.Equal(t, UTF8, items[1].Encoding)
			assert.Equal(t, "2026-11-24 12:00:02.000 xmlevent", items[1].Lead)
			assert.Equal(t, UserMessage, items[1].Doc.Events[0].Type)

			assert.Equal(t, offs[5], items[2].Offset)
			assert.Equal(t, int64(2), items[2].Gap)
			assert.Equal(t, "", items[2].Lead)
			assert.Equal(t, offs[6], items[3].Offset)
			assert.Equal(t, UTF16BE, items[3].Encoding)
			assert.Equal(t, int64(0), items[3].Gap)
			assert.Equal(t, notifyEvent, items[3].Doc.Events[0])
		})
	}
}

func TestScannerNoBOM(t *testing.T) {
	doc := `<?xml version="1.0" encoding="utf-16"?><oktellcommapper version="80710"><data><event id="112" name="notify"><property_cdata key="text"><![CDATA[Линия 16016]]></property_cdata></event></data></oktellcommapper>`
	for _, c := range []struct {
		name string
		enc  func(string) []byte
		want Encoding
	}{{"le", le, UTF16LE}, {"be", be, UTF16BE}} {
		t.Run(c.name, func(t *testing.T) {
			in, offs := logOf(c.enc(doc), c.enc("\r\nxmlevent\r\n"), c.enc(doc), c.enc(doc))
			items := scanAll(t, iotest.OneByteReader(bytes.NewReader(in)))
			require.Len(t, items, 3)
			for i, it := range items {
				require.NoError(t, it.Err)
				assert.Equal(t, c.want, it.Encoding)
				assert.Equal(t, "Линия 16016", it.Doc.Events[0].Props[0].Text)
				want := []int64{offs[0], offs[2], offs[3]}[i]
				assert.Equal(t, want, it.Offset, "item %d", i)
			}
			assert.Equal(t, "xmlevent", items[1].Lead, "a UTF-16 heading is text, not garbage")
		})
	}
}

func TestScannerProblems(t *testing.T) {
	good := readSeed(t, "113_voicemail.xml")
	good8 := []byte(`<oktellcommapper version="80710"><data><event id="113" name="voicemail" /></data></oktellcommapper>`)
	cut := readSeed(t, "112_notify.xml")
	cut = cut[:len(cut)/2]
	broken := []byte(`<oktellcommapper><data><event id="1"></data></oktellcommapper>`)
	binary := []byte{0x00, 0x01, 0x02, 0xFF, 0xFE, 0x7F, 0x03, 0x80}
	stray := []byte("</oktellcommapper>\r\n")

	in, offs := logOf(
		good8,                  // 0
		binary,                 // 1
		good,                   // 2
		[]byte("\r\nhead\r\n"), // 3
		cut,                    // 4: a new document starts before it closes
		good,                   // 5
		broken,                 // 6
		stray,                  // 7
		good8,                  // 8
		cut,                    // 9: end of input
	)
	items := scanAll(t, iotest.OneByteReader(bytes.NewReader(in)))
	var got []string
	for _, it := range items {
		if it.Err != nil {
			var e *Error
			require.True(t, errors.As(it.Err, &e))
			got = append(got, fmt.Sprintf("%s@%d", e.Kind, e.Offset))
		} else {
			got = append(got, fmt.Sprintf("doc@%d", it.Offset))
		}
	}
	assert.Equal(t, []string{
		fmt.Sprintf("doc@%d", offs[0]),
		fmt.Sprintf("garbage@%d", offs[1]),
		fmt.Sprintf("doc@%d", offs[2]),
		fmt.Sprintf("truncated@%d", offs[4]),
		fmt.Sprintf("doc@%d", offs[5]),
		fmt.Sprintf("malformed@%d", offs[6]+int64(strings.Index(string(broken), "</data>"))),
		fmt.Sprintf("garbage@%d", offs[7]),
		fmt.Sprintf("doc@%d", offs[8]),
		fmt.Sprintf("truncated@%d", offs[9]),
	}, got)
	for _, it := range items {
		if it.Err != nil {
			t.Log(it.Err)
		}
	}
}

func TestScannerTooLarge(t *testing.T) {
	good := readSeed(t, "113_voicemail.xml")
	big := []byte(`<oktellcommapper><data><event id="112" name="notify"><property_cdata key="text"><![CDATA[` +
		strings.Repeat("x", 5000) + `]]></property_cdata></event></data></oktellcommapper>`)
	in, offs := logOf(good, big, []byte("\n"), good, big)
	s := NewScanner(iotest.HalfReader(bytes.NewReader(in)))
	s.SetMaxDocumentSize(1000)
	var kinds []string
	for {
		it, err := s.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if it.Err != nil {
			var e *Error
			require.True(t, errors.As(it.Err, &e))
			kinds = append(kinds, fmt.Sprintf("%s@%d", e.Kind, it.Offset))
		} else {
			kinds = append(kinds, fmt.Sprintf("doc@%d", it.Offset))
		}
	}
	assert.Equal(t, []string{
		fmt.Sprintf("doc@%d", offs[0]), fmt.Sprintf("too large@%d", offs[1]),
		fmt.Sprintf("doc@%d", offs[3]), fmt.Sprintf("too large@%d", offs[4]),
	}, kinds)
}

// TestScannerIdleSocket: a document is delivered as soon as its close tag arrives, while
// the writer stays silent with the connection open.
func TestScannerIdleSocket(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	s := NewScanner(pr)
	got := make(chan Item)
	go func() {
		for {
			it, err := s.Next()
			if err != nil {
				close(got)
				return
			}
			it.Raw = bytes.Clone(it.Raw)
			got <- it
		}
	}()
	for _, name := range []string{"112_notify.xml", "114_usermessage.utf8.xml", "112_notify.utf16be-nobom.xml"} {
		doc := readSeed(t, name)
		go func() { _, _ = pw.Write(doc) }()
		select {
		case it := <-got:
			require.NoError(t, it.Err)
			assert.Equal(t, doc, it.Raw, name)
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no document while the writer is idle", name)
		}
	}
}

type failingReader struct{ r io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset")
	}
	return n, err
}

func TestScannerReaderError(t *testing.T) {
	s := NewScanner(failingReader{bytes.NewReader(readSeed(t, "113_voicemail.xml"))})
	it, err := s.Next()
	require.NoError(t, err)
	require.NoError(t, it.Err)
	_, err = s.Next()
	assert.EqualError(t, err, "connection reset")
}

func TestLeadLine(t *testing.T) {
	assert.Equal(t, "b", leadLine("a\r\nb\r\n\r\n"))
	assert.Equal(t, "ab", leadLine("a\x1b\x07b"))
	long := strings.Repeat("я", 300)
	l := leadLine(long)
	assert.LessOrEqual(t, len(l), 256)
	assert.True(t, strings.HasSuffix(long, l))
}

// TestScannerSelfClosedRoot: "<oktellcommapper version="1"/>" is a whole (empty) document.
func TestScannerSelfClosedRoot(t *testing.T) {
	empty := `<?xml version="1.0"?><oktellcommapper version="80710" />`
	bare := `<oktellxmlmapper/>`
	next := `<oktellcommapper><data><event id="113" name="voicemail" /></data></oktellcommapper>`
	for _, c := range []struct {
		name string
		enc  func(string) []byte
	}{{"utf8", func(s string) []byte { return []byte(s) }}, {"le", le}, {"be", be}} {
		t.Run(c.name, func(t *testing.T) {
			in, offs := logOf(c.enc(empty), c.enc("\r\n"), c.enc(bare), c.enc(next))
			items := scanAll(t, iotest.OneByteReader(bytes.NewReader(in)))
			require.Len(t, items, 3)
			for i, it := range items {
				require.NoError(t, it.Err, "item %d", i)
			}
			assert.Equal(t, []int64{offs[0], offs[2], offs[3]}, []int64{items[0].Offset, items[1].Offset, items[2].Offset})
			assert.Equal(t, "80710", items[0].Doc.Version)
			assert.Equal(t, "oktellxmlmapper", items[1].Doc.Root)
			assert.Equal(t, VoiceMail, items[2].Doc.Events[0].Type)
		})
	}
}

// TestScannerChunking: on streams stitched from document fragments, BOMs, zero bytes
// and noise, the scanner ends, and reads the same items whole as one byte at a time.
func TestScannerChunking(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pieces := [][]byte{[]byte("<?xml"), []byte("<oktellcommapper>"), []byte("</oktellcommapper>"),
		le("<oktellcommapper>"), le("</oktellcommapper>"), be("</oktellcommapper>"), be("<?xml"),
		[]byte("/>"), le("/>"), {0}, {0xFF, 0xFE}, {'<'}, []byte("<data>"), {0x3C, 0}, []byte("\r\n")}
	for n := 0; n < 3000; n++ {
		var b []byte
		for k := rng.Intn(14); k > 0; k-- {
			if rng.Intn(2) == 0 {
				b = append(b, pieces[rng.Intn(len(pieces))]...)
			} else {
				b = append(b, byte(rng.Intn(256)))
			}
		}
		whole := scanItems(t, bytes.NewReader(b), b)
		bytewise := scanItems(t, iotest.OneByteReader(bytes.NewReader(b)), b)
		require.Equal(t, whole, bytewise, "input %q", b)
	}
}

// TestScannerCloseTagSpaces: XML allows spaces before the '>' of an end tag, and a longer
// name is not the root's end.
func TestScannerCloseTagSpaces(t *testing.T) {
	doc := "<oktellcommapper><data><event id=\"113\" name=\"voicemail\" /></data></oktellcommapper \r\n\t>"
	for _, c := range []struct {
		name string
		enc  func(string) []byte
	}{{"utf8", func(s string) []byte { return []byte(s) }}, {"le", le}, {"be", be}} {
		t.Run(c.name, func(t *testing.T) {
			in, offs := logOf(c.enc(doc), c.enc("\r\n"), c.enc(doc))
			items := scanAll(t, iotest.OneByteReader(bytes.NewReader(in)))
			require.Len(t, items, 2)
			for _, it := range items {
				require.NoError(t, it.Err)
			}
			assert.Equal(t, offs[2], items[1].Offset)
			assert.Len(t, items[0].Raw, len(c.enc(doc)))
		})
	}
	// "</oktellcommapperX>" does not end the document: it is cut short by the next one
	in, offs := logOf([]byte(`<oktellcommapper></oktellcommapperX>`), []byte(doc))
	items := scanAll(t, bytes.NewReader(in))
	require.Len(t, items, 2)
	var e *Error
	require.True(t, errors.As(items[0].Err, &e))
	assert.Equal(t, Truncated, e.Kind)
	assert.Equal(t, offs[1], items[1].Offset)
	require.NoError(t, items[1].Err)
}

// TestScannerNoBOMAlignment: UTF-16 documents without a BOM after headings of odd and
// even length, in UTF-8 and in UTF-16 of either order, documents in either order, with
// and without non-ASCII text. A BE document right after a heading reads, one byte on,
// exactly like an LE one; the scanner must still take the right order, offset and
// length, and report no garbage.
func TestScannerNoBOMAlignment(t *testing.T) {
	ascii := `<?xml version="1.0" encoding="utf-16"?><oktellcommapper version="80710"><data><event id="113" name="voicemail" /></data></oktellcommapper>`
	cyr := `<oktellcommapper version="80710"><data><event id="112" name="notify"><property_cdata key="text"><![CDATA[Линия 16016]]></property_cdata></event></data></oktellcommapper>`
	u8 := func(s string) []byte { return []byte(s) }
	headings := map[string]func(string) []byte{"utf8": u8, "le": le, "be": be}
	docEnc := map[Encoding]func(string) []byte{UTF16LE: le, UTF16BE: be}
	for _, hname := range []string{"utf8", "le", "be"} {
		for _, enc := range []Encoding{UTF16LE, UTF16BE} {
			for _, text := range []string{ascii, cyr} {
				for _, head := range []string{"x", "xmlevent\r\n", "2026-11-24 09:00:00.001 xmlevent\r\n", "\r\n2026-11-24 09:00:00.001 xmlevent\n"} {
					if hname != "utf8" && hname != map[Encoding]string{UTF16LE: "le", UTF16BE: "be"}[enc] {
						continue // a UTF-16 log keeps one byte order
					}
					h := headings[hname](head)
					d := docEnc[enc](text)
					name := fmt.Sprintf("%s-heading-%d-bytes/%s/%d-bytes", hname, len(h), enc, len(d))
					t.Run(name, func(t *testing.T) {
						in, offs := logOf(h, d, h, d, d, h)
						for rname, r := range map[string]io.Reader{"whole": bytes.NewReader(in), "bytewise": iotest.OneByteReader(bytes.NewReader(in))} {
							items := scanAll(t, r)
							require.Len(t, items, 3, rname)
							for i, it := range items {
								require.NoError(t, it.Err, "%s item %d", rname, i)
								assert.Equal(t, enc, it.Encoding, "%s item %d", rname, i)
								assert.Equal(t, []int64{offs[1], offs[3], offs[4]}[i], it.Offset, "%s item %d", rname, i)
								assert.Equal(t, d, it.Raw, "%s item %d", rname, i)
								assert.Equal(t, []int64{int64(len(h)), int64(len(h)), 0}[i], it.Gap, "%s item %d", rname, i)
							}
						}
					})
				}
			}
		}
	}
}

// TestScannerNoBOMFallback: when nothing before a start tells the byte order (a one-byte
// heading reads as UTF-8 text, and as LE text with the zero byte that follows it), the
// scanner still ends on the right reading: by the close tag, when only one order's
// matches, or by which reading decodes.
func TestScannerNoBOMFallback(t *testing.T) {
	text := `<oktellcommapper version="80710"><data><event id="112" name="notify"><property_cdata key="text"><![CDATA[Линия 16016]]></property_cdata></event></data></oktellcommapper>`
	cyr, cyrLE := be(text), le(text)
	for name, c := range map[string]struct {
		parts [][]byte
		docs  []int // indexes of the parts that are documents
		enc   Encoding
	}{
		"close tag decides":      {[][]byte{[]byte("x"), cyr, []byte("y")}, []int{1}, UTF16BE},
		"decoding decides":       {[][]byte{[]byte("x"), cyr, cyr}, []int{1, 2}, UTF16BE},
		"decoding decides again": {[][]byte{[]byte("x"), cyr, be("\r\nxmlevent\r\n"), cyr}, []int{1, 3}, UTF16BE},
		// "ab" then a zero: parity says BE, which ends a byte early and does not decode
		"LE read as BE": {[][]byte{[]byte("ab\x00"), cyrLE, []byte("\r\n")}, []int{1}, UTF16LE},
	} {
		t.Run(name, func(t *testing.T) {
			in, offs := logOf(c.parts...)
			for rname, r := range map[string]io.Reader{"whole": bytes.NewReader(in), "bytewise": iotest.OneByteReader(bytes.NewReader(in))} {
				items := scanAll(t, r)
				require.Len(t, items, len(c.docs), rname)
				for i, it := range items {
					require.NoError(t, it.Err, "%s item %d", rname, i)
					assert.Equal(t, c.enc, it.Encoding, "%s item %d", rname, i)
					assert.Equal(t, offs[c.docs[i]], it.Offset, "%s item %d", rname, i)
					assert.Equal(t, c.parts[c.docs[i]], it.Raw, "%s item %d", rname, i)
					assert.Equal(t, "Линия 16016", it.Doc.Events[0].Props[0].Text)
				}
			}
		})
	}
}
