package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wrap wraps s to w cells by display width: at spaces (the spaces at a break are
// dropped), after a hyphen inside a word but not between digits (a phone number
// "+7 (495) 123-45-67" or a date is read whole), and a word wider than w is broken hard.
// No character is ever lost: the lines joined are s without the spaces at the breaks,
// and no line is wider than w (but for one grapheme wider than w on its own). ansi.Wrap
// is not used: it lets a line end one cell over w (a hyphen, a space), and whoever
// then fits the line to its column cuts a character off. s is plain text.
func wrap(s string, w int) string {
	w = max(w, 1)
	paras := strings.Split(s, "\n")
	for i, p := range paras {
		paras[i] = strings.Join(wrapPara(p, w), "\n")
	}
	return strings.Join(paras, "\n")
}

// wrapPara wraps one line of text (see wrap).
func wrapPara(s string, w int) []string {
	var (
		out  []string
		line strings.Builder
		lw   int // line's width
		gap  string
	)
	flush := func() {
		out = append(out, line.String())
		line.Reset()
		lw = 0
	}
	put := func(seg string, sw int, sep string) {
		line.WriteString(sep)
		line.WriteString(seg)
		lw += ansi.StringWidth(sep) + sw
	}
	lead := len(s) - len(strings.TrimLeft(s, " "))
	if lead > 0 && lead < w { // an indent is kept, as written
		put("", 0, s[:lead])
	}
	for i, word := range strings.Split(s[lead:], " ") {
		if word == "" { // a run of spaces: kept inside a line
			if i > 0 {
				gap += " "
			}
			continue
		}
		sep := ""
		if i > 0 {
			sep = gap + " "
		}
		gap = ""
		for j, seg := range wordSegments(word) {
			if j > 0 {
				sep = ""
			}
			sw := ansi.StringWidth(seg)
			if lw > 0 && lw+ansi.StringWidth(sep)+sw > w {
				flush()
				sep = ""
			}
			if lw == 0 {
				sep = ""
			}
			for lw == 0 && sw > w { // wider than a line: broken hard
				head := ansi.Truncate(seg, w, "")
				if head == "" { // one grapheme wider than w: it has a line of its own
					head = ansi.Truncate(seg, ansi.StringWidth(firstRuneString(seg))+1, "")
					if head == "" {
						head = firstRuneString(seg)
					}
				}
				put(head, ansi.StringWidth(head), "")
				flush()
				seg = seg[len(head):]
				sw = ansi.StringWidth(seg)
			}
			if seg != "" {
				put(seg, sw, sep)
			}
		}
	}
	if lw > 0 || len(out) == 0 {
		out = append(out, line.String())
	}
	return out
}

// wordSegments cuts a word after each hyphen that is not between two digits: the
// places it may break at besides hard.
func wordSegments(word string) []string {
	if !strings.Contains(word, "-") {
		return []string{word}
	}
	r := []rune(word)
	var out []string
	start := 0
	for i := 0; i+1 < len(r); i++ {
		if r[i] == '-' && !(i > 0 && isDigit(r[i-1]) && isDigit(r[i+1])) {
			out = append(out, string(r[start:i+1]))
			start = i + 1
		}
	}
	return append(out, string(r[start:]))
}

func firstRuneString(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }
