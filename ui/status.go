package ui

import (
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okdash/okdash/oktell"
)

// status is the operator's state as Oktell last reported it, the link to Oktell, and
// the voicemail count: the header line, the banner of a lost link, the identity at the
// right of the pane rules, and the window title.
type status struct {
	c *common

	known     bool
	state     oktell.UserState
	stateName string // the server's name of the state, for states okdash has no word for
	redirect  bool
	reason    string // the break reason's id the server last named, while on a break
	since     time.Time
	stale     bool // the state is the last the server said before the link went down

	link       oktell.Link
	linkReason string // translated
	operator   string
	line       string
	ended      bool          // the session closed its updates
	everUp     bool          // the link was up once: before, it is not lost but not made yet
	linkWhy    oktell.Reason // linkReason as the source's code, when it gave one
	linkAt     time.Time     // when the link's status came
	lead       string        // the banner: what happened (a catalog key), "" when there is none
	leadWhy    string        // and why, translated as it came, "" when nothing says why
	leadReason oktell.Reason // and why as a code, when there is one: its waits count down
	leadAt     time.Time     // from then

	voicemail int

	seen key.Binding
}

func init() { words(statusWords) }

// statusWords declares the words of status.go in Russian (see words).
func statusWords() {
	russian(map[string]string{
		"voicemail seen":    "почта прочитана",
		"no new voicemails": "новых голосовых нет",
	})
}

func newStatus(c *common) status {
	s := status{c: c, link: oktell.LinkConnected, seen: c.hotkey("v", "voicemail seen", "v", "V")}
	if c.caps.ReadOnly {
		s.link = oktell.LinkReadOnly
	}
	return s
}

// linkDownMsg is the link that would confirm a request gone: the status pane posts it
// when the link drops, Oktell loses its server, or the session ends.
type linkDownMsg struct{}

func (s *status) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case updateMsg:
		s.onUpdate(msg.u)
	case sessionEndedMsg:
		s.ended = true
		if !s.c.caps.ReadOnly {
			s.stale = true
		}
		// A session that said why it closed (a server that refuses the login for good, the
		// bridge's exit) keeps that reason on screen: it tells the operator what to do next.
		s.lead, s.leadWhy, s.leadReason = "Source ended", "", oktell.Reason{}
		if s.link == oktell.LinkClosed {
			s.leadWhy, s.leadReason, s.leadAt = s.linkReason, s.linkWhy, s.linkAt
		}
		s.c.post(linkDownMsg{})
	}
	return nil
}

func (s *status) onUpdate(u oktell.Update) {
	if st := u.Status; st != nil {
		s.link = st.Link
		s.linkReason = sayStatus(s.c.print, st)
		s.linkWhy, s.linkAt = st.Why, u.At
		if st.Operator != "" {
			s.operator = oktell.CleanLine(st.Operator)
		}
		if st.Line != "" {
			s.line = oktell.CleanLine(st.Line)
		}
		switch st.Link {
		case oktell.LinkConnected:
			s.stale, s.lead, s.everUp = false, "", true
		case oktell.LinkReadOnly:
			s.everUp = true
		case oktell.LinkReconnecting, oktell.LinkClosed:
			lead := "Link to Oktell lost"
			switch {
			case !s.everUp:
				lead = "Could not connect to Oktell"
			case st.Link == oktell.LinkClosed:
				lead = "Link to Oktell closed" // for good: it does not come back by itself
			}
			s.linkDown(lead, s.linkReason)
			s.leadReason, s.leadAt = s.linkWhy, s.linkAt
		case oktell.LinkConnecting:
			if s.everUp || s.lead != "" {
				s.linkDown("", "") // keep what the banner says: why it was lost, or could not connect
				break
			}
			s.linkDown(leadConnecting, s.linkReason)
			s.leadReason, s.leadAt = s.linkWhy, s.linkAt
		}
	}
	e := u.Event
	if e == nil {
		return
	}
	s.everUp = true // the server spoke
	switch e.Type {
	case oktell.UserStateChanged:
		sc, err := e.StateChange()
		if err != nil {
			s.c.post(localError(s.c, s.c.tr("Bad %s event: %v", e.Type, oktell.CleanLine(err.Error()))))
			return
		}
		if !s.known || sc.State != s.state {
			s.since = u.At
		}
		s.known, s.state, s.stateName, s.redirect, s.reason = true, sc.State, oktell.CleanLine(sc.StateName), sc.Redirect, sc.BreakReason
		s.stale = false // a fresh state from the server: the link works
		if s.link != oktell.LinkReadOnly {
			s.link = oktell.LinkConnected
		}
		s.lead = ""
	case oktell.VoiceMail:
		s.voicemail++
	case oktell.ConnectionLost:
		s.linkDown("Link to Oktell lost", "")
	case oktell.RestartRequested:
		s.linkDown("Oktell restarts", "")
	}
}

