// Package ws reaches a live Oktell server over the WebSocket protocol that the
// vendor's JavaScript client speaks (protocol.md section 2): it logs in, keeps the
// session id for a later login without the password, turns the server's user state
// into oktell events, changes the state on request, and reconnects after a drop.
package ws

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/okdash/okdash/internal/bytesize"
	"golang.org/x/text/encoding/charmap"
)

// Frame is one WebSocket message of the protocol: a JSON array [name, body].
type Frame struct {
	Name string
	// Body is the frame's object, with numbers kept as json.Number so that nothing
	// is rounded. A frame whose body is not an object is an error.
	Body map[string]any
	// Raw is the frame's bytes as they arrived (after multipart reassembly).
	Raw []byte

	seq    uint64 // the order in which the link routed it; 0 for a frame made by hand
	notice error  // not a frame: a warning from the link for the dashboard (see link.skipped)
}

// FrameError says why a message from the wire is not a frame, and where.
type FrameError struct {
	Offset int64 // byte offset in the message, -1 when not known
	Msg    string
}

func (e *FrameError) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("bad frame at byte %d: %s", e.Offset, e.Msg)
	}
	return "bad frame: " + e.Msg
}

// DecodeFrame reads one [name, body] frame. It never panics; every error is a
// *FrameError naming the byte offset where it could tell.
func DecodeFrame(b []byte) (Frame, error) {
	if !utf8.Valid(b) {
		return Frame{}, &FrameError{Offset: int64(firstInvalidUTF8(b)), Msg: "not UTF-8"}
	}
	// One decoding for a good frame; a bad one is read again to say where it is wrong.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var parts []any
	if dec.Decode(&parts) == nil && !dec.More() && len(parts) == 2 {
		name, ok := parts[0].(string)
		body, isObject := parts[1].(map[string]any)
		if _, err := dec.Token(); ok && isObject && err == io.EOF {
			return Frame{Name: name, Body: body, Raw: b}, nil
		}
	}
	return decodeFrameSlowly(b)
}

// decodeFrameSlowly is DecodeFrame step by step, for the error of a frame that failed.
func decodeFrameSlowly(b []byte) (Frame, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var parts []json.RawMessage
	if err := dec.Decode(&parts); err != nil {
		return Frame{}, jsonError(err, dec)
	}
	if dec.More() {
		return Frame{}, &FrameError{Offset: dec.InputOffset(), Msg: "data after the frame"}
	}
	if _, err := dec.Token(); err == nil {
		return Frame{}, &FrameError{Offset: dec.InputOffset(), Msg: "data after the frame"}
	}
	if len(parts) != 2 {
		return Frame{}, &FrameError{Offset: 0, Msg: fmt.Sprintf("want a [name, body] array, got %d elements", len(parts))}
	}
	var f Frame
	if err := json.Unmarshal(parts[0], &f.Name); err != nil {
		return Frame{}, &FrameError{Offset: offsetOf(b, parts[0]), Msg: "frame name is not a string"}
	}
	bd := json.NewDecoder(bytes.NewReader(parts[1]))
	bd.UseNumber()
	if err := bd.Decode(&f.Body); err != nil || f.Body == nil {
		return Frame{}, &FrameError{Offset: offsetOf(b, parts[1]), Msg: fmt.Sprintf("body of %q is not an object", f.Name)}
	}
	f.Raw = b
	return f, nil
}

// EncodeFrame writes [name, body].
func EncodeFrame(name string, body map[string]any) ([]byte, error) {
	return json.Marshal([]any{name, body})
}

func jsonError(err error, dec *json.Decoder) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &FrameError{Offset: se.Offset, Msg: se.Error()}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &FrameError{Offset: te.Offset, Msg: "want a JSON array [name, body], got " + te.Value}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &FrameError{Offset: dec.InputOffset(), Msg: "truncated JSON"}
	}
	return &FrameError{Offset: dec.InputOffset(), Msg: err.Error()}
}

