package oktell

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// A request kept in a recording reads back as it was, and holds no event: a reader that
// knows nothing of SentAttr delivers nothing for it.
func TestSentDocumentRoundTrip(t *testing.T) {
	for _, s := range []Sent{
		{Kind: SentState, ID: "r1", State: UserLunch, Redirect: true, BreakReason: "5b7c"},
		{Kind: SentState, ID: "r2", State: UserReady},
		{Kind: SentMessage, ID: "m1", To: "{user-guid}", Text: "Перезвоню через 5 минут <b>&amp;</b>\nспасибо"},
		{Kind: SentState, ID: "r1", Answered: true},
		{Kind: SentMessage, ID: "m1", Answered: true, Why: Because(ReasonRefusedByServer, Because(ReasonNoSuchUser, `"u-x"`))},
		{Kind: SentState, ID: "r3", Answered: true, Why: Because(ReasonTimedOut)},
		{Kind: SentState, ID: "r4", Answered: true, Why: Because(ReasonNextTry, Quoted("EOF <b>&amp;</b>]]>"), 4*time.Second)},
		{Kind: SentState, ID: "r5", Answered: true, Why: Because(ReasonRefusedByServer, Because(ReasonNoReasonGiven))},
	} {
		for _, enc := range []Encoding{UTF8, UTF16LE} {
			b, err := Encode(SentDocument(s), enc)
			if err != nil {
				t.Fatalf("%+v: %v", s, err)
			}
			d, err := Decode(b)
			if err != nil {
				t.Fatalf("%+v: %v\n%s", s, err, b)
			}
			if len(d.Events) != 0 {
				t.Fatalf("%+v reads as %d events", s, len(d.Events))
			}
			got, ok := AsSent(d)
			want := s
			want.Method = map[SentKind]string{SentState: MethodSetUserState, SentMessage: MethodSendMessage}[s.Kind]
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("read back %+v, %v\nwant      %+v", got, ok, want)
			}
		}
	}
}

func TestAsSentIgnoresOtherDocuments(t *testing.T) {
	for _, d := range []*Document{
		nil,
		EventDocument(Event{Type: VoiceMail}),
		Query(MethodSetUserState, "x", SetUserStateRequest(UserReady, false)), // a bridge query without the mark
		QueryResultDocument(MethodSetUserState, "x", 0, "", nil),
	} {
		if s, ok := AsSent(d); ok {
			t.Errorf("%+v read as sent: %+v", d, s)
		}
	}
}

// An outcome keeps its reason's code beside its English; a recording made before the
// code was kept has only the English okdash wrote, read once, here, into a code.
func TestAsSentReadsARecordingsReason(t *testing.T) {
	d := SentDocument(Sent{Kind: SentState, ID: "r1", Answered: true, Why: Because(ReasonRefusedByServer, Because(ReasonNoPhoneLine))})
	b, err := Encode(d, UTF8)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "refused by the server: no phone line is registered") || !strings.Contains(string(b), `"code":"no-phone-line"`) {
		t.Errorf("the outcome keeps its English and its code:\n%s", b)
	}

	old := func(code int, text string) *Document {
		d := QueryResultDocument(MethodSetUserState, "r1", code, text, nil)
		d.Attrs = NewAttrs(Attr{Name: SentAttr, Value: "outcome"})
		return d
	}
	for _, tc := range []struct {
		doc  *Document
		want Reason
	}{
		{old(1, "refused by the server: no phone line is registered"), Because(ReasonRefusedByServer, Because(ReasonNoPhoneLine))},
		{old(1, "refused by the server: not allowed"), Because(ReasonRefusedByServer, Quoted("not allowed"))},
		{old(1, "refused by the server"), Because(ReasonRefusedByServer, Because(ReasonNoReasonGiven))},
		{old(3, ""), Because(ReasonRefusedByServer, Because(ReasonServerErrorCode, "3"))},
		{old(1, "SetUserState: context deadline exceeded"), Because(ReasonTimedOut)},
		{old(1, "setuserstate: no answer from the server in 10s"), Because(ReasonTimedOut)},
		{old(1, "server shutting down"), Because(ReasonServerStopping)},
		{old(1, "bridge: \x1b[2Jgone"), Quoted("bridge: gone")},
		// a code okdash does not know, or arguments that do not fit, leave the English
		{withProp(old(1, "refused by the server: not allowed"), `{"code":"no-such-code"}`), Because(ReasonRefusedByServer, Quoted("not allowed"))},
		{withProp(old(1, "refused by the server"), `{"code":"idle","args":["soon"]}`), Because(ReasonRefusedByServer, Because(ReasonNoReasonGiven))},
		{withProp(old(1, "x"), strings.Repeat(`{"code":"refused-by-server","args":[`, 20)+`{"code":"closed"}`+strings.Repeat("]}", 20)), Quoted("x")},
	} {
		got, ok := AsSent(tc.doc)
		if !ok || !reflect.DeepEqual(got.Why, tc.want) {
			t.Errorf("%+v: read %#v, want %#v", tc.doc.Sets, got.Why, tc.want)
		}
	}
}

