package oktell

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding"
)

// MaxDepth is how deeply elements may nest in a document. Real documents go five or six
// levels deep (root, data, set, collection, set, property); 64 leaves room for nested
// collections while stopping a hostile document from exhausting the stack.
const MaxDepth = 64

// Decode reads one whole document from b: UTF-16LE/BE or UTF-8, BOM or not, declaration or
// not, whatever encoding it declares. The error is an *Error naming the byte offset in b
// and what is wrong.
func Decode(b []byte) (*Document, error) { return decodeAt(b, 0) }

// decodeAt decodes b, which sits at offset base of a larger input: every offset in an
// error, its message included, is one in that input.
func decodeAt(b []byte, base int64) (*Document, error) {
	p := parserPool.Get().(*parser)
	defer p.release()
	return p.decode(b, base)
}

func (p *parser) decode(b []byte, base int64) (*Document, error) {
	enc, bom := DetectEncoding(b)
	body := b[bom:]
	p.base, p.bom, p.enc, p.cs = base, bom, enc, nil
	p.segs = p.segBuf[:0]
	var text []byte

	switch enc {
	case UTF16LE, UTF16BE:
		var bad int
		p.scratch, bad = utf16ToUTF8(p.scratch[:0], body, enc == UTF16LE)
		text = p.scratch
		if bad >= 0 {
			if bad == len(body)&^1 {
				return nil, &Error{Kind: Truncated, Offset: base + int64(bom+bad), Msg: fmt.Sprintf("%s document ends in the middle of a code unit (odd length)", enc)}
			}
			return nil, &Error{Kind: Malformed, Offset: base + int64(bom+bad), Msg: fmt.Sprintf("invalid %s: not a text character (NUL, a lone surrogate, U+FFFE or U+FFFF)", enc)}
		}
	default:
		text = body
		if cs, err := charsetFor(declaredEncoding(body)); err != nil {
			return nil, &Error{Kind: Malformed, Offset: base + int64(bom), Msg: err.Error()}
		} else if cs != nil {
			dec, err := cs.NewDecoder().Bytes(body)
			if err != nil {
				return nil, &Error{Kind: Malformed, Offset: base + int64(bom), Msg: fmt.Sprintf("cannot read the declared encoding %q: %v", declaredEncoding(body), err)}
			}
			text, p.cs = dec, cs
		}
		if bad := checkUTF8(text); bad >= 0 {
			p.s = string(text[:bad])
			return nil, &Error{Kind: Malformed, Offset: p.off(bad), Msg: "invalid UTF-8, or not a text character (NUL, U+FFFE or U+FFFF)"}
		}
	}
	// One copy: every string of the document is a substring of this one. A reused
	// parser's document lives only until the next one (see Scanner.ReuseDocuments): its
	// strings are the transcoding buffer itself, or the scanner's bytes, not a copy.
	if p.reuse {
		p.s = unsafe.String(unsafe.SliceData(text), len(text))
	} else {
		p.s = string(text)
	}
	return p.document()
}

// reusingParser is a parser that keeps its buffers and its document's memory from one
// document to the next; what it returns is valid until it decodes again.
func reusingParser() *parser { return &parser{reuse: true} }

// decodeReusing decodes b like decodeAt, into the memory of the previous document.
func (p *parser) decodeReusing(b []byte, base int64) (*Document, error) {
	scratch, blk := p.scratch[:0], p.kept0
	*p = parser{scratch: scratch, reuse: true, kept0: blk}
	return p.decode(b, base)
}

// docBlock holds what nearly every document needs, allocated at once.
type docBlock struct {
	d      Document
	events [1]Event
	props  [8]Property
}

// parserPool keeps parsers and their transcoding buffers between documents.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

// release clears what the parser holds of the last document and pools it.
func (p *parser) release() {
	if cap(p.scratch) > 64<<10 {
		p.scratch = nil // do not keep the buffer of a rare huge document
	}
	scratch := p.scratch[:0]
	*p = parser{scratch: scratch}
	parserPool.Put(p)
}

// off maps an offset in the UTF-8 text to one in the original input.
func (p *parser) off(i int) int64 {
	i = min(i, len(p.s))
	switch {
	case p.enc != UTF8:
		return p.base + int64(p.bom) + utf16Len(p.s[:i])
	case p.cs != nil:
		return p.base + int64(p.bom) + charsetLen(p.cs, []byte(p.s[:i]))
	}
	return p.base + int64(p.bom+i)
}

