package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// reply is the line where the operator answers a message. While it is open it holds
// the focus: every key is text, or one of its own (send, cancel), so that no hotkey
// fires from inside an answer.
type reply struct {
	c       *common
	input   textinput.Model
	open    bool
	to      *msgEntry
	sending bool // the text is on its way
	full    bool // the text is at its limit: the last key or paste did not go in whole

	start, send, cancel key.Binding
}

func init() { words(replyWords) }

// replyWords declares the words of reply.go in Russian (see words).
func replyWords() {
	russian(map[string]string{
		"reply": "ответить", "send": "отправить", "cancel": "отмена",
		"Reply to %s: ":                    "Ответ → %s: ",
		"Could not send to %s: %v":         "Не отправлено (%s): %v",
		"this source cannot send messages": "этот источник не отправляет сообщения",
		"no message to answer":             "отвечать не на что",
		"%s: limit reached":                "%s: предел",
	})
}

// A reply is at most replyLimit characters and oktell.MaxTextLen bytes. Oktell documents
// no limit for Messaging_SendMessage (protocol.md 1.5); okdash keeps MaxTextLen bytes of
// a message it receives (4096), so a longer reply would reach an okdash colleague cut.
// 2000 characters is that in Cyrillic (two bytes a letter) with room to spare; a text
// of wider characters (emoji, four bytes) stops at the bytes first.
const replyLimit = 2000

// replyNear is where the line starts counting the characters left.
const replyNear = replyLimit * 9 / 10

func newReply(c *common) reply {
	return reply{c: c, input: c.input(replyLimit),
		start:  c.hotkey("enter/m", "reply", "enter", "m", "M"),
		send:   c.hotkey("enter", "send", "enter"),
		cancel: c.hotkey("esc", "cancel", "esc"),
	}
}

// sendAbout is what a failed send is about: the colleague it was for.
func sendAbout(to *msgEntry) string { return "send " + to.senderID }

// modal says whether the reply line holds the focus.
func (r *reply) modal() bool { return r.open }

func (r *reply) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.size()
	case sentMsg:
		if msg.to == nil {
			return nil
		}
		if msg.err != nil {
			r.sending = false // the text stays for another try
			r.c.post(failed(r.c, sendAbout(msg.to), r.c.tr("Could not send to %s: %v", msg.to.sender, requestError(r.c, msg.err))).refusal(msg.err))
			return nil
		}
		r.c.post(supersededMsg{sendAbout(msg.to)}) // that colleague got a message after all
		if r.open && r.to == msg.to {
			r.close()
		}
	case writeMsg:
		r.openTo(msg.to)
		r.input.Prompt = r.c.tr("Message to %s: ", msg.to.sender)
		r.size()
	case tea.KeyMsg:
		// what no binding of the open line took: text, unless it is already on its way
		if r.open && !r.sending {
			cut := false
			if msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace {
				msg, cut = r.room(msg)
			}
			var cmd tea.Cmd
			if !cut || len(msg.Runes) > 0 {
				r.input, cmd = r.input.Update(msg)
			}
			r.measure(cut)
			return cmd
		}
	default:
		if r.open {
			var cmd tea.Cmd
			r.input, cmd = r.input.Update(msg) // a paste from the clipboard: the input's own limit
			r.measure(false)
			return cmd
		}
	}
	return nil
}

// room is k's text cut to what still fits in the reply, and whether it was cut.
func (r *reply) room(k tea.KeyMsg) (tea.KeyMsg, bool) {
	v := r.input.Value()
	chars, bytes := replyLimit-utf8.RuneCountInString(v), oktell.MaxTextLen-len(v)
	for i, c := range k.Runes {
		chars, bytes = chars-1, bytes-utf8.RuneLen(c)
		if chars < 0 || bytes < 0 {
			k.Runes = k.Runes[:i]
			return k, true
		}
	}
	return k, false
}

// measure notes whether the text is at its limit (cut says the last input was cut), and
// fits the line to the count it shows.
func (r *reply) measure(cut bool) {
	v := r.input.Value()
	r.full = cut || utf8.RuneCountInString(v) >= replyLimit || len(v) >= oktell.MaxTextLen
	r.size()
	r.input.SetCursor(r.input.Position()) // scrolls the text into the width the count leaves
}

// count is the line's end near the limit: the characters typed of those allowed, and
// whether the limit is reached; "" further from it.
func (r *reply) count() string {
	n := utf8.RuneCountInString(r.input.Value())
	count := fmt.Sprintf("%d/%d", n, replyLimit) // not the printer's: it would group the digits
	switch {
	case r.full:
		return r.c.theme.Warning.Render(r.c.tr("%s: limit reached", count))
	case n >= replyNear:
		return r.c.theme.Muted.Render(count)
	}
	return ""
}

// keys are the key that opens the line (on the main screen), or, while it is open, its
// own keys. target is the message a reply would answer; ended says the session closed.
func (r *reply) keys(on screen, target *msgEntry, ended bool) []binding {
	if r.open {
		return []binding{
			act(r.send, "", r.submit).onBar(barKeep),
			act(r.cancel, "", func() tea.Cmd { r.close(); return nil }).onBar(barKeep),
		}
	}
	if on != screenMain {
		return nil
	}
	// A reply may be written while the link is down: sending then fails with the reason
	// and keeps the text. Were the key disabled, an operator already typing their answer
	// would fire hotkeys instead, and a 'q' in it would quit.
	why := ""
	switch {
	case !r.c.canSend(ended) || !r.c.caps.SendMessage:
		why = "this source cannot send messages"
	case target == nil:
		why = "no message to answer"
	}
	return []binding{act(r.start, why, func() tea.Cmd { r.openTo(target); return nil }).onBar(3).listed(groupMessenger)}
}

func (r *reply) openTo(t *msgEntry) {
	r.open, r.to, r.sending = true, t, false
	r.input.Reset()
	r.input.Prompt = r.c.tr("Reply to %s: ", t.sender)
	r.size()
	r.input.Focus()
}

// submit sends the text; an empty one, or one already on its way, is not sent again.
func (r *reply) submit() tea.Cmd {
	text := strings.TrimSpace(r.input.Value())
	if text == "" || r.sending {
		return nil
	}
	r.sending = true
	return sendCmd(r.c.session, r.to, text, r.c.opts.RequestTimeout)
}

// size fits the line to the terminal: the prompt, the text, the cursor, the count.
func (r *reply) size() {
	w := r.c.width - 2 - ansi.StringWidth(r.input.Prompt)
	if n := r.count(); n != "" {
		w -= 1 + ansi.StringWidth(n)
	}
	r.input.Width = max(w, 1)
}

func (r *reply) close() {
	r.open, r.to, r.sending, r.full = false, nil, false, false
	r.input.Blur()
	r.input.Reset()
}

// rows is the line's height: one while it is open.
func (r *reply) rows() int {
	if r.open {
		return 1
	}
	return 0
}

func (r *reply) view() string {
	v := r.input.View()
	if n := r.count(); n != "" {
		v += " " + n
	}
	return v
}
