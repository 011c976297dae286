// Package record writes every document a session receives, and every request the operator
// makes through it, with its time, to a file that `okdash --source file:FILE` replays
// with the same pacing.
//
// The file is UTF-8 text: for each document, a heading line with the arrival time in
// the session's clock and its zone ("2026-11-24 12:00:00.123+03:00 xmlevent", like a
// CommonLog heading, whose readers take the time and may skip the zone), so that a
// replay elsewhere shows the same instants,
// then the document as it arrived (UTF-16 re-encoded as UTF-8), then a blank line. A
// request the operator made (a state change, a message) is written the same way under a
// heading that ends in "sent", as the document oktell.SentDocument makes: a bridge query
// marked okdash-sent="request", and later its outcome, a query result marked
// okdash-sent="outcome". Neither holds an event, so a reader that predates them skips
// them; the replay delivers them as Update.Sent.
package record

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
	"unsafe"

	"github.com/google/uuid"
	"golang.org/x/text/encoding/unicode"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// HeadingLayout is the time layout of a heading: the zone goes with it, so that the
// time read back is the same instant wherever the recording is replayed.
const HeadingLayout = "2006-01-02 15:04:05.000-07:00"

// Create opens path for a recording, which holds customers' phone numbers and colleagues'
// messages: a new file is created with mode 0600, like the session files; an existing
// regular file is made 0600 before it is emptied, and one okdash cannot make private (it
// belongs to someone else) is refused and left as it was. Anything else (a pipe, a
// terminal, /dev/null) is written to as it is.
func Create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return f, nil
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s can be read by others (mode %04o) and okdash cannot make it private: %w; remove it or record to another file", path, perm, err)
		}
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Session passes another session through, writing what it receives.
type Session struct {
	feed  *feed.Feed // delivers the updates: its methods are the session's own business
	inner oktell.Session

	mu   sync.Mutex
	w    *bufio.Writer
	c    io.Closer
	err  error // the first write error; reported once as a status
	told bool  // err was reported

	lastPtr *byte // the last document written, so the events of one document are written once
	lastLen int
}

var (
	_ oktell.Session           = (*Session)(nil)
	_ oktell.BreakReasonSetter = (*Session)(nil)
	_ oktell.Reconnecter       = (*Session)(nil)
)

// Wrap records s to w (closed with the session when it is an io.Closer).
func Wrap(s oktell.Session, w io.Writer, clock oktell.Clock) *Session {
	f := feed.New(context.Background(), clock, 64)
	r := &Session{feed: f, inner: s, w: bufio.NewWriter(w)}
	if c, ok := w.(io.Closer); ok {
		r.c = c
	}
	f.Go(func(ctx context.Context) {
		last := oktell.Status{Link: oktell.LinkConnecting}
		for {
			select {
			case u, ok := <-s.Updates():
				if !ok {
					return
				}
				if u.Status != nil {
					last = *u.Status
				}
				// Written before it is passed on: a request the operator makes on seeing it
				// is then written after it, and the file stays in the order things happened.
				var err error
				if u.Event != nil {
					err = r.write(u)
				}
				if !f.Send(u) {
					return
				}
				if err != nil {
					// Said once, keeping the link as the session reported it.
					st := last
					st.Why = oktell.Because(oktell.ReasonRecordingFailed, err.Error())
					if !last.Why.IsZero() {
						st.Why = oktell.Because(oktell.ReasonRecordingStopped, last.Why, err.Error())
					}
					if !f.Send(oktell.Update{Status: &st}) {
						return
					}
				}
			case <-ctx.Done():
				return
			}
		}
	})
	return r
}

func (r *Session) write(u oktell.Update) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		if r.told {
			return nil
		}
		r.told = true // a request's write failed: told with the next document
		return r.err
	}
	var doc []byte
	if len(u.Raw) > 0 {
		p := unsafe.SliceData(u.Raw)
		if p == r.lastPtr && len(u.Raw) == r.lastLen {
			return nil // another event of the document just written
		}
		r.lastPtr, r.lastLen = p, len(u.Raw)
		var err error
		if doc, err = ToUTF8(u.Raw); err != nil {
			doc = u.Raw
		}
	} else {
		r.lastPtr, r.lastLen = nil, 0
		var err error
		doc, err = oktell.Encode(oktell.EventDocument(*u.Event), oktell.UTF8)
		if err != nil {
			r.err, r.told = fmt.Errorf("encoding %s: %w", u.Event.Type, err), true
			return r.err
		}
	}
	if err := r.entry(u.At, "xmlevent", doc); err != nil {
		r.told = true
		return err
	}
	return nil
}

