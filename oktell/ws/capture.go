package ws

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell"
)

// A capture is what --record writes on a ws source: one JSON object a line, in the order
// things happened, each with its time "t" by the session clock. The first line names the
// capture; then "dir" says what a line is:
//
//	{"okdash":"ws-capture","version":1,"t":…,"url":"ws://…","login":"ivanova"}
//	{"t":…,"dir":"link","open":"ws://…"}                      a connection opened
//	{"t":…,"dir":"out","frame":["login",{…}]}                 a frame okdash sent
//	{"t":…,"dir":"in","frame":["pong",{…}]}                   a frame the server sent
//	{"t":…,"dir":"in","parts":3,"frame":[…]}                  joined from 3 multipart pieces
//	{"t":…,"dir":"in","skipped":"…","data":"base64"}          a message okdash could not read
//	{"t":…,"dir":"link","forgot":"QID","method":"…"}          a request that gave up waiting
//	{"t":…,"dir":"link","closed":"the connection was cut"}    the connection ended
//	{"t":…,"dir":"link","closed":"closed by okdash","ended":true}  the session closed
//
// Frames are kept whole (up to MaxFrame, as on the live link), except that the values of
// the keys "Password", "password" and "sessionid", at any depth, are replaced by
// "[redacted]": the password hashes and the session id let anyone log in as the user.
const (
	captureName    = "ws-capture"
	captureVersion = 1
	redacted       = "[redacted]"
)

// maxCaptureLine bounds one line of a capture: a frame of MaxFrame in base64, and room
// for the rest of the line.
var maxCaptureLine = base64.StdEncoding.EncodedLen(MaxFrame) + 4096

type captureLine struct {
	Okdash  string `json:"okdash,omitempty"`
	Version int    `json:"version,omitempty"`

	T   time.Time `json:"t"`
	Dir string    `json:"dir,omitempty"`

	URL   string `json:"url,omitempty"`
	Login string `json:"login,omitempty"`

	Frame    json.RawMessage `json:"frame,omitempty"`
	Parts    int             `json:"parts,omitempty"`
	Data     []byte          `json:"data,omitempty"`
	Binary   bool            `json:"binary,omitempty"`
	Skipped  string          `json:"skipped,omitempty"`
	Withheld string          `json:"withheld,omitempty"`

	Open   string `json:"open,omitempty"`
	Closed string `json:"closed,omitempty"`
	Ended  bool   `json:"ended,omitempty"` // closed because the session closed, not dropped
	Forgot string `json:"forgot,omitempty"`
	Method string `json:"method,omitempty"`
}

// capture writes the lines. Its methods do nothing on a nil *capture, so that the link
// calls them whether or not it captures. A write that fails stops the capture: the method
// that met the failure returns it, once, for the dashboard.
type capture struct {
	clock oktell.Clock

	mu  sync.Mutex
	w   *bufio.Writer
	c   io.Closer
	err error
}

func newCapture(w io.Writer, clock oktell.Clock) *capture {
	c := &capture{clock: clock, w: bufio.NewWriter(w)}
	if cl, ok := w.(io.Closer); ok {
		c.c = cl
	}
	return c
}

func (c *capture) write(l captureLine) error {
	if c == nil {
		return nil
	}
	l.T = c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return nil // told already
	}
	enc := json.NewEncoder(c.w) // frames as they came: no HTML escaping
	enc.SetEscapeHTML(false)
	err := enc.Encode(l) // a line and its newline
	if err == nil {
		err = c.w.Flush() // flushed per line: a crash loses nothing that arrived
	}
	if err != nil {
		c.err = err
		return oktell.Wrap(oktell.Because(oktell.ReasonCaptureStopped, err.Error()), err)
	}
	return nil
}

func (c *capture) header(url, login string) error {
	return c.write(captureLine{Okdash: captureName, Version: captureVersion, URL: url, Login: login})
}

func (c *capture) opened(url string) error { return c.write(captureLine{Dir: "link", Open: url}) }