// utf16Len is how many UTF-16 bytes the UTF-8 text b takes.
func utf16Len(s string) int64 {
	var n int64
	for _, r := range s {
		if r >= 0x10000 {
			n += 4
		} else {
			n += 2
		}
	}
	return n
}

// charsetLen is how many bytes the UTF-8 text b takes in the charset cs.
func charsetLen(cs encoding.Encoding, b []byte) int64 {
	e, err := cs.NewEncoder().Bytes(b)
	if err != nil {
		return int64(utf8.RuneCount(b))
	}
	return int64(len(e))
}

// parser reads the one grammar of Oktell documents over UTF-8 text. Values are substrings
// of s, so an attribute without entities costs no allocation.
type parser struct {
	s         string
	i         int
	depth     int
	nattr     int    // attributes of the start tag just read
	moreAttrs []attr // all of them, once there are more than len(attrBuf)
	// attrNames holds the names of a start tag with more than dupScan attributes, so
	// that a repeated one is found in constant time, not by a scan of all before it
	attrNames map[string]struct{}
	work      int // attribute names compared or looked up, for the tests that count work
	escaped   []string
	kept      []byte // unknown attributes of the start tag just read (see keep)
	segs      []seg
	// where the text came from, to map offsets back (see off)
	base     int64
	bom      int
	enc      Encoding
	cs       encoding.Encoding
	scratch  []byte    // the UTF-8 of a UTF-16 document, reused
	blk      *docBlock // the document being read
	blkProps bool      // blk.props is taken
	// reuse: the document lives until the next one (see reusingParser); kept0 is the
	// block it reuses
	reuse bool
	kept0 *docBlock
	// backing arrays, so that the common case needs no growing
	attrBuf [8]attr
	segBuf  [4]seg
}

// attr is one attribute of the start tag just read, as offsets into the text: holding
// no pointers, the parser fills them without write barriers. A value with entities is
// kept resolved in parser.escaped.
type attr struct {
	ns, ne, vs, ve int32
	esc            int32 // index in parser.escaped, or -1
	kind           attrKind
}

// attrKind names the attributes of the grammar, so that elements switch on a byte.
type attrKind uint8

const (
	atOther   attrKind = iota
	atKey              // key
	atValue            // value
	atName             // name
	atID               // id
	atCount            // count
	atVersion          // version
	atK                // k, the short key
	atV                // v, the short value
	atN                // n, the short name
	atCN               // cn, the short count
)

func classifyAttr(s string) attrKind {
	switch len(s) {
	case 1:
		switch s[0] {
		case 'k':
			return atK
		case 'v':
			return atV
		case 'n':
			return atN
		}
	case 2:
		switch s {
		case "id":
			return atID
		case "cn":
			return atCN
		}
	case 3:
		if s == "key" {
			return atKey
		}
	case 4:
		if s == "name" {
			return atName
		}
	case 5:
		switch s {
		case "value":
			return atValue
		case "count":
			return atCount
		}
	case 7:
		if s == "version" {
			return atVersion
		}
	}
	return atOther
}

// attrList is the attributes of the start tag just read.
func (p *parser) attrList() []attr {
	if p.nattr <= len(p.attrBuf) {
		return p.attrBuf[:p.nattr]
	}
	return p.moreAttrs
}

// dupScan is how many attributes a start tag may have before repeats are looked up in a
// map: below it, comparing with each is cheaper.
const dupScan = 16

// repeated reports whether the start tag just read already has an attribute named an;
// over the whole tag it costs time linear in its attributes, however many there are.
func (p *parser) repeated(an string) bool {
	attrs := p.attrList()
	if len(attrs) < dupScan {
		for k := range attrs {
			p.work++
			if a := &attrs[k]; p.s[a.ns:a.ne] == an {
				return true
			}
		}
		return false
	}
	if len(attrs) == dupScan {
		p.attrNames = make(map[string]struct{}, 4*dupScan)
		for k := range attrs {
			p.work++
			p.attrNames[p.aName(&attrs[k])] = struct{}{}
		}
	}
	p.work++
	if _, ok := p.attrNames[an]; ok {
		return true
	}
	p.attrNames[an] = struct{}{}
	return false
}

func (p *parser) aName(a *attr) string { return p.s[a.ns:a.ne] }

// keep holds an attribute of the start tag just read that the grammar has no field for
// (or a second spelling of one it has), so that nothing that arrived is dropped.
func (p *parser) keep(a *attr) { p.kept = appendAttr(p.kept, p.aName(a), p.aValue(a)) }

