// Package theme holds okdash's palette, styles and icon sets. Every style is built from
// a *lipgloss.Renderer handed in, so that each SSH session renders for its own terminal.
//
// The palette is designed for the 16 ANSI colours first (PuTTY's default) and refined
// for 256 colours and true colour through lipgloss.CompleteColor; light and dark
// backgrounds each have their own set. Nothing here tells a state by colour alone: the
// panes always print a word and a glyph next to it, so NO_COLOR loses nothing.
package theme

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/shift"
)

// Options choose the look of one dashboard.
type Options struct {
	Light   bool    // light terminal background
	NoColor bool    // no colour, bold or reverse at all (NO_COLOR, --no-color)
	Icons   IconSet // Unicode or ASCII
}

// Palette holds the semantic colours; panes name what a colour means, never a number.
type Palette struct {
	Text, Muted, Accent, Border lipgloss.TerminalColor
	OnBadge                     lipgloss.TerminalColor // text on a coloured badge

	StateReady, StateBreak, StateAway, StateBusy, StateReserved, StateNoPhone, StateOffline lipgloss.TerminalColor

	ToastNone, ToastControl, ToastPBX, ToastInfo, ToastCall, ToastTimer, ToastCallback,
	ToastApp, ToastAppWarn, ToastAppInfo, ToastAppError lipgloss.TerminalColor

	Success, Warning, Error lipgloss.TerminalColor
}

// c builds one colour for the three profiles: true colour, 256 colours, 16 colours.
func c(tc, c256, c16 string) lipgloss.CompleteColor {
	return lipgloss.CompleteColor{TrueColor: tc, ANSI256: c256, ANSI: c16}
}

// DarkPalette is the palette for a dark background.
func DarkPalette() Palette {
	return Palette{
		Text: c("#E4E4E4", "254", "7"), Muted: c("#8A8A8A", "245", "8"), Accent: c("#5FAFFF", "75", "12"),
		Border: c("#585858", "240", "8"), OnBadge: c("#000000", "16", "0"),

		StateReady: c("#5FD75F", "77", "10"), StateBreak: c("#FFD75F", "221", "11"),
		StateAway: c("#AF87FF", "141", "13"), StateBusy: c("#FF5F5F", "203", "9"),
		StateReserved: c("#5FD7D7", "80", "14"), StateNoPhone: c("#FF8700", "208", "3"),
		StateOffline: c("#9E9E9E", "247", "7"),

		ToastNone: c("#BCBCBC", "250", "7"), ToastControl: c("#87AFD7", "110", "12"),
		ToastPBX: c("#5FAFAF", "73", "6"), ToastInfo: c("#87D7FF", "117", "14"),
		ToastCall: c("#5FFF5F", "83", "10"), ToastTimer: c("#D7AF5F", "179", "3"),
		ToastCallback: c("#D787D7", "176", "13"), ToastApp: c("#AFAFAF", "145", "7"),
		ToastAppWarn: c("#FFD700", "220", "11"), ToastAppInfo: c("#5F87FF", "69", "4"),
		ToastAppError: c("#FF5F5F", "203", "9"),

		Success: c("#5FD75F", "77", "10"), Warning: c("#FFD75F", "221", "11"), Error: c("#FF5F5F", "203", "9"),
	}
}

// LightPalette is the palette for a light background: darker hues, so text stays legible.
func LightPalette() Palette {
	return Palette{
		Text: c("#1C1C1C", "234", "0"), Muted: c("#6C6C6C", "242", "8"), Accent: c("#005FAF", "25", "4"),
		Border: c("#A8A8A8", "248", "8"), OnBadge: c("#FFFFFF", "231", "15"),

		StateReady: c("#008700", "28", "2"), StateBreak: c("#AF8700", "136", "3"),
		StateAway: c("#8700AF", "91", "5"), StateBusy: c("#D70000", "160", "1"),
		StateReserved: c("#008787", "30", "6"), StateNoPhone: c("#D75F00", "166", "4"), // 16 colours: 3 is Break
		StateOffline: c("#6C6C6C", "242", "8"),

		ToastNone: c("#4E4E4E", "239", "8"), ToastControl: c("#005F87", "24", "4"),
		ToastPBX: c("#005F5F", "23", "6"), ToastInfo: c("#0087AF", "31", "6"),
		ToastCall: c("#008700", "28", "2"), ToastTimer: c("#875F00", "94", "3"),
		ToastCallback: c("#870087", "90", "5"), ToastApp: c("#5F5F87", "60", "8"),
		ToastAppWarn: c("#AF5F00", "130", "3"), ToastAppInfo: c("#005FD7", "26", "4"),
		ToastAppError: c("#D70000", "160", "1"),

		Success: c("#008700", "28", "2"), Warning: c("#AF5F00", "130", "3"), Error: c("#D70000", "160", "1"),
	}
}

