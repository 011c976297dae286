//go:build unix

package termquery

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/creack/pty"
)

// terminal is a pseudo-terminal whose far end answers okdash's questions as answer says.
func terminal(t *testing.T, answer func(query []byte) []byte) *os.File {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptm.Close(); tty.Close() })
	go func() {
		var seen []byte
		buf := make([]byte, 256)
		for {
			n, err := ptm.Read(buf)
			if err != nil {
				return
			}
			seen = append(seen, buf[:n]...)
			if bytes.Contains(seen, []byte("\x1b[c")) { // the question ends with DA1
				if a := answer(seen); a != nil {
					ptm.Write(a)
				}
				seen = nil
			}
		}
	}()
	return tty
}

func TestDarkBackground(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer string
		dark   bool
	}{
		{"white", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c", false},
		{"black", "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;22c", true},
		{"solarized light", "\x1b]11;rgb:fdfd/f6f6/e3e3\x1b\\\x1b[?62;22c", false},
		{"no OSC 11, only DA1", "\x1b[?1;2c", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tty := terminal(t, func([]byte) []byte { return []byte(tc.answer) })
			if got := DarkBackground(tty, tty, 10*time.Second); got != tc.dark {
				t.Errorf("dark = %v, want %v", got, tc.dark)
			}
		})
	}
}

// A terminal that answers nothing costs the bound, and counts as dark.
func TestSilentTerminalCountsAsDark(t *testing.T) {
	asked := make(chan []byte, 1)
	tty := terminal(t, func(q []byte) []byte { asked <- bytes.Clone(q); return nil })
	if !DarkBackground(tty, tty, 50*time.Millisecond) {
		t.Error("a silent terminal counted as light")
	}
	if q := <-asked; !bytes.Contains(q, []byte("\x1b]11;?")) {
		t.Errorf("the background was not asked for: %q", q)
	}
}

func TestNoTerminalNoQuestion(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !DarkBackground(f, f, time.Second) {
		t.Error("a file counted as a light terminal")
	}
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Errorf("%d bytes of questions written to a file", st.Size())
	}
}
