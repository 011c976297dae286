package oktell

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

func sp(key, value, name string) Property { return SimpleProp(key, value, name) }
func spNoName(key, value string) Property {
	return Property{Kind: Simple, Key: key, Value: value, HasValue: true}
}

func seedDoc(ev Event) *Document {
	return &Document{Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true, Events: []Event{ev}}
}

var notifyEvent = Event{Type: Notify, ID: 112, RawID: "112", Name: "notify", Props: []Property{
	spNoName("guid", "00000000-0000-0000-0000-000000000000"),
	spNoName("autohide", "1"),
	spNoName("backcolor_argb", "0"),
	sp("type", "8", "nltPBXinfo"),
	spNoName("datetime", "12.07.2008 18:35:06"),
	spNoName("dbsaved", "1"),
	CDataProp("sender", "Системная АТС"),
	CDataProp("text", "Зарегистрирована линия 16016"),
}}

var userMessageEvent = Event{Type: UserMessage, ID: 112, RawID: "112", Name: "usermessage", Props: []Property{
	spNoName("guid", "37ccb224-ff71-3836-c410-a73782ef8d19"),
	spNoName("datetime", "12.07.2008 20:29:11"),
	spNoName("senderid", "d03a522f-b399-aa37-cb2a-943cf24d113e"),
	CDataProp("sendername", "Бочкарев Евгений"),
	CDataProp("text", "Зайди плиз как освободишься.."),
}}

