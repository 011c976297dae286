package oktell

import "fmt"

// ErrorKind classifies what went wrong with a document or with the bytes around it.
type ErrorKind uint8

// Error kinds.
const (
	// Malformed: the document is not well-formed XML, or not the Oktell document shape.
	Malformed ErrorKind = iota
	// Truncated: a document ended (end of input, or a new document began) before its close tag.
	Truncated
	// TooLarge: a document grew past the scanner's size limit and was skipped.
	TooLarge
	// Garbage: bytes between documents that are neither a document nor log text
	// (binary data, a stray close tag of a document whose start was lost).
	Garbage
)

func (k ErrorKind) String() string {
	switch k {
	case Malformed:
		return "malformed"
	case Truncated:
		return "truncated"
	case TooLarge:
		return "too large"
	case Garbage:
		return "garbage"
	}
	return "unknown"
}

// Error is a problem with the bytes of a document or of a stream. Offset is the byte
// offset in the original input (for UTF-16, two bytes per code unit, BOM included), so
// that a hex dump of the input shows the problem at that offset.
type Error struct {
	Kind   ErrorKind
	Offset int64
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("byte %d: %s", e.Offset, e.Msg)
}
