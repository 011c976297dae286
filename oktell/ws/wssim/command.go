package wssim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/ws"
)

// CommandHelp lists the trainer's commands that Command understands.
const CommandHelp = `commands:
  users                       the logins, their state and open connections
  state LOGIN STATE [redirect]
                              set a user's state (ready, break, away, busy, reserved, nophone,
                              disconnected, or a number) and push it; "redirect" turns redirect on
  drop [LOGIN]                close the connections of LOGIN (all when none given); sessions survive
  restart                     close every connection and forget every session (as a server restart)
  stall on|off                read requests but answer nothing / answer again
  refuse CODE [MESSAGE]       refuse every login with this error (50093, 50025, ...)
  refuse starting             refuse logins with "Service not available" (a starting server)
  refuse wrong                refuse logins with "Wrong login/pass combination"
  refuse off                  accept logins again
  password LOGIN NEW          change LOGIN's password (sessions survive: a restart then asks for it)
  multipart N|off             split replies longer than N bytes into multipart frames
  redirect on|off             answer new connections with websocketredirect (TLS on 443)
  ring LOGIN NUMBER [NAME] [| INFO]
                              an incoming call from NUMBER rings LOGIN's line; INFO is free text
                              about the caller (after a |)
  answer LOGIN                the ringing call is answered: the talk starts, LOGIN is busy
  hold LOGIN                  put LOGIN's call on hold, or take it off hold
  hangup LOGIN                end LOGIN's call (ringing or talking); LOGIN's state comes back
  queue add NUMBER [NAME]     a caller joins the end of the queue every user sees
  queue remove NUMBER         the callers with that number leave the queue
  queue clear                 empty the queue
  chat FROM TO TEXT           user FROM writes TEXT to user TO (usertextmessagereceived)
  notify LOGIN TEXT           a pop-up notification for LOGIN (shownotifymessage)
  help                        this text`

var stateWords = map[string]oktell.UserState{
	"ready": oktell.UserReady, "break": oktell.UserLunch, "lunch": oktell.UserLunch, "away": oktell.UserOff,
	"off": oktell.UserOff, "dnd": oktell.UserOff, "busy": oktell.UserFullbusy, "reserved": oktell.UserReserved,
	"nophone": oktell.UserWOphone, "disconnected": oktell.UserDisconnected,
}

// Command runs one trainer's command (see CommandHelp) and returns what to print.
func (s *Server) Command(line string) (string, error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return "", nil
	}
	onOff := func() (bool, error) {
		if len(f) != 2 || (f[1] != "on" && f[1] != "off") {
			return false, fmt.Errorf("%s: want on or off", f[0])
		}
		return f[1] == "on", nil
	}
	switch strings.ToLower(f[0]) {
	case "help", "?":
		return CommandHelp, nil
	case "users":
		var b strings.Builder
		for i, l := range s.Users() {
			st, red := s.State(l)
			if i > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "%-16s %-14s redirect=%v connections=%d line: %s", l, st, red, s.Conns(l), s.Line(l))
		}
		return b.String(), nil
	case "state":
		if len(f) < 3 || len(f) > 4 || (len(f) == 4 && f[3] != "redirect") {
			return "", fmt.Errorf("state: want state LOGIN STATE [redirect]")
		}
		st, ok := stateWords[strings.ToLower(f[2])]
		if !ok {
			if n, err := strconv.Atoi(f[2]); err == nil {
				st, ok = oktell.UserState(n), true
			} else {
				st, ok = oktell.UserStateByName(f[2])
			}
		}
		if !ok {
			return "", fmt.Errorf("state: unknown state %q", f[2])
		}
		if err := s.SetState(f[1], st, len(f) == 4); err != nil {
			return "", fmt.Errorf("state: %w", err)
		}
		return fmt.Sprintf("%s is now %s, redirect %v", f[1], st, len(f) == 4), nil
	case "drop":
		login := ""
		if len(f) > 1 {
			login = f[1]
		}
		return fmt.Sprintf("dropped %d connection(s)", s.Drop(login)), nil
	case "restart":
		n := s.Conns("")
		s.Restart()
		return fmt.Sprintf("restarted: dropped %d connection(s), forgot every session", n), nil
	case "stall":
		on, err := onOff()
		if err != nil {
			return "", err
		}
		s.Stall(on)
		return "stall " + f[1], nil
	case "redirect":
		on, err := onOff()
		if err != nil {
			return "", err
		}
		s.Redirect(on)
		return "redirect " + f[1], nil
	case "multipart":
		if len(f) != 2 {
			return "", fmt.Errorf("multipart: want a size or off")
		}
		if f[1] == "off" {
			s.Multipart(0)
			return "multipart off", nil
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 1 {
			return "", fmt.Errorf("multipart: %q is not a positive size", f[1])
		}
		s.Multipart(n)
		return fmt.Sprintf("replies over %d bytes go as multipart", n), nil
	case "refuse":
		if len(f) < 2 {
			return "", fmt.Errorf("refuse: want CODE [MESSAGE], starting, wrong or off")
		}
		switch f[1] {
		case "off":
			s.RefuseLogins(0, "")
			return "logins accepted", nil
		case "starting":
			s.RefuseLogins(0, ws.MsgNotAvailable)
			return "logins refused: " + ws.MsgNotAvailable, nil
		case "wrong":
			s.RefuseLogins(0, ws.MsgWrongLogin)
			return "logins refused: " + ws.MsgWrongLogin, nil
		}
		code, err := strconv.Atoi(f[1])
		if err != nil {
			return "", fmt.Errorf("refuse: %q is not an error code", f[1])
		}
		msg := strings.Join(f[2:], " ")
		s.RefuseLogins(code, msg)
		return fmt.Sprintf("logins refused with error %d %s", code, msg), nil
	case "password":
		if len(f) != 3 {
			return "", fmt.Errorf("password: want password LOGIN NEW")
		}
		if err := s.SetPassword(f[1], f[2]); err != nil {
			return "", fmt.Errorf("password: %w", err)
		}
		return f[1] + "'s password changed", nil
	case "ring", "answer", "hold", "hangup", "queue", "chat", "notify":
		return s.deskCommand(line, f)
	}
	return "", fmt.Errorf("unknown command %q; type help", f[0])
}

