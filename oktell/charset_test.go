package oktell

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUTF16RoundTrip checks the fast transcoder against its inverse on text mixing every
// path: ASCII runs long enough for the eight-unit step, CR LF and tabs, Cyrillic, other
// BMP characters and surrogate pairs.
func TestUTF16RoundTrip(t *testing.T) {
	alphabet := []rune("abcXYZ <>=\"/ \r\n\tСистемнаяАТС€№中文😀𝄞")
	rng := rand.New(rand.NewSource(7))
	for n := 0; n < 2000; n++ {
		rs := make([]rune, rng.Intn(80))
		for i := range rs {
			rs[i] = alphabet[rng.Intn(len(alphabet))]
		}
		want := string(rs)
		for _, le := range []bool{true, false} {
			b := utf8ToUTF16(nil, []byte(want), le)
			got, bad := utf16ToUTF8(nil, b, le)
			require.Equal(t, -1, bad)
			require.Equal(t, want, string(got))
		}
	}
}

func TestUTF16Rejects(t *testing.T) {
	for _, c := range []struct {
		units []uint16
		bad   int
	}{
		{[]uint16{'a', 'b', 0x01, 'c'}, -1}, // a control but NUL is text
		{[]uint16{'a', 'b', 0x0B, 0x07, 0x1B, 'c', 'd', 'e', 'f', 'g', 'h', 'i'}, -1},
		{[]uint16{'a', 'b', 0x00, 'c'}, 4},
		{[]uint16{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 0x00}, 30},
		{[]uint16{'a', 0xD800, 'b'}, 2},
		{[]uint16{'a', 0xDC00}, 2},
		{[]uint16{'a', 'b', 'c', 'd', 'e', 'f', 'g', 0x00, 'h'}, 14},
		{[]uint16{0xFFFE}, 0},
	} {
		var b []byte
		for _, u := range c.units {
			b = append(b, byte(u), byte(u>>8))
		}
		_, bad := utf16ToUTF8(nil, b, true)
		assert.Equal(t, c.bad, bad, "%x", c.units)
	}
	_, bad := utf16ToUTF8(nil, []byte{'a', 0, 'b'}, true)
	assert.Equal(t, 2, bad, "odd length")
}

func TestCheckUTF8(t *testing.T) {
	assert.Equal(t, -1, checkUTF8([]byte("plain ascii text long enough for words\r\n\tСистемная")))
	assert.Equal(t, -1, checkUTF8([]byte("012345678\x01\x0b\x1b\x07")), "controls but NUL are text")
	assert.Equal(t, 9, checkUTF8([]byte("012345678\x00")))
	assert.Equal(t, 9, checkUTF8([]byte("012345678\x00abcdefghijkl")))
	assert.Equal(t, 3, checkUTF8([]byte("abc\xff")))
	assert.Equal(t, 3, checkUTF8([]byte("abc\xef\xbf\xbe"))) // U+FFFE
}

// TestNoNUL4 checks the four-at-once test against a unit-by-unit one: every ASCII value
// in every position, beside printable, control and NUL neighbours.
func TestNoNUL4(t *testing.T) {
	ref := func(w uint64) bool {
		for k := 0; k < 64; k += 16 {
			if byte(w>>k) == 0 {
				return false
			}
		}
		return true
	}
	others := []uint64{0x20, 'a', '\n', '\r', '\t', 0x01, 0x00, 0x1F, 0x7F}
	for pos := 0; pos < 4; pos++ {
		for c := uint64(0); c < 0x80; c++ {
			for _, a := range others {
				for _, b := range others {
					for _, d := range others {
						lanes := []uint64{a, b, d}
						lanes = append(lanes[:pos], append([]uint64{c}, lanes[pos:]...)...)
						w := lanes[0] | lanes[1]<<16 | lanes[2]<<32 | lanes[3]<<48
						if noNUL4(w) != ref(w) {
							t.Fatalf("noNUL4(%#016x) = %v, want %v", w, !ref(w), ref(w))
						}
					}
				}
			}
		}
	}
}
