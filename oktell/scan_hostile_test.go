package oktell

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repeatReader yields unit over and over, size bytes in all, calling sample every MiB:
// a hostile stream that costs the test no memory of its own.
type repeatReader struct {
	unit   []byte
	left   int64
	off    int
	since  int
	sample func()
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.left)]
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.unit[r.off:])
		r.off = (r.off + c) % len(r.unit)
		n += c
	}
	r.left -= int64(n)
	if r.since += n; r.since >= 1<<20 && r.sample != nil {
		r.since = 0
		r.sample()
	}
	return n, nil
}

// heapGrowth scans size bytes of unit repeated and returns the items and the largest
// growth of the heap in use over what it was before, sampled every MiB of input.
func heapGrowth(t *testing.T, unit []byte, size int64) ([]Item, uint64) {
	t.Helper()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	r := &repeatReader{unit: unit, left: size, sample: func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}}
	items := scanAll(t, r)
	return items, peak - base
}

// A stream of nothing but stray close tags (issue 10 item 7: 1 GB of them took
// okdash decode to 4.69 GB) is one problem, reported once, in bounded memory.
func TestScannerStrayCloseTagsMemory(t *testing.T) {
	const size = 48 << 20
	items, growth := heapGrowth(t, []byte("</oktellcommapper>"), size)
	require.Len(t, items, 1)
	var e *Error
	require.True(t, errors.As(items[0].Err, &e))
	assert.Equal(t, Garbage, e.Kind)
	assert.Equal(t, int64(0), e.Offset)
	assert.Equal(t, fmt.Sprintf("closing </oktellcommapper> with no document open: the start of a document was lost (%d such close tags)", size/18), e.Msg)
	assert.Less(t, growth, uint64(8<<20), "heap grew by %d bytes over %d bytes of stray close tags", growth, size)
}

// A '<' that cannot start "<?xml", "<oktell…" or "</oktell…" is passed without testing
// any pattern at it (issue 10 item 11: a gap of '<' decoded at 5 MB/s), between
// documents and inside them.
func TestScannerPassesPlainLessThan(t *testing.T) {
	doc := readSeed(t, "112_notify.xml")
	for name, gap := range map[string][]byte{
		"less-than": bytes.Repeat([]byte("<"), 1<<20),
		"tags":      bytes.Repeat([]byte("<data><event><p>"), 1<<16),
		"utf-16":    bytes.Repeat(le("<data><event>"), 1<<15),
	} {
		t.Run(name, func(t *testing.T) {
			probes := func(in []byte) int {
				s := NewScanner(bytes.NewReader(in))
				var n int
				for {
					it, err := s.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					require.NoError(t, err)
					require.NoError(t, it.Err)
					n++
				}
				assert.Equal(t, 2, n)
				return s.probes
			}
			two := append(append([]byte(nil), doc...), doc...)
			with := append(append(append([]byte(nil), doc...), gap...), doc...)
			// the documents' own '<' that may start or close one, and nothing more
			assert.Equal(t, probes(two), probes(with), "patterns tested at %d bytes of %s", len(gap), name)
		})
	}
}

// embedded is a message that quotes a whole document, as a colleague pasting XML does.
const embedded = `<?xml version="1.0" encoding="utf-16"?><oktellcommapper version="80710"><data><event id="113" name="voicemail" /></data></oktellcommapper>`

