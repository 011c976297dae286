package ws

import (
	"strconv"
	"sync"

	"github.com/okdash/okdash/internal/bytesize"
	"github.com/okdash/okdash/oktell"
)

// budget counts the bytes a link holds for later against one limit, so that what a
// server can make okdash keep is bounded in total, not per item.
type budget struct {
	mu   sync.Mutex
	used int
	max  int
}

// take reserves n bytes, or reports that they do not fit; nothing is reserved then.
func (b *budget) take(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n < 0 || n > b.max-b.used {
		return false
	}
	b.used += n
	return true
}

// give returns n bytes taken before.
func (b *budget) give(n int) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// queued is one pushed frame waiting for the session: the bytes as they arrived (the
// decoded form is made only when the session takes it, so nothing is kept twice).
type queued struct {
	raw  []byte
	name string // the name the session sees: a setuserstate reply with a state is a userstatechanged
	seq  uint64
}

func (q queued) cost() int { return cap(q.raw) + queuedOverhead }

// frame decodes the waiting bytes again; they decoded once already, so this succeeds.
func (q queued) frame() (Frame, bool) {
	f, err := DecodeFrame(q.raw)
	if err != nil {
		return Frame{}, false
	}
	f.Name, f.seq = q.name, q.seq
	return f, true
}

// maxNotices is how many warnings wait for the dashboard; more are counted, not kept.
const maxNotices = 16

// inbox is the queue between a link's reader and the session. The reader never waits on
// it: a frame that does not fit the budget is dropped and counted, and the count reaches
// the dashboard as a warning before the next frame does.
type inbox struct {
	budget *budget

	mu      sync.Mutex
	items   []queued
	notices []error
	extra   int // warnings not kept (more than maxNotices waiting)
	closed  bool
	ready   chan struct{} // holds a token while something may be waiting

	// Drops not yet reported: how many frames, their bytes, and the first one's name.
	dropped      int
	droppedBytes int
	droppedFirst string
}

func newInbox(b *budget) *inbox { return &inbox{budget: b, ready: make(chan struct{}, 1)} }

func (q *inbox) wake() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// push queues a frame if the budget allows, else drops and counts it.
func (q *inbox) push(it queued) bool {
	if !q.budget.take(it.cost()) {
		q.drop(it.name, 1, len(it.raw))
		return false
	}
	q.mu.Lock()
	q.items = append(q.items, it)
	q.mu.Unlock()
	q.wake()
	return true
}

// drop counts frames (or multipart pieces) that did not fit: how many, and their bytes.
func (q *inbox) drop(name string, frames, bytes int) {
	q.mu.Lock()
	if q.dropped == 0 {
		q.droppedFirst = name
	}
	q.dropped += frames
	q.droppedBytes += bytes
	q.mu.Unlock()
	q.wake()
}

// notice queues a warning for the dashboard.
func (q *inbox) notice(err error) {
	q.mu.Lock()
	if len(q.notices) < maxNotices {
		q.notices = append(q.notices, err)
	} else {
		q.extra++
	}
	q.mu.Unlock()
	q.wake()
}

// close says the reader has stopped: what is queued is still handed out.
func (q *inbox) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wake()
}

// next takes what the session sees next without waiting: a warning first, then a frame.
// more is false when nothing is waiting.
func (q *inbox) next() (it queued, notice error, more bool) {
	return q.take(true)
}

// nextNotice is next for warnings only: the frames stay.
func (q *inbox) nextNotice() (notice error, more bool) {
	_, notice, more = q.take(false)
	return notice, more
}

func (q *inbox) take(frames bool) (it queued, notice error, more bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.dropped > 0:
		notice = wsProblem(oktell.Because(oktell.ReasonWSDropped,
			bytesize.Format(int64(q.budget.max)), q.dropped, strconv.Itoa(q.droppedBytes), strconv.Quote(q.droppedFirst)))
		q.dropped, q.droppedBytes, q.droppedFirst = 0, 0, ""
		return queued{}, notice, true
	case len(q.notices) > 0:
		notice = q.notices[0]
		q.notices[0] = nil
		q.notices = q.notices[1:]
		return queued{}, notice, true
	case q.extra > 0:
		notice = wsProblem(oktell.Because(oktell.ReasonWSMoreWarnings, strconv.Itoa(q.extra)))
		q.extra = 0
		return queued{}, notice, true
	case frames && len(q.items) > 0:
		it = q.items[0]
		q.items[0] = queued{}
		q.items = q.items[1:]
		if len(q.items) == 0 {
			q.items = nil // let the backing array go
		}
		return it, nil, true
	}
	return queued{}, nil, false
}

// wait is next, waiting until something arrives; ok is false once the reader has
// stopped and everything was handed out, or when stop is closed.
func (q *inbox) wait(stop <-chan struct{}) (it queued, notice error, ok bool) {
	for {
		if it, notice, more := q.next(); more {
			return it, notice, true
		}
		q.mu.Lock()
		closed := q.closed && len(q.items) == 0 && len(q.notices) == 0 && q.dropped == 0 && q.extra == 0
		q.mu.Unlock()
		if closed {
			return queued{}, nil, false
		}
		select {
		case <-q.ready:
		case <-stop:
			return queued{}, nil, false
		}
	}
}

// release gives back the budget of a frame the session has taken.
func (q *inbox) release(it queued) { q.budget.give(it.cost()) }