// Theme is the palette, the styles built from one renderer, and the icon set.
type Theme struct {
	R       *lipgloss.Renderer
	P       Palette
	Icons   IconSet
	NoColor bool
	Light   bool // the palette is the light background's

	Base, Muted, Bold, Accent, Rule, Banner, BannerError lipgloss.Style
	Sender, Time, Warning, Input, Cursor                 lipgloss.Style
	HelpKey, HelpDesc, HelpSep                           lipgloss.Style
	HelpOff                                              lipgloss.Style // a binding not possible right now

	// The desk: the call on the second line, the queue, the colleagues.
	//
	// Blink blinks where the terminal can (SGR 5); under NO_COLOR, like every attribute,
	// it is dropped, so a ringing call is told by its glyph and word, never by blinking.
	Blink lipgloss.Style
	// CallRinging, CallDialing, CallTalking and CallHold are the call's badge by the
	// line's state; CallRinging blinks.
	CallRinging, CallDialing, CallTalking, CallHold lipgloss.Style
	// CallNumber is the other party's number, CallName their name, CallInfo the free text.
	CallNumber, CallName, CallInfo lipgloss.Style
	// Queue is the count of callers waiting, QueueLong the longest wait once it is long.
	Queue, QueueLong lipgloss.Style
	// Department is a department's heading in the colleagues view.
	Department lipgloss.Style
}

// New builds the theme for the terminal that r renders for. With NoColor the renderer's
// profile is set to ASCII, which drops colour, bold and reverse together (NO_COLOR).
func New(r *lipgloss.Renderer, o Options) *Theme {
	if r == nil {
		r = lipgloss.NewRenderer(nil)
		r.SetColorProfile(termenv.Ascii)
	}
	if o.NoColor {
		r.SetColorProfile(termenv.Ascii)
	}
	if o.Icons.Name == "" {
		o.Icons = Unicode()
	}
	p := DarkPalette()
	if o.Light {
		p = LightPalette()
	}
	t := &Theme{R: r, P: p, Icons: o.Icons, NoColor: o.NoColor || r.ColorProfile() == termenv.Ascii, Light: o.Light}
	s := r.NewStyle
	t.Base = s().Foreground(p.Text)
	t.Muted = s().Foreground(p.Muted)
	t.Bold = s().Bold(true)
	t.Accent = s().Foreground(p.Accent)
	t.Rule = s().Foreground(p.Border)
	t.Banner = s().Foreground(p.OnBadge).Background(p.Warning).Bold(true)
	t.BannerError = s().Foreground(p.OnBadge).Background(p.Error).Bold(true)
	t.Sender = s().Foreground(p.Accent).Bold(true)
	t.Time = s().Foreground(p.Muted)
	t.Warning = s().Foreground(p.Warning)
	t.Input = s().Foreground(p.Text)
	t.Cursor = s().Reverse(true)
	t.HelpKey = s().Foreground(p.Accent).Bold(true)
	t.HelpDesc = s().Foreground(p.Muted)
	t.HelpSep = s().Foreground(p.Border)
	t.HelpOff = s().Foreground(p.Border).Faint(true)
	t.Blink = s().Blink(true)
	t.CallRinging = s().Foreground(p.OnBadge).Background(p.ToastCall).Bold(true).Blink(true)
	t.CallDialing = s().Foreground(p.OnBadge).Background(p.ToastInfo).Bold(true)
	t.CallTalking = s().Foreground(p.OnBadge).Background(p.Accent).Bold(true)
	t.CallHold = s().Foreground(p.OnBadge).Background(p.StateBreak).Bold(true)
	t.CallNumber = s().Foreground(p.Text).Bold(true)
	t.CallName = s().Foreground(p.Text)
	t.CallInfo = s().Foreground(p.Muted)
	t.Queue = s().Foreground(p.Accent).Bold(true)
	t.QueueLong = s().Foreground(p.Warning).Bold(true)
	t.Department = s().Foreground(p.Text).Bold(true)
	return t
}

