package ui

import (
	"errors"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
)

// login is logging in again after the link to Oktell closed for good (the server refused
// the login, or forgot the saved session): the key that asks for it, and the password
// line when the server wants a password. The line holds the focus like the reply line,
// does not echo what is typed, and takes three passwords, as ssh does; then it closes
// and the key opens it again. What is typed lives in the line until Enter sends it to
// the session (which keeps only what it keeps of a password, in memory) and is never
// shown, logged, recorded or kept in the history.
type login struct {
	c *common

	closed       bool // the link is closed for good and the session can log in again
	needPassword bool // ... and the server wants a password for it
	busy         bool // a try is on its way
	open         bool // the password line
	tries        int  // passwords refused since the last login

	input textinput.Model

	again, send, cancel key.Binding
}

// passwordTries are the passwords the line takes before it closes, as ssh's.
const passwordTries = 3

func init() { words(loginWords) }

// loginWords declares the words of login.go in Russian (see words).
func loginWords() {
	russian(map[string]string{
		"log in again":                    "войти снова",
		"log in":                          "войти",
		"Press l to log in again":         "Нажмите l, чтобы войти снова",
		"Type the password to log in":     "Введите пароль, чтобы войти",
		"Oktell password: ":               "Пароль Oktell: ",
		"Refused, try again (%d of %d): ": "Отказано, ещё раз (%d из %d): ",
		"Logging in…":                     "Вход…",
		"The password was refused %d times: %s; press l to try again": "Пароль отклонён %d раза: %s; нажмите l, чтобы попробовать снова",
		"Could not log in again: %v":                                  "Не удалось войти снова: %v",
		"the link to Oktell is not closed":                            "связь с Oktell не закрыта",
		"logging in again already":                                    "вход уже идёт",
	})
}

func newLogin(c *common) login {
	in := c.input(256)
	in.EchoMode = textinput.EchoPassword // a star a character: the line shows that typing works
	in.KeyMap.Paste.SetEnabled(false)    // the clipboard of the machine okdash runs on, not the operator's
	return login{c: c, input: in,
		again:  c.hotkey("l", "log in again", "l", "L"),
		send:   c.hotkey("enter", "log in", "enter"),
		cancel: c.hotkey("esc", "cancel", "esc"),
	}
}

// reconnectDoneMsg is the outcome of a Reconnect's first try.
type reconnectDoneMsg struct {
	err          error
	withPassword bool
}

func (l *login) modal() bool { return l.open }

func (l *login) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		l.size()
	case updateMsg:
		if st := msg.u.Status; st != nil && l.c.caps.Reconnect {
			l.onStatus(st)
		}
	case sessionEndedMsg:
		l.closed, l.needPassword = false, false
		l.close()
	case reconnectDoneMsg:
		return l.done(msg)
	case tea.KeyMsg:
		// what no binding of the open line took: the password's text, unless it is on its way
		if l.open && !l.busy {
			var cmd tea.Cmd
			l.input, cmd = l.input.Update(msg)
			return cmd
		}
	}
	return nil
}

func (l *login) onStatus(st *oktell.Status) {
	switch st.Link {
	case oktell.LinkClosed:
		l.closed, l.needPassword = true, st.NeedPassword
		if l.needPassword && !l.open && !l.busy {
			l.openLine() // the server wants the password: ask for it at once
		}
	case oktell.LinkConnected:
		l.closed, l.needPassword, l.tries = false, false, 0
		l.close()
	default: // connecting, reconnecting: the session is at it
		l.closed = false
	}
}

// done takes the outcome of a try: a refused password asks again, up to three.
func (l *login) done(msg reconnectDoneMsg) tea.Cmd {
	c := l.c
	l.busy = false
	var refused *oktell.RefusedError
	switch {
	case msg.err == nil:
		l.tries = 0
		l.close()
	case errors.As(msg.err, &refused) && msg.withPassword:
		l.tries++
		if l.tries >= passwordTries {
			l.tries = 0
			l.close()
			c.post(localError(c, c.tr("The password was refused %d times: %s; press l to try again", passwordTries, requestError(c, msg.err))))
			return nil
		}
		l.prompt()
	case errors.As(msg.err, &refused):
		// the status says why; a refusal that wants a password opens the line
		if l.needPassword && !l.open {
			l.openLine()
		}
	default: // the link failed (the session tries again by itself), or the password cannot be sent
		c.post(localError(c, c.tr("Could not log in again: %v", requestError(c, msg.err))))
		if l.closed && l.needPassword {
			l.prompt()
		} else {
			l.close()
		}
	}
	return nil
}

// keys are the key that asks for another login (while the link is closed for good), or,
// while the password line is open, its own. A session that cannot log in again has none.
func (l *login) keys(ended bool) []binding {
	if l.open {
		return []binding{
			act(l.send, "", l.submit).onBar(barKeep),
			act(l.cancel, "", func() tea.Cmd { l.close(); return nil }).onBar(barKeep),
		}
	}
	if !l.c.caps.Reconnect || l.c.session == nil {
		return nil
	}
	why := ""
	switch {
	case ended:
		why = "the source has ended"
	case l.busy:
		why = "logging in again already"
	case !l.closed:
		why = "the link to Oktell is not closed"
	}
	return []binding{act(l.again, why, func() tea.Cmd {
		if l.needPassword {
			l.openLine()
			return nil
		}
		l.busy = true
		return reconnectCmd(l.c.session, "", reconnectTimeout)
	}).onBar(9).listed(groupState)}
}

// submit sends the password typed and empties the line at once: the text lives on only
// in the command that hands it to the session.
func (l *login) submit() tea.Cmd {
	pw := l.input.Value()
	if pw == "" || l.busy {
		return nil
	}
	l.input.Reset()
	l.busy = true
	l.prompt()
	return reconnectCmd(l.c.session, pw, reconnectTimeout)
}

func (l *login) openLine() {
	l.open = true
	l.input.Reset()
	l.prompt()
	l.input.Focus()
}

func (l *login) close() {
	l.open = false
	l.input.Blur()
	l.input.Reset()
}

// prompt says what the line asks: the password, again after a refusal, or to wait.
func (l *login) prompt() {
	c := l.c
	switch {
	case l.busy:
		l.input.Prompt = c.tr("Logging in…")
	case l.tries > 0:
		l.input.Prompt = c.tr("Refused, try again (%d of %d): ", l.tries+1, passwordTries)
	default:
		l.input.Prompt = c.tr("Oktell password: ")
	}
	l.size()
}

func (l *login) size() {
	l.input.Width = max(l.c.width-2-ansi.StringWidth(l.input.Prompt), 1)
}

// hint is what the banner leads with while the link is closed for good: what to do.
func (l *login) hint(ended bool) string {
	switch {
	case !l.closed || ended || !l.c.caps.Reconnect || l.busy:
		return ""
	case l.open:
		return l.c.tr("Type the password to log in")
	}
	return l.c.tr("Press l to log in again")
}

// rows is the line's height: one while it is open.
func (l *login) rows() int {
	if l.open {
		return 1
	}
	return 0
}

func (l *login) view() string {
	if l.busy {
		return l.c.theme.Accent.Render(l.input.Prompt)
	}
	return l.input.View()
}