// unknownAttrs is what keep held for the start tag just read, as one Attrs: one
// allocation for the lot, and none for a tag without unknown attributes.
func (p *parser) unknownAttrs() Attrs {
	if len(p.kept) == 0 {
		return Attrs{}
	}
	l := attrsOf(string(p.kept))
	p.kept = p.kept[:0]
	return l
}

func (p *parser) aValue(a *attr) string {
	if a.esc >= 0 {
		return p.escaped[a.esc]
	}
	return p.s[a.vs:a.ve]
}

// element kinds of the grammar.
type elemKind uint8

const (
	elUnknown elemKind = iota
	elRoot
	elData
	elEvent
	elSimple
	elCData
	elSet
	elCollection
)

func kindOf(name string) elemKind {
	switch name {
	case "oktellcommapper", "oktellxmlmapper":
		return elRoot
	case "data":
		return elData
	case "event":
		return elEvent
	case "property_simple":
		return elSimple
	case "property_cdata", "prc":
		return elCData
	case "property_set", "s":
		return elSet
	case "property_collection", "c":
		return elCollection
	}
	return elUnknown
}

func (p *parser) errAt(i int, format string, args ...any) *Error {
	return &Error{Kind: Malformed, Offset: p.off(i), Msg: fmt.Sprintf(format, args...)}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) skipSpace() {
	s, i := p.s, p.i // locals: the loop must not store p.i on every byte
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	p.i = i
}

// misc skips whitespace, comments and processing instructions (the declaration
// included). It reports a DOCTYPE, which Oktell never writes, as an error.
func (p *parser) misc() error {
	for {
		p.skipSpace()
		rest := p.s[p.i:]
		switch {
		case strings.HasPrefix(rest, "<?"):
			at := p.i
			p.i += 2
			if _, err := p.name(); err != nil {
				return err // the target name
			}
			if p.i < len(p.s) && !isSpace(p.s[p.i]) && !strings.HasPrefix(p.s[p.i:], "?>") {
				return p.errAt(p.i, "want a space or \"?>\" after the processing instruction's name")
			}
			end := strings.Index(p.s[p.i:], "?>")
			if end < 0 {
				return p.errAt(at, "processing instruction or declaration not closed: want \"?>\"")
			}
			p.i += end + 2
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return p.errAt(p.i, "comment not closed: want \"-->\"")
			}
			p.i += 4 + end + 3
		case strings.HasPrefix(rest, "<!DOCTYPE"):
			return p.errAt(p.i, "DOCTYPE is not allowed in an Oktell document")
		default:
			return nil
		}
	}
}

func isNameStartByte(c byte) bool {
	return c == '_' || c == ':' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isNameByte(c byte) bool {
	return isNameStartByte(c) || c == '-' || c == '.' || ('0' <= c && c <= '9')
}

// nameByte[c] is 1 for a byte that may start a name, 2 for one that may only follow.
var nameByte = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case isNameStartByte(byte(c)):
			t[c] = 1
		case isNameByte(byte(c)):
			t[c] = 2
		}
	}
	return
}()

// lanes8 has a one in each byte: c*lanes8 is c in every byte.
const lanes8 = 0x0101010101010101

// load64 reads eight bytes of s at i, little-endian (one load on amd64 and arm64).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// hasZeroByte is non-zero when a byte of w is zero. (It may flag bytes above the first
// zero one too, so it only tells whether there is one.)
func hasZeroByte(w uint64) uint64 { return (w - lanes8) & ^w & (0x80 * lanes8) }

// valueStop marks the bytes an attribute value scan must look at: both quotes, '&', '<'.
var valueStop = [256]bool{'"': true, '\'': true, '&': true, '<': true}

// name reads an element or attribute name.
func (p *parser) name() (string, error) {
	start := p.i
	if s, i := p.s, p.i; i < len(s) && nameByte[s[i]] == 1 {
		i++
		for i < len(s) && nameByte[s[i]] != 0 {
			i++
		}
		p.i = i
	}
	if p.i < len(p.s) && p.s[p.i] >= utf8.RuneSelf {
		// Oktell writes ASCII names only; XML's tables of non-ASCII name characters
		// differ between Unicode versions, so okdash takes none of them.
		r, _ := utf8.DecodeRuneInString(p.s[p.i:])
		return "", p.errAt(p.i, "non-ASCII character %q in a name", r)
	}
	if p.i == start {
		if p.i >= len(p.s) {
			return "", p.errAt(p.i, "document ends where a name was expected")
		}
		r, _ := utf8.DecodeRuneInString(p.s[p.i:])
		return "", p.errAt(p.i, "want a name, found %q", r)
	}
	return p.s[start:p.i], nil
}