// StateColor is the colour of a user state.
func (t *Theme) StateColor(s oktell.UserState) lipgloss.TerminalColor {
	switch s {
	case oktell.UserReady:
		return t.P.StateReady
	case oktell.UserLunch:
		return t.P.StateBreak
	case oktell.UserOff:
		return t.P.StateAway
	case oktell.UserFullbusy:
		return t.P.StateBusy
	case oktell.UserReserved:
		return t.P.StateReserved
	case oktell.UserWOphone:
		return t.P.StateNoPhone
	}
	return t.P.StateOffline
}

// StateBadge is the style of the state's badge in the header: the state's colour behind
// dark text. A stale state (link lost) is drawn muted instead.
func (t *Theme) StateBadge(s oktell.UserState, stale bool) lipgloss.Style {
	if stale {
		return t.Muted
	}
	return t.R.NewStyle().Foreground(t.P.OnBadge).Background(t.StateColor(s)).Bold(true)
}

// StateText is the style of a state's glyph and word written in its colour, on the
// terminal's background (a list: the trainer's room, the wall's counts); a stale state is
// muted.
func (t *Theme) StateText(s oktell.UserState, stale bool) lipgloss.Style {
	if stale {
		return t.Muted
	}
	return t.R.NewStyle().Foreground(t.StateColor(s))
}

// StateCount is the style of a state's glyph and word beside a count of those in it (the
// wall's counts): its colour, bold, on the terminal's background.
func (t *Theme) StateCount(s oktell.UserState) lipgloss.Style {
	return t.StateText(s, false).Bold(true)
}

// ShiftColor is the colour of where the shift's time went: a state's own colour, muted
// for the time the state was not known, the rule's for the time okdash did not watch.
func (t *Theme) ShiftColor(b shift.Bucket) lipgloss.TerminalColor {
	if s, ok := bucketState(b); ok {
		return t.StateColor(s)
	}
	if b == shift.NotWatched {
		return t.P.Border
	}
	return t.P.Muted
}

// bucketState is the user state whose time goes to bucket b (shift.BucketOf the other
// way); false for the time the state was not known or okdash did not watch.
func bucketState(b shift.Bucket) (oktell.UserState, bool) {
	switch b {
	case shift.Ready:
		return oktell.UserReady, true
	case shift.Break:
		return oktell.UserLunch, true
	case shift.Away:
		return oktell.UserOff, true
	case shift.Busy:
		return oktell.UserFullbusy, true
	case shift.Reserved:
		return oktell.UserReserved, true
	case shift.NoPhone:
		return oktell.UserWOphone, true
	case shift.Disconnected:
		return oktell.UserDisconnected, true
	}
	return 0, false
}

// ShiftBar is the style of a bucket's cells in the shift's bars: its colour, on top of
// its own fill (IconSet.ShiftFill), which tells it without colour.
func (t *Theme) ShiftBar(b shift.Bucket) lipgloss.Style {
	return t.R.NewStyle().Foreground(t.ShiftColor(b))
}

// ToastColor is the colour of a notification type; nltColor takes backcolor_argb.
func (t *Theme) ToastColor(n oktell.NotifyType, argb uint32) lipgloss.TerminalColor {
	switch n {
	case oktell.NltControlEvent:
		return t.P.ToastControl
	case oktell.NltPBXinfo:
		return t.P.ToastPBX
	case oktell.NltInformation:
		return t.P.ToastInfo
	case oktell.NltIncomingCall:
		return t.P.ToastCall
	case oktell.NltTimer:
		return t.P.ToastTimer
	case oktell.NltCallbackOrder:
		return t.P.ToastCallback
	case oktell.NltApplication:
		return t.P.ToastApp
	case oktell.NltApplicationWarn:
		return t.P.ToastAppWarn
	case oktell.NltApplicationInfo:
		return t.P.ToastAppInfo
	case oktell.NltApplicationErr:
		return t.P.ToastAppError
	case oktell.NltColor:
		return ARGB(argb)
	}
	return t.P.ToastNone
}