// linkDown marks the state stale (it is the last thing the server said), puts what
// happened and why on the banner when lead says it, and tells the panes that nothing
// can confirm a request now.
func (s *status) linkDown(lead, why string) {
	s.stale = s.stale || s.known
	if lead != "" {
		s.lead, s.leadWhy, s.leadReason = lead, why, oktell.Reason{}
	}
	s.c.post(linkDownMsg{})
}

// leadConnecting is the banner's heading until the link is first made.
const leadConnecting = "Connecting to Oktell"

// banner is the banner's text: what happened to the link, and why; "" when it is up. A
// wait in the reason ("retrying in 4s") is counted down by the clock's ticks. A reason
// that says what the heading says (Oktell's own "Потеряна связь с сервером Oktell") is
// the banner alone.
func (s *status) banner() string {
	why := s.leadWhy
	if !s.leadReason.IsZero() {
		why = say(s.c.print, s.leadReason.After(s.c.now.Sub(s.leadAt)))
	}
	lead := s.c.tr(s.lead)
	var text string
	switch {
	case s.lead == "":
		return ""
	case why == "":
		text = lead
	case restates(why, lead):
		text = capitalized(why)
	default:
		text = s.c.tr(s.lead+": %s", why)
	}
	if do := s.instruction(); do != "" {
		return do + ". " + text // what to do first: the rest may be cut at the banner's end
	}
	return text
}

// instructions are the reasons that tell the operator what to do; their text leads
// with it, up to the first colon.
var instructions = map[oktell.ReasonCode]bool{oktell.ReasonDesktopClient: true, oktell.ReasonLicenceLimit: true}

// instruction is what the banner's reason tells the operator to do, in their language,
// "" when it tells nothing to do.
func (s *status) instruction() string {
	r, ok := findReason(s.leadReason, instructions)
	if !ok {
		return ""
	}
	do, _, _ := strings.Cut(say(s.c.print, r), ":")
	return capitalized(strings.TrimSpace(do))
}

// findReason is the first reason in r's chain (r, then its reasons' arguments, depth
// first) whose code is in codes.
func findReason(r oktell.Reason, codes map[oktell.ReasonCode]bool) (oktell.Reason, bool) {
	if codes[r.Code] {
		return r, true
	}
	for _, a := range r.Args {
		if sub, ok := a.(oktell.Reason); ok {
			if found, ok := findReason(sub, codes); ok {
				return found, true
			}
		}
	}
	return oktell.Reason{}, false
}

// restates says whether the reason says all that the heading does: every word of the
// heading (but the short ones) is in it, by its first four letters, so that Russian
// endings ("потеряна", "потерял") do not tell them apart.
func restates(reason, heading string) bool {
	stems := func(s string) map[string]bool {
		out := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if r := []rune(w); len(r) >= 3 {
				out[string(r[:min(len(r), 4)])] = true
			}
		}
		return out
	}
	have := stems(reason)
	need := stems(heading)
	for w := range need {
		if !have[w] {
			return false
		}
	}
	return len(need) > 0
}

// news is the banner as the history keeps it: connecting is no news.
func (s *status) news() string {
	if s.lead == leadConnecting {
		return ""
	}
	return s.banner()
}

