package oktell

import (
	"fmt"
	"testing"
)

// A refusal reads the same whether its reason is a code or someone else's words, and
// one without words has no reason at all (not an empty quote).
func TestRefusalTexts(t *testing.T) {
	for _, tc := range []struct {
		err        *RefusedError
		text, why  string
		whyIsEmpty bool
	}{
		{Refused(2, Because(ReasonNoPhoneLine)), "refused by the server: no phone line is registered", "refused by the server: no phone line is registered", false},
		{RefusedSaying(7, "not now"), "refused by the server: not now", "refused by the server: not now", false},
		{RefusedSaying(9, ""), "refused by the server", "refused by the server: request failed without a reason", true},
	} {
		err := fmt.Errorf("setuserstate: %w", tc.err)
		if got := tc.err.Error(); got != tc.text {
			t.Errorf("Error() = %q, want %q", got, tc.text)
		}
		if got := ReasonOf(err).String(); got != tc.why {
			t.Errorf("ReasonOf = %q, want %q", got, tc.why)
		}
		if tc.err.Why.IsZero() != tc.whyIsEmpty {
			t.Errorf("%q: Why %#v", tc.text, tc.err.Why)
		}
	}
}