// startTag reads "<name attrs" after the "<"; it returns with attrList filled and whether
// the element closed itself.
func (p *parser) startTag() (name string, at int, empty bool, err error) {
	at = p.i
	p.i++ // '<'
	if name, err = p.name(); err != nil {
		return
	}
	p.nattr = 0
	if len(p.moreAttrs) > 0 || len(p.escaped) > 0 { // no heap writes in the common case
		p.moreAttrs, p.escaped = p.moreAttrs[:0], p.escaped[:0]
	}
	// s and i are locals so the loops do not store p.i on every byte; p.i is set
	// before every call and return.
	s, i := p.s, p.i
	for {
		sp := i
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			p.i = i
			err = p.errAt(i, "document ends inside the start tag of <%s> (opened at byte %d)", name, p.off(at))
			return
		}
		switch s[i] {
		case '>':
			p.i = i + 1
			return
		case '/':
			if i+1 < len(s) && s[i+1] == '>' {
				p.i = i + 2
				empty = true
				return
			}
			p.i = i
			err = p.errAt(i, "want \"/>\" in the start tag of <%s>", name)
			return
		}
		if i == sp {
			p.i = i
			err = p.errAt(i, "want a space, \">\" or \"/>\" in the start tag of <%s>, found %q", name, s[i])
			return
		}
		aAt := i
		p.i = i
		var an, av string
		if an, err = p.name(); err != nil {
			return
		}
		i = p.i
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] != '=' {
			p.i = i
			err = p.errAt(i, "want \"=\" after attribute %s of <%s>", an, name)
			return
		}
		i++
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) || (s[i] != '"' && s[i] != '\'') {
			p.i = i
			err = p.errAt(i, "want a quoted value for attribute %s of <%s>", an, name)
			return
		}
		q := s[i]
		vs := i + 1
		// one pass over the value: find its end, and whether it holds '&' or '<'
		j, special := vs, false
		// eight bytes at a time while none of them is the quote, '&' or '<': a GUID
		// or a date is crossed in a few steps
		for qs := uint64(q) * lanes8; j+8 <= len(s); j += 8 {
			w := load64(s, j)
			if hasZeroByte(w^qs)|hasZeroByte(w^('&'*lanes8))|hasZeroByte(w^('<'*lanes8)) != 0 {
				break
			}
		}
		for j < len(s) {
			c := s[j]
			if valueStop[c] {
				if c == q {
					break
				}
				if c == '<' {
					p.i = j
					err = p.errAt(j, "\"<\" inside the value of attribute %s of <%s>", an, name)
					return
				}
				special = special || c == '&'
			}
			j++
		}
		if j >= len(s) {
			p.i = j
			err = p.errAt(vs-1, "value of attribute %s of <%s> is not closed", an, name)
			return
		}
		i = j + 1
		esc := int32(-1)
		if special {
			if av, err = p.unescape(s[vs:j], vs); err != nil {
				return
			}
			esc = int32(len(p.escaped))
			p.escaped = append(p.escaped, av)
		}
		if p.repeated(an) {
			p.i = i
			err = p.errAt(aAt, "attribute %s repeated in <%s>", an, name)
			return
		}
		// Stored by index into a fixed array: assigning a slice header on the heap
		// would cost a write barrier per attribute.
		// Written field by field in place: a 24-byte value built on the stack and copied
		// in stalls the CPU, its wide loads waiting on the narrow stores that made it.
		var a *attr
		if p.nattr < len(p.attrBuf) {
			a = &p.attrBuf[p.nattr]
		} else {
			if p.nattr == len(p.attrBuf) { // from now on all of them are in moreAttrs
				p.moreAttrs = append(p.moreAttrs[:0], p.attrBuf[:]...)
			}
			p.moreAttrs = append(p.moreAttrs, attr{})
			a = &p.moreAttrs[len(p.moreAttrs)-1]
		}
		p.nattr++
		a.ns, a.ne, a.vs, a.ve, a.esc, a.kind = int32(aAt), int32(aAt+len(an)), int32(vs), int32(j), esc, classifyAttr(an)
	}
}

