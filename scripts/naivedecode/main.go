// Command naivedecode is the yardstick of scripts/bench-decode.sh: okdash decode as a
// straightforward Go program would write it, with x/text for the UTF-16, encoding/xml
// for the documents and encoding/json for the lines (the baseline of the in-process
// benchmark in oktell/bench_test.go). It reads UTF-16LE documents, concatenated, from
// each FILE (standard input when there is none) and prints one JSON object per event,
// through a buffered writer. It is not part of okdash: it only gives the figures of
// okdash decode something to be compared with, in the same run.
package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// document is what a straightforward program declares to read Oktell events.
type document struct {
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

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	files := os.Args[1:]
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	for _, name := range files {
		var r io.Reader = os.Stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintln(os.Stderr, "naivedecode:", err)
				status = 1
				continue
			}
			defer f.Close()
			r = f
		}
		if err := decode(r, enc); err != nil {
			fmt.Fprintf(os.Stderr, "naivedecode: %s: %v\n", name, err)
			status = 1
		}
	}
	if err := out.Flush(); err != nil {
		status = 1
	}
	os.Exit(status)
}

// decode reads every document of r; a byte-order mark inside the stream reads as U+FEFF
// between documents, which encoding/xml skips as text.
func decode(r io.Reader, enc *json.Encoder) error {
	u := transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
	dec := xml.NewDecoder(u)
	// the declarations say utf-16; the bytes are UTF-8 by now
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		var d document
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