// seedWant is every field of every document in testdata/seed.
var seedWant = map[string]*Document{
	"101_shutdownrequested.xml": seedDoc(Event{Type: ShutdownRequested, ID: 101, RawID: "101", Name: "shutdownrequested"}),
	"102_restartrequested.xml":  seedDoc(Event{Type: RestartRequested, ID: 102, RawID: "102", Name: "restartrequested"}),
	"103_connectionlost.xml":    seedDoc(Event{Type: ConnectionLost, ID: 103, RawID: "103", Name: "connectionlost"}),
	"111_userstatechanged.xml": seedDoc(Event{Type: UserStateChanged, ID: 111, RawID: "111", Name: "userstatechanged",
		Props: []Property{sp("newstate", "7", "usWOphone"), spNoName("redirect", "0")}}),
	"112_notify.xml":               seedDoc(notifyEvent),
	"112_notify.utf16be.xml":       seedDoc(notifyEvent),
	"112_notify.utf16le-nobom.xml": seedDoc(notifyEvent),
	"112_notify.utf16be-nobom.xml": seedDoc(notifyEvent),
	"112_notify.utf8.xml":          seedDoc(notifyEvent),
	"112_notify.utf8-bom.xml":      seedDoc(notifyEvent),
	"112_notify.nodecl.xml":        seedDoc(notifyEvent),
	"112_notify.cp1251.xml":        seedDoc(notifyEvent),
	"113_voicemail.xml":            seedDoc(Event{Type: VoiceMail, ID: 113, RawID: "113", Name: "voicemail"}),
	"114_usermessage.xml":          seedDoc(userMessageEvent),
	"114_usermessage.utf8.xml":     seedDoc(userMessageEvent),
	"no_declaration.xml":           seedDoc(Event{Type: VoiceMail, ID: 113, RawID: "113", Name: "voicemail"}),
	"xmlmapper_userstate.xml": {Root: "oktellxmlmapper", Version: "80710", HasVersion: true, HasData: true,
		Events: []Event{{Type: UserStateChanged, ID: 111, RawID: "111", Name: "userstatechanged",
			Props: []Property{sp("newstate", "1", "usReady"), spNoName("redirect", "1")}}}},
	"unknown_event.xml": seedDoc(Event{Type: EventType(999), ID: 999, RawID: "999", Name: "mysteryevent",
		Props: []Property{spNoName("a", "1"), sp("a", "2", "second")}}),
	"data_name_count.xml": {Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true,
		DataName: "personal", HasDataName: true, DataCount: "2", HasDataCount: true,
		Sets: []PropertySet{
			{Name: "number", HasName: true, ID: "1", HasID: true, Props: []Property{spNoName("number", "16016"), sp("state", "1", "usReady")}},
			{Name: "number", HasName: true, ID: "2", HasID: true, Props: []Property{spNoName("number", "16017"), CDataProp("caption", "Мобильный")}},
		}},
	"sets_under_root.xml": {Root: "oktellcommapper", Version: "80710", HasVersion: true,
		Sets: []PropertySet{{Name: "userinfo", HasName: true, ID: "d03a522f-b399-aa37-cb2a-943cf24d113e", HasID: true,
			Props: []Property{spNoName("login", "operator1"), CDataProp("name", "Оператор Один")}}}},
	"short_forms.xml": {Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true,
		DataName: "voicemail", HasDataName: true, DataCount: "1", HasDataCount: true,
		Sets: []PropertySet{{Name: "messages", HasName: true, ID: "q1", HasID: true,
			Props: []Property{{Kind: CData, Key: "comment", Value: "x", HasValue: true, Text: "Перезвоните & ответьте", HasText: true}},
			Collections: []Collection{{Name: "items", HasName: true, Count: "2", HasCount: true, Sets: []PropertySet{
				{Name: "item", HasName: true, ID: "1", HasID: true, Props: []Property{spNoName("onlynew", "1")}},
				{Name: "item", HasName: true, ID: "2", HasID: true, Props: []Property{CDataProp("from", "16016")}},
			}}}}}},
	"unknown_attrs.xml": {Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true,
		Attrs:     NewAttrs(Attr{"build", "2.10.1"}, Attr{"xmlns:x", "urn:x"}),
		DataAttrs: NewAttrs(Attr{"source", "bridge"}, Attr{"x:seq", "7"}),
		Events: []Event{{Type: UserStateChanged, ID: 111, RawID: "111", Name: "userstatechanged",
			Attrs: NewAttrs(Attr{"time", "2026-11-24T09:00:00"}, Attr{"node", "a&b"}),
			Props: []Property{
				{Kind: Simple, Key: "newstate", Value: "7", HasValue: true, Name: "usWOphone", HasName: true, Attrs: NewAttrs(Attr{"foo", "bar"})},
				{Kind: CData, Key: "note", Value: "1", HasValue: true, Name: "x", HasName: true, Text: "text", HasText: true,
					Attrs: NewAttrs(Attr{"key", "second"}, Attr{"name", "y"})},
			},
			Sets: []PropertySet{{Name: "extra", HasName: true, ID: "1", HasID: true, Attrs: NewAttrs(Attr{"n", "short"}, Attr{"at", "here"}),
				Collections: []Collection{{Count: "0", HasCount: true, Attrs: NewAttrs(Attr{"count", "1"}, Attr{"sort", "asc"})}}}},
		}}},
	"nested_collections.xml": {Root: "oktellcommapper", Version: "80710", HasVersion: true, HasData: true,
		DataName: "tree", HasDataName: true, DataCount: "1", HasDataCount: true,
		Sets: []PropertySet{{Name: "root", HasName: true, ID: "0", HasID: true, Collections: []Collection{
			{Name: "level1", HasName: true, Count: "1", HasCount: true, Sets: []PropertySet{{Name: "a", HasName: true, ID: "1", HasID: true, Collections: []Collection{
				{Name: "level2", HasName: true, Count: "1", HasCount: true, Sets: []PropertySet{{Name: "b", HasName: true, ID: "2", HasID: true, Collections: []Collection{
					{Name: "level3", HasName: true, Count: "1", HasCount: true, Sets: []PropertySet{{Name: "c", HasName: true, ID: "3", HasID: true,
						Props: []Property{spNoName("deep", "yes")}}}},
				}}}},
			}}}},
		}}}},
}

