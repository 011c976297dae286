package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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

	start, send, cancel key.Binding
}

func init() {
	russian(map[string]string{
		"reply": "ответить", "send": "отправить", "cancel": "отмена",
		"Reply to %s: ":                    "Ответ → %s: ",
		"Could not send to %s: %v":         "Не отправлено (%s): %v",
		"this source cannot send messages": "этот источник не отправляет сообщения",
		"no message to answer":             "отвечать не на что",
	})
}

func newReply(c *common) reply {
	th := c.theme
	in := textinput.New()
	in.Cursor.SetMode(cursor.CursorStatic) // no blinking: nothing animates on an idle screen
	in.PromptStyle = th.Accent
	in.TextStyle = th.Input
	in.PlaceholderStyle = th.Muted
	in.CompletionStyle = th.Muted
	in.Cursor.Style = th.Cursor
	in.Cursor.TextStyle = th.Input
	in.CharLimit = 2000
	return reply{c: c, input: in,
		start:  c.hotkey("enter/m", "reply", "enter", "m", "M"),
		send:   c.hotkey("enter", "send", "enter"),
		cancel: c.hotkey("esc", "cancel", "esc"),
	}
}

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
			r.c.post(localError(r.c, r.c.tr("Could not send to %s: %v", msg.to.sender, requestError(r.c, msg.err))))
			return nil
		}
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
			var cmd tea.Cmd
			r.input, cmd = r.input.Update(msg)
			return cmd
		}
	default:
		if r.open {
			var cmd tea.Cmd
			r.input, cmd = r.input.Update(msg)
			return cmd
		}
	}
	return nil
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
	return []binding{act(r.start, why, func() tea.Cmd { r.openTo(target); return nil }).onBar(7).listed(groupMessenger)}
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

// size fits the line to the terminal: the prompt, the text, the cursor.
func (r *reply) size() {
	r.input.Width = max(r.c.width-2-ansi.StringWidth(r.input.Prompt), 1)
}

func (r *reply) close() {
	r.open, r.to, r.sending = false, nil, false
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

func (r *reply) view() string { return r.input.View() }
