package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The -update flag may be declared by another test file of this package too; declare it
// only when nobody has, and read it by name.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// mixedLog is a CommonLog-like stream: UTF-8 headings, seed documents in UTF-16LE with a
// BOM, a UTF-8 document, a BE one, binary garbage, a cut document and a malformed one.
func mixedLog(t *testing.T) []byte {
	seed := func(n string) []byte { return readFile(t, filepath.Join("testdata", "seed", n)) }
	cut := seed("112_notify.xml")
	cut = cut[:300]
	var b bytes.Buffer
	head := func(ts string) { b.WriteString("\r\n" + ts + " xmlevent\r\n") }
	head("2026-11-24 09:00:00.001")
	b.Write(seed("111_userstatechanged.xml"))
	head("2026-11-24 09:00:05.120")
	b.Write(seed("112_notify.xml"))
	head("2026-11-24 09:01:00.000")
	b.Write(seed("114_usermessage.utf8.xml"))
	b.Write([]byte{0x00, 0x13, 0x37, 0xFF, 0x00, 0x02})
	head("2026-11-24 09:02:00.000")
	b.Write(cut)
	head("2026-11-24 09:03:00.000")
	b.Write(seed("113_voicemail.xml"))
	head("2026-11-24 09:04:00.000")
	b.WriteString(`<oktellcommapper version="80710"><data><event id="112" name="notify"><property_simple key="autohide" value="yes" /><property_simple key="datetime" value="31.02.2026 25:00:00" /></event></data></oktellcommapper>`)
	head("2026-11-24 09:05:00.000")
	b.WriteString(`<oktellcommapper version="80710"><data><event id="111" name="userstatechanged"><property_simple key="newstate" value="2" name="usLunch"></event></data></oktellcommapper>`)
	head("2026-11-24 09:06:00.000")
	b.Write(seed("unknown_event.xml"))
	b.Write(seed("data_name_count.xml"))
	b.Write(seed("112_notify.utf16be.xml"))
	b.WriteString("\r\n")
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "oktell", name)
	if updating() {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run Decode -update")
	assert.Equal(t, string(want), string(got), "%s differs; review and run go test -run Decode -update", path)
}

func TestDecodeMixedLog(t *testing.T) {
	log := mixedLog(t)
	path := filepath.Join("testdata", "oktell", "mixed.log")
	if updating() {
		require.NoError(t, os.WriteFile(path, log, 0o644))
	}
	require.Equal(t, log, readFile(t, path), "testdata/oktell/mixed.log is stale: run go test -run Decode -update")

	var out, errb bytes.Buffer
	code := run([]string{"decode", path}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 1, code, "something failed, so the status is 1")
	golden(t, "mixed.jsonl.golden", out.Bytes())
	golden(t, "mixed.stderr.golden", errb.Bytes())
	for _, line := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
		assert.Regexp(t, `^okdash: decode: testdata/oktell/mixed\.log:\d+: \S`, line)
	}
	// every good event is there, around the broken ones
	assert.Equal(t, 8, strings.Count(out.String(), "\n"))
}

