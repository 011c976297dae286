package eventjson

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/okdash/okdash/oktell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reference is what okdash decode wrote before Encoder: each of Lines through
// encoding/json (indented with pretty), terminal controls escaped, field problems in
// order.
func reference(t testing.TB, it oktell.Item, input string, pretty bool) ([]byte, []string) {
	var out []byte
	var problems []string
	for _, l := range Lines(it) {
		l.Input = input
		if l.FieldError != "" {
			problems = append(problems, l.FieldError)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if pretty {
			enc.SetIndent("", "  ")
		}
		require.NoError(t, enc.Encode(l))
		out = append(out, escapeTerminal(buf.Bytes())...)
	}
	return out, problems
}

// encoded is what Encoder writes for it, and the problems it reports.
func encoded(it oktell.Item, input string, pretty bool) ([]byte, []string) {
	e := Encoder{Input: input, Pretty: pretty}
	var problems []string
	out := e.AppendDocument(nil, it, func(dst []byte, err error) []byte {
		problems = append(problems, err.Error())
		return dst
	})
	return out, problems
}

// documents scans b and returns the documents it holds.
func documents(b []byte) []oktell.Item {
	s := oktell.NewScanner(bytes.NewReader(b))
	var out []oktell.Item
	for {
		it, err := s.Next()
		if err != nil {
			return out
		}
		if it.Err == nil {
			it.Raw = nil
			out = append(out, it)
		}
	}
}

// handMade holds what the recorded streams lack: sets and collections at every level,
// unknown attributes, repeated keys, field problems, escapes of every kind.
var handMade = []string{
	`<oktellcommapper version="80710" seq="9"><data name="queryresult" count="1" from="bridge"><property_set name="SetUserState" id="q1" took="3ms"/></data></oktellcommapper>`,
	`<oktellcommapper><data><event id="111" name="userstatechanged" t="1"><property_simple key="newstate" value="4" name="usStrange" a="&lt;&amp;&gt;"/><property_simple key="redirect" value="1"/>` +
		`<property_set n="s" id="" x="y"><prc k="a" v="" n="">text</prc><c n="c" cn="2" z=""><s/><s n="inner"><property_simple key="k"/></s></c></property_set>` +
		`<property_collection name="top"/><property_collection count="0" q="1"/></event></data></oktellcommapper>`,
	`<oktellcommapper><data><event id="112" name="notify"><property_simple key="autohide" value="yes"/><property_simple key="datetime" value="31.02.2026 25:00:00"/><property_simple key="type" value="0x40000" name="nltColor"/><property_simple key="backcolor_argb" value="4294901760"/></event>` +
		`<event id="114" name="usermessage"><property_simple key="datetime" value="bad"/><property_cdata key="text"><![CDATA[line1` + "\r\n\tline2 \"q\" \\ \b\f\x01\x1f\x7f \u0085 \u009b \u202e \u2028 \u2029 \u061c Привет € 😀" + `]]></property_cdata></event>` +
		`<event id="111"><property_simple key="redirect" value="1"/></event>` +
		`<event id="0999" name="">` + `<property_simple key="a"/><property_simple key="a"/><property_simple key="a#2"/><property_simple key="a"/><property_simple key=""/><property_simple key=""/>` + `</event></data></oktellcommapper>`,
	`<oktellxmlmapper><s n="a"><prc k="x"><![CDATA[y]]></prc></s><property_simple key="p" value="1"/><c n="c"><s/></c></oktellxmlmapper>`,
	`<oktellcommapper></oktellcommapper>`,
	`<oktellcommapper><data><event id="113" name="voicemail" /></data><!-- x --></oktellcommapper>`,
}

func corpus(t testing.TB) [][]byte {
	var out [][]byte
	for _, dir := range []string{"../../testdata/seed", "../../testdata/streams", "../../testdata/oktell"} {
		names, err := filepath.Glob(filepath.Join(dir, "*"))
		require.NoError(t, err)
		for _, n := range names {
			if strings.HasSuffix(n, ".golden") {
				continue
			}
			b, err := os.ReadFile(n)
			require.NoError(t, err)
			out = append(out, b)
		}
	}
	for _, s := range handMade {
		out = append(out, []byte(s))
	}
	return out
}

// Encoder writes, byte for byte, what encoding/json writes for Lines, on every recorded
// stream and seed and on documents that use every part of the schema; problems come in
// the same order.
func TestEncoderMatchesEncodingJSON(t *testing.T) {
	n := 0
	for _, b := range corpus(t) {
		for _, it := range documents(b) {
			for _, input := range []string{"", "a.log", "dir/ü \"x\".log"} {
				for _, pretty := range []bool{false, true} {
					want, wantProblems := reference(t, it, input, pretty)
					got, gotProblems := encoded(it, input, pretty)
					require.Equal(t, string(want), string(got), "document at %d", it.Offset)
					require.Equal(t, wantProblems, gotProblems)
					n++
				}
			}
		}
	}
	assert.Greater(t, n, 300)
}

// A line costs no allocation when the slice is reused (issue 14: 4.6 a line before).
func TestEncoderAllocations(t *testing.T) {
	b, err := os.ReadFile("../../testdata/seed/112_notify.xml")
	require.NoError(t, err)
	it := documents(b)[0]
	var e Encoder
	buf := e.AppendDocument(nil, it, nil)
	allocs := testing.AllocsPerRun(100, func() {
		buf = e.AppendDocument(buf[:0], it, nil)
	})
	assert.Equal(t, 0.0, allocs)
}

// The lines parse back, with encoding/json, to what encoding/json's own lines parse back
// to (without the terminal escapes, which change bytes, not values).
func checkParsesBack(t *testing.T, it oktell.Item) {
	got, _ := encoded(it, "in", false)
	lines := bytes.SplitAfter(got, []byte("\n"))
	ref := Lines(it)
	require.Len(t, lines, len(ref)+1) // and an empty tail after the last '\n'
	for i, l := range ref {
		l.Input = "in"
		plain, err := json.Marshal(l)
		require.NoError(t, err)
		var a, b any
		require.NoError(t, json.Unmarshal(lines[i], &a), "%q", lines[i])
		require.NoError(t, json.Unmarshal(plain, &b))
		require.Equal(t, b, a)
		require.False(t, bytes.ContainsFunc(lines[i], func(r rune) bool { return r < 0x20 && r != '\n' || terminalRune(r) || r == '\u2028' || r == '\u2029' }),
			"a raw control in %q", lines[i])
	}
}

// FuzzEncoder: whatever document the scanner finds in the bytes, Encoder writes the
// bytes encoding/json does (terminal escapes aside) and they parse back to the same value.
func FuzzEncoder(f *testing.F) {
	for _, b := range corpus(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, it := range documents(b) {
			want, wantProblems := reference(t, it, "", false)
			got, gotProblems := encoded(it, "", false)
			require.Equal(t, string(want), string(got))
			require.Equal(t, wantProblems, gotProblems)
			checkParsesBack(t, it)
		}
	})
}

