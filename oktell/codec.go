package oktell

import (
	"errors"
	"io"
)

// CONTRACT (skeleton): signatures below are shared by every package; the protocol work
// replaces the bodies. Do not change a signature without telling everyone.

// Encoding is how a document's bytes are encoded on the wire.
type Encoding int

// Encodings.
const (
	UTF16LE Encoding = iota // with BOM when written
	UTF16BE                 // with BOM when written
	UTF8                    // without BOM when written
)

var errTODO = errors.New("oktell: not implemented yet")

// Decode reads one whole document from b: UTF-16LE/BE or UTF-8, BOM or not, declaration or
// not, whatever encoding it declares. The error names the byte offset and what is wrong.
func Decode(b []byte) (*Document, error) { return nil, errTODO }

// Encode writes d with long element names, as enc (UTF-16 with a BOM).
// Decode(Encode(d)) equals d.
func Encode(d *Document, enc Encoding) ([]byte, error) { return nil, errTODO }

// EventDocument wraps events in an oktellcommapper document with a bare data element, version 80710.
func EventDocument(events ...Event) *Document {
	return &Document{Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true, Events: events}
}

// SetUserStateRequest is the document passed to SetUserState (protocol.md 1.5, ours).
func SetUserStateRequest(state UserState, redirect bool) *Document { return nil }

// SendMessageRequest is the document passed to Messaging_SendMessage. idMessage may be "".
func SendMessageRequest(userID, text, idMessage string) *Document { return nil }

// Query wraps a request for the bridge (protocol.md 1.6): data name="query" count="1"
// holding one property_set named after the method, with the request id.
func Query(method, id string, req *Document) *Document { return nil }

// QueryResult is a bridge reply: data name="queryresult".
type QueryResult struct {
	Method     string
	ID         string
	ResultCode int
	Error      string // cdata "error"
	Props      []Property
}

// AsQueryResult reads d as a bridge query result; ok is false when d is not one.
func AsQueryResult(d *Document) (r QueryResult, ok bool) { return QueryResult{}, false }

// AsQuery reads d as a bridge query (for the simulator): the method, the id and the request.
func AsQuery(d *Document) (method, id string, req *Document, ok bool) { return "", "", nil, false }

// Item is one thing found by a Scanner.
type Item struct {
	Offset   int64     // byte offset of the document (or of the problem) in the input
	Raw      []byte    // the document's bytes as they arrived; valid until the next call to Next
	Encoding Encoding  // how Raw is encoded
	Doc      *Document // nil when Err is set
	Err      error     // a malformed, truncated or oversized document, or garbage that is not a log heading
	// Gap is how many bytes were skipped between the previous item and this one (log
	// headings, timestamps, garbage); Lead is the last line or so of them as UTF-8 text,
	// at most 256 bytes, where a log writer puts the document's timestamp.
	Gap  int64
	Lead string
}

// Scanner finds whole documents in any byte stream (a pipe, a socket, a log file with
// headings and timestamps around the documents) with bounded memory.
type Scanner struct{ r io.Reader }

// NewScanner returns a Scanner reading r.
func NewScanner(r io.Reader) *Scanner { return &Scanner{r: r} }

// Next returns the next document or problem. It returns io.EOF at the end of the input,
// or the reader's error; per-document problems come as an Item with Err set.
func (s *Scanner) Next() (Item, error) { return Item{}, errTODO }