// unescape resolves entity and character references in raw, which starts at at.
func (p *parser) unescape(raw string, at int) (string, error) {
	amp := strings.IndexByte(raw, '&')
	if amp < 0 {
		return raw, nil
	}
	var b strings.Builder
	b.Grow(len(raw))
	for amp >= 0 {
		b.WriteString(raw[:amp])
		semi := strings.IndexByte(raw[amp:], ';')
		if semi < 0 || semi > 12 {
			return "", p.errAt(at+amp, "\"&\" that starts no entity (want &amp; and friends, or &#N;)")
		}
		ent := raw[amp+1 : amp+semi]
		switch ent {
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "amp":
			b.WriteByte('&')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return "", p.errAt(at+amp, "unknown entity &%s;", ent)
			}
			var n uint64
			var err error
			if ent[1] == 'x' {
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			} else {
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			}
			if err != nil || !textChar(rune(n)) {
				return "", p.errAt(at+amp, "character reference &%s; is not a text character", ent)
			}
			b.WriteRune(rune(n))
		}
		at += amp + semi + 1
		raw = raw[amp+semi+1:]
		amp = strings.IndexByte(raw, '&')
	}
	b.WriteString(raw)
	return b.String(), nil
}

// content is one step through an element's content.
type content uint8

const (
	cEnd   content = iota // the end tag of the element was read
	cChild                // a child start tag follows at p.i
	cText                 // text or CDATA was read into the out parameters
)

// next moves through the content of element name: it skips comments and PIs, reads an
// end tag, or stops before a child. Text is returned as written (entities resolved).
func (p *parser) next(name string, openAt int) (c content, text string, cdata bool, at int, err error) {
	for {
		if p.i >= len(p.s) {
			return 0, "", false, 0, p.errAt(p.i, "document ends before </%s> (opened at byte %d)", name, p.off(openAt))
		}
		if p.s[p.i] != '<' {
			at = p.i
			end := strings.IndexByte(p.s[p.i:], '<')
			if end < 0 {
				end = len(p.s) - p.i
			}
			raw := p.s[p.i : p.i+end]
			p.i += end
			if gt := strings.Index(raw, "]]>"); gt >= 0 {
				return 0, "", false, 0, p.errAt(at+gt, "\"]]>\" outside CDATA in <%s>", name)
			}
			text, err = p.unescape(raw, at)
			return cText, text, false, at, err
		}
		rest := p.s[p.i:]
		if len(rest) > 1 && nameByte[rest[1]] == 1 {
			return cChild, "", false, p.i, nil // the common case: a child's start tag
		}
		switch {
		case strings.HasPrefix(rest, "</"):
			at = p.i
			// the common case: the expected end tag, compared without reading a name
			if e := 2 + len(name); len(rest) > e && rest[2:e] == name && rest[e] == '>' {
				p.i += e + 1
				return cEnd, "", false, at, nil
			}
			p.i += 2
			n, err := p.name()
			if err != nil {
				return 0, "", false, 0, err
			}
			if n != name {
				return 0, "", false, 0, p.errAt(at, "</%s> closes <%s> (opened at byte %d)", n, name, p.off(openAt))
			}
			p.skipSpace()
			if p.i >= len(p.s) || p.s[p.i] != '>' {
				return 0, "", false, 0, p.errAt(p.i, "want \">\" to end </%s>", name)
			}
			p.i++
			return cEnd, "", false, at, nil
		case strings.HasPrefix(rest, "<![CDATA["):
			at = p.i
			end := strings.Index(rest[9:], "]]>")
			if end < 0 {
				return 0, "", false, 0, p.errAt(p.i, "CDATA section not closed: want \"]]>\"")
			}
			p.i += 9 + end + 3
			return cText, rest[9 : 9+end], true, at, nil
		case strings.HasPrefix(rest, "<!--"), strings.HasPrefix(rest, "<?"):
			if err := p.misc(); err != nil {
				return 0, "", false, 0, err
			}
		case strings.HasPrefix(rest, "<!"):
			return 0, "", false, 0, p.errAt(p.i, "unexpected markup declaration in <%s>", name)
		default:
			return cChild, "", false, p.i, nil
		}
	}
}

func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			return false
		}
	}
	return true
}

