package feed

import (
	"sync"
	"time"

	"github.com/okdash/okdash/oktell"
)

// Timeline is the clock of a log played at its own pace: its Now is the replay's place
// in the log (oktell.Capabilities.Position), its After the session clock's, for the
// pacing. Used as a Feed's clock, it stamps every update with the log's time.
//
// The position is the time of the document being delivered (At) until the replay
// starts waiting for the next one (Toward); it then moves on at the replay's speed, but
// not past the next document's time, so a slow reader never sees it run ahead of the
// log. Once the input ended (Run) it moves on freely. Before the first document it is
// the session clock's time at the start.
type Timeline struct {
	clock oktell.Clock
	speed float64

	mu     sync.Mutex
	pos    time.Time // the position at real
	real   time.Time // by the session clock
	until  time.Time // the position goes no further
	bound  bool      // until applies
	placed bool      // a document set the position
}

var (
	_ oktell.Clock    = (*Timeline)(nil)
	_ oktell.Position = (*Timeline)(nil)
)

// NewTimeline starts a timeline at clock's now, still until the first document;
// speed <= 0 means 1.
func NewTimeline(clock oktell.Clock, speed float64) *Timeline {
	if clock == nil {
		clock = oktell.RealClock{}
	}
	if speed <= 0 {
		speed = 1
	}
	now := clock.Now()
	return &Timeline{clock: clock, speed: speed, pos: now, real: now, until: now, bound: true}
}

// Now is the replay's place in the log.
func (t *Timeline) Now() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.at(t.clock.Now())
}

func (t *Timeline) at(real time.Time) time.Time {
	p := t.pos
	if d := real.Sub(t.real); d > 0 {
		p = p.Add(time.Duration(float64(d) * t.speed))
	}
	if t.bound && p.After(t.until) {
		p = t.until
	}
	return p
}

// After waits on the session clock: the replay's pacing is real time.
func (t *Timeline) After(d time.Duration) <-chan time.Time { return t.clock.After(d) }

// At places the replay at log time at: the document delivered next happened then. The
// position holds there until Toward or Run.
func (t *Timeline) At(at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pos, t.real, t.until, t.bound, t.placed = at, t.clock.Now(), at, true, true
}

// Toward lets the position move on from where it is toward next, the time of the
// document the replay waits for.
func (t *Timeline) Toward(next time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	t.pos, t.real = t.at(now), now
	t.until, t.bound = next, true
}

// Run lets the position move on without a bound: the input ended, and time goes on.
func (t *Timeline) Run() {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	t.pos, t.real = t.at(now), now
	t.bound = false
}

// Placed says a document set the position: before it, the position is the start's.
func (t *Timeline) Placed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.placed
}
