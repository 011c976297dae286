package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapKeepsNumbersWhole(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want []string
	}{
		{"Входящий вызов: +7 (495) 123-45-67, Петров", 28, []string{"Входящий вызов: +7 (495)", "123-45-67, Петров"}},
		{"смена 01-12-2026 с 09:00", 12, []string{"смена", "01-12-2026 с", "09:00"}},
		{"VIP-клиент в очереди", 5, []string{"VIP-", "клиен", "т в", "очере", "ди"}}, // a hyphen in a word may still break
		{"no hyphen here", 7, []string{"no", "hyphen", "here"}},
	} {
		got := strings.Split(wrap(tc.in, tc.w), "\n")
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
		for _, l := range got {
			if ansi.StringWidth(l) > tc.w {
				t.Errorf("wrap(%q, %d): line %q is wider than %d", tc.in, tc.w, l, tc.w)
			}
		}
	}
}
