package oktell

import (
	"bytes"
	"strconv"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const leadDoc = `<oktellcommapper version="80710"><data><event id="113" name="voicemail" /></data></oktellcommapper>`

// scanBoth scans in one piece and one byte at a time: the answers must be the same.
func scanBoth(t *testing.T, in []byte) []Item {
	t.Helper()
	whole := scanAll(t, bytes.NewReader(in))
	bytewise := scanAll(t, iotest.OneByteReader(bytes.NewReader(in)))
	require.Equal(t, whole, bytewise, "one byte at a time")
	return whole
}

// After "closing </oktellcommapper> with no document open", the orphan fragment and its
// close tag are reported; the next document's lead is only what follows them.
func TestScannerLeadAfterStrayClose(t *testing.T) {
	orphan := `<property_simple key="a" value="1" /></event></data></oktellcommapper>`
	for _, c := range []struct {
		name, in, lead string
	}{
		{"heading after", "09:00 xmlevent\r\n" + orphan + "\r\n09:01 xmlevent\r\n" + leadDoc, "09:01 xmlevent"},
		{"nothing after", "09:00 xmlevent\r\n" + orphan + "\r\n" + leadDoc, ""},
		{"close tag alone", "</oktellcommapper>" + leadDoc, ""},
		{"two strays", orphan + "\r\nx\r\n" + orphan + "\r\n09:02 xmlevent\r\n" + leadDoc, "09:02 xmlevent"},
	} {
		items := scanBoth(t, []byte(c.in))
		require.Len(t, items, 2, c.name)
		var e *Error
		require.ErrorAs(t, items[0].Err, &e, c.name)
		assert.Equal(t, Garbage, e.Kind, c.name)
		assert.Contains(t, e.Msg, "closing </oktellcommapper> with no document open", c.name)
		assert.NoError(t, items[1].Err, c.name)
		assert.Equal(t, c.lead, items[1].Lead, c.name)
		assert.NotContains(t, items[1].Lead, "</", c.name)
	}

	// In UTF-16 too, where the lead is decoded from the gap's code units.
	in := append(le("09:00 xmlevent\r\n"+orphan+"\r\n09:01 xmlevent\r\n"), le(leadDoc)...)
	items := scanBoth(t, in)
	require.Len(t, items, 2)
	require.Error(t, items[0].Err)
	assert.Equal(t, "09:01 xmlevent", items[1].Lead)
}

// A byte-order mark is never part of a lead: not before a document, not at the start of
// a heading line (a writer that marks every line).
func TestScannerLeadWithoutBOM(t *testing.T) {
	for _, in := range []string{
		"\ufeff09:00 xmlevent\r\n" + leadDoc,
		"09:00 xmlevent\r\n\ufeff" + leadDoc,
		"09:00 xmlevent\ufeff" + leadDoc,
		leadDoc + "\r\n\ufeff09:00 xmlevent\r\n\ufeff" + leadDoc,
		leadDoc + "\r\n\ufeff09:00 xmlevent\ufeff\r\n" + leadDoc,
	} {
		items := scanBoth(t, []byte(in))
		last := items[len(items)-1]
		assert.NoError(t, last.Err, "%q", in)
		assert.Equal(t, "09:00 xmlevent", last.Lead, "%q", in)
	}
}

// Garbage is reported at the start of the gap; where the bytes stop reading as text is
// said only when it is elsewhere, in plain words.
func TestScannerGarbageNamesOneOffset(t *testing.T) {
	items := scanBoth(t, []byte("\x00\x13\x37\xff\x00\x02\x00\x01"+leadDoc))
	require.Len(t, items, 2)
	assert.EqualError(t, items[0].Err, "byte 0: 8 bytes between documents are neither text nor a document")

	items = scanBoth(t, []byte(leadDoc+"ok\x00\x13\x37\xff\x00\x02\x00\x01"+leadDoc))
	require.Len(t, items, 3)
	n := int64(len(leadDoc))
	var e *Error
	require.ErrorAs(t, items[1].Err, &e)
	assert.Equal(t, n, e.Offset)
	assert.Equal(t, "10 bytes between documents are neither text nor a document (the first unreadable byte is at "+strconv.FormatInt(n+2, 10)+")", e.Msg)
}

// Garbage before a log heading does not take the heading with it: the next document's
// lead is the heading, when it is a whole text line after the garbage.
func TestScannerLeadAfterGarbage(t *testing.T) {
	for _, c := range []struct{ in, lead string }{
		{"\x00\x13\x37\xff\x00\x02\r\n09:01 xmlevent\r\n" + leadDoc, "09:01 xmlevent"},
		{"\x00\x13\x37\xff\x00\x02 09:01 xmlevent\r\n" + leadDoc, ""},       // no line break: not a line of its own
		{"\x00\x13\x37\xff\x00\x02\r\n09:01\x01xmlevent\r\n" + leadDoc, ""}, // the last line is not text
		{"\x00\x13\x37\xff\x00\x02\r\n" + leadDoc, ""},
	} {
		items := scanBoth(t, []byte(c.in))
		require.Len(t, items, 2, "%q", c.in)
		require.Error(t, items[0].Err, "%q", c.in)
		assert.Equal(t, c.lead, items[1].Lead, "%q", c.in)
	}
}