func TestDecodeSeeds(t *testing.T) {
	for name := range seedFiles() {
		want, ok := seedWant[name]
		require.True(t, ok, "no expectation for seed file %s", name)
		t.Run(name, func(t *testing.T) {
			got, err := Decode(readSeed(t, name))
			require.NoError(t, err)
			assert.Equal(t, want, got)
			// and back: every encoding re-reads to the same document
			for _, enc := range []Encoding{UTF16LE, UTF16BE, UTF8} {
				b, err := Encode(got, enc)
				require.NoError(t, err)
				again, err := Decode(b)
				require.NoError(t, err, "%s:\n%s", enc, b)
				assert.Equal(t, got, again, "round trip through %s", enc)
			}
		})
	}
}

func TestSeedViews(t *testing.T) {
	d, err := Decode(readSeed(t, "111_userstatechanged.xml"))
	require.NoError(t, err)
	sc, err := d.Events[0].StateChange()
	require.NoError(t, err)
	assert.Equal(t, StateChange{State: UserWOphone, StateName: "usWOphone", Redirect: false}, sc)

	d, err = Decode(readSeed(t, "112_notify.xml"))
	require.NoError(t, err)
	n, err := d.Events[0].Notification()
	require.NoError(t, err)
	assert.Equal(t, Notification{
		GUID: "00000000-0000-0000-0000-000000000000", AutoHide: true, BackColorARGB: 0,
		Type: NltPBXinfo, TypeName: "nltPBXinfo", Time: time.Date(2008, 7, 12, 18, 35, 6, 0, time.UTC),
		RawTime: "12.07.2008 18:35:06", DBSaved: true, Sender: "Системная АТС", Text: "Зарегистрирована линия 16016",
	}, n)

	d, err = Decode(readSeed(t, "114_usermessage.xml"))
	require.NoError(t, err)
	ev := d.Events[0]
	assert.Equal(t, UserMessage, ev.Type, "a known name wins over the id")
	assert.Equal(t, 112, ev.ID, "the id as written is kept")
	m, err := ev.Message()
	require.NoError(t, err)
	assert.Equal(t, Message{
		GUID: "37ccb224-ff71-3836-c410-a73782ef8d19", Time: time.Date(2008, 7, 12, 20, 29, 11, 0, time.UTC),
		RawTime: "12.07.2008 20:29:11", SenderID: "d03a522f-b399-aa37-cb2a-943cf24d113e",
		SenderName: "Бочкарев Евгений", Text: "Зайди плиз как освободишься..",
	}, m)
}

func TestEventResolution(t *testing.T) {
	cases := []struct {
		attrs string
		typ   EventType
		id    int
	}{
		{`id="111" name="userstatechanged"`, UserStateChanged, 111},
		{`id="112" name="usermessage"`, UserMessage, 112},
		{`id="112" name="UserMessage"`, UserMessage, 112},
		{`id="113"`, VoiceMail, 113},
		{`name="notify"`, Notify, 0},
		{`id="999" name="whatever"`, EventType(999), 999},
		{`id="231" name="unknownname"`, CommutationStarted, 231},
		{`id="x" name="y"`, EventType(0), 0},
	}
	for _, c := range cases {
		d, err := Decode([]byte(`<oktellcommapper><data><event ` + c.attrs + ` /></data></oktellcommapper>`))
		require.NoError(t, err, c.attrs)
		assert.Equal(t, c.typ, d.Events[0].Type, c.attrs)
		assert.Equal(t, c.id, d.Events[0].ID, c.attrs)
	}
}

