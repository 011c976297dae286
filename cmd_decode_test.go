package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"

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

// testdataLog is the path of testdata/oktell/name, a log the test builds: written with
// -update, and checked to be what the test builds, so that it is never stale.
func testdataLog(t *testing.T, name string, log []byte) string {
	t.Helper()
	path := filepath.Join("testdata", "oktell", name)
	if updating() {
		require.NoError(t, os.WriteFile(path, log, 0o644))
	}
	require.Equal(t, log, readFile(t, path), "testdata/oktell/%s is stale: run go test -run Decode -update", name)
	return path
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
	path := testdataLog(t, "mixed.log", log)

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

// decodeString runs okdash decode on in and returns the exit status, the output and the
// problems.
func decodeString(t *testing.T, in []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"decode"}, args...), stdio{in: bytes.NewReader(in), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

// A control character in CDATA or in an attribute (a vertical tab pasted from Word, BEL,
// ESC) keeps the document (issue 10 item 9); JSON carries it escaped.
func TestDecodeKeepsControlCharacters(t *testing.T) {
	in := "<oktellcommapper><data><event id=\"114\" name=\"usermessage\"><property_simple key=\"guid\" value=\"g\x07\" />" +
		"<property_cdata key=\"text\"><![CDATA[Word\vpaste \x1b[2Jgone]]></property_cdata></event></data></oktellcommapper>"
	code, out, problems := decodeString(t, []byte(in))
	assert.Equal(t, 0, code, problems)
	assert.Empty(t, problems)
	assert.Equal(t, `{"offset":0,"id":114,"type":"UserMessage","name":"usermessage","props":{"guid":{"value":"g\u0007"},"text":{"text":"Word\u000bpaste \u001b[2Jgone"}},"guid":"g\u0007","sender_id":"","sender_name":"","text":"Word\u000bpaste \u001b[2Jgone"}`+"\n", out)
	var l struct{ Text string }
	require.NoError(t, json.Unmarshal([]byte(out), &l))
	assert.Equal(t, "Word\vpaste \x1b[2Jgone", l.Text)
}

// DEL, C1 controls (U+009B is CSI) and bidirectional controls are escaped in the JSON
// (issue 10 item 10): a terminal that shows the output acts on none of them, and the
// text parses back unchanged.
func TestDecodeEscapesTerminalControls(t *testing.T) {
	text := "csi\u009b[31m del\x7f nel\u0085 rlo\u202eevil\u202c lri\u2066x\u2069 alm\u061c lrm\u200e ls\u2028 ok: Привет €"
	in := `<oktellcommapper><data><event id="114" name="usermessage" note="` + "\u202e" + `"><property_cdata key="text"><![CDATA[` + text + `]]></property_cdata></event></data></oktellcommapper>`
	for _, args := range [][]string{nil, {"--pretty"}} {
		code, out, problems := decodeString(t, []byte(in), args...)
		assert.Equal(t, 0, code, problems)
		var raw []string
		for _, r := range out {
			if r == 0x7F || (r >= 0x80 && r <= 0x9F) || unicode.Is(unicode.Bidi_Control, r) || r == 0x2028 {
				raw = append(raw, fmt.Sprintf("%U", r))
			}
		}
		assert.Empty(t, raw, "raw in the output %q", out)
		assert.Contains(t, out, `csi\u009b[31m del\u007f nel\u0085 rlo\u202eevil\u202c lri\u2066x\u2069 alm\u061c lrm\u200e ls\u2028 ok: Привет €`)
		assert.Regexp(t, `"note": ?"\\u202e"`, out)
		var l struct{ Text string }
		require.NoError(t, json.Unmarshal([]byte(out), &l))
		assert.Equal(t, text, l.Text)
	}
}

// A message quoting a whole document, and a CDATA holding "<?xml …?>" and a root close
// tag, are read whole (issue 10 item 9), in a log beside other documents.
func TestDecodeMessageQuotingADocument(t *testing.T) {
	quoted := `<?xml version="1.0" encoding="utf-16"?><oktellcommapper version="80710"><data><event id="113" name="voicemail" /></data></oktellcommapper>`
	msg := `<oktellcommapper version="80710"><data><event id="114" name="usermessage"><property_cdata key="text"><![CDATA[` +
		`see: ` + quoted + `]]></property_cdata></event></data></oktellcommapper>`
	lone := `<oktellcommapper version="80710"><data><event id="114" name="usermessage"><!-- </oktellcommapper> --><property_cdata key="text"><![CDATA[` +
		`<?xml version="1.0"?> and </oktellcommapper>]]></property_cdata></event></data></oktellcommapper>`
	in := "09:00 xmlevent\r\n" + msg + "\r\n09:01 xmlevent\r\n" + lone + "\r\n"
	for name, b := range map[string][]byte{"utf-8": []byte(in), "utf-16le": append([]byte{0xFF, 0xFE}, utf16le(in)...)} {
		code, out, problems := decodeString(t, b)
		assert.Equal(t, 0, code, "%s: %s", name, problems)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 2, name)
		var l struct{ Lead, Text string }
		require.NoError(t, json.Unmarshal([]byte(lines[0]), &l))
		assert.Equal(t, "see: "+quoted, l.Text, name)
		assert.Equal(t, "09:00 xmlevent", l.Lead, name)
		require.NoError(t, json.Unmarshal([]byte(lines[1]), &l))
		assert.Equal(t, `<?xml version="1.0"?> and </oktellcommapper>`, l.Text, name)
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// TestDecodeUnicodeLog: the CommonLog as Windows writes a "Unicode" text file, a BOM and
// then headings and documents in UTF-16LE (testdata/oktell/unicode-log.txt; BE the
// same), reads with no problem, and its first heading is the first event's lead (issue
// 10 item 9).
func TestDecodeUnicodeLog(t *testing.T) {
	seed := func(n string) string {
		b := readFile(t, filepath.Join("testdata", "seed", n))
		var u []uint16
		for i := 2; i+1 < len(b); i += 2 { // the seed files are UTF-16LE with a BOM
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		}
		return string(utf16.Decode(u))
	}
	text := "01.12.2026 09:00:00.123 [INFO] xmlevent\r\n" + seed("111_userstatechanged.xml") +
		"\r\n01.12.2026 09:00:05.120 [INFO] xmlevent\r\n" + seed("112_notify.xml") +
		"\r\n01.12.2026 09:01:00.000 [INFO] xmlevent\r\n" + seed("114_usermessage.xml") + "\r\n"
	log := append([]byte{0xFF, 0xFE}, utf16le(text)...)
	path := testdataLog(t, "unicode-log.txt", log)
	var out, errb bytes.Buffer
	code := run([]string{"decode", path}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	assert.Equal(t, 0, code, errb.String())
	assert.Empty(t, errb.String())
	golden(t, "unicode-log.jsonl.golden", out.Bytes())
	assert.True(t, strings.HasPrefix(out.String(), `{"offset":84,"lead":"01.12.2026 09:00:00.123 [INFO] xmlevent","id":111,`), out.String())

	// big-endian, as a "Unicode big endian" file
	be := []byte{0xFE, 0xFF}
	for i := 2; i+1 < len(log); i += 2 {
		be = append(be, log[i+1], log[i])
	}
	code, beOut, problems := decodeString(t, be)
	assert.Equal(t, 0, code, problems)
	assert.Equal(t, out.String(), beOut)
}

// TestDecodeNoDocuments: an input with text but no document is a problem (status 1),
// never an empty success; a WebSocket capture says how to replay it; blanks alone are
// nothing to report.
func TestDecodeNoDocuments(t *testing.T) {
	dir := t.TempDir()
	capture := filepath.Join(dir, "cap.jsonl")
	require.NoError(t, os.WriteFile(capture, []byte(`{"okdash":"ws-capture","version":1,"t":"2026-11-24T09:00:00.000Z","url":"ws://oktell:4066","login":"ivanova"}`+"\n"+
		`{"t":"2026-11-24T09:00:00.010Z","dir":"link","open":"ws://oktell:4066"}`+"\n"), 0o600))
	notes := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notes, []byte("shift notes\nnothing here\n"), 0o600))
	blanks := filepath.Join(dir, "blanks.txt")
	require.NoError(t, os.WriteFile(blanks, append([]byte("\xff\xfe"), utf16Bytes(" \r\n\t\n")...), 0o600))
	doc := filepath.Join("testdata", "seed", "111_userstatechanged.xml")

	for _, c := range []struct {
		args []string
		in   string
		code int
		err  string
	}{
		{[]string{capture}, "", 1, "okdash: decode: " + capture + ": a WebSocket capture (JSON lines from --record of a ws:// source), not Oktell XML documents; replay it with --source file:" + capture + "\n"},
		{nil, readString(t, capture), 1, "okdash: decode: stdin: a WebSocket capture (JSON lines from --record of a ws:// source), not Oktell XML documents; replay it from a file, with --source file:FILE\n"},
		{[]string{notes}, "", 1, "okdash: decode: " + notes + ": no Oktell documents in its 25 bytes (a document starts with <?xml, <oktellcommapper or <oktellxmlmapper)\n"},
		{[]string{"-"}, "not xml", 1, "okdash: decode: stdin: no Oktell documents in its 7 bytes (a document starts with <?xml, <oktellcommapper or <oktellxmlmapper)\n"},
		{[]string{blanks}, "", 0, ""},
		{nil, "", 0, ""},
		{[]string{capture, doc}, "", 1, "okdash: decode: " + capture + ": a WebSocket capture (JSON lines from --record of a ws:// source), not Oktell XML documents; replay it with --source file:" + capture + "\n"},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"decode"}, c.args...), stdio{in: strings.NewReader(c.in), out: &out, err: &errb})
		assert.Equal(t, c.code, code, "%v", c.args)
		assert.Equal(t, c.err, errb.String(), "%v", c.args)
		if len(c.args) == 2 {
			assert.Contains(t, out.String(), `"input":"`+doc+`"`, "the next input is decoded")
		}
	}
}

func utf16Bytes(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}