// child moves to the next child element of element name, which holds only elements:
// it returns ok with the child's start tag read (attrList filled), or !ok after the end
// tag of name. Non-blank text is an error.
func (p *parser) child(name string, openAt int) (kind elemKind, cname string, at int, empty, ok bool, err error) {
	for {
		p.skipSpace() // indentation, the common case of text here
		// the common cases first: a child's start tag, or the expected end tag
		if rest := p.s[p.i:]; len(rest) > 1 && rest[0] == '<' {
			if nameByte[rest[1]] == 1 {
				cname, at, empty, err := p.startTag()
				if err != nil {
					return 0, "", 0, false, false, err
				}
				return kindOf(cname), cname, at, empty, true, nil
			}
			if e := 2 + len(name); rest[1] == '/' && len(rest) > e && rest[2:e] == name && rest[e] == '>' {
				p.i += e + 1
				return 0, "", 0, false, false, nil
			}
		}
		c, text, cdata, tat, err := p.next(name, openAt)
		if err != nil {
			return 0, "", 0, false, false, err
		}
		switch c {
		case cEnd:
			return 0, "", 0, false, false, nil
		case cText:
			if cdata || !isBlank(text) {
				return 0, "", 0, false, false, p.errAt(tat, "text %q where <%s> holds only elements", clip(text), name)
			}
		case cChild:
			cname, at, empty, err := p.startTag()
			if err != nil {
				return 0, "", 0, false, false, err
			}
			return kindOf(cname), cname, at, empty, true, nil
		}
	}
}

