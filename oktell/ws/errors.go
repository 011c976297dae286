package ws

import (
	"errors"
	"strconv"
	"strings"

	"github.com/okdash/okdash/oktell"
)

// Error codes and messages the server is known to answer login with (protocol.md 2).
const (
	CodeDesktopClient = 50093 // the user is already logged in with the desktop client
	CodeLicenceLimit  = 50025 // the licence's limit of web users is reached

	MsgWrongLogin      = "Wrong login/pass combination"
	MsgNotAvailable    = "Service not available"
	MsgSessionNotExist = "Bad request. Session does not exist"
)

// refusal turns a failed reply into a *oktell.RefusedError: the server's own words
// first, then what they mean for the operator when they are known.
func refusal(body map[string]any) *oktell.RefusedError {
	code64, _ := fieldInt(body, "error")
	code := int(code64)
	msg := fieldText(body, "errormsg") // wire text: no escape sequences reach the screen
	var said oktell.Reason
	switch {
	case msg == "" && code != 0:
		said = oktell.Because(oktell.ReasonServerErrorCode, strconv.Itoa(code))
	case msg != "" && code != 0:
		said = oktell.Because(oktell.ReasonServerError, msg, strconv.Itoa(code))
	case msg == "":
		said = oktell.Because(oktell.ReasonNoReasonGiven)
	default:
		said = oktell.Quoted(msg)
	}
	if why, ok := explain(code, msg); ok {
		said = oktell.Because(oktell.ReasonRefused, said, why)
	}
	return oktell.Refused(code, said)
}

// explain says what a refusal means for the operator, when it is known.
func explain(code int, msg string) (oktell.Reason, bool) {
	low := strings.ToLower(msg)
	switch {
	case code == CodeDesktopClient:
		return oktell.Because(oktell.ReasonDesktopClient), true
	case code == CodeLicenceLimit:
		return oktell.Because(oktell.ReasonLicenceLimit), true
	case strings.Contains(low, "wrong login"):
		return oktell.Because(oktell.ReasonWrongLogin), true
	case strings.Contains(low, "not available"):
		return oktell.Because(oktell.ReasonServerStarting), true
	case strings.Contains(low, "session does not exist"):
		return oktell.Because(oktell.ReasonSessionEnded), true
	}
	return oktell.Reason{}, false
}

// meaning is what explain found a login refusal to mean, "" when nothing known.
func meaning(re *oktell.RefusedError) oktell.ReasonCode {
	if re.Why.Code == oktell.ReasonRefused && len(re.Why.Args) == 2 {
		if why, ok := re.Why.Args[1].(oktell.Reason); ok {
			return why.Code
		}
	}
	return ""
}

// isWrongPassword says the server refused the login's password.
func isWrongPassword(err error) bool {
	var re *oktell.RefusedError
	return errors.As(err, &re) && meaning(re) == oktell.ReasonWrongLogin
}

// isSessionGone reports whether a login refusal means the stored session id is no
// longer known, so that a login with the password may still succeed.
func isSessionGone(err *oktell.RefusedError) bool { return meaning(err) == oktell.ReasonSessionEnded }

// isTransient reports whether a login refusal may go away by itself (the server is
// starting), so that reconnection goes on rather than giving up.
func isTransient(err *oktell.RefusedError) bool { return meaning(err) == oktell.ReasonServerStarting }
