package ws

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/okdash/okdash/oktell"
)

// Limits of the diagnostics log (Config.Logf, OKDASH_WS_LOG): its lines quote what the
// server chose (frame names, qids, error texts), and a hostile server must not fill the
// disk through them.
const (
	logLineMax   = 400 // bytes of one line, once cleaned
	logBurst     = 50  // lines written back to back before the rate applies
	logPerSecond = 2   // lines a second beyond the burst
)

// limitLog wraps logf: each line is cleaned (oktell.CleanLine) and cut to logLineMax
// bytes, and at most logBurst lines go out at once, then logPerSecond a second, by the
// session clock. Lines beyond that are counted, and the count is logged with the next
// line that goes out.
func limitLog(logf func(string, ...any), clock oktell.Clock) func(string, ...any) {
	if logf == nil {
		return func(string, ...any) {}
	}
	l := &logLimiter{logf: logf, clock: clock, tokens: logBurst, last: clock.Now()}
	return l.printf
}

type logLimiter struct {
	logf  func(string, ...any)
	clock oktell.Clock

	mu      sync.Mutex
	tokens  float64
	last    time.Time
	dropped int
}

func (l *logLimiter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := l.clock.Now(); now.After(l.last) {
		l.tokens = min(logBurst, l.tokens+now.Sub(l.last).Seconds()*logPerSecond)
		l.last = now
	}
	if l.tokens < 1 {
		l.dropped++ // counted before anything is formatted: a flood costs no more than this
		return
	}
	l.tokens--
	if l.dropped > 0 {
		l.logf("ws: %d log lines dropped (more than %d a second)", l.dropped, logPerSecond)
		l.dropped = 0
	}
	l.logf("%s", cutLine(fmt.Sprintf(format, args...), logLineMax))
}

// cutLine cleans s for one log line and cuts it to at most n bytes, marking the cut.
func cutLine(s string, n int) string {
	if len(s) > 4*n { // cleaning can only shorten: no need to clean what is cut anyway
		s = s[:4*n]
	}
	s = oktell.CleanLine(s)
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " ") + mark
}