// offsetOf finds where sub (a slice of a re-read copy) starts in b; the decoder does
// not say, so search for the bytes, which is exact for the first occurrence.
func offsetOf(b, sub []byte) int64 {
	if i := bytes.Index(b, sub); i >= 0 {
		return int64(i)
	}
	return -1
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// String returns a body field as text: strings as they are, numbers and booleans
// written out, anything else (or absent) as "".
func (f Frame) String(key string) string { return fieldString(f.Body, key) }

func fieldString(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return ""
}

// fieldInt reads an integer that may arrive as a number, a numeric string or a boolean.
func fieldInt(m map[string]any, key string) (int64, bool) {
	switch v := m[key].(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, true
		}
		if f, err := v.Float64(); err == nil {
			return int64(f), true
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			return n, true
		}
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// fieldBool reads a flag that may arrive as true/false, 0/1 or "0"/"1"/"true".
func fieldBool(m map[string]any, key string) bool {
	if s, ok := m[key].(string); ok {
		s = strings.ToLower(strings.TrimSpace(s))
		return s == "true" || s == "1"
	}
	n, ok := fieldInt(m, key)
	return ok && n != 0
}

// objects yields the objects of a list with their places in it, passing over the items
// that are not objects.
func objects(items []any) iter.Seq2[int, map[string]any] {
	return func(yield func(int, map[string]any) bool) {
		for i, it := range items {
			if m, ok := it.(map[string]any); ok && !yield(i, m) {
				return
			}
		}
	}
}

// Int reads a body field as an integer: a number, a numeric string or a boolean.
func (f Frame) Int(key string) (int64, bool) { return fieldInt(f.Body, key) }

// Bool reads a body field as a flag: true/false, 0/1, "0"/"1"/"true".
func (f Frame) Bool(key string) bool { return fieldBool(f.Body, key) }

// QID is the frame's request id (body.qid), the only key replies are matched by.
func (f Frame) QID() string { return f.String("qid") }

// OK reports whether a reply succeeded: a missing result means 1.
func (f Frame) OK() bool {
	if _, ok := f.Body["result"]; !ok {
		return true
	}
	n, ok := fieldInt(f.Body, "result")
	return !ok || n != 0
}

// Err returns the server's refusal as a *oktell.RefusedError-compatible error,
// or nil when the reply succeeded.
func (f Frame) Err() error {
	if f.OK() {
		return nil
	}
	return refusal(f.Body)
}

// Hashes are the two password fields of login: lowercase hex MD5 of the password's
// Windows-1251 bytes (Password), and of the lower-cased password (password).
type Hashes struct {
	Password string // "Password": MD5 of the password as typed
	Lower    string // "password": MD5 of the lower-cased password
}

// HashPassword computes the login hashes. A character that Windows-1251 cannot hold
// is an error naming its position, since the server could never match it.
func HashPassword(pw string) (Hashes, error) {
	a, err := md5cp1251(pw)
	if err != nil {
		return Hashes{}, err
	}
	b, err := md5cp1251(strings.ToLower(pw))
	if err != nil {
		return Hashes{}, err
	}
	return Hashes{Password: a, Lower: b}, nil
}

func md5cp1251(s string) (string, error) {
	enc := charmap.Windows1251.NewEncoder()
	out := make([]byte, 0, len(s))
	for i, r := range []rune(s) {
		b, err := enc.Bytes([]byte(string(r)))
		if err != nil || r == utf8.RuneError {
			return "", fmt.Errorf("password character %d has no Windows-1251 form", i+1) // not the character: it is part of the password
		}
		out = append(out, b...)
	}
	sum := md5.Sum(out)
	return hex.EncodeToString(sum[:]), nil
}

// Limits of multipart reassembly besides the link's budget: a hostile or broken server
// must not make the client hold unbounded memory or bookkeeping.
const (
	maxPackets      = 100000
	maxOpenMessages = 64
)

// maxMultipartSize is the most base64 text one message may gather: a frame of MaxFrame.
var maxMultipartSize = base64.StdEncoding.EncodedLen(MaxFrame)

// errNoRoom is a multipart piece dropped because the link's budget was spent.
var errNoRoom = errors.New("no room")

// roomError is a piece that did not fit: the link counts it with the frames it dropped.
type roomError struct {
	id  string
	n   int // the piece's bytes
	max int // the budget
}

func (e *roomError) Error() string {
	return fmt.Sprintf("multipart %s: dropped: more than %s waiting", e.id, bytesize.Format(int64(e.max)))
}

func (e *roomError) Unwrap() error { return errNoRoom }

// reassembler joins multipart frames: message-id, packetcount, packetnumber (from 0)
// and content (a piece of the base64 text of the whole frame). The pieces it keeps
// count against budget, shared with the link's queue.
type reassembler struct {
	budget *budget // nil: a budget of its own, MaxBuffered
	open   map[string]*partial
	seq    int

	// Unfinished messages dropped to make room, not yet told: how many, their bytes.
	evicted, evictedBytes int
}

// takeEvicted says how many unfinished messages were dropped to make room since the last
// call, and their bytes.
func (r *reassembler) takeEvicted() (n, bytes int) {
	n, bytes = r.evicted, r.evictedBytes
	r.evicted, r.evictedBytes = 0, 0
	return n, bytes
}

type partial struct {
	count int
	parts map[int]string
	size  int
	seq   int
}

// forget drops an unfinished message and gives its bytes back.
func (r *reassembler) forget(id string) {
	if p := r.open[id]; p != nil {
		r.budget.give(p.size)
		delete(r.open, id)
	}
}

// add takes one multipart frame. It returns the whole frame and how many pieces it came
// in once the last piece is in, (nil, 0, nil) while pieces are missing, and an error for
// a malformed piece or one that does not fit (which drops that message, and only that
// message).
func (r *reassembler) add(f Frame) (*Frame, int, error) {
	if r.open == nil {
		r.open = map[string]*partial{}
	}
	if r.budget == nil {
		r.budget = &budget{max: MaxBuffered}
	}
	id := f.String("message-id")
	if id == "" {
		return nil, 0, errors.New("multipart: missing message-id")
	}
	count, ok := fieldInt(f.Body, "packetcount")
	if !ok || count < 1 || count > maxPackets {
		r.forget(id)
		return nil, 0, fmt.Errorf("multipart %s: packetcount %q out of range", id, f.String("packetcount"))
	}
	num, ok := fieldInt(f.Body, "packetnumber")
	if !ok || num < 0 || num >= count {
		r.forget(id)
		return nil, 0, fmt.Errorf("multipart %s: packetnumber %q outside 0..%d", id, f.String("packetnumber"), count-1)
	}
	content, ok := f.Body["content"].(string)
	if !ok {
		r.forget(id)
		return nil, 0, fmt.Errorf("multipart %s: packet %d: content is not a string", id, num)
	}
	p := r.open[id]
	if p == nil {
		if len(r.open) >= maxOpenMessages {
			r.evictOldest("")
		}
		r.seq++
		p = &partial{count: int(count), parts: map[int]string{}, seq: r.seq}
		r.open[id] = p
	}
	if p.count != int(count) {
		r.forget(id)
		return nil, 0, fmt.Errorf("multipart %s: packetcount changed from %d to %d", id, p.count, count)
	}
	grow := len(content)
	if old, dup := p.parts[int(num)]; dup {
		grow -= len(old)
	}
	if p.size+grow > maxMultipartSize {
		r.forget(id)
		return nil, 0, fmt.Errorf("multipart %s: larger than %d bytes", id, maxMultipartSize)
	}
	// Checked before the piece is kept: older unfinished messages make room first.
	for !r.budget.take(grow) {
		if !r.evictOldest(id) {
			r.forget(id)
			return nil, 0, &roomError{id: id, n: len(content), max: r.budget.max}
		}
	}
	p.size += grow
	p.parts[int(num)] = content
	if len(p.parts) < p.count {
		return nil, 0, nil
	}
	r.forget(id)
	var sb strings.Builder
	sb.Grow(p.size)
	for i := 0; i < p.count; i++ {
		sb.WriteString(p.parts[i])
	}
	raw, err := base64.StdEncoding.DecodeString(sb.String())
	if err != nil {
		return nil, 0, fmt.Errorf("multipart %s: content: %w", id, err)
	}
	whole, err := DecodeFrame(raw)
	if err != nil {
		return nil, 0, fmt.Errorf("multipart %s: joined frame: %w", id, err)
	}
	if whole.Name == "multipart" {
		return nil, 0, fmt.Errorf("multipart %s: joined frame is itself multipart", id)
	}
	return &whole, p.count, nil
}

// evictOldest drops the oldest unfinished message other than keep, and reports whether
// there was one.
func (r *reassembler) evictOldest(keep string) bool {
	oldest, seq := "", -1
	for id, p := range r.open {
		if id != keep && (seq < 0 || p.seq < seq) {
			oldest, seq = id, p.seq
		}
	}
	if seq < 0 {
		return false
	}
	r.evicted++
	r.evictedBytes += r.open[oldest].size
	r.forget(oldest)
	return true
}

// SplitMultipart cuts an encoded frame into multipart frames whose content holds at
// most size base64 characters each. The fake server uses it; it is exported so that
// integrators can build test servers of their own.
func SplitMultipart(messageID string, frame []byte, size int) [][]byte {
	if size < 1 {
		size = 1
	}
	text := base64.StdEncoding.EncodeToString(frame)
	n := (len(text) + size - 1) / size
	out := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		end := min((i+1)*size, len(text))
		b, _ := EncodeFrame("multipart", map[string]any{
			"message-id": messageID, "packetcount": n, "packetnumber": i, "content": text[i*size : end],
		})
		out = append(out, b)
	}
	return out
}
