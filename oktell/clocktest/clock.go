// Package clocktest provides a fake oktell.Clock for deterministic tests.
package clocktest

import (
	"sort"
	"sync"
	"time"
)

// Clock is a fake clock: time moves only when a test calls Advance or Set.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	seq     int
	changed chan struct{} // closed and renewed whenever a waiter is added
}

type waiter struct {
	at  time.Time
	seq int
	ch  chan time.Time
}

// New returns a fake clock set to start.
func New(start time.Time) *Clock { return &Clock{now: start, changed: make(chan struct{})} }

// Now returns the fake time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives the fake time once it reaches now+d.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.seq++
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), seq: c.seq, ch: ch})
	close(c.changed)
	c.changed = make(chan struct{})
	return ch
}

// Advance moves the clock forward by d, firing every timer that falls due, in order.
func (c *Clock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Set moves the clock to t (never backwards), firing the timers due by then.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.Before(c.now) {
		return
	}
	sort.Slice(c.waiters, func(i, j int) bool {
		if c.waiters[i].at.Equal(c.waiters[j].at) {
			return c.waiters[i].seq < c.waiters[j].seq
		}
		return c.waiters[i].at.Before(c.waiters[j].at)
	})
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(t) {
			w.ch <- w.at
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
	c.now = t
}

// Pending is the number of timers not yet fired.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// WaitPending blocks until at least n timers are pending or the deadline passes, and
// reports whether they are. Tests use it to know a goroutine is parked on the clock.
func (c *Clock) WaitPending(n int, deadline time.Duration) bool {
	timeout := time.After(deadline)
	for {
		c.mu.Lock()
		ok, ch := len(c.waiters) >= n, c.changed
		c.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-timeout:
			return false
		}
	}
}

// Next returns when the earliest pending timer falls due, and false when none is pending.
func (c *Clock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.waiters) == 0 {
		return time.Time{}, false
	}
	min := c.waiters[0].at
	for _, w := range c.waiters[1:] {
		if w.at.Before(min) {
			min = w.at
		}
	}
	return min, true
}
