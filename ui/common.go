package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/message"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/theme"
)

// common is what every pane of one dashboard shares, as glow's commonModel and
// soft-serve's Common: the look, the language, the clock, the terminal's size, the
// session and what it can do, and the screen that is up. The root writes it; panes
// read it and post to each other through it. State that belongs to a pane stays in
// the pane: what another pane needs of it, the root hands over as an argument.
type common struct {
	opts    Options // limits and timeouts, the bell
	theme   *theme.Theme
	print   *message.Printer
	clock   oktell.Clock
	session oktell.Session // nil: no session (a test, a preview)
	caps    oktell.Capabilities

	width, height int
	// now is the dashboard's "now", what it counts time in state from and stamps its own
	// notes with: the wall clock (wall), or a replay's place in its log (Position).
	now    time.Time
	wall   time.Time // the latest of the clock's ticks and a live source's update times: timers
	screen screen
	lay    layout // where the panes were placed on the last frame

	posted []tea.Msg // what panes posted during this Update, delivered before it returns (see post)
	ring   bool      // the bell is to ring once this Update is done (see bell)
	pub    publisher // what the trainer's room was last told (Options.Publish)

	rangCall time.Time // when the bell last rang for a call (see callBell)
}

// present is the dashboard's now (see now): the replay's place in its log when the
// session plays one at its own pace, else the wall clock as the ticks and a live
// source's updates tell it. A followed log's backlog is in the past of the wall clock.
func (c *common) present() time.Time {
	if c.caps.Position != nil {
		return c.caps.Position.Now()
	}
	return c.wall
}

// arrived stamps an update from the session that came without a time (with the replay's
// place in its log, else the clock) and moves the clocks on: a live source's update is
// news of the wall clock; a log's times are its own and move only a replay's now.
func (c *common) arrived(u *oktell.Update) {
	if u.At.IsZero() {
		u.At = c.clock.Now()
		if c.caps.Position != nil {
			u.At = c.caps.Position.Now()
		}
	}
	if !c.caps.LogTimes && u.At.After(c.wall) {
		c.wall = u.At
	}
	c.now = c.present()
	if c.caps.Position != nil && u.At.After(c.now) {
		c.now = u.At
	}
}

// ticked is a tick of the clock at t: the wall clock moves on, and now with it.
func (c *common) ticked(t time.Time) {
	if t.After(c.wall) {
		c.wall = t
	}
	c.now = c.present()
}

// tr is the text in the operator's language (the catalog's key is the English text).
func (c *common) tr(format string, args ...any) string { return c.print.Sprintf(format, args...) }

// post hands msg to every pane, within the Update that is running, after the message it
// is handling: how one pane tells the others (a note to show, the link gone) without
// knowing them, and without the extra frame a tea.Cmd would cost.
func (c *common) post(msg tea.Msg) { c.posted = append(c.posted, msg) }

// tooSmall says whether the terminal is below the minimum size.
func (c *common) tooSmall() bool { return c.width < MinWidth || c.height < MinHeight }

// canSend says whether requests may go to the session at all: a session that writes
// and has not ended. Whether the link is up is the status pane's to say.
func (c *common) canSend(ended bool) bool {
	return c.session != nil && !c.caps.ReadOnly && !ended
}

// bell rings the terminal's bell, when the operator asked for it: once for everything
// that asked in one Update (a batch of messages rings once), when the Update is done.
// It returns no command, so that a pane may return it as it did when it rang at once.
func (c *common) bell() tea.Cmd {
	if c.opts.Bell && c.opts.BellOut != nil {
		c.ring = true
	}
	return nil
}

// rung is the command that rings the bell if anything asked for it in this Update.
func (c *common) rung() tea.Cmd {
	if !c.ring {
		return nil
	}
	c.ring = false
	return bellCmd(c.opts.BellOut)
}

// callBell rings the bell for a call that starts ringing, at most once a second: one
// call comes both as an incoming-call notification and as the line's ring (the demo, the
// bridge), and the operator hears it once.
func (c *common) callBell() tea.Cmd {
	if !c.rangCall.IsZero() && !c.now.Before(c.rangCall) && c.now.Sub(c.rangCall) < time.Second {
		return nil
	}
	c.rangCall = c.now
	return c.bell()
}

// fit cuts a line to w cells, with an ellipsis when something was cut.
func (c *common) fit(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, c.theme.Icons.Ellipsis)
}

