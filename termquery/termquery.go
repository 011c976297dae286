// Package termquery asks a terminal what okdash cannot learn from the environment, its
// background colour, and never waits longer than it is told: a terminal that answers
// nothing (script, a serial console, some multiplexers) costs the bound, not 5 s.
package termquery

import (
	"image/color"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/input"
	"github.com/charmbracelet/x/term"
	"github.com/lucasb-eyer/go-colorful"
)

// Timeout is how long okdash waits for a terminal's answer: ample for a local terminal
// or one across a network, short enough that a silent one delays the first frame little.
const Timeout = 300 * time.Millisecond

// DarkBackground asks the terminal behind in and out whether its background is dark.
// Anything that is not a clear answer within timeout (no terminal, no answer, an
// answer that is not a colour) counts as dark, the common case.
func DarkBackground(in, out *os.File, timeout time.Duration) bool {
	bg := Background(in, out, timeout)
	if bg == nil {
		return true
	}
	c, ok := colorful.MakeColor(bg)
	if !ok {
		return true
	}
	_, _, l := c.Hsl()
	return l < 0.5
}

// Background asks for the background colour (OSC 11), followed by a device attributes
// request (DA1) that every terminal answers, so that one which ignores OSC 11 ends the
// wait at once; nil when there is no answer within timeout. in is put in raw mode for
// the question and restored.
func Background(in, out *os.File, timeout time.Duration) (bg color.Color) {
	if in == nil || out == nil || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		return nil
	}
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return nil
	}
	defer term.Restore(in.Fd(), state) //nolint:errcheck
	rd, err := input.NewReader(in, "", 0)
	if err != nil {
		return nil
	}
	defer rd.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
		case <-time.After(timeout):
			rd.Cancel()
		}
	}()
	if _, err := io.WriteString(out, ansi.RequestBackgroundColor+ansi.RequestPrimaryDeviceAttributes); err != nil {
		return nil
	}
	for {
		events, err := rd.ReadEvents()
		if err != nil {
			return bg
		}
		for _, e := range events {
			switch e := e.(type) {
			case input.BackgroundColorEvent:
				bg = e.Color
			case input.PrimaryDeviceAttributesEvent:
				return bg
			}
		}
	}
}
