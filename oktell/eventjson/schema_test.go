package eventjson

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Marshal writes each of Lines as the reference does: encoding/json without the HTML
// escapes, one line break, terminal controls escaped.
func TestMarshalIsTheReference(t *testing.T) {
	n := 0
	for _, b := range corpus(t) {
		for _, it := range documents(b) {
			want, _ := reference(t, it, "in", false)
			var got []byte
			for _, l := range Lines(it) {
				l.Input = "in"
				m, err := Marshal(l)
				require.NoError(t, err)
				got = append(got, m...)
				n++
			}
			require.Equal(t, string(want), string(got), "document at %d", it.Offset)
		}
	}
	require.Greater(t, n, 50)
}
