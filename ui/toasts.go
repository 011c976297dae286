package ui

import (
	"time"

	"github.com/okdash/okdash/oktell"
)

// note is one notification as the dashboard keeps it: sanitized, with its type.
type note struct {
	guid     string // Oktell's id of the delivery, to show a repeated delivery once
	at       time.Time
	typ      oktell.NotifyType
	argb     uint32
	sender   string
	text     string
	dbsaved  bool
	autohide bool
	local    bool // raised by okdash itself (a refused request), not by Oktell
}

// same reports whether two notifications are repeats of each other, to coalesce them.
func (n note) same(o note) bool {
	return n.typ == o.typ && n.argb == o.argb && n.sender == o.sender && n.text == o.text && n.local == o.local
}

// toast is a notification on screen. gen changes when a repeat restarts its timer, so
// the expiry of an earlier timer is recognised as stale and ignored.
type toast struct {
	id    int
	gen   int
	n     note
	count int
}

// expireToastMsg is the end of a toast's own timer.
type expireToastMsg struct{ id, gen int }

// ring is a bounded list, oldest first, that drops the oldest beyond its limit.
type ring[T any] struct {
	items []T
	max   int
}

func (r *ring[T]) add(v T) {
	r.items = append(r.items, v)
	if len(r.items) > r.max {
		drop := len(r.items) - r.max
		copy(r.items, r.items[drop:])
		var zero T
		for i := len(r.items) - drop; i < len(r.items); i++ {
			r.items[i] = zero
		}
		r.items = r.items[:r.max]
	}
}

func (r *ring[T]) len() int { return len(r.items) }

// noteLabel names a notification in the operator's language: by its type, or as
// okdash's own when okdash raised it.
func (m *Model) noteLabel(n note) string {
	switch {
	case n.local && n.typ == oktell.NltApplicationErr:
		return m.p.Sprintf("okdash error")
	case n.local && n.typ == oktell.NltApplicationWarn:
		return m.p.Sprintf("okdash warning")
	case n.local:
		return "okdash"
	}
	return m.p.Sprintf(toastLabel(n.typ))
}

// toastLabel names a notification type in the operator's words (the catalog's key).
func toastLabel(t oktell.NotifyType) string {
	switch t {
	case oktell.NltControlEvent:
		return "Control"
	case oktell.NltPBXinfo:
		return "PBX"
	case oktell.NltInformation:
		return "Information"
	case oktell.NltIncomingCall:
		return "Incoming call"
	case oktell.NltTimer:
		return "Timer"
	case oktell.NltCallbackOrder:
		return "Callback"
	case oktell.NltApplication:
		return "Application"
	case oktell.NltApplicationWarn:
		return "Warning"
	case oktell.NltApplicationInfo:
		return "App info"
	case oktell.NltApplicationErr:
		return "Error"
	}
	return "Notice"
}
