package oktell

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

func (e Encoding) String() string {
	switch e {
	case UTF16LE:
		return "utf-16le"
	case UTF16BE:
		return "utf-16be"
	case UTF8:
		return "utf-8"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// DetectEncoding tells how b is encoded and how long its byte-order mark is: by the BOM,
// else by the byte pattern of the first character (3C 00 is UTF-16LE, 00 3C UTF-16BE),
// else UTF-8. An 8-bit charset declared in a UTF-8-looking document is handled by Decode.
func DetectEncoding(b []byte) (enc Encoding, bomLen int) {
	switch {
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return UTF8, 3
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return UTF16LE, 2
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return UTF16BE, 2
	case len(b) >= 2 && b[0] != 0 && b[1] == 0:
		return UTF16LE, 0
	case len(b) >= 2 && b[0] == 0 && b[1] != 0:
		return UTF16BE, 0
	}
	return UTF8, 0
}

// textChar reports whether r is a character a document may carry. That is XML 1.0's
// set plus the C0 controls but NUL (XML 1.1 allows them as references): a vertical tab
// pasted from Word, a BEL or an ESC in a message is kept as it came, and only the screen
// decides what it shows. NUL, a lone surrogate, U+FFFE and U+FFFF are no text: in UTF-16
// they mean the bytes are read in the wrong order or are not text at all.
func textChar(r rune) bool {
	switch {
	case r == 0:
		return false
	case r >= 0xD800 && r <= 0xDFFF:
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	case r > utf8.MaxRune:
		return false
	}
	return true
}

// utf16ToUTF8 appends the UTF-8 form of the UTF-16 bytes b to dst. bad is the index in b
// of the first code unit that is no text character (NUL, a lone surrogate, U+FFFE,
// U+FFFF; see textChar), or -1.
func utf16ToUTF8(dst, b []byte, le bool) (out []byte, bad int) {
	n := len(b) &^ 1
	// Room for the worst case (3 bytes per unit) up front, so the loop writes by index.
	start := len(dst)
	if need := start + 3*(n/2) + 8; cap(dst) < need {
		grown := make([]byte, start, need)
		copy(grown, dst)
		dst = grown
	}
	buf := dst[:cap(dst)]
	j := start
	i := 0
	for i < n {
		// Fast path: eight, then four ASCII code units at once, the bulk of any document.
		for i+16 <= n {
			w := binary.LittleEndian.Uint64(b[i:])
			x := binary.LittleEndian.Uint64(b[i+8:])
			if !le {
				w = w>>8&0x00FF00FF00FF00FF | w<<8&0xFF00FF00FF00FF00 // swap the bytes of each unit
				x = x>>8&0x00FF00FF00FF00FF | x<<8&0xFF00FF00FF00FF00
			}
			if (w|x)&0xFF80FF80FF80FF80 != 0 || !noNUL4(w) || !noNUL4(x) {
				break
			}
			binary.LittleEndian.PutUint64(buf[j:], pack4(w)|pack4(x)<<32)
			j += 8
			i += 16
		}
		for i+8 <= n {
			w := binary.LittleEndian.Uint64(b[i:])
			if !le {
				w = w>>8&0x00FF00FF00FF00FF | w<<8&0xFF00FF00FF00FF00
			}
			if w&0xFF80FF80FF80FF80 != 0 || !noNUL4(w) { // not ASCII, or a NUL
				break
			}
			binary.LittleEndian.PutUint32(buf[j:], uint32(pack4(w)))
			j += 4
			i += 8
		}
		// Slow path, one unit at a time, until an ASCII unit: a run of Cyrillic is
		// read here whole instead of retrying the fast path at every letter.
		for i < n {
			var u uint16
			if le {
				u = uint16(b[i]) | uint16(b[i+1])<<8
			} else {
				u = uint16(b[i])<<8 | uint16(b[i+1])
			}
			switch {
			case u >= 0x20 && u < 0x80:
				buf[j] = byte(u)
				j++
			case u < 0x20:
				if u == 0 {
					return buf[:j], i
				}
				buf[j] = byte(u)
				j++
			case u < 0x800: // Cyrillic and the rest of the two-byte range
				buf[j], buf[j+1] = 0xC0|byte(u>>6), 0x80|byte(u&0x3F)
				j += 2
			case u < 0xD800 || u > 0xDFFF:
				if u == 0xFFFE || u == 0xFFFF {
					return buf[:j], i
				}
				buf[j], buf[j+1], buf[j+2] = 0xE0|byte(u>>12), 0x80|byte(u>>6&0x3F), 0x80|byte(u&0x3F)
				j += 3
			case u <= 0xDBFF && i+3 < n:
				var u2 uint16
				if le {
					u2 = uint16(b[i+2]) | uint16(b[i+3])<<8
				} else {
					u2 = uint16(b[i+2])<<8 | uint16(b[i+3])
				}
				r := utf16.DecodeRune(rune(u), rune(u2))
				if r == utf8.RuneError {
					return buf[:j], i
				}
				j += utf8.EncodeRune(buf[j:], r) // 4 bytes for 2 units: within the 3-per-unit room
				i += 2
			default:
				return buf[:j], i
			}
			i += 2
			if u < 0x80 {
				break
			}
		}
	}
	if len(b) != n {
		return buf[:j], n
	}
	return buf[:j], -1
}

// pack4 packs four ASCII code units into four bytes.
func pack4(w uint64) uint64 {
	// units a, b, c, d sit in bytes 0, 2, 4, 6 with zeros between them
	x := w | w>>8 // bytes: a b b c c d d 0
	return x&0xFFFF | x>>16&0xFFFF0000
}

// noNUL4 reports whether none of four ASCII code units is NUL.
func noNUL4(w uint64) bool {
	// adding 0x7F sets bit 7 of a unit above zero: all set means no NUL
	return (w+0x007F007F007F007F)&0x0080008000800080 == 0x0080008000800080
}

// utf8ToUTF16 appends the UTF-16 form of the valid UTF-8 string s to dst.
func utf8ToUTF16(dst []byte, s []byte, le bool) []byte {
	put := func(u uint16) {
		if le {
			dst = append(dst, byte(u), byte(u>>8))
		} else {
			dst = append(dst, byte(u>>8), byte(u))
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			put(uint16(c))
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		i += size
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			put(uint16(r1))
			put(uint16(r2))
			continue
		}
		put(uint16(r))
	}
	return dst
}

// checkUTF8 returns the index of the first byte of b that is not valid UTF-8 or not a
// text character (see textChar), or -1.
func checkUTF8(b []byte) int {
	for i := 0; i < len(b); {
		// Fast path: eight ASCII bytes but NUL at once.
		for i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			if w&0x8080808080808080 != 0 || (w+0x7F7F7F7F7F7F7F7F)&0x8080808080808080 != 0x8080808080808080 {
				break
			}
			i += 8
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0 {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || !textChar(r) {
			return i
		}
		i += size
	}
	return -1
}

// declaredEncoding returns the encoding named by the XML declaration at the start of b
// (ASCII-compatible bytes), or "".
func declaredEncoding(b []byte) string {
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := b[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

// charsetFor returns the x/text encoding for a declared name other than UTF-8 and UTF-16,
// nil when the bytes need no transcoding.
func charsetFor(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8", "utf-16", "utf16", "unicode", "utf-16le", "utf-16be", "us-ascii", "ascii":
		// A document that says utf-16 but arrives as UTF-8 bytes was re-encoded by a
		// bridge or a log writer; the bytes win.
		return nil, nil
	}
	if e, err := htmlindex.Get(name); err == nil {
		return e, nil
	}
	if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("declared encoding %q is not one okdash knows", name)
}