// With two inputs every line names its input, so lines at the same offset of two files
// can be told apart; problems name their input as always.
func TestDecodeTwoInputs(t *testing.T) {
	mixed := filepath.Join("testdata", "oktell", "mixed.log")
	stream := filepath.Join("testdata", "streams", "commonlog.log")
	var out, errb bytes.Buffer
	code := run([]string{"decode", stream, mixed}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 1, code, "mixed.log has problems")
	golden(t, "two-inputs.jsonl.golden", out.Bytes())
	var fromStream, fromMixed int
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var l struct {
			Input *string `json:"input"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &l), line)
		require.NotNil(t, l.Input, "a line without its input: %s", line)
		switch *l.Input {
		case stream:
			fromStream++
		case mixed:
			fromMixed++
		default:
			t.Errorf("input %q", *l.Input)
		}
		assert.True(t, strings.HasPrefix(line, `{"input":`), "input comes first: %s", line)
	}
	assert.Equal(t, 8, fromMixed)
	assert.Positive(t, fromStream)

	// stdin among files is named "stdin", as in problems.
	out.Reset()
	doc := readFile(t, filepath.Join("testdata", "seed", "111_userstatechanged.xml"))
	code = run([]string{"decode", "-", "-"}, stdio{in: bytes.NewReader(doc), out: &out, err: &errb})
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out.String(), `{"input":"stdin","offset":0,"id":111,`), out.String())
}

func TestDecodeStdinAndPretty(t *testing.T) {
	doc := readFile(t, filepath.Join("testdata", "seed", "111_userstatechanged.xml"))
	var out, errb bytes.Buffer
	code := run([]string{"decode", "-", "--pretty"}, stdio{in: bytes.NewReader(doc), out: &out, err: &errb})
	assert.Equal(t, 0, code, errb.String())
	assert.Empty(t, errb.String())
	golden(t, "userstatechanged.pretty.json.golden", out.Bytes())

	out.Reset()
	code = run([]string{"decode"}, stdio{in: bytes.NewReader(doc), out: &out, err: &errb})
	assert.Equal(t, 0, code)
	assert.Equal(t, `{"offset":0,"id":111,"type":"UserStateChanged","name":"userstatechanged","props":{"newstate":{"value":"7","name":"usWOphone"},"redirect":{"value":"0"}},"state":"usWOphone","state_value":7,"redirect":false}`+"\n", out.String())
}

func TestDecodeMissingFileAndBadFlag(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"decode", filepath.Join("testdata", "no-such-file")}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 1, code)
	assert.Equal(t, "okdash: decode: testdata/no-such-file: no such file\n", errb.String())

	errb.Reset()
	code = run([]string{"decode", "testdata"}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 1, code)
	assert.Equal(t, "okdash: decode: testdata: is a directory, not a file\n", errb.String())

	errb.Reset()
	code = run([]string{"decode", "--bogus"}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 2, code)
	assert.Equal(t, "okdash decode: unknown flag --bogus\nsee \"okdash decode -h\" for the flags\n", errb.String())
}

func TestDecodeQueryDocuments(t *testing.T) {
	in := `<oktellcommapper version="80710"><data name="query" count="1"><property_set name="SetUserState" id="q1"><property_simple key="newstate" value="1" name="usReady" /></property_set></data></oktellcommapper>`
	var out, errb bytes.Buffer
	code := run([]string{"decode"}, stdio{in: strings.NewReader(in), out: &out, err: &errb})
	assert.Equal(t, 0, code)
	assert.Equal(t, `{"offset":0,"root":"oktellcommapper","data":"query","count":"1","sets":[{"name":"SetUserState","id":"q1","props":{"newstate":{"value":"1","name":"usReady"}}}]}`+"\n", out.String())
}

func TestDecodeArgs(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"decode", "-h"}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 0, code)
	assert.Contains(t, out.String(), "Usage: okdash decode")
	assert.Contains(t, out.String(), "--pretty")

	// after "--", a name that looks like a flag is a file
	errb.Reset()
	code = run([]string{"decode", "--", "--pretty"}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 1, code)
	assert.Equal(t, "okdash: decode: --pretty: no such file\n", errb.String())

	// several inputs, each with its own offsets and name
	seed := filepath.Join("testdata", "seed", "113_voicemail.xml")
	out.Reset()
	errb.Reset()
	code = run([]string{"decode", seed, "-", seed}, stdio{in: strings.NewReader("garbage\x00\x01"), out: &out, err: &errb})
	assert.Equal(t, 1, code)
	assert.Equal(t, 2, strings.Count(out.String(), `"offset":0,"id":113`))
	assert.Equal(t, "okdash: decode: stdin:0: 9 bytes between documents are neither text nor a document (the first unreadable byte is at 7)\n", errb.String())
}

// TestDecodeUnknownValues: a state or notification type Oktell does not document keeps
// its number and the name the document gave it.
func TestDecodeUnknownValues(t *testing.T) {
	in := `<oktellcommapper><data><event id="111" name="userstatechanged"><property_simple key="newstate" value="4" name="usStrange" /><property_simple key="redirect" value="1" /></event></data></oktellcommapper>` +
		`<oktellcommapper><data><event id="112" name="notify"><property_simple key="type" value="0x4" name="nltMystery" /><property_simple key="backcolor_argb" value="4294901760" /></event></data></oktellcommapper>`
	var out, errb bytes.Buffer
	code := run([]string{"decode"}, stdio{in: strings.NewReader(in), out: &out, err: &errb})
	assert.Equal(t, 0, code, errb.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"state":"usStrange","state_value":4,"redirect":true`)
	assert.Contains(t, lines[1], `"notify_type":"nltMystery","notify_type_value":4,"backcolor_argb":4294901760`)
}

type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestDecodeOutputGone(t *testing.T) {
	seed := filepath.Join("testdata", "seed", "113_voicemail.xml")
	var errb bytes.Buffer
	code := run([]string{"decode", seed, seed}, stdio{in: strings.NewReader(""), out: brokenPipe{}, err: &errb})
	assert.Equal(t, 1, code)
	assert.Equal(t, "okdash: decode: writing the output: broken pipe\n", errb.String(), "told once, then stop")
}

// TestDecodeUnknownAttrs: attributes the protocol does not know are shown where they
// sat, in document order: "attrs" on the event, a prop, a set, a collection, and
// "root_attrs" / "data_attrs" on every line of the document.
func TestDecodeUnknownAttrs(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"decode", filepath.Join("testdata", "seed", "unknown_attrs.xml")}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 0, code, errb.String())
	assert.Equal(t, `{"offset":0,"id":111,"type":"UserStateChanged","name":"userstatechanged",`+
		`"attrs":{"time":"2026-11-24T09:00:00","node":"a&b"},"root_attrs":{"build":"2.10.1","xmlns:x":"urn:x"},"data_attrs":{"source":"bridge","x:seq":"7"},`+
		`"props":{"newstate":{"value":"7","name":"usWOphone","attrs":{"foo":"bar"}},"note":{"value":"1","name":"x","text":"text","attrs":{"key":"second","name":"y"}}},`+
		`"sets":[{"name":"extra","id":"1","attrs":{"n":"short","at":"here"},"collections":[{"count":"0","attrs":{"count":"1","sort":"asc"},"sets":null}]}],`+
		`"state":"usWOphone","state_value":7,"redirect":false}`+"\n", out.String())

	// a document without events shows them on its one line
	in := `<oktellcommapper version="80710" seq="9"><data name="queryresult" count="1" from="bridge"><property_set name="SetUserState" id="q1" took="3ms"/></data></oktellcommapper>`
	out.Reset()
	code = run([]string{"decode"}, stdio{in: strings.NewReader(in), out: &out, err: &errb})
	assert.Equal(t, 0, code, errb.String())
	assert.Equal(t, `{"offset":0,"root":"oktellcommapper","data":"queryresult","count":"1","root_attrs":{"seq":"9"},"data_attrs":{"from":"bridge"},"sets":[{"name":"SetUserState","id":"q1","attrs":{"took":"3ms"}}]}`+"\n", out.String())
}
