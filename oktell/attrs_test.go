package oktell

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAttrs(t *testing.T) {
	var zero Attrs
	assert.True(t, zero.Empty())
	assert.Equal(t, 0, zero.Len())
	assert.Nil(t, zero.List())
	assert.Equal(t, zero, NewAttrs(), "no attributes is the zero value")

	long := strings.Repeat("v", 300) // a length that takes two varint bytes
	l := NewAttrs(Attr{"time", "09:00"}, Attr{"x:y", ""}, Attr{"long", long})
	assert.False(t, l.Empty())
	assert.Equal(t, 3, l.Len())
	assert.Equal(t, []Attr{{"time", "09:00"}, {"x:y", ""}, {"long", long}}, l.List())
	v, ok := l.Get("x:y")
	assert.True(t, ok)
	assert.Equal(t, "", v)
	_, ok = l.Get("nope")
	assert.False(t, ok)

	// a value: equal lists are ==, Append leaves the original alone
	assert.True(t, l == NewAttrs(Attr{"time", "09:00"}).Append("x:y", "").Append("long", long))
	m := l.Append("more", "1")
	assert.Equal(t, 3, l.Len())
	assert.Equal(t, 4, m.Len())
	assert.False(t, l == m)
	assert.False(t, NewAttrs(Attr{"a", "bc"}) == NewAttrs(Attr{"ab", "c"}), "lengths keep names and values apart")
	assert.Equal(t, `[time="09:00" x:y=""]`, NewAttrs(Attr{"time", "09:00"}, Attr{"x:y", ""}).String())

	// stopping early
	n := 0
	for range l.All() {
		n++
		break
	}
	assert.Equal(t, 1, n)

	// Property stays comparable, unknown attributes included
	p := Property{Key: "k", Attrs: l}
	assert.True(t, p == Property{Key: "k", Attrs: NewAttrs(l.List()...)})
	assert.False(t, p == Property{Key: "k"})
}
