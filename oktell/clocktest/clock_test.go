package clocktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAdvanceFiresDueTimersInOrder(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := New(start)
	late, early := c.After(2*time.Second), c.After(time.Second)
	assert.Equal(t, 2, c.Pending())
	c.Advance(time.Second)
	require.Len(t, early, 1)
	assert.Equal(t, start.Add(time.Second), <-early)
	assert.Len(t, late, 0)
	c.Advance(time.Second)
	assert.Equal(t, start.Add(2*time.Second), <-late)
	assert.Equal(t, 0, c.Pending())
	c.Set(start) // never backwards
	assert.Equal(t, start.Add(2*time.Second), c.Now())
}

func TestWaitPending(t *testing.T) {
	c := New(time.Time{})
	go func() { <-c.After(time.Minute) }()
	assert.True(t, c.WaitPending(1, 5*time.Second))
	next, ok := c.Next()
	assert.True(t, ok)
	assert.Equal(t, time.Time{}.Add(time.Minute), next)
	assert.False(t, New(time.Time{}).WaitPending(1, 10*time.Millisecond))
}
