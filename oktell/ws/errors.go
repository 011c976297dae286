package ws

import (
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
	said := msg
	switch {
	case said == "" && code != 0:
		said = "error " + strconv.Itoa(code)
	case said != "" && code != 0:
		said = said + " (error " + strconv.Itoa(code) + ")"
	case said == "":
		said = "request failed without a reason"
	}
	if why := explain(code, msg); why != "" {
		said += ": " + why
	}
	return &oktell.RefusedError{Code: code, Reason: said}
}

func explain(code int, msg string) string {
	low := strings.ToLower(msg)
	switch {
	case code == CodeDesktopClient:
		return "this user is already logged in with the Oktell desktop client; close it there, or log in as another user"
	case code == CodeLicenceLimit:
		return "the server's licence limit of connected users is reached; ask the administrator, or try again when someone logs out"
	case strings.Contains(low, "wrong login"):
		return "the login or the password is wrong"
	case strings.Contains(low, "not available"):
		return "the Oktell server is still starting; okdash will try again"
	case strings.Contains(low, "session does not exist"):
		return "the saved session has ended on the server (it restarted or logged the user out); the password is needed again"
	}
	return ""
}

// isSessionGone reports whether a login refusal means the stored session id is no
// longer known, so that a login with the password may still succeed.
func isSessionGone(err *oktell.RefusedError) bool {
	return strings.Contains(strings.ToLower(err.Reason), "session does not exist")
}

// isTransient reports whether a login refusal may go away by itself (the server is
// starting), so that reconnection goes on rather than giving up.
func isTransient(err *oktell.RefusedError) bool {
	return strings.Contains(strings.ToLower(err.Reason), "not available")
}