// entry writes one heading and document. The caller holds r.mu.
func (r *Session) entry(at time.Time, heading string, doc []byte) error {
	doc = bytes.TrimRight(doc, "\r\n\x00")
	fmt.Fprintf(r.w, "%s %s\n", at.Format(HeadingLayout), heading)
	r.w.Write(doc)
	r.w.WriteString("\n\n")
	if err := r.w.Flush(); err != nil { // flushed per document: a crash loses nothing received
		r.err = err
		return err
	}
	return nil
}

// sent writes a request the operator made, or its outcome. A write error stops the
// recording as for a received document; it is told with the next one.
func (r *Session) sent(s oktell.Sent) {
	doc, err := oktell.Encode(oktell.SentDocument(s), oktell.UTF8)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return
	}
	if err != nil {
		r.err = fmt.Errorf("encoding a %s request: %w", s.Kind, err)
		return
	}
	r.lastPtr, r.lastLen = nil, 0
	r.entry(r.feed.Clock().Now(), "sent", doc)
}

// request records a request, makes it, and records its outcome.
func (r *Session) request(s oktell.Sent, do func() error) error {
	s.ID = uuid.NewString()
	r.sent(s)
	err := do()
	r.sent(oktell.Sent{Kind: s.Kind, Method: s.Method, ID: s.ID, Answered: true, Why: oktell.RequestWhy(err)})
	return err
}

// ToUTF8 re-encodes a document's bytes as UTF-8 without a byte-order mark, deciding
// the encoding as the protocol says: by the BOM, else by the pattern of '<', else UTF-8.
func ToUTF8(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:], nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), len(b) >= 2 && b[0] == '<' && b[1] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(b)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}), len(b) >= 2 && b[0] == 0 && b[1] == '<':
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(b)
	}
	return b, nil
}

// Capabilities are those of the recorded session.
func (r *Session) Capabilities() oktell.Capabilities { return r.inner.Capabilities() }

// SetUserState passes the request on, recording it and its outcome.
func (r *Session) SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error {
	return r.request(oktell.Sent{Kind: oktell.SentState, State: state, Redirect: redirect}, func() error {
		return r.inner.SetUserState(ctx, state, redirect)
	})
}

// SetUserStateReason passes a break with its reason on (oktell.SetUserStateReason),
// recording the request with the reason, and its outcome.
func (r *Session) SetUserStateReason(ctx context.Context, state oktell.UserState, redirect bool, reason string) error {
	return r.request(oktell.Sent{Kind: oktell.SentState, State: state, Redirect: redirect, BreakReason: reason}, func() error {
		return oktell.SetUserStateReason(ctx, r.inner, state, redirect, reason)
	})
}

// Reconnect passes the request on (oktell.Reconnect). Nothing of it is recorded: the
// password must never reach a file.
func (r *Session) Reconnect(ctx context.Context, password string) error {
	return oktell.Reconnect(ctx, r.inner, password)
}

// SendMessage passes the request on, recording it and its outcome.
func (r *Session) SendMessage(ctx context.Context, userID, text string) error {
	return r.request(oktell.Sent{Kind: oktell.SentMessage, To: userID, Text: text}, func() error {
		return r.inner.SendMessage(ctx, userID, text)
	})
}

// Close closes the recorded session, then the file.
func (r *Session) Close() error {
	err := r.inner.Close()
	r.feed.Close()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.c != nil {
		if cerr := r.c.Close(); err == nil {
			err = cerr
		}
		r.c = nil
	}
	return err
}

// Updates implements oktell.Session.
func (r *Session) Updates() <-chan oktell.Update { return r.feed.Updates() }
