package ui

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
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

// No character is ever lost: over random texts of long unbreakable words (paths, hashes),
// hyphens, Cyrillic and wide letters, at several widths, the wrapped lines joined are
// the text without the spaces at the breaks, and no line is wider than the width.
func TestWrapLosesNothing(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	letters := []rune("abcdef0123456789/-.:_яжёЩ漢")
	for i := range 3000 {
		var words []string
		for range 1 + r.Intn(8) {
			n := 1 + r.Intn(12)
			if r.Intn(4) == 0 {
				n = 20 + r.Intn(60) // a path, a hash: longer than a line
			}
			b := make([]rune, n)
			for j := range b {
				b[j] = letters[r.Intn(len(letters))]
			}
			words = append(words, string(b))
		}
		text := strings.Join(words, strings.Repeat(" ", 1+r.Intn(2)))
		for _, w := range []int{2, 5, 11, 20, 24, 33, 46} {
			lines := wrapLines(text, w)
			for _, l := range lines {
				if ansi.StringWidth(l) > w {
					t.Fatalf("#%d wrap(%q, %d): line %q is %d cells wide", i, text, w, l, ansi.StringWidth(l))
				}
				if l == "" || strings.HasPrefix(l, " ") || strings.HasSuffix(l, " ") {
					t.Fatalf("#%d wrap(%q, %d): line %q begins or ends at a break's space, or is empty", i, text, w, l)
				}
			}
			if got, want := strings.Join(lines, ""), strings.ReplaceAll(text, " ", ""); strings.ReplaceAll(got, " ", "") != want {
				t.Fatalf("#%d wrap(%q, %d) = %q: lost or changed characters", i, text, w, lines)
			}
			if got := strings.Join(lines, " "); strings.Count(got, " ") > strings.Count(text, " ")+len(lines) {
				t.Fatalf("#%d wrap(%q, %d) = %q: spaces added", i, text, w, lines)
			}
		}
	}
}

// The history's case: a path longer than the line, at the width its column leaves.
func TestWrapBreaksALongPathHard(t *testing.T) {
	text := "shift: /home/ivanova/.local/state/okdash/serve/key-771b67e884dc73ed/shift-demo-2026-12-01.json: permission denied"
	for _, w := range []int{20, 24, 30, 33} {
		lines := wrapLines(text, w)
		assert.Equal(t, strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(strings.Join(lines, ""), " ", ""), "width %d: %q", w, lines)
		for _, l := range lines {
			assert.LessOrEqual(t, ansi.StringWidth(l), w, "width %d: %q", w, l)
		}
	}
}