// A CDATA section or a comment that holds "<?xml …?>", a root start or a root close is
// text: the document it sits in is read whole (issue 10 item 9), in every encoding,
// however the input is cut into reads.
func TestScannerCDATAAndComments(t *testing.T) {
	msg := `<oktellcommapper version="80710"><data><event id="114" name="usermessage">` +
		`<property_cdata key="text"><![CDATA[look: ` + embedded + ` </oktellxmlmapper> <!-- ]]></property_cdata>` +
		`<!-- not this either: ` + embedded + ` -->` +
		`</event></data></oktellcommapper>`
	decl := `<?xml version="1.0" encoding="utf-16"?><!-- <oktellcommapper> </oktellcommapper> -->` + "\r\n"
	for _, c := range []struct {
		name string
		enc  func(string) []byte
		want Encoding
	}{{"utf8", func(s string) []byte { return []byte(s) }, UTF8}, {"le", le, UTF16LE}, {"be", be, UTF16BE}} {
		t.Run(c.name, func(t *testing.T) {
			in, offs := logOf(c.enc(msg), c.enc("\r\nxmlevent\r\n"), c.enc(decl+msg), c.enc(embedded))
			for rname, r := range map[string]io.Reader{"whole": bytes.NewReader(in), "bytewise": iotest.OneByteReader(bytes.NewReader(in))} {
				items := scanAll(t, r)
				require.Len(t, items, 3, rname)
				for i, it := range items {
					require.NoError(t, it.Err, "%s item %d", rname, i)
					assert.Equal(t, []int64{offs[0], offs[2], offs[3]}[i], it.Offset, "%s item %d", rname, i)
				}
				for _, it := range items[:2] {
					assert.Equal(t, UserMessage, it.Doc.Events[0].Type)
					assert.Equal(t, "look: "+embedded+" </oktellxmlmapper> <!-- ", it.Doc.Events[0].Props[0].Text, rname)
				}
				assert.Equal(t, "xmlevent", items[1].Lead)
				assert.Equal(t, VoiceMail, items[2].Doc.Events[0].Type)
			}
		})
	}
}

// A document cut short inside a CDATA section or a comment is followed by a good one:
// the good one is read, whether its own close tag, the end of the input or the size
// limit comes first, as before the scanner knew sections.
func TestScannerUnclosedSectionKeepsNextDocument(t *testing.T) {
	good := []byte(embedded)
	withCDATA := []byte(`<oktellcommapper><data><event id="114" name="usermessage"><property_cdata key="text"><![CDATA[ok]]></property_cdata></event></data></oktellcommapper>`)
	for name, c := range map[string]struct {
		cut   string
		parts [][]byte
		docs  []int // the parts read as documents
	}{
		"cdata, then documents": {`<oktellcommapper><data><event id="114" name="usermessage"><property_cdata key="text"><![CDATA[cut here`,
			[][]byte{[]byte("\r\nxmlevent\r\n"), withCDATA, good}, []int{2, 3}},
		"comment, then the end": {`<oktellcommapper><data><!-- cut here`, [][]byte{[]byte("\r\n"), good}, []int{2}},
		"cdata, then a document larger than the limit": {`<oktellcommapper><data><event id="114"><prc k="t"><![CDATA[cut`,
			[][]byte{[]byte("\r\n"), good, []byte(strings.Repeat("text ", 1000))}, []int{2}},
	} {
		t.Run(name, func(t *testing.T) {
			in, offs := logOf(append([][]byte{[]byte(c.cut)}, c.parts...)...)
			var runs [][]scanned
			for _, r := range []io.Reader{bytes.NewReader(in), iotest.OneByteReader(bytes.NewReader(in))} {
				s := NewScanner(r)
				s.SetMaxDocumentSize(2000)
				var docs []int64
				var got []scanned
				for {
					it, err := s.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					require.NoError(t, err)
					if it.Err == nil {
						docs = append(docs, it.Offset)
					}
					got = append(got, scanned{Offset: it.Offset, Len: len(it.Raw), Err: fmt.Sprint(it.Err), Gap: it.Gap, Lead: it.Lead})
				}
				var want []int64
				for _, d := range c.docs {
					want = append(want, offs[d])
				}
				assert.Equal(t, want, docs)
				require.NotEmpty(t, got)
				assert.Contains(t, got[0].Err, "cut short")
				runs = append(runs, got)
			}
			assert.Equal(t, runs[0], runs[1], "whole and one byte at a time")
		})
	}
}