func TestDecodeDetails(t *testing.T) {
	d, err := Decode([]byte(`<?xml version='1.0'?><!-- c --><oktellcommapper version='1'><data>` +
		`<event id="114" name="usermessage"><!-- note --><?pi x?>` +
		`<property_cdata key="text">a &amp; b &lt;c&gt; &#1071;&#x42f;</property_cdata>` +
		`<property_cdata key="e"></property_cdata>` +
		`<property_cdata key="f" />` +
		`<property_cdata key="g">` + "\r\n  " + `<![CDATA[x]]]]><![CDATA[>y]]>` + "\r\n" + `</property_cdata>` +
		`<property_simple key="a" value="q&quot;&apos;" name=""></property_simple>` +
		`</event></data></oktellcommapper>` + "\r\n<!-- trailing -->\r\n"))
	require.NoError(t, err)
	ps := d.Events[0].Props
	assert.Equal(t, Property{Kind: CData, Key: "text", Text: "a & b <c> ЯЯ", HasText: true}, ps[0])
	assert.Equal(t, Property{Kind: CData, Key: "e"}, ps[1])
	assert.Equal(t, Property{Kind: CData, Key: "f"}, ps[2])
	assert.Equal(t, Property{Kind: CData, Key: "g", Text: "x]]>y", HasText: true}, ps[3])
	assert.Equal(t, Property{Kind: Simple, Key: "a", Value: `q"'`, HasValue: true, HasName: true}, ps[4])
	assert.Equal(t, "1", d.Version)
}