// ARGB turns a backcolor_argb value into a colour. The alpha byte is ignored: a terminal
// cell cannot be translucent. lipgloss maps the hex to the nearest 256 or 16 colour.
func ARGB(argb uint32) lipgloss.Color {
	return lipgloss.Color(fmt.Sprintf("#%06X", argb&0xFFFFFF))
}

// ToastMark is the style of a toast's leading glyph block: the type's colour as background.
func (t *Theme) ToastMark(n oktell.NotifyType, argb uint32) lipgloss.Style {
	bg := t.ToastColor(n, argb)
	fg := t.P.OnBadge
	if n == oktell.NltColor {
		fg = onColor(argb)
	}
	return t.R.NewStyle().Foreground(fg).Background(bg).Bold(true)
}

// ToastText is the style of a toast's text: the type's colour as foreground, except for
// nltColor, whose arbitrary colour may be unreadable as text and stays on the mark only.
func (t *Theme) ToastText(n oktell.NotifyType) lipgloss.Style {
	if n == oktell.NltColor {
		return t.Base
	}
	st := t.R.NewStyle().Foreground(t.ToastColor(n, 0))
	if n == oktell.NltIncomingCall || n == oktell.NltApplicationErr {
		st = st.Bold(true)
	}
	return st
}

// onColor picks black or white text for a background, by its perceived luminance.
func onColor(argb uint32) lipgloss.Color {
	r, g, b := (argb>>16)&0xFF, (argb>>8)&0xFF, argb&0xFF
	if 299*r+587*g+114*b > 128000 {
		return lipgloss.Color("#000000")
	}
	return lipgloss.Color("#FFFFFF")
}

// IconSet is the glyphs of one icon set. Every glyph is one cell wide.
type IconSet struct {
	Name      string
	States    map[oktell.UserState]string
	Unknown   string
	Redirect  string
	VoiceMail string
	Pending   string
	Stale     string
	Link      map[oktell.Link]string
	Toasts    map[oktell.NotifyType]string
	Selected  string
	Outgoing  string
	Saved     string
	Rule      string
	Ellipsis  string
	Sep       string
	Up, Down  string // the arrow keys' names in the help
	Left      string
	Right     string
	// NotWatched marks the time okdash did not watch, beside the states' glyphs; Now
	// points at where the shift's time goes now.
	NotWatched, Now string
	// ShiftFill is the cell of each bucket in the shift's bars per hour: a pattern of
	// its own, so that the bars read without colour (NO_COLOR, a 16-colour projector).
	ShiftFill [shift.NumBuckets]string

	// The call on the second line, by the line's state, and the queue's mark. The queue
	// is not ☰, which is two cells wide since Unicode 16 and one in older terminals.
	Ringing, Dialing, Talking, OnHold, Queue string
}

// Unicode is the default icon set: one-cell glyphs from common fonts (no emoji, whose
// width terminals disagree on).
func Unicode() IconSet {
	return IconSet{
		Name: "unicode",
		States: map[oktell.UserState]string{
			oktell.UserDisconnected: "⊘", oktell.UserReady: "●", oktell.UserLunch: "◐", oktell.UserOff: "○",
			oktell.UserFullbusy: "■", oktell.UserReserved: "◆", oktell.UserWOphone: "✕",
		},
		Unknown: "?", Redirect: "↪", VoiceMail: "✉", Pending: "…", Stale: "⚠",
		Link: map[oktell.Link]string{
			oktell.LinkConnecting: "◌", oktell.LinkConnected: "▲", oktell.LinkReconnecting: "↻",
			oktell.LinkReadOnly: "▷", oktell.LinkClosed: "✕",
		},
		Toasts: map[oktell.NotifyType]string{
			oktell.NltNone: "•", oktell.NltControlEvent: "⚙", oktell.NltPBXinfo: "≡", oktell.NltInformation: "ℹ",
			oktell.NltIncomingCall: "☎", oktell.NltTimer: "◷", oktell.NltCallbackOrder: "↺",
			oktell.NltApplication: "▪", oktell.NltApplicationWarn: "▲", oktell.NltApplicationInfo: "ⓘ",
			oktell.NltApplicationErr: "✖", oktell.NltColor: "◼",
		},
		Selected: "▌", Outgoing: "→", Saved: "⛁", Rule: "─", Ellipsis: "…", Sep: "│",
		Up: "↑", Down: "↓", Left: "←", Right: "→", NotWatched: "·", Now: "◂",
		// the four states of most of a day in block shades, the rare ones by their glyphs
		ShiftFill: [shift.NumBuckets]string{"█", "▒", "░", "▓", "◆", "✕", "⊘", "?", "·"},
		Ringing:   "☎", Dialing: "↗", Talking: "☏", OnHold: "‖", Queue: "≣",
	}
}