// FuzzAppendString: any string, valid UTF-8 or not, becomes a JSON string that parses
// back to what encoding/json's does, with no raw control, C1, bidi or line separator.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\/\b\f\n\r\t\x00\x01\x1f\x7f", "\xff\xfe\xc3", "\u0085\u009b\u009f\u00a0\u00c0",
		"\u061b\u061c\u061d\u200d\u200e\u200f\u2028\u2029\u202a\u202e\u202f\u2066\u2069\u206a", "Привет, мир 😀 \xed\xa0\x80", "ab\xe2\x80", "é\xd8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendString(nil, s)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(s))
		std := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		assert.Equal(t, string(escapeTerminal(std)), string(got))
		var a, b string
		require.NoError(t, json.Unmarshal(got, &a), "%q", got)
		require.NoError(t, json.Unmarshal(std, &b))
		assert.Equal(t, b, a)
		assert.True(t, utf8.Valid(got))
		assert.False(t, bytes.ContainsFunc(got, func(r rune) bool { return r < 0x20 || terminalRune(r) || r == '\u2028' || r == '\u2029' }), "%q", got)
	})
}

// The names of repeated keys ("key#2", "key#3", the next free number when a real key
// took one) are what they always were, and cost work linear in the keys, whatever they
// are (issue 10 item 8: "a#2" … "a#34001", then 34,000 "a", took 130 s).
func TestRepeatedKeyNames(t *testing.T) {
	// the names as okdash always gave them, one search from the count up per key
	reference := func(keys []string) []string {
		seen := map[string]int{}
		var out []string
		for _, key := range keys {
			k := key
			seen[k]++
			if n := seen[k]; n > 1 {
				k += "#" + strconv.Itoa(n)
				for seen[k] > 0 {
					n++
					k = key + "#" + strconv.Itoa(n)
				}
				seen[k]++
			}
			out = append(out, k)
		}
		return out
	}
	rng := rand.New(rand.NewSource(3))
	alphabet := []string{"a", "a#2", "a#3", "a#2#2", "b", "a#4", "b#2", "a#10", "a#1"}
	for range 2000 {
		keys := make([]string, rng.Intn(30))
		for i := range keys {
			keys[i] = alphabet[rng.Intn(len(alphabet))]
		}
		names := newKeyNamer()
		var got []string
		for _, k := range keys {
			got = append(got, names.name(k))
		}
		require.Equal(t, reference(keys), got, "keys %q", keys)
		// without a repeat, every key is its own name and no namer is needed
		ps := make([]oktell.Property, len(keys))
		for i, k := range keys {
			ps[i].Key = k
		}
		if !keysRepeat(ps) && len(keys) > 0 {
			require.Equal(t, keys, got)
		}
		require.Equal(t, len(keys) > 0 && len(keys) != len(unique(keys)), keysRepeat(ps), "keys %q", keys)
	}

	for _, n := range []int{1000, 10000} {
		names := newKeyNamer()
		for i := 2; i <= n+1; i++ {
			names.name("a#" + strconv.Itoa(i))
		}
		for range n {
			names.name("a")
		}
		assert.LessOrEqual(t, names.probes, 2*n+1, "%d keys a#N, then %d keys a", n, n)
	}
}

func unique(keys []string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// AppendDocument hands each field problem over with the lines before it, and appends
// the problem's own line after what report returned.
func TestEncoderReportsBeforeTheLine(t *testing.T) {
	it := documents([]byte(handMade[2]))[0]
	var e Encoder
	var flushed []string
	out := e.AppendDocument([]byte("earlier\n"), it, func(dst []byte, err error) []byte {
		flushed = append(flushed, string(dst), err.Error())
		return dst[:0]
	})
	require.Len(t, flushed, 6)
	assert.Equal(t, "earlier\n", flushed[0])
	assert.Contains(t, flushed[1], `field "autohide"`)
	assert.True(t, strings.HasPrefix(flushed[2], `{"offset":0,"id":112,`), flushed[2])
	assert.Contains(t, flushed[3], `field "datetime"`)
	assert.Contains(t, flushed[5], `field "newstate"`)
	assert.True(t, strings.HasPrefix(string(out), `{"offset":0,"id":111,`), string(out))
	assert.Equal(t, 2, bytes.Count(out, []byte("\n")))
}
