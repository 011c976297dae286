package sshserve

import (
	"sync"
	"time"

	"github.com/okdash/okdash/oktell"
)

// rateLimiter is a token bucket per source address: each address may open Burst
// connections at once and then one every 1/PerSecond seconds. A training room behind
// one NAT address connects all at once, hence a generous burst and a modest rate.
type rateLimiter struct {
	perSecond float64
	burst     float64
	clock     oktell.Clock

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the memory a scan from many addresses can take; full buckets
// (addresses that have been quiet long enough) are dropped first.
const maxBuckets = 10000

func newRateLimiter(perSecond float64, burst int, clock oktell.Clock) *rateLimiter {
	if burst < 1 {
		burst = 1
	}
	return &rateLimiter{perSecond: perSecond, burst: float64(burst), clock: clock, buckets: map[string]*bucket{}}
}

// allow takes a token for addr and reports whether there was one.
func (l *rateLimiter) allow(addr string) bool {
	if l == nil || l.perSecond <= 0 {
		return true
	}
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[addr]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[addr] = b
	}
	b.tokens += now.Sub(b.last).Seconds() * l.perSecond
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *rateLimiter) prune(now time.Time) {
	full := time.Duration(l.burst / l.perSecond * float64(time.Second))
	for a, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, a)
		}
	}
	if len(l.buckets) >= maxBuckets {
		// Still full: a flood from many addresses. Forget everyone rather than grow.
		clear(l.buckets)
	}
}
