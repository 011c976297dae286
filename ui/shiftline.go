package ui

import (
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	okshift "github.com/okdash/okdash/oktell/shift" // ui has a test helper named shift
)

// The words of the shift's line, by bucket (see ShiftLine).
var shiftBucketWords = [okshift.NumBuckets]string{
	"ready", "break", "away", "busy", "reserved", "no phone", "disconnected", "unknown", "not watched",
}

func init() { words(shiftLineWords) }

// shiftLineWords declares the words of shiftline.go in Russian (see words).
func shiftLineWords() {
	russian(map[string]string{
		"okdash: shift %s — %s": "okdash: смена %s — %s",
		"okdash: shift %s":      "okdash: смена %s",
		"ready":                 "готов", "break": "перерыв", "away": "отошёл", "busy": "занят", "reserved": "резерв",
		"no phone": "нет телефона", "disconnected": "отключён", "unknown": "неизвестно", "not watched": "не отслежено",
		"%dh%02dm": "%d ч %02d мин",
		"%dm":      "%d мин",
		"%ds":      "%d с",
	})
	counted("%d calls", 1, []any{"one", "%d call", "other", "%d calls"}, []any{"one", "%d звонок", "few", "%d звонка", "other", "%d звонков"})
}

// shiftDuration writes d as the shift counts it: 7h58m, 48m, 30s (whole units, cut down).
func shiftDuration(p *message.Printer, d time.Duration) string {
	switch {
	case d >= time.Hour:
		return p.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	case d >= time.Minute:
		return p.Sprintf("%dm", int(d/time.Minute))
	}
	return p.Sprintf("%ds", int(d/time.Second))
}

// ShiftLine is the line okdash prints when it quits, in lang: "okdash: shift 7h58m —
// ready 5h12m, break 48m (3), busy 1h40m, 42 calls". The states with time only, ready
// and break first, then the biggest first; those that would read 0m (or 0s) are left out;
// calls only where the source reports them; the time okdash did not watch apart at the
// end. "" when nothing was counted.
func ShiftLine(lang language.Tag, s okshift.Summary) string {
	if s.Empty() {
		return ""
	}
	p := newPrinter(lang)
	length := s.Length()
	var parts []string
	for _, b := range s.States() {
		d := s.Time[b]
		if d < time.Second || d < time.Minute && length >= time.Minute {
			continue // it would read "0m"
		}
		part := p.Sprintf("%s %s", p.Sprintf(shiftBucketWords[b]), shiftDuration(p, d))
		if b == okshift.Break {
			part = p.Sprintf("%s (%d)", part, s.Breaks)
		}
		parts = append(parts, part)
	}
	if s.HasCalls {
		parts = append(parts, p.Sprintf("%d calls", s.Calls))
	}
	line := p.Sprintf("okdash: shift %s", shiftDuration(p, length))
	if len(parts) > 0 {
		line = p.Sprintf("okdash: shift %s — %s", shiftDuration(p, length), strings.Join(parts, ", "))
	}
	if d := s.Time[okshift.NotWatched]; d >= time.Minute || d >= time.Second && length < time.Minute {
		line += p.Sprintf("; %s %s", p.Sprintf("not watched"), shiftDuration(p, d))
	}
	return line
}
