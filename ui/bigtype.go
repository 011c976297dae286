package ui

import (
	"strings"
	"time"
)

// Large type for the wall: the queue's length and its longest wait, read from across the
// room. Digits and the colon are drawn from a 3x5 pixel font of okdash's own, in four
// faces: 3 rows of half blocks (two pixel rows to a cell) or 5 rows of full blocks two
// cells to a pixel, and the same two heights in ASCII, for terminals whose fonts lack the
// block elements (the Linux console): 3 rows of seven-segment strokes, 5 rows of '#'.

// bigPixels are the glyphs of '0'-'9' and ':' (the rune after '9'), by r-'0', row by
// row, '#' a pixel that is on.
var bigPixels = [...][5]string{
	'0' - '0': {"###", "#.#", "#.#", "#.#", "###"},
	'1' - '0': {".#.", "##.", ".#.", ".#.", "###"},
	'2' - '0': {"###", "..#", "###", "#..", "###"},
	'3' - '0': {"###", "..#", "###", "..#", "###"},
	'4' - '0': {"#.#", "#.#", "###", "..#", "..#"},
	'5' - '0': {"###", "#..", "###", "..#", "###"},
	'6' - '0': {"###", "#..", "###", "#.#", "###"},
	'7' - '0': {"###", "..#", "..#", "..#", "..#"},
	'8' - '0': {"###", "#.#", "###", "#.#", "###"},
	'9' - '0': {"###", "#.#", "###", "..#", "###"},
	':' - '0': {".", "#", ".", "#", "."},
}

// sevenSegment is the 3-row ASCII face: the strokes of a seven-segment display, by r-'0'
// as bigPixels.
var sevenSegment = [len(bigPixels)][3]string{
	'0' - '0': {" _ ", "| |", "|_|"},
	'1' - '0': {"   ", "  |", "  |"},
	'2' - '0': {" _ ", " _|", "|_ "},
	'3' - '0': {" _ ", " _|", " _|"},
	'4' - '0': {"   ", "|_|", "  |"},
	'5' - '0': {" _ ", "|_ ", " _|"},
	'6' - '0': {" _ ", "|_ ", "|_|"},
	'7' - '0': {" _ ", "  |", "  |"},
	'8' - '0': {" _ ", "|_|", "|_|"},
	'9' - '0': {" _ ", "|_|", " _|"},
	':' - '0': {" ", ".", "."},
}

// bigRune says whether the large type has a glyph for r.
func bigRune(r rune) bool { return r >= '0' && int(r-'0') < len(bigPixels) }

// bigFace is one face of the large type: its height in rows and whether it is ASCII.
type bigFace struct {
	rows  int // 3 or 5
	ascii bool
}

// glyph is r's rows in face f; a rune the font lacks is drawn as blank space.
func (f bigFace) glyph(r rune) []string {
	if f.rows == 3 && f.ascii {
		if !bigRune(r) {
			return []string{"   ", "   ", "   "}
		}
		return sevenSegment[r-'0'][:]
	}
	px := [5]string{"...", "...", "...", "...", "..."}
	if bigRune(r) {
		px = bigPixels[r-'0']
	}
	out := make([]string, f.rows)
	if f.rows == 5 {
		on, off := "██", "  "
		if f.ascii {
			on = "##"
		}
		for i, row := range px {
			out[i] = strings.NewReplacer("#", on, ".", off).Replace(row)
		}
		return out
	}
	// 3 rows of half blocks: pixel rows 0-1, 2-3 and 4 (with nothing under it).
	for i := 0; i < 3; i++ {
		top, bottom := px[2*i], ""
		if 2*i+1 < 5 {
			bottom = px[2*i+1]
		}
		var b strings.Builder
		for j := range len(top) {
			t, u := top[j] == '#', bottom != "" && bottom[j] == '#'
			switch {
			case t && u:
				b.WriteString("█")
			case t:
				b.WriteString("▀")
			case u:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		out[i] = b.String()
	}
	return out
}

// render draws text (digits and colons) in face f: f.rows lines of the same width, a
// column of space between glyphs.
func (f bigFace) render(text string) []string {
	lines := make([]string, f.rows)
	for i, r := range []rune(text) {
		g := f.glyph(r)
		for row := range lines {
			if i > 0 {
				lines[row] += " "
			}
			lines[row] += g[row]
		}
	}
	return lines
}

// width is how many cells render(text) takes.
func (f bigFace) width(text string) int {
	w := 0
	for i, r := range []rune(text) {
		if i > 0 {
			w++
		}
		g := f.glyph(r)
		w += len([]rune(g[0]))
	}
	return w
}

// bigWait writes a wait for the large type: m:ss below an hour, then h:mm:ss, without
// the leading zero a large digit would waste room on.
func bigWait(d time.Duration) string {
	s := FormatDuration(d)
	if len(s) == 5 && s[0] == '0' {
		return s[1:]
	}
	return s
}
