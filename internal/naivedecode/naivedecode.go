// Package naivedecode is the yardstick okdash's decoder is measured against: Oktell
// documents read as a straightforward Go program would, with x/text for the UTF-16,
// encoding/xml for the documents and encoding/json for the lines. The in-process
// benchmark (oktell/bench_test.go) and the whole-process one (scripts/naivedecode, run by
// scripts/bench-decode.sh) both use it, so that they compare with the same baseline. It
// is not part of okdash.
package naivedecode

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Document is what a straightforward encoding/xml program declares to read events.
type Document struct {
	XMLName xml.Name `xml:"oktellcommapper"`
	Version string   `xml:"version,attr"`
	Events  []struct {
		ID     string `xml:"id,attr"`
		Name   string `xml:"name,attr"`
		Simple []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:"value,attr"`
			Name  string `xml:"name,attr"`
		} `xml:"property_simple"`
		CData []struct {
			Key  string `xml:"key,attr"`
			Text string `xml:",chardata"`
		} `xml:"property_cdata"`
	} `xml:"data>event"`
}

// newDecoder reads UTF-8 that declares itself utf-16 (the bytes are UTF-8 by now).
func newDecoder(r io.Reader) *xml.Decoder {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	return dec
}

// utf16 is UTF-16LE, or what a byte-order mark says.
func utf16() *encoding.Decoder {
	return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
}

// DecodeDocument reads one document, UTF-16LE (or what its byte-order mark says): x/text
// turns it into UTF-8, xml.Decoder reads it.
func DecodeDocument(b []byte) (*Document, error) {
	u, err := utf16().Bytes(b)
	if err != nil {
		return nil, err
	}
	var d Document
	if err := newDecoder(bytes.NewReader(u)).Decode(&d); err != nil {
		return nil, err
	}
	return &d, nil
}

type prop struct {
	Value string `json:"value,omitempty"`
	Name  string `json:"name,omitempty"`
	Text  string `json:"text,omitempty"`
}

type line struct {
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Props map[string]prop `json:"props"`
}

// Decode reads every document of r, UTF-16LE documents concatenated, and encodes one
// JSON object per event with enc; a byte-order mark inside the stream reads as U+FEFF
// between documents, which encoding/xml skips as text.
func Decode(r io.Reader, enc *json.Encoder) error {
	dec := newDecoder(transform.NewReader(r, utf16()))
	for {
		var d Document
		if err := dec.Decode(&d); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		for _, ev := range d.Events {
			l := line{ID: ev.ID, Name: ev.Name, Props: map[string]prop{}}
			for _, p := range ev.Simple {
				l.Props[p.Key] = prop{Value: p.Value, Name: p.Name}
			}
			for _, p := range ev.CData {
				l.Props[p.Key] = prop{Text: p.Text}
			}
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
	}
}
