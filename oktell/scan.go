package oktell

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxDocumentSize is the largest document a Scanner reads; a bigger one is skipped and
// reported, so that memory stays bounded whatever arrives.
const MaxDocumentSize = 1 << 20

// Item is one thing found by a Scanner.
type Item struct {
	Offset   int64     // byte offset of the document (or of the problem) in the input
	Raw      []byte    // the document's bytes as they arrived; valid until the next call to Next
	Encoding Encoding  // how Raw is encoded
	Doc      *Document // nil when Err is set
	Err      error     // a malformed, truncated or oversized document, or garbage that is not a log heading
	// Gap is how many bytes were skipped between the previous item and this one (log
	// headings, timestamps, garbage); Lead is the last line or so of them as UTF-8 text,
	// at most 256 bytes, where a log writer puts the document's timestamp.
	Gap  int64
	Lead string
}

const (
	chunkSize = 64 << 10
	// lookaround is how many bytes the scanner keeps unconsumed behind its search position:
	// enough for the longest pattern in UTF-16 plus a byte-order mark in front of it.
	lookaround = 48
	leadMax    = 256
)

type scanState uint8

const (
	outside  scanState = iota // between documents
	inDoc                     // inside a document, looking for its close tag
	skipping                  // inside an oversized document, discarding it
)

// pattern is a document start or end as it looks in one encoding.
type pattern struct {
	enc   Encoding
	root  bool // the root's open tag, as opposed to the declaration
	close bool
	name  string // the root element's name, for a close tag
	b     []byte
}

var startPatterns, closePatterns = func() (s, c [3][]pattern) {
	for _, enc := range []Encoding{UTF16LE, UTF16BE, UTF8} {
		for _, t := range []string{"<?xml", "<oktellcommapper", "<oktellxmlmapper"} {
			s[enc] = append(s[enc], pattern{enc: enc, root: t != "<?xml", b: encodeASCII(t, enc)})
		}
		// without the '>': XML allows spaces before it, which closeTail reads
		for _, t := range []string{"</oktellcommapper", "</oktellxmlmapper"} {
			c[enc] = append(c[enc], pattern{enc: enc, close: true, name: t[2:], b: encodeASCII(t, enc)})
		}
	}
	return
}()

func encodeASCII(s string, enc Encoding) []byte {
	switch enc {
	case UTF16LE:
		return utf8ToUTF16(nil, []byte(s), true)
	case UTF16BE:
		return utf8ToUTF16(nil, []byte(s), false)
	}
	return []byte(s)
}

// Scanner finds whole documents in any byte stream (a pipe, a socket, a log file with
// headings and timestamps around the documents) with bounded memory.
//
// A document starts at "<?xml", "<oktellcommapper" or "<oktellxmlmapper" (with the BOM in
// front of it, when there is one) in UTF-8, UTF-16LE or UTF-16BE, and ends at the matching
// close tag in the same encoding. Without a BOM, a UTF-16 start right after a zero byte
// reads equally well as either byte order (UTF-16BE, or UTF-16LE a byte on). The scanner
// then takes, in turn: the reading that starts right where the previous document ended;
// the one that leaves the bytes before it reading as text (a log heading, which never
// ends in the BE document's zero byte); the alignment of the previous UTF-16 document,
// else of the start of the input. It keeps the other reading in play until the document
// ends, and moves to it when only that one's close tag is there, or when only that one
// decodes (or decodes without control characters, which Cyrillic read a byte off gives).
//
// Inside a document, CDATA sections and comments are text: a message that quotes
// "<?xml …?>", a root start or a root close tag does not split the document. When a
// document so read hides a document start and does not decode, or the last hidden start
// is a whole document of its own (a message cut inside its CDATA, then the next one),
// the scanner reads those bytes again as if it knew no sections, so that no document
// beside a broken one is lost. The cost stays linear: a byte is read a few times at most.
type Scanner struct {
	r     io.Reader
	buf   []byte
	pos   int   // start of what is not yet consumed (the gap, or the document)
	scan  int   // where the search for the next pattern resumes
	end   int   // end of the bytes read
	base  int64 // input offset of buf[0]
	eof   bool
	rerr  error
	max   int
	state scanState

	docStart int // in buf
	docEnc   Encoding
	rootSeen bool
	// selfCheck: the root's start tag was just found; it may close itself ("<x/>"),
	// and then the document ends there
	selfCheck bool
	skipAt    int64 // input offset of the document being skipped

	last16    Encoding // byte order and end of the previous UTF-16 document
	last16End int64
	have16    bool

	// ambiguous: pick chose between a UTF-16LE start at '<' and a UTF-16BE one a byte
	// before it, with no BOM to tell; docAlt: the open document started so, and its
	// other reading is still in play (see inDoc and docDone)
	ambiguous bool
	docAlt    bool

	gap         gapReader
	pendingGap  int64 // Gap and Lead of the open document, for its Item
	pendingLead string
	prevEnd     int64  // input offset just past the previous document
	carryLead   string // the heading found at the end of a cut document, for the next one
	queue       []Item

	// section: the open document's CDATA section or comment being crossed, where a
	// start or close tag is text, not markup; sectionAt is the input offset of the
	// document's first one (-1: none), where a document that does not decode is cut
	// instead (see hiddenStart); rootAt is that of the root's start tag after the
	// declaration, which is no hidden start; tagScan is where the search for the end of
	// the root's start tag resumes.
	section   sectionKind
	sectionAt int64
	rootAt    int64
	tagScan   int
	// blindEnd: before this input offset the scanner reads as it did before it knew
	// sections, cutting a document at every start (see rescanBlind); docScan and
	// docRoot are where the open document's first pattern ended and whether it was the
	// root, to read it again from there.
	blindEnd int64
	docScan  int64
	docRoot  bool

	probes int // patterns tested at a '<' (findAt calls), for the tests that count work

	reuser *parser // set by ReuseDocuments
}

// ReuseDocuments makes each Item's Doc, and every string in it, valid only until the next
// call to Next, as Raw is: the scanner then decodes each document into the memory of the
// one before, an allocation and a copy of its text less per document. For a reader that
// is done with a document before it asks for the next (okdash decode writes it out);
// one that keeps events must not call it.
func (s *Scanner) ReuseDocuments() { s.reuser = reusingParser() }