func TestDecodeErrors(t *testing.T) {
	deep := strings.Repeat(`<property_set><property_collection>`, 40)
	cases := []struct {
		name, doc string
		at        int64
		msg       string
	}{
		{"empty", ``, 0, "no root element"},
		{"wrong root", `<foo/>`, 0, "root element <foo>"},
		{"unknown element", `<oktellcommapper><data><evnt/></data></oktellcommapper>`, 23, "unknown element <evnt> in <data>"},
		{"unclosed", `<oktellcommapper><data>`, 23, "document ends before </data>"},
		{"mismatch", `<oktellcommapper><data></oktellcommapper>`, 23, "</oktellcommapper> closes <data>"},
		{"bad entity", `<oktellcommapper version="&nbsp;"/>`, 26, "unknown entity &nbsp;"},
		{"bare amp", `<oktellcommapper version="a & b"/>`, 28, "\"&\" that starts no entity"},
		{"bad charref", `<oktellcommapper version="&#0;"/>`, 26, "not a text character"},
		{"surrogate charref", `<oktellcommapper version="&#xD800;"/>`, 26, "not a text character"},
		{"dup attr", `<oktellcommapper version="1" version="2"/>`, 29, "attribute version repeated"},
		{"unquoted", `<oktellcommapper version=1/>`, 25, "want a quoted value"},
		{"text in data", `<oktellcommapper><data>hello</data></oktellcommapper>`, 23, "text \"hello\" where <data> holds only elements"},
		{"text in simple", `<oktellcommapper><data><property_simple key="a">x</property_simple></data></oktellcommapper>`, 23, "only property_cdata may"},
		{"child in property", `<oktellcommapper><data><prc k="a"><s/></prc></data></oktellcommapper>`, 34, "a property holds no elements"},
		{"doctype", `<!DOCTYPE x><oktellcommapper/>`, 0, "DOCTYPE"},
		{"after root", `<oktellcommapper/><x/>`, 18, "content after </oktellcommapper>"},
		{"second data", `<oktellcommapper><data/><data/></oktellcommapper>`, 24, "a second <data>"},
		{"NUL", "<oktellcommapper version=\"\x00\"/>", 26, "not a text character (NUL"},
		{"control char in markup", "<oktellcommapper\x0bversion=\"1\"/>", 16, "want a space"},
		{"control char as text in data", "<oktellcommapper><data>\x07</data></oktellcommapper>", 23, "where <data> holds only elements"},
		{"bad utf8", "<oktellcommapper version=\"\xff\"/>", 26, "invalid UTF-8"},
		{"too deep", `<oktellcommapper><data>` + deep, 0, "deeper than 64 levels"},
		{"unknown charset", `<?xml version="1.0" encoding="x-klingon"?><oktellcommapper/>`, 0, `declared encoding "x-klingon"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode([]byte(c.doc))
			var e *Error
			require.True(t, errors.As(err, &e), "want *Error, got %v", err)
			assert.Contains(t, e.Msg, c.msg)
			if c.name != "too deep" {
				assert.Equal(t, c.at, e.Offset, e.Error())
			}
		})
	}
}

func TestDecodeErrorOffsetsUTF16(t *testing.T) {
	doc := "<oktellcommapper><data>Я<evnt/></data></oktellcommapper>"
	for _, enc := range []Encoding{UTF16LE, UTF16BE} {
		b := utf8ToUTF16([]byte{0xFF, 0xFE}, []byte(doc), enc == UTF16LE)
		if enc == UTF16BE {
			b[0], b[1] = 0xFE, 0xFF
		}
		_, err := Decode(b)
		var e *Error
		require.True(t, errors.As(err, &e))
		// "Я" at code unit 23: BOM + 2 bytes per unit
		assert.Equal(t, int64(2+2*23), e.Offset, e.Error())
	}
	// a lone surrogate
	b := utf8ToUTF16([]byte{0xFF, 0xFE}, []byte("<oktellcommapper version=\"x\"/>"), true)
	b[2+2*26], b[2+2*26+1] = 0x00, 0xD8
	_, err := Decode(b)
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, int64(2+2*26), e.Offset)
	// odd length
	b = utf8ToUTF16([]byte{0xFF, 0xFE}, []byte("<oktellcommapper version=\"x\"/>"), true)
	_, err = Decode(b[:len(b)-1])
	require.True(t, errors.As(err, &e))
	assert.Equal(t, Truncated, e.Kind)
}

func TestEncodeRejects(t *testing.T) {
	_, err := Encode(EventDocument(Event{Type: Notify, Props: []Property{CDataProp("text", "a\x00b")}}), UTF8)
	assert.ErrorContains(t, err, "U+0000")
	_, err = Encode(EventDocument(Event{Type: Notify, Props: []Property{SimpleProp("text", "\xff", "")}}), UTF8)
	assert.ErrorContains(t, err, "invalid UTF-8")
	_, err = Encode(&Document{Root: "html"}, UTF8)
	assert.Error(t, err)
}

func TestEncodeHandBuilt(t *testing.T) {
	d := EventDocument(Event{Type: UserStateChanged, Props: []Property{SimpleProp("newstate", "1", "usReady"), SimpleProp("redirect", "0", "")}})
	b, err := Encode(d, UTF8)
	require.NoError(t, err)
	assert.Contains(t, string(b), `<event id="111" name="userstatechanged">`)
	got, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, UserStateChanged, got.Events[0].Type)
	assert.Equal(t, "111", got.Events[0].RawID)
	le, err := Encode(d, UTF16LE)
	require.NoError(t, err)
	assert.Equal(t, []byte{0xFF, 0xFE, '<', 0}, le[:4])
	be, err := Encode(d, UTF16BE)
	require.NoError(t, err)
	assert.Equal(t, []byte{0xFE, 0xFF, 0, '<'}, be[:4])
}

func TestDecodeErrorOffsetCharset(t *testing.T) {
	doc := `<?xml version="1.0" encoding="windows-1251"?><oktellcommapper><data><event id="114"><prc k="text"><![CDATA[Привет]]></prc><bogus/></event></data></oktellcommapper>`
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(doc))
	require.NoError(t, err)
	_, err = Decode(b)
	var e *Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, int64(bytes.Index(b, []byte("<bogus/>"))), e.Offset, e.Error())
	assert.Contains(t, e.Msg, "unknown element <bogus> in <event>")
}

// TestEncodeUnknownAttrs: unknown attributes are written back in order, after the known
// ones, and what no reader could take back is an error naming the attribute.
func TestEncodeUnknownAttrs(t *testing.T) {
	ev := Event{Type: Notify, Attrs: NewAttrs(Attr{"time", "09:00"}, Attr{"b", `<"&>`}),
		Props: []Property{{Kind: Simple, Key: "k1", Attrs: NewAttrs(Attr{"key", "second"})}}}
	b, err := Encode(EventDocument(ev), UTF8)
	require.NoError(t, err)
	assert.Contains(t, string(b), `<event id="112" name="notify" time="09:00" b="&lt;&quot;&amp;&gt;">`)
	assert.Contains(t, string(b), `<property_simple k="k1" key="second" />`, "the field takes the spelling the unknown attribute leaves free")
	d, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, ev.Attrs, d.Events[0].Attrs)
	assert.Equal(t, "k1", d.Events[0].Props[0].Key)
	assert.Equal(t, NewAttrs(Attr{"key", "second"}), d.Events[0].Props[0].Attrs)

	for name, tc := range map[string]struct {
		d    *Document
		want string
	}{
		"repeats a known one": {EventDocument(Event{Type: Notify, Attrs: NewAttrs(Attr{"id", "5"})}), "<event>: attribute id written twice"},
		"repeats itself":      {&Document{Attrs: NewAttrs(Attr{"a", "1"}, Attr{"a", "2"})}, "<oktellcommapper>: attribute a written twice"},
		"every spelling taken": {EventDocument(Event{Type: Notify, Props: []Property{{Key: "x", Attrs: NewAttrs(Attr{"key", "1"}, Attr{"k", "2"})}}}),
			"<property_simple>: attribute key written twice"},
		"empty name":              {&Document{HasData: true, DataAttrs: NewAttrs(Attr{"", "1"})}, `<data>: attribute name "" is not an ASCII XML name`},
		"not a name":              {&Document{Attrs: NewAttrs(Attr{"1st", "1"})}, `attribute name "1st" is not an ASCII XML name`},
		"non-ASCII name":          {&Document{Attrs: NewAttrs(Attr{"имя", "1"})}, `attribute name "имя" is not an ASCII XML name`},
		"NUL in value":            {&Document{Attrs: NewAttrs(Attr{"a", "x\x00"})}, "attribute a: character U+0000"},
		"data attrs without data": {&Document{DataAttrs: NewAttrs(Attr{"a", "1"})}, "data attributes without a data element"},
	} {
		_, err := Encode(tc.d, UTF16LE)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
	}
}

