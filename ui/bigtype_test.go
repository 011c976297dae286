package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
)

// The four faces of the large type, as they read.
func TestBigTypeFaces(t *testing.T) {
	for _, tc := range []struct {
		face bigFace
		want []string
	}{
		{bigFace{rows: 3}, []string{
			"▄█  ▀▀█ ▄ █▀█ █▀▀",
			" █  █▀▀ ▄ █ █ ▀▀█",
			"▀▀▀ ▀▀▀   ▀▀▀ ▀▀▀",
		}},
		{bigFace{rows: 3, ascii: true}, []string{
			"     _     _   _ ",
			"  |  _| . | | |_ ",
			"  | |_  . |_|  _|",
		}},
		{bigFace{rows: 5}, []string{
			"  ██   ██████    ██████ ██████",
			"████       ██ ██ ██  ██ ██    ",
			"  ██   ██████    ██  ██ ██████",
			"  ██   ██     ██ ██  ██     ██",
			"██████ ██████    ██████ ██████",
		}},
		{bigFace{rows: 5, ascii: true}, []string{
			"  ##   ######    ###### ######",
			"####       ## ## ##  ## ##    ",
			"  ##   ######    ##  ## ######",
			"  ##   ##     ## ##  ##     ##",
			"###### ######    ###### ######",
		}},
	} {
		got := tc.face.render("12:05")
		assert.Equal(t, tc.want, got, "%+v", tc.face)
		assert.Equal(t, ansi.StringWidth(tc.want[0]), tc.face.width("12:05"), "%+v", tc.face)
	}
}

// Every glyph of every face is a block of its face's height and one width, and the
// ASCII faces hold nothing but ASCII.
func TestBigTypeGlyphsAreBlocks(t *testing.T) {
	for _, f := range []bigFace{{rows: 3}, {rows: 3, ascii: true}, {rows: 5}, {rows: 5, ascii: true}} {
		for _, r := range "0123456789:" {
			g := f.glyph(r)
			assert.Len(t, g, f.rows, "%+v %q", f, r)
			for _, row := range g {
				assert.Equal(t, ansi.StringWidth(g[0]), ansi.StringWidth(row), "%+v %q", f, r)
				if f.ascii {
					for _, c := range row {
						assert.Less(t, c, rune(128), "%+v %q", f, r)
					}
				}
			}
		}
		// Digits differ from each other: a wall must not read 6 for 8.
		seen := map[string]rune{}
		for _, r := range "0123456789" {
			k := strings.Join(f.glyph(r), "\n")
			if prev, dup := seen[k]; dup {
				t.Errorf("%+v: %q looks like %q", f, r, prev)
			}
			seen[k] = r
		}
		assert.Equal(t, f.rows, len(f.render("?")), "a rune the font lacks is blank space")
	}
}

func TestBigWait(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00", 42 * time.Second: "0:42", 9*time.Minute + 5*time.Second: "9:05", 10 * time.Minute: "10:00",
		59*time.Minute + 59*time.Second: "59:59", time.Hour + 2*time.Minute + 3*time.Second: "1:02:03", -time.Second: "0:00",
	} {
		assert.Equal(t, want, bigWait(d), "%v", d)
	}
}