// A UTF-16 log as Windows writes a "Unicode" text file: a byte-order mark, the first
// heading, CR LF, then the documents with no mark of their own (issue 10 item 9). No
// garbage, and the first heading is the first document's lead.
func TestScannerUTF16LogWithBOMAndHeading(t *testing.T) {
	doc := `<?xml version="1.0" encoding="utf-16"?>` + "\r\n" + `<oktellcommapper version="80710"><data><event id="113" name="voicemail" /></data></oktellcommapper>`
	for _, c := range []struct {
		name string
		bom  []byte
		enc  func(string) []byte
		want Encoding
	}{{"le", []byte{0xFF, 0xFE}, le, UTF16LE}, {"be", []byte{0xFE, 0xFF}, be, UTF16BE}} {
		t.Run(c.name, func(t *testing.T) {
			in, offs := logOf(c.bom, c.enc("01.12.2026 09:00:00.123 [INFO] xmlevent\r\n"), c.enc(doc),
				c.enc("\r\n01.12.2026 09:00:01.500 [INFO] xmlevent\r\n"), c.enc(doc), c.enc("\r\n"))
			for rname, r := range map[string]io.Reader{"whole": bytes.NewReader(in), "bytewise": iotest.OneByteReader(bytes.NewReader(in))} {
				items := scanAll(t, r)
				require.Len(t, items, 2, rname)
				for i, it := range items {
					require.NoError(t, it.Err, "%s item %d", rname, i)
					assert.Equal(t, c.want, it.Encoding, "%s item %d", rname, i)
					assert.Equal(t, []int64{offs[2], offs[4]}[i], it.Offset, "%s item %d", rname, i)
				}
				assert.Equal(t, "01.12.2026 09:00:00.123 [INFO] xmlevent", items[0].Lead, rname)
				assert.Equal(t, "01.12.2026 09:00:01.500 [INFO] xmlevent", items[1].Lead, rname)
			}
		})
	}
}

// A control character in CDATA or an attribute (a vertical tab pasted from Word, BEL,
// ESC) no longer costs the document (issue 10 item 9): the scanner hands it over whole.
func TestScannerKeepsDocumentsWithControlCharacters(t *testing.T) {
	doc := "<oktellcommapper><data><event id=\"114\" name=\"usermessage\" note=\"a\x07b\"><property_cdata key=\"text\"><![CDATA[line\vbreak \x1b[31m]]></property_cdata></event></data></oktellcommapper>"
	for name, enc := range map[string]func(string) []byte{"utf8": func(s string) []byte { return []byte(s) }, "le": le, "be": be} {
		in := append([]byte{0xFF, 0xFE}[:0], enc(doc)...)
		items := scanAll(t, iotest.OneByteReader(bytes.NewReader(in)))
		require.Len(t, items, 1, name)
		require.NoError(t, items[0].Err, name)
		assert.Equal(t, "line\vbreak \x1b[31m", items[0].Doc.Events[0].Props[0].Text, name)
		v, _ := items[0].Doc.Events[0].Attrs.Get("note")
		assert.Equal(t, "a\x07b", v, name)
	}
}

// ReuseDocuments: every document of the recorded streams and seeds reads the same,
// documents of every shape in turn (a Notify after a bare VoiceMail, sets after events),
// and a document costs far fewer bytes of allocation.
func TestScannerReuseDocuments(t *testing.T) {
	var all []byte
	for name := range seedFiles() {
		all = append(all, readSeed(t, name)...)
	}
	for _, n := range []string{"commonlog.log", "record.log", "bridge-utf16le.bin"} {
		b, err := os.ReadFile("../testdata/streams/" + n)
		require.NoError(t, err)
		all = append(all, b...)
	}
	checkReuse(t, all)

	stream := bytes.Repeat(readSeed(t, "112_notify.xml"), 2000)
	perDoc := func(reuse bool) float64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s := NewScanner(bytes.NewReader(stream))
		if reuse {
			s.ReuseDocuments()
		}
		for {
			if _, err := s.Next(); err != nil {
				break
			}
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc-before.TotalAlloc) / 2000
	}
	fresh, reused := perDoc(false), perDoc(true)
	assert.Less(t, reused, fresh/4, "bytes allocated per document: %.0f fresh, %.0f reused", fresh, reused)
}