// decode is decodeAt for the document the scanner hands out.
func (s *Scanner) decode(b []byte, off int64) (*Document, error) {
	if s.reuser != nil {
		return s.reuser.decodeReusing(b, off)
	}
	return decodeAt(b, off)
}

// sectionKind is the kind of markup, inside a document, whose content is not markup.
type sectionKind uint8

const (
	noSection sectionKind = iota
	cdataSection
	commentSection
)

// sectionOpen and sectionClose are "<![CDATA[" and "<!--", "]]>" and "-->", per
// encoding; index by sectionKind-1, then by Encoding.
var sectionOpen, sectionClose = func() (o, c [2][3][]byte) {
	for k, t := range [2][2]string{{"<![CDATA[", "]]>"}, {"<!--", "-->"}} {
		for _, enc := range []Encoding{UTF16LE, UTF16BE, UTF8} {
			o[k][enc], c[k][enc] = encodeASCII(t[0], enc), encodeASCII(t[1], enc)
		}
	}
	return
}()

// NewScanner returns a Scanner reading r.
func NewScanner(r io.Reader) *Scanner {
	return &Scanner{r: r, buf: make([]byte, chunkSize), max: MaxDocumentSize}
}

// SetMaxDocumentSize changes the size limit (MaxDocumentSize by default); for tests and
// for tools that must read unusually large documents.
func (s *Scanner) SetMaxDocumentSize(n int) {
	if n > 0 {
		s.max = n
	}
}

// Next returns the next document or problem. It returns io.EOF at the end of the input,
// or the reader's error; per-document problems come as an Item with Err set. It returns a
// document as soon as its close tag has arrived, without waiting for more input.
func (s *Scanner) Next() (Item, error) {
	for {
		if len(s.queue) > 0 {
			it := s.queue[0]
			s.queue = s.queue[1:]
			return it, nil
		}
		var (
			it   Item
			done bool
			err  error
		)
		switch s.state {
		case outside:
			it, done, err = s.outside()
		case inDoc:
			it, done, err = s.inDoc()
		case skipping:
			done, err = s.skip()
		}
		if err != nil {
			if len(s.queue) > 0 {
				continue
			}
			return Item{}, err
		}
		if done {
			if len(s.queue) > 0 {
				s.queue = append(s.queue, it)
				continue
			}
			return it, nil
		}
	}
}