// deskCommand runs the commands about calls, the queue and chat. line is the whole
// command, so that names and texts keep their spacing.
func (s *Server) deskCommand(line string, f []string) (string, error) {
	word := strings.ToLower(f[0])
	// rest is line after its first n words, as typed.
	rest := func(n int) string {
		r := strings.TrimSpace(line)
		for i := 0; i < n; i++ {
			r = strings.TrimLeft(r, " \t")
			if j := strings.IndexAny(r, " \t"); j >= 0 {
				r = r[j:]
			} else {
				r = ""
			}
		}
		return strings.TrimSpace(r)
	}
	switch word {
	case "ring":
		if len(f) < 3 {
			return "", fmt.Errorf("ring: want ring LOGIN NUMBER [NAME] [| INFO]")
		}
		name, info, _ := strings.Cut(rest(3), "|")
		name, info = strings.TrimSpace(name), strings.TrimSpace(info)
		if err := s.Ring(f[1], f[2], name, info); err != nil {
			return "", fmt.Errorf("ring: %w", err)
		}
		return fmt.Sprintf("%s's line rings: %s", f[1], strings.TrimSpace(f[2]+" "+name)), nil
	case "answer", "hangup", "hold":
		if len(f) != 2 {
			return "", fmt.Errorf("%s: want %s LOGIN", word, word)
		}
		switch word {
		case "answer":
			if err := s.Answer(f[1]); err != nil {
				return "", fmt.Errorf("answer: %w", err)
			}
			return f[1] + " talks", nil
		case "hangup":
			if err := s.Hangup(f[1]); err != nil {
				return "", fmt.Errorf("hangup: %w", err)
			}
			return f[1] + "'s line is free", nil
		}
		held, err := s.Hold(f[1])
		if err != nil {
			return "", fmt.Errorf("hold: %w", err)
		}
		if held {
			return f[1] + "'s call is on hold", nil
		}
		return f[1] + "'s call is back from hold", nil
	case "queue":
		if len(f) < 2 {
			return "", fmt.Errorf("queue: want queue add NUMBER [NAME], queue remove NUMBER or queue clear")
		}
		switch strings.ToLower(f[1]) {
		case "add":
			if len(f) < 3 {
				return "", fmt.Errorf("queue add: want queue add NUMBER [NAME]")
			}
			if err := s.QueueAdd(f[2], rest(3)); err != nil {
				return "", err
			}
			return fmt.Sprintf("%d waiting", s.QueueLen()), nil
		case "remove":
			if len(f) != 3 {
				return "", fmt.Errorf("queue remove: want queue remove NUMBER")
			}
			n := s.QueueRemove(f[2])
			return fmt.Sprintf("%d left the queue, %d waiting", n, s.QueueLen()), nil
		case "clear":
			if len(f) != 2 {
				return "", fmt.Errorf("queue clear takes no argument")
			}
			return fmt.Sprintf("queue cleared (%d callers)", s.QueueClear()), nil
		}
		return "", fmt.Errorf("queue %q: want add, remove or clear", f[1])
	case "chat":
		if len(f) < 4 {
			return "", fmt.Errorf("chat: want chat FROM-LOGIN TO-LOGIN TEXT")
		}
		if err := s.Chat(f[1], f[2], rest(3)); err != nil {
			return "", fmt.Errorf("chat: %w", err)
		}
		return fmt.Sprintf("%s wrote to %s", f[1], f[2]), nil
	case "notify":
		if len(f) < 3 {
			return "", fmt.Errorf("notify: want notify LOGIN TEXT")
		}
		if err := s.Notify(f[1], rest(2)); err != nil {
			return "", fmt.Errorf("notify: %w", err)
		}
		return "notified " + f[1], nil
	}
	return "", fmt.Errorf("unknown command %q; type help", f[0])
}