// ASCII is the icon set for terminals without Unicode fonts (the Linux console, dumb).
func ASCII() IconSet {
	return IconSet{
		Name: "ascii",
		States: map[oktell.UserState]string{
			oktell.UserDisconnected: "x", oktell.UserReady: "+", oktell.UserLunch: "=", oktell.UserOff: "-",
			oktell.UserFullbusy: "#", oktell.UserReserved: "*", oktell.UserWOphone: "!",
		},
		Unknown: "?", Redirect: ">", VoiceMail: "@", Pending: "~", Stale: "!",
		Link: map[oktell.Link]string{
			oktell.LinkConnecting: "~", oktell.LinkConnected: "^", oktell.LinkReconnecting: "~",
			oktell.LinkReadOnly: ">", oktell.LinkClosed: "x",
		},
		Toasts: map[oktell.NotifyType]string{
			oktell.NltNone: "*", oktell.NltControlEvent: "C", oktell.NltPBXinfo: "P", oktell.NltInformation: "i",
			oktell.NltIncomingCall: "T", oktell.NltTimer: "t", oktell.NltCallbackOrder: "B",
			oktell.NltApplication: "a", oktell.NltApplicationWarn: "W", oktell.NltApplicationInfo: "I",
			oktell.NltApplicationErr: "E", oktell.NltColor: "#",
		},
		Selected: ">", Outgoing: ">", Saved: "S", Rule: "-", Ellipsis: "~", Sep: "|",
		Up: "up", Down: "down", Left: "left", Right: "right", NotWatched: ".", Now: "<",
		ShiftFill: [shift.NumBuckets]string{"+", "=", "-", "#", "*", "!", "x", "?", "."}, // the states' own glyphs
		Ringing:   "T", Dialing: ">", Talking: "T", OnHold: "H", Queue: "Q",
	}
}

// StateGlyph is the glyph of a state.
func (i IconSet) StateGlyph(s oktell.UserState) string {
	if g, ok := i.States[s]; ok {
		return g
	}
	return i.Unknown
}

// ShiftGlyph is a shift bucket's glyph in the shift's table: its state's, as in the
// header; NotWatched's own for the time okdash did not watch.
func (i IconSet) ShiftGlyph(b shift.Bucket) string {
	if s, ok := bucketState(b); ok {
		return i.StateGlyph(s)
	}
	if b == shift.NotWatched {
		return i.NotWatched
	}
	return i.Unknown
}

// ToastGlyph is the glyph of a notification type.
func (i IconSet) ToastGlyph(n oktell.NotifyType) string {
	if g, ok := i.Toasts[n]; ok {
		return g
	}
	return i.Toasts[oktell.NltNone]
}

// Icons returns the icon set by name: "unicode" or "ascii". An empty name picks the
// default for the terminal type term: ASCII on the Linux console and dumb terminals,
// whose fonts lack most of the Unicode glyphs.
func Icons(name, term string) (IconSet, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "unicode", "utf8", "utf-8":
		return Unicode(), nil
	case "ascii":
		return ASCII(), nil
	case "":
		if term == "linux" || term == "dumb" || strings.HasPrefix(term, "vt1") {
			return ASCII(), nil
		}
		return Unicode(), nil
	}
	return IconSet{}, fmt.Errorf("--icons %q: want unicode or ascii", name)
}
