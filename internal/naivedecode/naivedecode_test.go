package naivedecode

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seed(t *testing.T, name string) []byte {
	b, err := os.ReadFile("../../testdata/seed/" + name)
	require.NoError(t, err)
	return b
}

// The seed's Notify (UTF-16LE with a BOM) reads as one event with its properties.
func TestDecodeDocument(t *testing.T) {
	d, err := DecodeDocument(seed(t, "112_notify.xml"))
	require.NoError(t, err)
	require.Len(t, d.Events, 1)
	assert.Equal(t, "112", d.Events[0].ID)
	assert.Equal(t, "notify", d.Events[0].Name)
	assert.NotEmpty(t, d.Events[0].Simple)
}

// Documents concatenated, a BOM each, give one line per event, in order; a broken one
// is an error.
func TestDecodeStream(t *testing.T) {
	in := append(seed(t, "112_notify.xml"), seed(t, "111_userstatechanged.xml")...)
	var out bytes.Buffer
	require.NoError(t, Decode(bytes.NewReader(in), json.NewEncoder(&out)))
	lines := bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n"))
	require.Len(t, lines, 2)
	var l line
	require.NoError(t, json.Unmarshal(lines[0], &l))
	assert.Equal(t, "112", l.ID)
	require.NoError(t, json.Unmarshal(lines[1], &l))
	assert.Equal(t, "111", l.ID)

	assert.Error(t, Decode(bytes.NewReader([]byte("\xff\xfe<\x00o\x00")), json.NewEncoder(&out)))
}
