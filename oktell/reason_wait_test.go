package oktell

import (
	"testing"
	"time"
)

// A wait counts down in whole seconds, to "now", in the reason and in the reasons it holds.
func TestReasonAfterCountsDownWaits(t *testing.T) {
	r := Because(ReasonRetrying, "tcp://pbx:4066", Quoted("connection refused"), 4*time.Second)
	nested := Because(ReasonRefused, Quoted("down"), Because(ReasonNextTry, Quoted("EOF"), 2*time.Second))
	for _, tc := range []struct {
		r    Reason
		d    time.Duration
		want string
	}{
		{r, 0, "tcp://pbx:4066: connection refused; retrying in 4s"},
		{r, 700 * time.Millisecond, "tcp://pbx:4066: connection refused; retrying in 4s"},
		{r, 1700 * time.Millisecond, "tcp://pbx:4066: connection refused; retrying in 3s"},
		{r, 4 * time.Second, "tcp://pbx:4066: connection refused; retrying now"},
		{r, time.Hour, "tcp://pbx:4066: connection refused; retrying now"},
		{nested, 1500 * time.Millisecond, "down: EOF; next try in 1s"},
		{Because(ReasonNextTry, Quoted("EOF"), 500*time.Millisecond), 200 * time.Millisecond, "EOF; next try in 300ms"},
		{Because(ReasonIdle, 15*time.Minute), time.Minute, "no input for 15m"}, // a length, not a wait
	} {
		if got := tc.r.After(tc.d).String(); got != tc.want {
			t.Errorf("%q after %s: %q, want %q", tc.r, tc.d, got, tc.want)
		}
	}
	if got := r.String(); got != "tcp://pbx:4066: connection refused; retrying in 4s" {
		t.Errorf("After changed the reason it was called on: %q", got)
	}
}
