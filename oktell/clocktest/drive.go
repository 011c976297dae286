package clocktest

import (
	"errors"
	"fmt"
	"time"
)

// ErrClosed is what Drive returns when the channel closes before stop said enough.
var ErrClosed = errors.New("clocktest: the channel closed before the condition was met")

// Drive runs a goroutine that paces itself on c until a condition holds. It receives from
// ch, handing each value to stop, and returns nil as soon as stop returns true. Whenever
// nothing is waiting on ch and a timer is pending on c, it moves c to the earliest timer.
//
// That is right for goroutines that hand over what they have before they wait on the
// clock (every okdash source does): a pending timer with nothing to read then means the
// goroutine is parked until that time. Drive gives up after within (real time) with an
// error that says how many values it saw, or with ErrClosed.
func Drive[T any](c *Clock, ch <-chan T, within time.Duration, stop func(T) bool) error {
	deadline := time.After(within)
	seen := 0
	for {
		select {
		case v, ok := <-ch:
			if !ok {
				return fmt.Errorf("%w (after %d values)", ErrClosed, seen)
			}
			seen++
			if stop(v) {
				return nil
			}
			continue
		case <-deadline:
			return fmt.Errorf("clocktest: the condition was not met within %v (%d values received, fake time %s)", within, seen, c.Now().Format(time.TimeOnly))
		default:
		}
		// A short real wait for the goroutine to park; then the clock moves only if it
		// has nothing to hand over.
		if c.WaitPending(1, 5*time.Millisecond) && len(ch) == 0 {
			if at, ok := c.Next(); ok {
				c.Set(at)
			}
		}
	}
}