// fill reads more input. It returns false at the end of the input.
func (s *Scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.end == len(s.buf) {
		keep := s.pos
		if s.state == inDoc && s.docStart < keep {
			keep = s.docStart
		}
		keep = max(keep-lookaround, 0)
		if keep > 0 {
			n := copy(s.buf, s.buf[keep:s.end])
			s.base += int64(keep)
			s.pos -= keep
			s.scan -= keep
			s.docStart -= keep
			s.end = n
		}
		if s.end == len(s.buf) {
			s.buf = append(s.buf, make([]byte, len(s.buf))...)
		}
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.eof, s.rerr = true, io.ErrNoProgress
	return false
}

func (s *Scanner) endErr() error {
	if s.rerr != nil {
		return s.rerr
	}
	return io.EOF
}

// match tells whether pattern p sits at buf[at:]; more means the buffer ends inside a
// prefix of it and more input could decide.
func (s *Scanner) match(at int, p []byte) (ok, more bool) {
	if at < 0 {
		return false, false
	}
	avail := s.buf[at:s.end]
	if len(avail) >= len(p) {
		return bytes.Equal(avail[:len(p)], p), false
	}
	return bytes.HasPrefix(p, avail) && !s.eof, bytes.HasPrefix(p, avail) && !s.eof
}

// found is a pattern match in the buffer.
type found struct {
	at  int // first byte of the pattern (for UTF-16BE, the zero byte before '<')
	end int // just past it
	p   *pattern
}

// findAt checks the '<' at i against the patterns of every encoding (or, for closes, of
// one). more means the buffer ends too early to tell.
func (s *Scanner) findAt(i int, sets [3][]pattern, only int) (f found, ok, more bool) {
	s.probes++
	var room [4]found // at most one start and one close per encoding match at one '<'
	cands := room[:0]
	// Every UTF-16 pattern has a zero byte right after its '<', no UTF-8 one has.
	skip8, skip16 := false, false
	if i+1 < s.end {
		skip8, skip16 = s.buf[i+1] == 0, s.buf[i+1] != 0
	}
	for e := range 3 {
		if only >= 0 && e != only {
			continue
		}
		if (Encoding(e) == UTF8 && skip8) || (Encoding(e) != UTF8 && skip16) {
			continue
		}
		at := i
		if Encoding(e) == UTF16BE {
			at = i - 1
			lo := s.pos
			if s.state == inDoc {
				lo = s.docStart
			}
			if at < lo {
				continue
			}
		}
		for k := range sets[e] {
			p := &sets[e][k]
			m, mm := s.match(at, p.b)
			if mm {
				more = true
			}
			if !m {
				continue
			}
			end := at + len(p.b)
			if p.close {
				e, ok, mm := s.closeTail(end, p.enc)
				if mm {
					more = true
				}
				if !ok {
					continue
				}
				end = e
			}
			cands = append(cands, found{at: at, end: end, p: p})
		}
	}
	if more {
		return found{}, false, true
	}
	switch len(cands) {
	case 0:
		return found{}, false, false
	case 1:
		return cands[0], true, false
	}
	return s.pick(cands), true, false
}

// closeTail reads what may follow a close tag's name, in enc, from buf[k]: XML spaces,
// then '>'. ok is false for anything else (a longer name, or more than maxBOMSpace
// spaces: a writer puts none, and a peer sending endless spaces one at a time must not
// have them read again at every byte); more when the buffer ends first.
func (s *Scanner) closeTail(k int, enc Encoding) (end int, ok, more bool) {
	unit := 1
	if enc != UTF8 {
		unit = 2
	}
	for n := 0; n <= maxBOMSpace; n, k = n+1, k+unit {
		if k+unit > s.end {
			return 0, false, !s.eof
		}
		var c byte
		switch enc {
		case UTF16LE:
			if s.buf[k+1] != 0 {
				return 0, false, false
			}
			c = s.buf[k]
		case UTF16BE:
			if s.buf[k] != 0 {
				return 0, false, false
			}
			c = s.buf[k+1]
		default:
			c = s.buf[k]
		}
		switch c {
		case '>':
			return k + unit, true, false
		case ' ', '\t', '\r', '\n':
		default:
			return 0, false, false
		}
	}
	return 0, false, false
}

// markAfter is the ASCII character after the '<' at buf[i] in any of the three
// encodings: buf[i+1] in UTF-8, the byte after the zero in UTF-16 (LE "3C 00 2F 00" and
// BE "00 3C 00 2F" alike). more means the buffer ends first. It lets the scanner pass a
// '<' that starts no pattern it looks for ("<data", "<<<<") without testing each one.
func (s *Scanner) markAfter(i int) (c byte, more bool) {
	if i+1 >= s.end {
		return 0, !s.eof
	}
	if c = s.buf[i+1]; c != 0 {
		return c, false
	}
	if i+2 >= s.end {
		return 0, !s.eof
	}
	return s.buf[i+2], false
}

// nextMark is the index of the first '<' in b, from i on, that may begin a pattern the
// scanner looks for (see markAfter: "<?", "<o", "</", "<!", in any encoding) or that sits
// too near the end of b to tell; len(b) when there is none. A gap of "<<<<" or a run of
// elements is crossed here, a few instructions a '<'.
func nextMark(b []byte, i int) int {
	for {
		j := indexLT(b[i:])
		if j < 0 {
			return len(b)
		}
		i += j
		if i+2 >= len(b) {
			return i
		}
		c := b[i+1]
		switch c {
		case 0:
			c = b[i+2]
		case '<': // a run of them, eight at a time
			for i++; i+9 <= len(b) && binary.LittleEndian.Uint64(b[i+1:]) == '<'*lanes8; i += 8 {
			}
			continue
		}
		if c == '?' || c == 'o' || c == '/' || c == '!' {
			return i
		}
		i++
	}
}

// indexLT is bytes.IndexByte(b, '<'), quicker when the '<' is near (a gap of "<<<<",
// markup): a call costs more than looking at a few bytes first.
func indexLT(b []byte) int {
	for k := range min(len(b), 8) {
		if b[k] == '<' {
			return k
		}
	}
	if len(b) <= 8 {
		return -1
	}
	if j := bytes.IndexByte(b[8:], '<'); j >= 0 {
		return j + 8
	}
	return -1
}

// closeMayFollow reports whether the "</" at buf[i] may be a root close tag: an 'o'
// follows the '/' in UTF-8 (buf[i+2]) or UTF-16 of either order (buf[i+4]), or the
// buffer ends too early to tell.
func (s *Scanner) closeMayFollow(i int) bool {
	k := i + 2
	if s.buf[i+1] == 0 {
		k = i + 4
	}
	return k >= s.end || s.buf[k] == 'o'
}

// mayStartOrClose reports whether the character after a '<' may begin a document start
// ("<?xml", "<oktell…") or a root close tag ("</oktell…").
func mayStartOrClose(c byte) bool { return c == '?' || c == 'o' || c == '/' }

// pick chooses between a UTF-16LE reading at '<' and a UTF-16BE one a byte earlier.
func (s *Scanner) pick(c []found) found {
	var le, be *found
	for i := range c {
		switch c[i].p.enc {
		case UTF16LE:
			le = &c[i]
		case UTF16BE:
			be = &c[i]
		default:
			return c[i]
		}
	}
	if le == nil || be == nil {
		return c[0]
	}
	if s.state == inDoc || s.state == skipping {
		if s.docEnc == UTF16BE {
			return *be
		}
		return *le
	}
	if s.bomBefore(*le) > 0 {
		return *le
	}
	if s.bomBefore(*be) > 0 {
		return *be
	}
	s.ambiguous = true
	// Documents on a bridge stream follow each other with nothing between them.
	for _, f := range []*found{le, be} {
		if s.base+int64(f.at) == s.prevEnd {
			return *f
		}
	}
	// The bytes before the start: a log heading reads as text, in UTF-8 or in one
	// UTF-16 order. A BE document after a heading of odd length reads, a byte on, as an
	// LE one; but then the gap would end in the BE document's zero byte, which no
	// heading does.
	if leText, beText := s.textBefore(le.at), s.textBefore(be.at); leText != beText {
		if leText {
			return *le
		}
		return *be
	}
	if s.have16 {
		for _, f := range []*found{le, be} {
			if f.p.enc == s.last16 && (s.base+int64(f.at)-s.last16End)%2 == 0 {
				return *f
			}
		}
	}
	if (s.base+int64(le.at))%2 == 0 {
		return *le
	}
	return *be
}

// textBefore reports whether the last bytes before buf[at] (up to 32, back to the start
// of the gap) read as text: UTF-8, or UTF-16 in either order with its code units ending
// at at. An empty tail (a document right at the gap's start) counts as text.
func (s *Scanner) textBefore(at int) bool {
	tail := s.buf[max(s.pos, at-32):at]
	if len(tail) == 0 {
		return true
	}
	u8 := tail
	for k := 0; k < 3 && len(u8) > 0 && !utf8.RuneStart(u8[0]) && len(tail) == 32; k++ {
		u8 = u8[1:] // the window may cut a character: its start is not the text's
	}
	if utf8.Valid(u8) && !bytes.ContainsFunc(u8, func(r rune) bool { return r < 0x80 && !textByte(byte(r)) }) {
		return true
	}
	u16 := tail[len(tail)&1:]
	if len(u16) == 0 {
		return false
	}
	leOK, beOK := true, true
	for k := 0; k+1 < len(u16); k += 2 {
		leOK = leOK && textUnit(uint16(u16[k])|uint16(u16[k+1])<<8)
		beOK = beOK && textUnit(uint16(u16[k])<<8|uint16(u16[k+1]))
	}
	return leOK || beOK
}

// bomBefore is how many bytes before a document start belong to it: a byte-order mark
// and the whitespace a writer may put between the mark and the first '<' (the BOM then
// says the document's encoding; without this, the mark and the spaces were reported as
// garbage). Zero when no BOM precedes the start.
func (s *Scanner) bomBefore(f found) int {
	at := f.at
	unit, bom := 1, []byte{0xEF, 0xBB, 0xBF}
	switch f.p.enc {
	case UTF16LE:
		unit, bom = 2, []byte{0xFF, 0xFE}
	case UTF16BE:
		unit, bom = 2, []byte{0xFE, 0xFF}
	}
	i := at
	for n := 0; n < maxBOMSpace && i-unit >= s.pos && isSpaceUnit(s.buf[i-unit:i], f.p.enc); n++ {
		i -= unit
	}
	if i-len(bom) >= s.pos && bytes.Equal(s.buf[i-len(bom):i], bom) {
		return at - (i - len(bom))
	}
	return 0
}

// maxBOMSpace bounds the whitespace looked through between a BOM and a document.
const maxBOMSpace = 64

// isSpaceUnit reports whether u, one code unit of enc, is XML whitespace.
func isSpaceUnit(u []byte, enc Encoding) bool {
	var c byte
	switch enc {
	case UTF16LE:
		if u[1] != 0 {
			return false
		}
		c = u[0]
	case UTF16BE:
		if u[0] != 0 {
			return false
		}
		c = u[1]
	default:
		c = u[0]
	}
	return c == ' ' || c == '\t' || c == '\r' || c == '\n'
}

// outside looks for the next document start, consuming the gap before it.
func (s *Scanner) outside() (Item, bool, error) {
	for {
		i := nextMark(s.buf[:s.end], s.scan) - s.scan
		if i == s.end-s.scan {
			s.scan = s.end
			if s.eof {
				s.gap.feed(s.buf[s.pos:s.end], s.base+int64(s.pos))
				s.pos = s.end
				if it, bad := s.gap.finish(); bad {
					s.queue = append(s.queue, it)
				}
				return Item{}, false, s.endErr()
			}
			s.consumeGapTo(s.end - lookaround)
			s.fill()
			continue
		}
		i += s.scan
		c, more := s.markAfter(i)
		if more {
			s.scan = i
			s.consumeGapTo(i - lookaround)
			s.fill()
			continue
		}
		if !mayStartOrClose(c) {
			s.scan = i + 1
			continue
		}
		s.ambiguous = false
		var f found
		ok := false
		if c != '/' { // a start; a close tag is "</"
			f, ok, more = s.findAt(i, startPatterns, -1)
		}
		if more {
			s.scan = i
			s.consumeGapTo(i - lookaround)
			if !s.fill() {
				s.scan = i // eof now set: the next findAt decides without waiting
			}
			continue
		}
		if !ok {
			if c != '/' {
				s.scan = i + 1
				continue
			}
			// A close tag here belongs to a document whose start was lost.
			if cf, cok, cmore := s.findAt(i, closePatterns, -1); cmore {
				s.scan = i
				s.consumeGapTo(i - lookaround)
				s.fill()
				continue
			} else if cok {
				s.gap.strayClose(s.base+int64(cf.at), s.base+int64(cf.end), cf.p.name)
				s.scan = cf.end
				continue
			}
			s.scan = i + 1
			continue
		}
		start := f.at - s.bomBefore(f)
		s.gap.feed(s.buf[s.pos:start], s.base+int64(s.pos))
		s.pos = start
		gapItem, bad := s.gap.finish()
		if bad {
			s.queue = append(s.queue, gapItem)
		}
		s.docStart, s.docEnc, s.rootSeen = start, f.p.enc, f.p.root
		s.docAlt = s.ambiguous && s.bomBefore(f) == 0
		s.selfCheck = f.p.root
		s.scan, s.tagScan = f.end, f.end
		s.section, s.sectionAt, s.rootAt = noSection, -1, -1
		s.docScan, s.docRoot = s.base+int64(f.end), f.p.root
		s.state = inDoc
		s.pendingGap, s.pendingLead = gapItem.Gap, gapItem.Lead
		if gapItem.Gap == 0 && s.carryLead != "" {
			s.pendingLead = s.carryLead
		}
		s.carryLead = ""
		return Item{}, false, nil
	}
}

// consumeGapTo hands the gap up to buf[to] to the gap reader, keeping the rest.
func (s *Scanner) consumeGapTo(to int) {
	if to > s.pos {
		s.gap.feed(s.buf[s.pos:to], s.base+int64(s.pos))
		s.pos = to
	}
}

// inDoc looks for the close tag of the open document.
func (s *Scanner) inDoc() (Item, bool, error) {
	for {
		if s.selfCheck {
			end, self, more := s.rootTagEnd()
			if more {
				if it, stop := s.docNotDone(); stop {
					return it, true, nil
				}
				continue
			}
			s.selfCheck = false
			if self {
				if it, ok := s.docDone(end); ok {
					return it, true, nil
				}
				continue
			}
		}
		if s.section != noSection {
			if !s.crossSection() {
				if it, stop := s.docNotDone(); stop {
					return it, true, nil
				}
			}
			continue
		}
		i := nextMark(s.buf[:s.end], s.scan) - s.scan
		if i == s.end-s.scan {
			s.scan = s.end
			if it, stop := s.docNotDone(); stop {
				return it, true, nil
			}
			continue
		}
		i += s.scan
		c, more := s.markAfter(i)
		if more {
			s.scan = i
			if it, stop := s.docNotDone(); stop {
				return it, true, nil
			}
			continue
		}
		if c == '!' && s.base+int64(i) >= s.blindEnd {
			if more := s.openSection(i); more {
				s.scan = i
				if it, stop := s.docNotDone(); stop {
					return it, true, nil
				}
			}
			continue
		}
		if !mayStartOrClose(c) {
			s.scan = i + 1
			continue
		}
		if c == '/' && !s.closeMayFollow(i) {
			s.scan = i + 1 // "</data>", "</event>": not the root's close
			continue
		}
		var f found
		ok := false
		if c == '/' {
			f, ok, more = s.findAt(i, closePatterns, int(s.docEnc))
		}
		if c == '/' && !ok && !more && s.docAlt {
			// Not a close in the chosen byte order, but maybe in the other: then the
			// document was read a byte off (a BE document is not followed by the zero
			// byte that an LE reading of its close tag needs).
			other := UTF16LE
			if s.docEnc == UTF16LE {
				other = UTF16BE
			}
			if af, aok, amore := s.findAt(i, closePatterns, int(other)); aok {
				s.switchReading()
				f, ok = af, true
			} else {
				more = amore
			}
		}
		if c != '/' {
			f, ok, more = s.findAt(i, startPatterns, -1)
			if ok && f.p.root && !s.rootSeen && f.p.enc == s.docEnc {
				// the root element after the declaration
				s.rootSeen, s.selfCheck = true, true
				s.rootAt = s.base + int64(f.at)
				s.scan, s.tagScan = f.end, f.end
				continue
			}
		}
		if more {
			s.scan = i
			if it, stop := s.docNotDone(); stop {
				return it, true, nil
			}
			continue
		}
		if !ok {
			s.scan = i + 1
			continue
		}
		off := s.base + int64(s.docStart)
		if f.p.close {
			if s.docAlt && s.docEnc == UTF16BE && f.end == s.end && !s.eof {
				if _, err := decodeAt(s.buf[s.docStart:f.end], off); err != nil || controlUnits(s.buf[s.docStart:f.end], s.docEnc) {
					// The BE reading fails; the LE one, a byte on, needs the byte after
					// the close tag: wait for it, so that how the input is cut into
					// reads does not change what is read.
					s.scan = i
					if it, stop := s.docNotDone(); stop {
						return it, true, nil
					}
					continue
				}
			}
			if it, ok := s.docDone(f.end); ok {
				return it, true, nil
			}
			continue
		}
		// A new document starts before this one closed.
		return s.cutAt(f.at - s.bomBefore(f)), true, nil
	}
}

// openSection reads the "<!" at buf[i]: at a CDATA section or a comment in the
// document's encoding, the scanner crosses it as text (a message may quote a whole
// document); anything else is passed. more means the buffer ends too early to tell.
func (s *Scanner) openSection(i int) (more bool) {
	at := i
	if s.docEnc == UTF16BE {
		at = i - 1
	}
	if at < s.docStart || (s.docEnc != UTF8 && (at-s.docStart)%2 != 0) {
		s.scan = i + 1 // not on a character of this document
		return false
	}
	for k, open := range sectionOpen {
		ok, mm := s.match(at, open[s.docEnc])
		if mm {
			return true
		}
		if ok {
			s.section = sectionKind(k + 1)
			if s.sectionAt < 0 {
				s.sectionAt = s.base + int64(at)
			}
			s.scan = at + len(open[s.docEnc])
			return false
		}
	}
	s.scan = i + 1
	return false
}

// crossSection moves past the end of the open CDATA section or comment ("]]>", "-->"),
// on a character boundary of the document; false means it is not in the buffer yet.
func (s *Scanner) crossSection() bool {
	end := sectionClose[s.section-1][s.docEnc]
	for {
		k := bytes.Index(s.buf[s.scan:s.end], end)
		if k < 0 {
			// what is searched is not searched again, however the input is cut
			s.scan = max(s.scan, s.end-len(end)+1)
			return false
		}
		k += s.scan
		if s.docEnc != UTF8 && (k-s.docStart)%2 != 0 {
			s.scan = k + 1
			continue
		}
		s.scan, s.section = k+len(end), noSection
		return true
	}
}

// hiddenStarts finds the document starts in the open document's CDATA sections and
// comments, in buf[:to]: the first and the last (BOM included). Starts outside them cut
// the document already, so every start past the first section is a hidden one.
func (s *Scanner) hiddenStarts(to int) (first, last int, ok bool) {
	if s.sectionAt < 0 {
		return 0, 0, false
	}
	for i := int(s.sectionAt-s.base) + 1; i < to; i++ {
		k := bytes.IndexByte(s.buf[i:to], '<')
		if k < 0 {
			break
		}
		i += k
		if c, _ := s.markAfter(i); c != '?' && c != 'o' {
			continue
		}
		f, fok, _ := s.findAt(i, startPatterns, -1)
		if !fok || (f.p.root && s.base+int64(f.at) == s.rootAt) {
			continue
		}
		if start := f.at - s.bomBefore(f); start > s.docStart {
			if !ok {
				first = start
			}
			last, ok = start, true
		}
	}
	return first, last, ok
}

// readsAlone reports whether buf[start:end] is a whole document by itself: no root close
// tag before the one that ends at end, and it decodes. Then a document read whole across
// a CDATA section is two: one cut short inside the section, and this one, whose own
// CDATA closed the section (a cut message followed by the next message).
func (s *Scanner) readsAlone(start, end int) bool {
	for i := start + 1; i < end; i++ {
		k := bytes.IndexByte(s.buf[i:end], '<')
		if k < 0 {
			break
		}
		i += k
		if c, _ := s.markAfter(i); c != '/' {
			continue
		}
		if f, ok, _ := s.findAt(i, closePatterns, int(s.docEnc)); ok && f.end < end {
			return false
		}
	}
	_, err := decodeAt(s.buf[start:end], s.base+int64(start))
	return err == nil
}

// rescanBlind reads the open document again from its start, as the scanner did before it
// knew sections, up to buf[to]: every start cuts the document before it, and the pieces
// are reported one by one. It is what happens to a document whose sections hide starts
// when reading it whole loses a document (see docDone). Each region is read again once.
func (s *Scanner) rescanBlind(to int) {
	s.blindEnd = s.base + int64(to)
	s.scan = int(s.docScan - s.base)
	s.tagScan = s.scan
	s.rootSeen, s.selfCheck = s.docRoot, s.docRoot
	s.section, s.sectionAt, s.rootAt = noSection, -1, -1
}

// cutAt ends the open document at buf[start], where a new one starts before its close
// tag, and reports it cut short.
func (s *Scanner) cutAt(start int) Item {
	off := s.base + int64(s.docStart)
	it := Item{Offset: off, Raw: s.buf[s.docStart:start], Encoding: s.docEnc, Gap: s.pendingGap, Lead: s.pendingLead,
		Err: &Error{Kind: Truncated, Offset: off, Msg: fmt.Sprintf("%s document cut short after %d bytes: a new document starts at byte %d before its close tag",
			s.docEnc, start-s.docStart, s.base+int64(start))}}
	s.pos, s.scan, s.state = start, start, outside
	s.section = noSection
	s.prevEnd = s.base + int64(start)
	s.gap.reset(s.prevEnd)
	// A log heading written after the cut belongs to the next document.
	s.carryLead = tailLead(s.buf[max(s.docStart, start-2*leadMax):start], s.docEnc, (start-s.docStart)%2)
	return it
}

// switchReading moves the open document to the other UTF-16 byte order: an LE reading
// at '<' becomes a BE one a byte before it, and the other way round.
func (s *Scanner) switchReading() {
	if s.docEnc == UTF16LE {
		s.docEnc, s.docStart, s.pendingGap, s.docScan = UTF16BE, s.docStart-1, max(s.pendingGap-1, 0), s.docScan-1
	} else {
		s.docEnc, s.docStart, s.pendingGap, s.docScan = UTF16LE, s.docStart+1, s.pendingGap+1, s.docScan+1
	}
	s.docAlt = false
}

// docDone decodes the document that ends at buf[end] and moves past it; false means it
// is read again instead (see rescanBlind).
func (s *Scanner) docDone(end int) (Item, bool) {
	off := s.base + int64(s.docStart)
	raw := s.buf[s.docStart:end]
	it := Item{Offset: off, Raw: raw, Encoding: s.docEnc, Gap: s.pendingGap, Lead: s.pendingLead}
	if end-s.docStart > s.max {
		if _, _, ok := s.hiddenStarts(s.largeLimit()); ok {
			s.rescanBlind(s.largeLimit())
			return Item{}, false
		}
		it.Raw, it.Err = nil, s.tooLarge(off)
	} else if d, err := s.decode(raw, off); err != nil || (s.docAlt && controlUnits(raw, s.docEnc)) {
		it.Doc, it.Err = d, err
		if s.docAlt {
			// Both byte orders matched at the start; the chosen one does not decode, or
			// decodes to control characters, as Cyrillic read a byte off does. The other
			// reading sits one byte before (BE) or after (LE): keep it if it decodes
			// (without them, when the chosen one decoded).
			altEnc, altStart, altEnd := UTF16BE, s.docStart-1, end-1
			if s.docEnc == UTF16BE {
				altEnc, altStart, altEnd = UTF16LE, s.docStart+1, end+1
			}
			if altStart >= 0 && altEnd <= s.end && (altEnc == UTF16BE || s.buf[end] == 0) {
				altOff := s.base + int64(altStart)
				if d, aerr := decodeAt(s.buf[altStart:altEnd], altOff); aerr == nil && (err != nil || !controlUnits(s.buf[altStart:altEnd], altEnc)) {
					s.switchReading()
					end = altEnd
					it = Item{Offset: altOff, Raw: s.buf[altStart:altEnd], Encoding: altEnc, Doc: d, Gap: s.pendingGap, Lead: s.pendingLead}
				}
			}
		}
	} else {
		it.Doc = d
	}
	if s.sectionAt >= 0 && end-s.docStart <= s.max {
		// Read whole, the document hides starts in its sections: read it as before
		// sections were known when that reading fails, or when its last hidden start
		// is a document of its own.
		if _, last, ok := s.hiddenStarts(end); ok && (it.Err != nil || s.readsAlone(last, end)) {
			s.rescanBlind(end)
			return Item{}, false
		}
	}
	s.docAlt = false
	if s.docEnc != UTF8 {
		s.have16, s.last16, s.last16End = true, s.docEnc, s.base+int64(end)
	}
	s.pos, s.scan, s.state = end, end, outside
	s.prevEnd = s.base + int64(end)
	s.gap.reset(s.prevEnd)
	return it, true
}

// controlUnits reports whether the UTF-16 document b holds a C0 control other than tab,
// LF and CR (always false for UTF-8).
func controlUnits(b []byte, enc Encoding) bool {
	if enc == UTF8 {
		return false
	}
	hi, lo := 0, 1
	if enc == UTF16LE {
		hi, lo = 1, 0
	}
	for k := 0; k+1 < len(b); k += 2 {
		if c := b[k+lo]; b[k+hi] == 0 && c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

// rootTagEnd finds the '>' that ends the root's start tag (from s.tagScan, in the
// document's encoding): end is just past it, self tells whether a '/' came right before
// it, more that the buffer ends first. What it has searched it does not search again.
func (s *Scanner) rootTagEnd() (end int, self, more bool) {
	unit := 1
	if s.docEnc != UTF8 {
		unit = 2
	}
	for k := s.tagScan; ; k++ {
		j := bytes.IndexByte(s.buf[k:s.end], '>')
		if j < 0 {
			s.tagScan = s.end
			return 0, false, !s.eof
		}
		k += j
		c := k // the character's first byte
		switch s.docEnc {
		case UTF16LE:
			if k+1 >= s.end {
				s.tagScan = k
				return 0, false, !s.eof
			}
			if s.buf[k+1] != 0 || (k-s.docStart)%2 != 0 {
				continue
			}
		case UTF16BE:
			c = k - 1
			if s.buf[c] != 0 || (c-s.docStart)%2 != 0 {
				continue
			}
		}
		if c-unit < s.docStart {
			return c + unit, false, false
		}
		slash := s.buf[c-unit] == '/'
		if s.docEnc == UTF16LE {
			slash = s.buf[c-2] == '/' && s.buf[c-1] == 0
		} else if s.docEnc == UTF16BE {
			slash = s.buf[c-2] == 0 && s.buf[c-1] == '/'
		}
		return c + unit, slash, false
	}
}

// docNotDone handles a document whose close has not arrived in the buffer: it reads more,
// or reports the document truncated (end of input) or too large.
func (s *Scanner) docNotDone() (Item, bool) {
	off := s.base + int64(s.docStart)
	if s.end-s.docStart > s.max {
		if _, _, ok := s.hiddenStarts(s.largeLimit()); ok {
			s.rescanBlind(s.largeLimit())
			return Item{}, false
		}
		s.state = skipping
		s.skipAt = off
		s.pos = s.end - lookaround
		it := Item{Offset: off, Encoding: s.docEnc, Gap: s.pendingGap, Lead: s.pendingLead, Err: s.tooLarge(off)}
		return it, true
	}
	// Once the end of input is known, a pattern cut by the buffer's end is decided: search
	// once more before calling the document truncated.
	if wasEOF := s.eof; s.fill() || !wasEOF {
		return Item{}, false
	}
	if _, _, ok := s.hiddenStarts(s.end); ok {
		s.rescanBlind(s.end)
		return Item{}, false
	}
	it := Item{Offset: off, Raw: s.buf[s.docStart:s.end], Encoding: s.docEnc, Gap: s.pendingGap, Lead: s.pendingLead,
		Err: &Error{Kind: Truncated, Offset: off, Msg: fmt.Sprintf("%s document cut short after %d bytes: the input ends before its close tag", s.docEnc, s.end-s.docStart)}}
	s.pos, s.scan, s.state = s.end, s.end, outside
	s.gap.reset(s.base + int64(s.end))
	return it, true
}

// largeLimit bounds the search for a hidden start in a document found too large: the
// size limit less the longest start pattern, so that the search sees the same bytes
// however the input was cut into reads.
func (s *Scanner) largeLimit() int {
	return s.docStart + s.max + 1 - len(startPatterns[UTF16LE][1].b)
}

func (s *Scanner) tooLarge(off int64) error {
	return &Error{Kind: TooLarge, Offset: off, Msg: fmt.Sprintf("%s document larger than %d bytes: skipped up to its close tag", s.docEnc, s.max)}
}

// skip discards an oversized document up to its close tag or the next document.
func (s *Scanner) skip() (bool, error) {
	for {
		i := bytes.IndexByte(s.buf[s.scan:s.end], '<')
		if i >= 0 {
			i += s.scan
			f, ok, more := s.findAt(i, closePatterns, int(s.docEnc))
			if !ok && !more {
				f, ok, more = s.findAt(i, startPatterns, -1)
				if ok && f.p.root && !s.rootSeen && f.p.enc == s.docEnc {
					s.rootSeen = true
					s.scan = f.end
					continue
				}
			}
			if !more {
				if !ok {
					s.scan = i + 1
					continue
				}
				to := f.end
				if !f.p.close {
					to = f.at - s.bomBefore(f)
				}
				s.pos, s.scan, s.state = to, to, outside
				s.prevEnd = s.base + int64(to)
				s.gap.reset(s.prevEnd)
				return false, nil
			}
			s.scan = i
		} else {
			s.scan = s.end
		}
		if s.eof {
			s.pos, s.scan, s.state = s.end, s.end, outside
			s.gap.reset(s.base + int64(s.end))
			return false, nil
		}
		s.pos = max(s.pos, min(s.scan, s.end-lookaround))
		s.fill()
	}
}

// gapReader watches the bytes between documents: it keeps their count, the tail of
// them for the Lead, and whether they read as text (UTF-8, or UTF-16 in either byte
// order) or hold binary garbage.
type gapReader struct {
	start    int64
	n        int64
	notU8    bool
	notLE    bool
	notBE    bool
	badAt    [3]int64 // first offending offset per reading (utf8, le, be)
	pend     []byte   // an incomplete UTF-8 sequence carried to the next feed
	carry    byte     // the first byte of a UTF-16 code unit split between feeds
	carryAt  int64
	hasCarry bool
	evenZero int64 // zero bytes at even and odd distances from the gap's start:
	oddZero  int64 // ASCII text in UTF-16BE has them even, in UTF-16LE odd
	tail     []byte
	// the stray close tags of the gap: only the first is named in the report, so only
	// its name is kept, whatever number of them arrives
	strays    int64
	strayName string
	strayAt   int64
	strayEnd  int64 // just after the last stray close tag: the lead starts after it
}

func (g *gapReader) reset(at int64) {
	*g = gapReader{start: at, tail: g.tail[:0], pend: g.pend[:0]}
}

func (g *gapReader) strayClose(at, end int64, name string) {
	if g.strays == 0 {
		g.strayAt, g.strayName = at, name
	}
	g.strays++
	g.strayEnd = end
}

func textByte(c byte) bool {
	return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// textUnit reports whether a UTF-16 code unit is likely log text: ASCII, Latin and
// Cyrillic letters, general punctuation, and the byte-order mark that starts a "Unicode"
// text file written on Windows (FF FE, then the first heading). Binary data read as
// UTF-16 nearly always hits something else (controls, CJK, surrogates), which is how it
// is told from text.
func textUnit(u uint16) bool {
	switch {
	case u == 0xFEFF:
		return true
	case u >= 0x20 && u < 0x7F:
		return true
	case u == '\t' || u == '\n' || u == '\r' || u == '\f' || u == '\v':
		return true
	case u >= 0xA0 && u < 0x0530:
		return true
	case u >= 0x2000 && u < 0x2200:
		return true
	}
	return false
}

func (g *gapReader) unit(b0, b1 byte, at int64) {
	if !g.notLE && !textUnit(uint16(b0)|uint16(b1)<<8) {
		g.notLE, g.badAt[1] = true, at
	}
	if !g.notBE && !textUnit(uint16(b0)<<8|uint16(b1)) {
		g.notBE, g.badAt[2] = true, at
	}
}

func (g *gapReader) feed(p []byte, at int64) {
	if len(p) == 0 {
		return
	}
	if g.n == 0 {
		g.start = at
	}
	if !g.notU8 {
		q := p
		if len(g.pend) > 0 {
			q = append(g.pend, p...)
		}
		i := 0
		for i < len(q) {
			// eight printable ASCII bytes at once, the bulk of any heading
			for i+8 <= len(q) {
				w := binary.LittleEndian.Uint64(q[i:])
				if w&0x8080808080808080 != 0 || (w+0x6060606060606060)&0x8080808080808080 != 0x8080808080808080 {
					break
				}
				i += 8
			}
			if i >= len(q) {
				break
			}
			c := q[i]
			if c < utf8.RuneSelf {
				if !textByte(c) {
					g.notU8, g.badAt[0] = true, at+int64(i-len(g.pend))
					break
				}
				i++
				continue
			}
			if !utf8.FullRune(q[i:]) {
				break
			}
			r, size := utf8.DecodeRune(q[i:])
			if r == utf8.RuneError && size == 1 {
				g.notU8, g.badAt[0] = true, at+int64(i-len(g.pend))
				break
			}
			i += size
		}
		if !g.notU8 {
			g.pend = append(g.pend[:0], q[i:]...)
		}
	}
	if !g.notLE || !g.notBE {
		for j, c := range p {
			if c == 0 {
				if (g.n+int64(j))%2 == 0 {
					g.evenZero++
				} else {
					g.oddZero++
				}
			}
			if !g.hasCarry {
				g.carry, g.carryAt, g.hasCarry = c, at+int64(j), true
				continue
			}
			g.hasCarry = false
			g.unit(g.carry, c, g.carryAt)
		}
	}
	g.n += int64(len(p))
	if len(p) >= 2*leadMax {
		g.tail = append(g.tail[:0], p[len(p)-2*leadMax:]...)
	} else {
		g.tail = append(g.tail, p...)
		if len(g.tail) > 2*leadMax {
			g.tail = append(g.tail[:0], g.tail[len(g.tail)-2*leadMax:]...)
		}
	}
}

// finish ends the gap: it returns an Item with its size and lead, and bad is true when
// that Item carries a Garbage error to report before the next document.
func (g *gapReader) finish() (Item, bool) {
	it := Item{Offset: g.start, Gap: g.n}
	defer g.reset(g.start + g.n)
	if g.n == 0 {
		return it, false
	}
	if len(g.pend) > 0 && !g.notU8 {
		g.notU8, g.badAt[0] = true, g.start+g.n-int64(len(g.pend))
	}
	if g.hasCarry { // odd length: not UTF-16
		if !g.notLE {
			g.notLE, g.badAt[1] = true, g.carryAt
		}
		if !g.notBE {
			g.notBE, g.badAt[2] = true, g.carryAt
		}
	}
	// The lead is read from the tail of the gap; after a stray close tag, only from what
	// follows it: the orphan fragment before it is reported already, and a heading there
	// belonged to the lost document.
	t, tStart := g.tail, g.start+g.n-int64(len(g.tail))
	if g.strays > 0 && g.strayEnd > tStart {
		cut := min(g.strayEnd-tStart, int64(len(t)))
		t, tStart = t[cut:], tStart+cut
	}
	var lead string
	switch {
	case !g.notU8:
		lead = string(t)
	case !g.notLE || !g.notBE:
		if (tStart-g.start)%2 == 1 {
			t = t[1:]
		}
		leFirst := !g.notLE && (g.notBE || g.oddZero >= g.evenZero)
		u, _ := utf16ToUTF8(nil, t, leFirst)
		lead = string(u)
	}
	it.Lead = leadLine(lead)
	var msgs []string
	at := int64(-1)
	if g.notU8 && g.notLE && g.notBE {
		// Each reading (UTF-8, UTF-16LE, BE) failed somewhere; the gap stops reading as
		// text at the last of those places. The error's offset is the gap's start; that
		// place is said only when it is further in.
		first := max(g.badAt[0], g.badAt[1], g.badAt[2])
		msg := fmt.Sprintf("%d bytes between documents are neither text nor a document", g.n)
		if first != g.start {
			msg += fmt.Sprintf(" (the first unreadable byte is at %d)", first)
		}
		msgs = append(msgs, msg)
		at = g.start
		// The garbage is reported; a whole text line after it (the next document's log
		// heading) is still that document's lead.
		it.Lead = textTailLine(t)
	}
	if g.strays > 0 {
		msg := fmt.Sprintf("closing </%s> with no document open: the start of a document was lost", g.strayName)
		if g.strays > 1 {
			msg += fmt.Sprintf(" (%d such close tags)", g.strays)
		}
		msgs = append(msgs, msg)
		if at < 0 {
			at = g.strayAt
		}
	}
	if len(msgs) == 0 {
		return it, false
	}
	it.Offset = at
	it.Err = &Error{Kind: Garbage, Offset: at, Msg: strings.Join(msgs, "; ")}
	return it, true
}

// textTailLine is the last line of b when b holds a line break before it and the line
// is UTF-8 text without control characters (trailing blanks and line ends aside), else "".
func textTailLine(b []byte) string {
	b = bytes.TrimRight(b, " \t\r\n\f\v")
	i := bytes.LastIndexAny(b, "\r\n")
	if i < 0 {
		return ""
	}
	line := b[i+1:]
	if !utf8.Valid(line) {
		return ""
	}
	for _, c := range line {
		if c < 0x20 || c == 0x7F {
			return ""
		}
	}
	return leadLine(string(line))
}

// tailLead is the last line of the bytes b at the end of a cut document, when that line
// is text after the document's last markup (a log heading, in the document's encoding or
// in UTF-8), else "". odd tells whether b ends at an odd distance from the document's
// start (UTF-16 alignment).
func tailLead(b []byte, enc Encoding, odd int) string {
	lastLine := func(text string) (string, bool) {
		text = strings.TrimRight(text, " \t\r\n")
		i := strings.LastIndexAny(text, "\r\n")
		if i < 0 || strings.ContainsAny(text[i+1:], "<>") {
			return "", false
		}
		line := text[i+1:]
		for _, r := range line {
			if r < 0x20 || r == utf8.RuneError || (r >= 0x80 && !textUnit(uint16(min(r, 0xFFFF)))) {
				return "", false
			}
		}
		return line, line != ""
	}
	if enc != UTF8 {
		u := b
		if (len(u)-odd)%2 == 1 { // align u's start with the document's code units
			u = u[1:]
		}
		t, _ := utf16ToUTF8(nil, u[:len(u)&^1], enc == UTF16LE)
		if line, ok := lastLine(string(t)); ok {
			return leadLine(line)
		}
	}
	if line, ok := lastLine(string(b)); ok {
		return leadLine(line)
	}
	return ""
}

// leadLine is the last non-blank line of s, without control characters, at most leadMax
// bytes (the end of it, cut at a character boundary).
func leadLine(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.TrimRight(s, " \t\r\n\f\v\x00")
	if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		// A byte-order mark (a writer that puts one before each line or document) is
		// not text either.
		if r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0) || r == 0xFEFF {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > leadMax {
		cut := len(s) - leadMax
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
		s = s[cut:]
	}
	return s
}