func withProp(d *Document, reason string) *Document {
	d.Sets[0].Props = append(d.Sets[0].Props, CDataProp(sentReasonProp, reason))
	return d
}

// Every reason that takes no arguments reads back from its English, and no two say the
// same: an old recording's English names one code.
func TestReasonFromEnglishIsOneCode(t *testing.T) {
	seen := map[string]ReasonCode{}
	for code, d := range reasons {
		if len(d.Args) != 0 {
			continue
		}
		if other, dup := seen[d.English]; dup {
			t.Errorf("%q and %q both read %q", code, other, d.English)
		}
		seen[d.English] = code
		if got := ReasonFromEnglish(d.English); got.Code != code {
			t.Errorf("%q reads back as %q", d.English, got.Code)
		}
	}
}

// A recording's reason is bytes from a file: whatever they are, reading them neither
// panics nor recurses without bound, and what reads as a reason says itself and reads
// back the same.
func FuzzDecodeReason(f *testing.F) {
	for _, r := range []Reason{Because(ReasonTimedOut), Quoted("x"),
		Because(ReasonRefusedByServer, Because(ReasonNoSuchUser, `"u"`)),
		Because(ReasonInputEnded, "a.log", 3, 1), Because(ReasonNextTry, Quoted("EOF"), 4*time.Second)} {
		b, err := EncodeReason(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"code":"idle","args":["4s"]}`))
	f.Add([]byte(`{"code":"input-ended","args":["a",-1,0]}`))
	f.Add([]byte(strings.Repeat(`{"code":"refused-by-server","args":[`, 50)))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeReason(b)
		if err != nil {
			return
		}
		_ = r.String()
		again, err := EncodeReason(r)
		if err != nil {
			t.Fatalf("%#v reads but does not write: %v", r, err)
		}
		back, err := DecodeReason(again)
		if err != nil || !reflect.DeepEqual(back, r) {
			t.Fatalf("%#v reads back as %#v, %v", r, back, err)
		}
	})
}

// Every code okdash declares, with arguments of each kind its declaration lists, reads
// back from a recording as it was written: a kind added to one side is added to both.
func TestEveryReasonCodeReadsBack(t *testing.T) {
	for _, code := range ReasonCodes() {
		d, _ := Declaration(code)
		var args []any // nil without arguments, as DecodeReason reads it
		for _, k := range d.Args {
			switch k {
			case ArgText:
				args = append(args, "x")
			case ArgDuration, ArgWait:
				args = append(args, 4*time.Second)
			case ArgReason:
				args = append(args, Because(ReasonClosed))
			default: // the counts
				args = append(args, 2)
			}
		}
		r := Because(code, args...)
		b, err := EncodeReason(r)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		back, err := DecodeReason(b)
		if err != nil || !reflect.DeepEqual(back, r) {
			t.Errorf("%s: %s reads back as %#v, %v", code, b, back, err)
		}
	}
}