func (c *capture) closed(err error) error {
	return c.write(captureLine{Dir: "link", Closed: reasonText(err), Ended: errors.Is(err, errSessionClosed)})
}

func (c *capture) forgot(method, qid string) error {
	return c.write(captureLine{Dir: "link", Forgot: qid, Method: method})
}

// sent writes a frame okdash sends: b as encoded, unless body holds a secret.
func (c *capture) sent(name string, body map[string]any, b []byte) error {
	if c == nil {
		return nil
	}
	return c.write(captureLine{Dir: "out", Frame: withoutSecrets(name, body, b)})
}

// received writes a message from the server as route read it.
func (c *capture) received(typ websocket.MessageType, b []byte, r routed, err error) error {
	if c == nil || (err == nil && r.incomplete) {
		return nil // pieces are written once joined
	}
	l := captureLine{Dir: "in"}
	switch {
	case err != nil:
		l.Skipped = err.Error()
		switch {
		case errors.Is(err, errNoRoom) || strings.HasPrefix(err.Error(), "multipart"):
			// A piece alone says little, and its base64 may hide a session id.
			l.Withheld = "a multipart piece"
		case holdsSecret(b):
			l.Withheld = "it may hold a password hash or a session id"
		case typ != websocket.MessageText:
			l.Data, l.Binary = b, true
		case json.Valid(b):
			l.Frame = b
		default:
			l.Data = b
		}
	default:
		l.Frame, l.Parts = withoutSecrets(r.f.Name, r.f.Body, r.f.Raw), r.parts
	}
	return c.write(l)
}

func (c *capture) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.c == nil {
		return nil
	}
	err := c.c.Close()
	c.c = nil
	if c.err == nil {
		c.err = errors.New("closed")
	}
	return err
}

// withoutSecrets is the frame name/body, encoded as b, as a capture keeps it: b itself,
// or the frame written again with its secrets redacted when it holds one.
func withoutSecrets(name string, body map[string]any, b []byte) []byte {
	if v, ok := redact(body); ok {
		if rb, err := encodeAsIs(name, v); err == nil {
			return rb
		}
	}
	return b
}

// encodeAsIs writes a frame without HTML escaping, so that a redacted frame stays about
// as long as it came (json.Marshal writes each < as six bytes) and within maxCaptureLine.
func encodeAsIs(name string, body any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode([]any{name, body}); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// secretKeys are the keys, in lower case, whose values a capture must not keep.
var secretKeys = []string{"password", "sessionid"}

// secretKey reports a key whose value a capture must not keep.
func secretKey(k string) bool {
	return slices.ContainsFunc(secretKeys, func(s string) bool { return strings.EqualFold(k, s) })
}

// redact returns a copy of v with every secret value replaced, and whether there was one.
func redact(v any) (any, bool) {
	switch v := v.(type) {
	case map[string]any:
		var out map[string]any
		for k, x := range v {
			nx, changed := x, false
			if secretKey(k) {
				nx, changed = redacted, true
			} else {
				nx, changed = redact(x)
			}
			if changed {
				if out == nil {
					out = maps.Clone(v)
				}
				out[k] = nx
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	case []any:
		var out []any
		for i, x := range v {
			if nx, changed := redact(x); changed {
				if out == nil {
					out = append([]any(nil), v...)
				}
				out[i] = nx
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	}
	return v, false
}

// holdsSecret reports whether a message okdash could not decode may hold a secret.
func holdsSecret(b []byte) bool {
	low := bytes.ToLower(b)
	return slices.ContainsFunc(secretKeys, func(s string) bool { return bytes.Contains(low, []byte(s)) })
}

// IsCapture reports whether the start of a file is a capture written by a ws session,
// so that --source file:FILE plays it with Replay rather than as an event stream.
func IsCapture(head []byte) bool {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(head, []byte(`{"okdash":"`+captureName+`"`)) {
		return true // as written, however long the line
	}
	if !bytes.HasPrefix(head, []byte("{")) {
		return false
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	var l struct {
		Okdash string `json:"okdash"`
	}
	return json.Unmarshal(line, &l) == nil && l.Okdash == captureName
}
