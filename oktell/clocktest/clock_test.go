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

// A ticker that hands over a value, then waits a second on the clock, driven to its fifth value.
func TestDrive(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := New(start)
	ch := make(chan int)
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		for i := 1; ; i++ {
			select {
			case ch <- i:
			case <-quit:
				return
			}
			select {
			case <-c.After(time.Second):
			case <-quit:
				return
			}
		}
	}()
	var got []int
	require.NoError(t, Drive(c, ch, 5*time.Second, func(v int) bool { got = append(got, v); return v == 5 }))
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got)
	assert.Equal(t, start.Add(4*time.Second), c.Now(), "the clock moved exactly to each timer")

	closed := make(chan int, 1)
	closed <- 7
	close(closed)
	err := Drive(New(start), closed, time.Second, func(int) bool { return false })
	assert.ErrorIs(t, err, ErrClosed)

	err = Drive(New(start), make(chan int), 20*time.Millisecond, func(int) bool { return true })
	assert.ErrorContains(t, err, "not met within 20ms")
}