// fill cuts a line to w cells and pads it with spaces to exactly w, for bars drawn on a
// background colour and for columns set side by side.
func (c *common) fill(s string, w int) string {
	s = c.fit(s, w)
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// rule is a pane's title line across width: its title, an extra word (a count), and at
// its right end what the layout puts there (who is logged in, the link).
func (c *common) rule(title, extra string, width int, right string) string {
	th := c.theme
	r := th.Icons.Rule
	s := th.Rule.Render(r+r) + " " + th.Bold.Render(title) + " "
	if extra != "" {
		s += th.Warning.Render(extra) + " "
	}
	if right != "" {
		end := " " + th.Rule.Render(r+r)
		// at least two cells of rule between; a long right end (a replay's status) is cut
		// while some of it still reads, else left out
		room := width - lipgloss.Width(s) - 2 - 1 - lipgloss.Width(end)
		if lipgloss.Width(right) > room {
			if room >= 16 {
				right = c.fit(right, room)
			} else {
				right = ""
			}
		}
		if right != "" {
			right = " " + right + end
		}
	}
	if fill := width - lipgloss.Width(s) - lipgloss.Width(right); fill > 0 {
		s += th.Rule.Render(strings.Repeat(r, fill))
	}
	return s + right
}

// wrapped is a text wrapped to a width, kept until it is asked for at another width:
// a frame draws only what is visible, and each of those only once per width.
type wrapped struct {
	w     int
	lines []string
}

// at returns text's lines at width w, wrapping it with wrapText when w changed.
func (c *wrapped) at(w int, text string, wrapText func(string, int) []string) []string {
	if c.w != w || c.lines == nil {
		c.w, c.lines = w, wrapText(text, w)
	}
	return c.lines
}

// wrapLines wraps a one-line text to w cells.
func wrapLines(s string, w int) []string { return strings.Split(wrap(s, w), "\n") }

// duration is a length of time as the operator's language writes it: "10s", "1m30s",
// "2m" in English; "10 с", "1 мин 30 с", "2 мин" in Russian.
func (c *common) duration(d time.Duration) string { return sayDuration(c.print, d) }

func sayDuration(p *message.Printer, d time.Duration) string {
	if isRussian(p) {
		return ruDuration(d)
	}
	t := d.String() // as oktell's reasons write it: "2m0s" reads "2m", "1h0m0s" "1h"
	if strings.HasSuffix(t, "m0s") {
		t = strings.TrimSuffix(t, "0s")
	}
	if strings.HasSuffix(t, "h0m") {
		t = strings.TrimSuffix(t, "0m")
	}
	return t
}

// FormatDuration prints time in a state: mm:ss below an hour, then h:mm:ss.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	if s < 3600 {
		return fmt.Sprintf("%02d:%02d", s/60, s%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", s/3600, (s/60)%60, s%60)
}

// input is a line the operator types into (a reply, a filter, a password), of at most
// limit characters, in the theme's colours. Its cursor does not blink: nothing animates
// on an idle screen.
func (c *common) input(limit int) textinput.Model {
	th := c.theme
	in := textinput.New()
	in.Cursor.SetMode(cursor.CursorStatic)
	in.PromptStyle, in.TextStyle = th.Accent, th.Input
	in.PlaceholderStyle, in.CompletionStyle = th.Muted, th.Muted
	in.Cursor.Style, in.Cursor.TextStyle = th.Cursor, th.Input
	in.CharLimit = limit
	return in
}

// toggleScreen is the action of a view's key: open the view, or, pressed on it, go back
// to the main screen. opened runs when the view opens (to start it afresh).
func (c *common) toggleScreen(view screen, opened func()) func() tea.Cmd {
	return func() tea.Cmd {
		to := view
		if c.screen == view {
			to = screenMain
		} else if opened != nil {
			opened()
		}
		c.post(screenMsg{to})
		return nil
	}
}

// toMain is the action of a view's back key: the main screen.
func (c *common) toMain() tea.Cmd { c.post(screenMsg{screenMain}); return nil }

// viewKey is the key of a view that only some sources fill (the queue, the colleagues),
// as it stands on screen on: refused with whyNot (a catalog key) unless the source
// fills it, else listed among the views and, on the main screen, on the bar at rank
// mainBar.
func (c *common) viewKey(k key.Binding, view screen, filled bool, whyNot string, on screen, mainBar int) binding {
	if !filled {
		return act(k, whyNot, c.toggleScreen(view, nil))
	}
	b := act(k, "", c.toggleScreen(view, nil)).listed(groupViews)
	if on == screenMain {
		b = b.onBar(mainBar)
	}
	return b
}

// tooSmallScreen is the screen below a model's minimum size (minW x minH): what is
// needed, then tail (by default the way out, "q quit"), centred on the height.
func (c *common) tooSmallScreen(minW, minH int, tail ...string) string {
	msg := c.tr("Terminal too small: %dx%d, need at least %dx%d", c.width, c.height, minW, minH)
	var lines []string
	for _, l := range wrapLines(msg, c.width) {
		lines = append(lines, c.fit(l, c.width))
	}
	if len(tail) == 0 {
		tail = []string{c.theme.HelpKey.Render("q") + " " + c.theme.HelpDesc.Render(c.tr("quit"))}
	}
	for _, l := range tail {
		lines = append(lines, c.fit(l, c.width))
	}
	if len(lines) > c.height {
		lines = lines[:c.height]
	}
	out := make([]string, (c.height-len(lines))/2, c.height)
	return strings.Join(append(out, lines...), "\n")
}
