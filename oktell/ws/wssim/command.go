package wssim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/okdash/okdash/oktell"
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
  multipart N|off             split replies longer than N bytes into multipart frames
  redirect on|off             answer new connections with websocketredirect (TLS on 443)
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
			fmt.Fprintf(&b, "%-16s %-14s redirect=%v connections=%d", l, st, red, s.Conns(l))
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
			s.RefuseLogins(0, "Service not available")
			return "logins refused: Service not available", nil
		case "wrong":
			s.RefuseLogins(0, "Wrong login/pass combination")
			return "logins refused: Wrong login/pass combination", nil
		}
		code, err := strconv.Atoi(f[1])
		if err != nil {
			return "", fmt.Errorf("refuse: %q is not an error code", f[1])
		}
		msg := strings.Join(f[2:], " ")
		s.RefuseLogins(code, msg)
		return fmt.Sprintf("logins refused with error %d %s", code, msg), nil
	}
	return "", fmt.Errorf("unknown command %q; type help", f[0])
}
