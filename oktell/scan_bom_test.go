package oktell

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every seed file, read as a stream (what okdash decode and the sources do), is one
// document and nothing else: no part of it is reported as garbage.
func TestScannerReadsEverySeedFileWhole(t *testing.T) {
	for name := range seedFiles() {
		b := readSeed(t, name)
		items := scanAll(t, bytes.NewReader(b))
		require.Len(t, items, 1, name)
		assert.NoError(t, items[0].Err, name)
		assert.Equal(t, int64(0), items[0].Offset, name)
		assert.Equal(t, int64(0), items[0].Gap, name)
	}
}

// A writer may put whitespace between the byte-order mark and the first '<' (the
// vendor's examples start each line with a space). The mark and the spaces belong to
// the document, in every encoding, alone, concatenated and one byte at a time.
func TestScannerBOMThenWhitespace(t *testing.T) {
	const doc = " \r\n\t<oktellcommapper version=\"80710\"><data><event id=\"113\" name=\"voicemail\" /></data></oktellcommapper>"
	boms := map[Encoding][]byte{UTF8: {0xEF, 0xBB, 0xBF}, UTF16LE: {0xFF, 0xFE}, UTF16BE: {0xFE, 0xFF}}
	var stream []byte
	var offsets []int64
	for _, enc := range []Encoding{UTF16LE, UTF16BE, UTF8} {
		one := append(append([]byte(nil), boms[enc]...), encodeASCII(doc, enc)...)
		items := scanAll(t, bytes.NewReader(one))
		require.Len(t, items, 1, enc.String())
		require.NoError(t, items[0].Err, enc.String())
		assert.Equal(t, int64(0), items[0].Offset, enc.String())
		assert.Equal(t, VoiceMail, items[0].Doc.Events[0].Type, enc.String())
		offsets = append(offsets, int64(len(stream)))
		stream = append(stream, one...)
	}
	for _, r := range []io.Reader{bytes.NewReader(stream), iotest.OneByteReader(bytes.NewReader(stream))} {
		items := scanAll(t, r)
		require.Len(t, items, 3)
		for i, it := range items {
			assert.NoError(t, it.Err, i)
			assert.Equal(t, offsets[i], it.Offset, i)
		}
	}
}
