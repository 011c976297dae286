package eventjson

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// terminalRune reports whether r is DEL, a C1 control (U+009B is CSI, the start of an
// escape sequence) or a bidirectional control (it reorders what is read): what
// encoding/json leaves raw but a terminal acts on.
func terminalRune(r rune) bool {
	return r == 0x7F || (r >= 0x80 && r <= 0x9F) || unicode.Is(unicode.Bidi_Control, r)
}

const hex = "0123456789abcdef"

// escapeTerminal rewrites, in the JSON text b, every terminalRune as \uXXXX. They occur
// only inside strings, where the escape means the same character to any JSON reader. It
// is the reference Encoder is tested against.
func escapeTerminal(b []byte) []byte {
	if !bytes.ContainsFunc(b, terminalRune) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if terminalRune(r) {
			out = append(out, '\\', 'u', hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF])
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// hasZeroByte is non-zero when a byte of w is zero.
func hasZeroByte(w uint64) uint64 { return (w - 0x0101010101010101) &^ w & 0x8080808080808080 }

// plain[c] is true for an ASCII byte a JSON string carries as it is.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < 0x7F; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

// appendString appends s as a JSON string, as encoding/json writes it without HTML
// escaping (\" \\ \b \f \n \r \t, \u00XX for the other C0 controls, \ufffd for invalid
// UTF-8, \u2028 and \u2029), and DEL, the C1 and the bidirectional controls as \uXXXX.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// eight plain ASCII bytes at once: no control, '"', '\\', DEL or non-ASCII byte
		for i+8 <= len(s) {
			w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			if (w|(w+0x0101010101010101))&0x8080808080808080 != 0 || // >= 0x7F
				(w-0x2020202020202020)&^w&0x8080808080808080 != 0 || // < 0x20
				hasZeroByte(w^0x2222222222222222)|hasZeroByte(w^0x5C5C5C5C5C5C5C5C) != 0 {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default: // the other C0 controls, and DEL
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		// Two-byte characters from U+00C0 on (Cyrillic among them), but U+061C, are
		// safe: the common case of non-ASCII text, without decoding.
		if c >= 0xC3 && c <= 0xDF && c != 0xD8 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029' || terminalRune(r):
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