// TestAttrValueScan: the value scan that steps eight bytes at a time finds the quote, an
// entity and a stray '<' wherever they sit, near the eight-byte steps' edges included.
func TestAttrValueScan(t *testing.T) {
	doc := func(q, v string) []byte {
		return []byte(`<oktellcommapper><data><event id="1"><property_simple key="k" value=` + q + v + q + ` /></event></data></oktellcommapper>`)
	}
	for n := 0; n <= 20; n++ {
		for k := 0; k <= n; k++ {
			pre, post := strings.Repeat("a", k), strings.Repeat("я", n-k) // Cyrillic: bytes >= 0x80
			d, err := Decode(doc(`"`, pre+"&amp;"+post))
			require.NoError(t, err, "n=%d k=%d", n, k)
			assert.Equal(t, pre+"&"+post, d.Events[0].Props[0].Value)

			d, err = Decode(doc(`'`, pre+`"`+post))
			require.NoError(t, err, "n=%d k=%d", n, k)
			assert.Equal(t, pre+`"`+post, d.Events[0].Props[0].Value, "the other quote is text")

			d, err = Decode(doc(`"`, pre+post))
			require.NoError(t, err, "n=%d k=%d", n, k)
			assert.Equal(t, pre+post, d.Events[0].Props[0].Value)

			_, err = Decode(doc(`"`, pre+"<"+post))
			require.Error(t, err)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Contains(t, e.Msg, `"<" inside the value of attribute value`)
			assert.Equal(t, int64(len(`<oktellcommapper><data><event id="1"><property_simple key="k" value="`)+k), e.Offset)
		}
	}
}