// linkUsable says whether a request to the server can go out now: a session that
// writes, on a link that is up and not stale.
func (s *status) linkUsable() bool {
	return s.c.canSend(s.ended) && !s.stale && s.link == oktell.LinkConnected
}

func (s *status) keys(on screen) []binding {
	why := ""
	if s.voicemail == 0 {
		why = "no new voicemails"
	}
	b := act(s.seen, why, func() tea.Cmd { s.voicemail = 0; return nil }).listed(groupViews)
	if on == screenMain {
		b = b.onBar(1)
	}
	return []binding{b}
}

// word is the state in the operator's words.
func (s *status) word() string { return stateWord(s.c, s.known, s.state, s.stateName) }

// stateWord names a user state in the operator's words; a state okdash has no word for
// goes by the server's name for it.
func stateWord(c *common, known bool, st oktell.UserState, name string) string {
	if !known {
		return c.tr("Unknown")
	}
	switch st {
	case oktell.UserDisconnected:
		return c.tr("Disconnected")
	case oktell.UserReady:
		return c.tr("Ready")
	case oktell.UserLunch:
		return c.tr("Break")
	case oktell.UserOff:
		return c.tr("Away")
	case oktell.UserFullbusy:
		return c.tr("Busy")
	case oktell.UserReserved:
		return c.tr("Reserved")
	case oktell.UserWOphone:
		return c.tr("No phone")
	}
	if name != "" {
		return name
	}
	return st.String()
}

// badge is the header's first segment: the state, its glyph and how long it has lasted,
// marked when stale.
func (s *status) badge() string {
	th, ic := s.c.theme, s.c.theme.Icons
	glyph := ic.Unknown
	if s.known {
		glyph = ic.StateGlyph(s.state)
	}
	badge := " " + glyph + " " + s.word()
	if s.known {
		badge += " " + FormatDuration(s.c.now.Sub(s.since))
	}
	badge += " "
	switch {
	case s.stale:
		return th.Warning.Render(ic.Stale) + " " + th.StateBadge(s.state, true).Render(strings.TrimSpace(badge)+" ("+s.c.tr("stale")+")")
	case s.known:
		return th.StateBadge(s.state, false).Render(badge)
	}
	return th.Muted.Render(badge)
}

// flags are the header's segments after the pending request: redirect and voicemail.
func (s *status) flags() []string {
	th, ic := s.c.theme, s.c.theme.Icons
	var out []string
	if s.redirect {
		out = append(out, th.Accent.Render(ic.Redirect+" "+s.c.tr("redirect")))
	}
	if s.voicemail > 0 {
		out = append(out, th.Warning.Render(ic.VoiceMail+" "+s.c.tr("%d new voicemails", s.voicemail)))
	}
	return out
}

// identity is who is logged in on which line, and the link's status, for the right end
// of a pane's rule. It lives there rather than in the header because the header changes
// every second, and an idle frame should resend as few bytes as possible (SSH budget).
func (s *status) identity() string {
	th := s.c.theme
	var parts []string
	if s.operator != "" || s.line != "" {
		who := s.operator
		if s.line != "" {
			if who != "" {
				who += " · "
			}
			who += s.line
		}
		parts = append(parts, th.Base.Render(who))
	}
	link := th.Icons.Link[s.link] + " " + s.linkWord()
	if s.link == oktell.LinkReadOnly && !s.ended && s.linkReason != "" {
		link += ": " + s.linkReason // a replay says here what it plays and when its input ended
	}
	parts = append(parts, th.Muted.Render(link))
	return strings.Join(parts, "  ")
}

func (s *status) linkWord() string {
	switch {
	case s.ended:
		return s.c.tr("closed")
	case s.c.caps.Kind == oktell.SourceDemo && s.link == oktell.LinkConnected:
		return s.c.tr("demo")
	}
	return s.c.tr(s.link.String())
}

// title is the terminal's window title: the state, so that a minimised window still
// tells it.
func (s *status) title() string {
	t := "okdash"
	if s.known {
		t += ": " + s.word()
		if s.redirect {
			t += " " + s.c.theme.Icons.Redirect
		}
		if s.stale {
			t += " (" + s.c.tr("stale") + ")"
		}
	}
	return t
}
