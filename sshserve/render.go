package sshserve

import (
	"image/color"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/input"
	"github.com/charmbracelet/x/term"
	"github.com/lucasb-eyer/go-colorful"
	"github.com/muesli/termenv"
)

// environ is the client's environment as termenv reads it.
type environ []string

func (e environ) Environ() []string { return e }

func (e environ) Getenv(k string) string {
	// The last assignment wins, as in a shell.
	for i := len(e) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}

// clientEnviron is what the client sent with "env" requests (the variables okdash
// reads, bounded: see connState.setenv), plus TERM from its pty request (OpenSSH sends
// TERM only there), and how many env requests were refused.
func clientEnviron(cs *connState, pty ssh.Pty) (environ, int) {
	env, refused := cs.environ()
	if pty.Term != "" {
		env = append(env, "TERM="+pty.Term)
	}
	return env, refused
}

// newRenderer builds the Lip Gloss renderer of one session, like wish's
// bubbletea.MakeRenderer, but: the colour profile comes from the client's TERM,
// COLORTERM and NO_COLOR, never from the server's; forceASCII (--no-color) wins; and a
// terminal that does not answer the background query within timeout counts as dark,
// so nothing queries it again later while Bubble Tea owns its input.
func newRenderer(tty *os.File, pty ssh.Pty, env environ, forceASCII bool, timeout time.Duration) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(tty, termenv.WithEnvironment(env), termenv.WithColorCache(true))
	if forceASCII || env.Getenv("NO_COLOR") != "" || pty.Term == "" || pty.Term == "dumb" {
		r.SetColorProfile(termenv.Ascii)
	} else {
		r.SetColorProfile(r.ColorProfile()) // detect now, from the client's environment
	}
	dark := true
	if timeout > 0 && pty.Term != "dumb" {
		if bg := queryBackground(tty, timeout); bg != nil {
			if c, ok := colorful.MakeColor(bg); ok {
				_, _, l := c.Hsl()
				dark = l < 0.5
			}
		}
	}
	r.SetHasDarkBackground(dark)
	return r
}

// queryBackground asks the terminal for its background colour (OSC 11), followed by a
// device attributes request that every terminal answers, so a terminal that ignores
// OSC 11 ends the wait at once instead of after the timeout. After wish's bubbletea
// package, which copied it from x/term.
func queryBackground(tty *os.File, timeout time.Duration) (bg color.Color) {
	rc, err := tty.SyscallConn()
	if err != nil {
		return nil
	}
	var state *term.State
	if err := rc.Control(func(fd uintptr) { state, err = term.MakeRaw(fd) }); err != nil || state == nil {
		return nil
	}
	defer rc.Control(func(fd uintptr) { term.Restore(fd, state) }) //nolint:errcheck
	rd, err := input.NewReader(tty, "", 0)
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
	if _, err := io.WriteString(tty, ansi.RequestBackgroundColor+ansi.RequestPrimaryDeviceAttributes); err != nil {
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
