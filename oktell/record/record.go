// Package record writes every document a session receives, with its arrival time, to a
// file that `okdash --source file:FILE` replays with the same pacing.
//
// The file is UTF-8 text: for each document, a heading line with the arrival time in
// the session's clock ("2026-11-24 12:00:00.123 xmlevent", like a CommonLog heading),
// then the document as it arrived (UTF-16 re-encoded as UTF-8), then a blank line.
package record

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/text/encoding/unicode"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// HeadingLayout is the time layout of a heading.
const HeadingLayout = "2006-01-02 15:04:05.000"

// Session passes another session through, writing what it receives.
type Session struct {
	*feed.Feed
	inner oktell.Session

	mu  sync.Mutex
	w   *bufio.Writer
	c   io.Closer
	err error // the first write error; reported once as a status

	lastPtr *byte // the last document written, so the events of one document are written once
	lastLen int
}

var _ oktell.Session = (*Session)(nil)

// Wrap records s to w (closed with the session when it is an io.Closer).
func Wrap(s oktell.Session, w io.Writer, clock oktell.Clock) *Session {
	f := feed.New(context.Background(), clock, 64)
	r := &Session{Feed: f, inner: s, w: bufio.NewWriter(w)}
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
				if !f.Send(u) {
					return
				}
				if u.Event == nil {
					continue
				}
				if err := r.write(u); err != nil {
					// Said once, keeping the link as the session reported it.
					st := last
					st.Reason = strings.TrimPrefix(last.Reason+"; ", "; ") + "recording stopped: " + err.Error()
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
		return nil // reported already
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
			r.err = fmt.Errorf("encoding %s: %w", u.Event.Type, err)
			return r.err
		}
	}
	doc = bytes.TrimRight(doc, "\r\n\x00")
	fmt.Fprintf(r.w, "%s xmlevent\n", u.At.Format(HeadingLayout))
	r.w.Write(doc)
	r.w.WriteString("\n\n")
	if err := r.w.Flush(); err != nil { // flushed per document: a crash loses nothing received
		r.err = err
		return err
	}
	return nil
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

// SetUserState passes the request on.
func (r *Session) SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error {
	return r.inner.SetUserState(ctx, state, redirect)
}

// SendMessage passes the request on.
func (r *Session) SendMessage(ctx context.Context, userID, text string) error {
	return r.inner.SendMessage(ctx, userID, text)
}

// Close closes the recorded session, then the file.
func (r *Session) Close() error {
	err := r.inner.Close()
	r.Feed.Close()
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