// enter counts one more level of nesting; leave undoes it.
func (p *parser) enter(openAt int) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errAt(openAt, "elements nest deeper than %d levels", MaxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	n := 40
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func (p *parser) unexpected(cname string, at int, in string) error {
	if kindOf(cname) == elUnknown {
		return p.errAt(at, "unknown element <%s> in <%s>", cname, in)
	}
	return p.errAt(at, "<%s> is not allowed in <%s>", cname, in)
}

// document reads the whole document.
func (p *parser) document() (*Document, error) {
	if err := p.misc(); err != nil {
		return nil, err
	}
	if p.i >= len(p.s) {
		return nil, p.errAt(p.i, "no root element: want <oktellcommapper> or <oktellxmlmapper>")
	}
	if p.s[p.i] != '<' {
		return nil, p.errAt(p.i, "want <oktellcommapper> or <oktellxmlmapper>, found text %q", clip(p.s[p.i:]))
	}
	name, at, empty, err := p.startTag()
	if err != nil {
		return nil, err
	}
	if kindOf(name) != elRoot {
		return nil, p.errAt(at, "root element <%s>: want <oktellcommapper> or <oktellxmlmapper>", name)
	}
	// The document, its first event and that event's first eight properties (a Notify
	// has eight) come in one allocation.
	if p.reuse && p.kept0 != nil {
		*p.kept0 = docBlock{d: Document{Root: name}}
		p.blk = p.kept0
	} else {
		p.blk = &docBlock{d: Document{Root: name}}
		if p.reuse {
			p.kept0 = p.blk
		}
	}
	d := &p.blk.d
	attrs := p.attrList()
	for k := range attrs {
		a := &attrs[k]
		if a.kind == atVersion {
			d.Version, d.HasVersion = p.aValue(a), true
		} else {
			p.keep(a)
		}
	}
	if len(p.kept) > 0 { // no heap write in the common case
		d.Attrs = p.unknownAttrs()
	}
	if !empty {
		if err := p.root(d, name, at); err != nil {
			return nil, err
		}
	}
	if err := p.misc(); err != nil {
		return nil, err
	}
	if p.i < len(p.s) {
		return nil, p.errAt(p.i, "content after </%s>", name)
	}
	return d, nil
}

// root reads the content of the root element: one data element, or what data would hold.
func (p *parser) root(d *Document, name string, at int) error {
	if err := p.enter(at); err != nil {
		return err
	}
	defer p.leave()
	sawData, sawOther := false, false
	for {
		k, cname, cat, cempty, ok, err := p.child(name, at)
		if err != nil || !ok {
			return err
		}
		if k != elData {
			if sawData {
				return p.errAt(cat, "<%s> outside <data> in <%s>", cname, name)
			}
			sawOther = true
			if err := p.container(d, k, cname, cat, cempty, name); err != nil {
				return err
			}
			continue
		}
		if sawData {
			return p.errAt(cat, "a second <data> in <%s>", name)
		}
		if sawOther {
			return p.errAt(cat, "<data> after content outside it in <%s>", name)
		}
		sawData, d.HasData = true, true
		attrs := p.attrList()
		for k := range attrs {
			a := &attrs[k]
			switch a.kind {
			case atName:
				d.DataName, d.HasDataName = p.aValue(a), true
			case atCount:
				d.DataCount, d.HasDataCount = p.aValue(a), true
			default:
				p.keep(a)
			}
		}
		if len(p.kept) > 0 { // no heap write in the common case
			d.DataAttrs = p.unknownAttrs()
		}
		if cempty {
			continue
		}
		if err := p.data(d, cname, cat); err != nil {
			return err
		}
	}
}

func (p *parser) data(d *Document, name string, at int) error {
	if err := p.enter(at); err != nil {
		return err
	}
	defer p.leave()
	for {
		k, cname, cat, cempty, ok, err := p.child(name, at)
		if err != nil || !ok {
			return err
		}
		if err := p.container(d, k, cname, cat, cempty, name); err != nil {
			return err
		}
	}
}

// container reads one child of data (or of the root, for documents without data).
func (p *parser) container(d *Document, k elemKind, name string, at int, empty bool, in string) error {
	switch k {
	case elEvent:
		ev, err := p.event(name, at, empty)
		if err != nil {
			return err
		}
		if d.Events == nil {
			d.Events = p.blk.events[:0:1] // one event per document is the rule
		}
		d.Events = append(d.Events, ev)
	case elSet:
		s, err := p.set(name, at, empty)
		if err != nil {
			return err
		}
		d.Sets = append(d.Sets, s)
	case elSimple, elCData:
		d.Props = grow(d.Props)
		if err := p.property(&d.Props[len(d.Props)-1], k, name, at, empty); err != nil {
			return err
		}
	case elCollection:
		c, err := p.collection(name, at, empty)
		if err != nil {
			return err
		}
		d.Collections = append(d.Collections, c)
	default:
		return p.unexpected(name, at, in)
	}
	return nil
}

func (p *parser) event(name string, at int, empty bool) (Event, error) {
	var ev Event
	hasName := false
	attrs := p.attrList()
	for k := range attrs {
		a := &attrs[k]
		switch a.kind {
		case atID:
			ev.RawID = p.aValue(a)
		case atName:
			ev.Name, hasName = p.aValue(a), true
		default:
			p.keep(a)
		}
	}
	if len(p.kept) > 0 { // no heap write in the common case
		ev.Attrs = p.unknownAttrs()
	}
	ev.ID, ev.Type = resolveEvent(ev.RawID, ev.Name, hasName)
	if empty {
		return ev, nil
	}
	if err := p.enter(at); err != nil {
		return ev, err
	}
	defer p.leave()
	for {
		k, cname, cat, cempty, ok, err := p.child(name, at)
		if err != nil || !ok {
			return ev, err
		}
		switch k {
		case elSimple, elCData:
			if ev.Props == nil {
				if !p.blkProps {
					ev.Props, p.blkProps = p.blk.props[:0:len(p.blk.props)], true
				} else {
					ev.Props = make([]Property, 0, 8)
				}
			}
			ev.Props = grow(ev.Props)
			if err := p.property(&ev.Props[len(ev.Props)-1], k, cname, cat, cempty); err != nil {
				return ev, err
			}
		case elSet:
			s, err := p.set(cname, cat, cempty)
			if err != nil {
				return ev, err
			}
			ev.Sets = append(ev.Sets, s)
		case elCollection:
			c, err := p.collection(cname, cat, cempty)
			if err != nil {
				return ev, err
			}
			ev.Collections = append(ev.Collections, c)
		default:
			return ev, p.unexpected(cname, cat, name)
		}
	}
}

// resolveEvent turns the id and name attributes into the event's type: a known name wins
// over the id (the seed's own UserMessage example says id="112"); else the id, known or not.
func resolveEvent(rawID, name string, hasName bool) (int, EventType) {
	id, err := strconv.Atoi(strings.TrimSpace(rawID))
	if err != nil {
		id = 0
	}
	if hasName {
		if t, ok := EventTypeByName(name); ok {
			return id, t
		}
	}
	return id, EventType(id)
}

// property reads a property into *pr, a zero slot of the slice it belongs to: filled in
// place, the 88-byte value is not copied twice on its way there.
func (p *parser) property(pr *Property, k elemKind, name string, at int, empty bool) error {
	pr.Kind = Simple
	if k == elCData {
		pr.Kind = CData
	}
	hasKey := false
	attrs := p.attrList()
	for k := range attrs {
		a := &attrs[k]
		// The first of the two spellings (key or k) fills the field; a second one is kept
		// as an unknown attribute.
		switch {
		case (a.kind == atKey || a.kind == atK) && !hasKey:
			pr.Key, hasKey = p.aValue(a), true
		case (a.kind == atValue || a.kind == atV) && !pr.HasValue:
			pr.Value, pr.HasValue = p.aValue(a), true
		case (a.kind == atName || a.kind == atN) && !pr.HasName:
			pr.Name, pr.HasName = p.aValue(a), true
		default:
			p.keep(a)
		}
	}
	if len(p.kept) > 0 { // no heap write in the common case
		pr.Attrs = p.unknownAttrs()
	}
	if empty {
		return nil
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxDepth {
		return p.errAt(at, "elements nest deeper than %d levels", MaxDepth)
	}
	// Text is kept as written. With a CDATA section present, blank text around it is
	// the writer's indentation; without one, any text is the value.
	segs := p.segs[:0]
	hasCDATA := false
	for {
		c, text, cdata, _, err := p.next(name, at)
		if err != nil {
			return err
		}
		switch c {
		case cEnd:
			p.segs = segs[:0]
			if pr.Kind == Simple {
				if hasCDATA || !allBlank(segs) {
					return p.errAt(at, "<%s> holds text; only property_cdata may", name)
				}
				return nil
			}
			if len(segs) == 0 {
				return nil
			}
			pr.HasText = true
			keep := func(t seg) bool { return !hasCDATA || t.cdata || !isBlank(t.text) }
			n := 0
			for _, t := range segs {
				if keep(t) {
					n++
					pr.Text = t.text
				}
			}
			if n > 1 { // only then is a new string needed
				var sb strings.Builder
				for _, t := range segs {
					if keep(t) {
						sb.WriteString(t.text)
					}
				}
				pr.Text = sb.String()
			} else if n == 0 {
				pr.Text = ""
			}
			return nil
		case cText:
			hasCDATA = hasCDATA || cdata
			segs = append(segs, seg{text, cdata})
		case cChild:
			cname, cat, _, err := p.startTag()
			if err != nil {
				return err
			}
			return p.errAt(cat, "<%s> inside <%s>: a property holds no elements", cname, name)
		}
	}
}

// grow adds a zero property at the end of ps. The decoder's slices are fresh and only
// ever grow, so the room past their length is zero already and need not be written.
func grow(ps []Property) []Property {
	if len(ps) < cap(ps) {
		return ps[:len(ps)+1]
	}
	return append(ps, Property{})
}

type seg struct {
	text  string
	cdata bool
}

func allBlank(ts []seg) bool {
	for _, t := range ts {
		if t.cdata || !isBlank(t.text) {
			return false
		}
	}
	return true
}

func (p *parser) set(name string, at int, empty bool) (PropertySet, error) {
	var s PropertySet
	attrs := p.attrList()
	for k := range attrs {
		a := &attrs[k]
		switch {
		case (a.kind == atName || a.kind == atN) && !s.HasName:
			s.Name, s.HasName = p.aValue(a), true
		case a.kind == atID:
			s.ID, s.HasID = p.aValue(a), true
		default:
			p.keep(a)
		}
	}
	if len(p.kept) > 0 { // no heap write in the common case
		s.Attrs = p.unknownAttrs()
	}
	if empty {
		return s, nil
	}
	if err := p.enter(at); err != nil {
		return s, err
	}
	defer p.leave()
	for {
		k, cname, cat, cempty, ok, err := p.child(name, at)
		if err != nil || !ok {
			return s, err
		}
		switch k {
		case elSimple, elCData:
			s.Props = grow(s.Props)
			if err := p.property(&s.Props[len(s.Props)-1], k, cname, cat, cempty); err != nil {
				return s, err
			}
		case elCollection:
			c, err := p.collection(cname, cat, cempty)
			if err != nil {
				return s, err
			}
			s.Collections = append(s.Collections, c)
		default:
			return s, p.unexpected(cname, cat, name)
		}
	}
}

func (p *parser) collection(name string, at int, empty bool) (Collection, error) {
	var c Collection
	attrs := p.attrList()
	for k := range attrs {
		a := &attrs[k]
		switch {
		case (a.kind == atName || a.kind == atN) && !c.HasName:
			c.Name, c.HasName = p.aValue(a), true
		case (a.kind == atCount || a.kind == atCN) && !c.HasCount:
			c.Count, c.HasCount = p.aValue(a), true
		default:
			p.keep(a)
		}
	}
	if len(p.kept) > 0 { // no heap write in the common case
		c.Attrs = p.unknownAttrs()
	}
	if empty {
		return c, nil
	}
	if err := p.enter(at); err != nil {
		return c, err
	}
	defer p.leave()
	for {
		k, cname, cat, cempty, ok, err := p.child(name, at)
		if err != nil || !ok {
			return c, err
		}
		if k != elSet {
			return c, p.unexpected(cname, cat, name)
		}
		s, err := p.set(cname, cat, cempty)
		if err != nil {
			return c, err
		}
		c.Sets = append(c.Sets, s)
	}
}
