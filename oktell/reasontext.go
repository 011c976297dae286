package oktell

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// maxReasonDepth bounds how deep reasons in a recording may hold reasons: okdash's own
// go three deep; a hostile file cannot make the reader recurse further.
const maxReasonDepth = 8

// reasonJSON is a Reason as a recording keeps it: its code and its arguments, each as
// its kind reads in JSON (a string for text, a number for counts, "4s" for a duration,
// an object for a reason).
type reasonJSON struct {
	Code ReasonCode        `json:"code"`
	Args []json.RawMessage `json:"args,omitempty"`
}

// EncodeReason is r as a recording keeps it, so that a replay translates it from the
// code as the live dashboard did (DecodeReason reads it back).
func EncodeReason(r Reason) ([]byte, error) {
	v, err := toReasonJSON(r, 0)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func toReasonJSON(r Reason, depth int) (reasonJSON, error) {
	if depth > maxReasonDepth {
		return reasonJSON{}, errors.New("reason: held too deep")
	}
	d, ok := reasons[r.Code]
	if !ok || len(d.Args) != len(r.Args) {
		return reasonJSON{}, fmt.Errorf("reason %q: not declared with %d arguments", r.Code, len(r.Args))
	}
	out := reasonJSON{Code: r.Code}
	for i, k := range d.Args {
		var v any = r.Args[i]
		switch k {
		case ArgDuration, ArgWait:
			dur, _ := v.(time.Duration)
			v = dur.String()
		case ArgReason:
			inner, _ := v.(Reason)
			j, err := toReasonJSON(inner, depth+1)
			if err != nil {
				return reasonJSON{}, err
			}
			v = j
		}
		b, err := json.Marshal(v)
		if err != nil {
			return reasonJSON{}, err
		}
		out.Args = append(out.Args, b)
	}
	return out, nil
}

// DecodeReason reads a reason EncodeReason wrote. A code okdash does not declare, or
// arguments that are not the ones its declaration lists, are an error naming the code
// and the argument: the reader then keeps the recording's English instead.
func DecodeReason(b []byte) (Reason, error) {
	return decodeReason(b, 0)
}

func decodeReason(b []byte, depth int) (Reason, error) {
	if depth > maxReasonDepth {
		return Reason{}, fmt.Errorf("reason: held more than %d deep", maxReasonDepth)
	}
	var j reasonJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Reason{}, fmt.Errorf("reason: %w", err)
	}
	d, ok := reasons[j.Code]
	if !ok {
		return Reason{}, fmt.Errorf("reason %q: not a code okdash declares", CleanLine(string(j.Code)))
	}
	if len(j.Args) != len(d.Args) {
		return Reason{}, fmt.Errorf("reason %q: takes %d arguments, has %d", j.Code, len(d.Args), len(j.Args))
	}
	var args []any // nil without arguments, as Because makes it
	for i, k := range d.Args {
		v, err := decodeArg(k, j.Args[i], depth)
		if err != nil {
			return Reason{}, fmt.Errorf("reason %q: argument %d: %w", j.Code, i+1, err)
		}
		args = append(args, v)
	}
	return Reason{Code: j.Code, Args: args}, nil
}

func decodeArg(k ArgKind, b json.RawMessage, depth int) (any, error) {
	if k.isCount() {
		var n int
		if err := json.Unmarshal(b, &n); err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, fmt.Errorf("a count of %d", n)
		}
		return n, nil
	}
	switch k {
	case ArgText:
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case ArgDuration, ArgWait:
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, err
		}
		dur, err := time.ParseDuration(s)
		if err != nil {
			return nil, err
		}
		return dur, nil
	case ArgReason:
		return decodeReason(b, depth+1)
	}
	return nil, fmt.Errorf("an argument of kind %d", k)
}

// ReasonProp is the property key of a query result holding why, as EncodeReason writes
// it; none when why cannot be written.
func ReasonProp(key string, why Reason) []Property {
	b, err := EncodeReason(why)
	if err != nil {
		return nil
	}
	return []Property{CDataProp(key, string(b))}
}

// ReasonIn is the reason the property key of r holds (ReasonProp), and false when it
// holds none okdash declares.
func (r QueryResult) ReasonIn(key string) (Reason, bool) {
	for _, p := range r.Props {
		if p.Key == key && p.HasText {
			if why, err := DecodeReason([]byte(p.Text)); err == nil {
				return why, true
			}
		}
	}
	return Reason{}, false
}

// ReasonFromEnglish is the reason whose English is text, when text is exactly that of a
// code okdash declares without arguments; else text quoted, as someone else's words.
// Only a reader of an old recording, which kept reasons as English, needs it: once, as
// it reads, never in a view.
func ReasonFromEnglish(text string) Reason {
	text = strings.TrimSpace(text)
	for code, d := range reasons {
		if len(d.Args) == 0 && d.English == text {
			return Because(code)
		}
	}
	return Quoted(text)
}
