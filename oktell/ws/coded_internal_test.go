package ws

import (
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// quotedIn finds words quoted as prose (oktell.Quoted) anywhere in r: what a dashboard
// cannot translate.
func quotedIn(r oktell.Reason) bool {
	if r.Code == oktell.ReasonQuoted {
		return true
	}
	for _, a := range r.Args {
		if in, ok := a.(oktell.Reason); ok && quotedIn(in) {
			return true
		}
	}
	return false
}

// Every warning and error the WebSocket link gives the dashboard is a code (the ui's
// TestEveryReasonSpeaksRussian then says each code in Russian), not prose: the link's
// ends, the messages it skips, what it drops, the lists it cuts, a send it cannot do.
func TestLinkWarningsAreCoded(t *testing.T) {
	l := newLinkWith(nil, clocktest.New(time.Unix(0, 0)), time.Second, func(string, ...any) {}, linkOptions{})
	_, binary := l.route(websocket.MessageBinary, []byte{1, 2, 3})
	_, garbage := l.route(websocket.MessageText, []byte("not a frame"))
	q := newInbox(&budget{max: 10})
	q.drop("userstatechanged", 3, 300)
	dropped, _ := q.nextNotice()
	for range maxNotices + 1 {
		q.notice(errors.New("x"))
	}
	for range maxNotices {
		q.nextNotice()
	}
	more, _ := q.nextNotice()
	for name, err := range map[string]error{
		"binary":     binary,
		"garbage":    garbage,
		"skipped":    func() error { l.skipped(binary); n, _ := l.in.nextNotice(); return n }(),
		"dropped":    dropped,
		"more":       more,
		"queue":      tooMany(oktell.ReasonTooManyQueue, 2000, 1000),
		"colleagues": tooMany(oktell.ReasonTooManyColleagues, 2000, 1000),
		"breaks":     tooMany(oktell.ReasonTooManyBreaks, 2000, 64),
		"no chat":    ErrNoChatSend,
		"eof":        closeReason(io.EOF),
		"reset":      closeReason(fmt.Errorf("read: %w", syscall.ECONNRESET)),
		"closed":     closeReason(websocket.CloseError{Code: websocket.StatusNormalClosure}),
		"going away": closeReason(websocket.CloseError{Code: websocket.StatusGoingAway, Reason: "bye"}),
		"other":      closeReason(errors.New("tls: bad record MAC")),
		"timeout":    &TimeoutError{Method: "getversion", Timeout: time.Second},
		"ping":       &TimeoutError{Method: "ping", Timeout: time.Second},
		"down":       notConnected("setuserstate", closeReason(io.EOF)),
		"refused":    dialReason("ws://pbx", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), 0, time.Second, false),
		"http":       dialReason("ws://pbx", errors.New("status"), 404, time.Second, false),
		"dial time":  dialReason("ws://pbx", errors.New("ctx"), 0, time.Second, true),
		"redirect":   errRedirect,
		"closing":    errSessionClosed,
	} {
		var r oktell.Reasoner
		if !errors.As(err, &r) {
			t.Errorf("%s: %v is not coded", name, err)
			continue
		}
		if quotedIn(r.Reason()) {
			t.Errorf("%s: %q quotes prose", name, r.Reason())
		}
	}
	if !errors.Is(ErrNoChatSend, oktell.ErrUnsupported) || !errors.Is(notConnected("x", nil), oktell.ErrNotConnected) {
		t.Error("the codes hide the sentinels")
	}
}
