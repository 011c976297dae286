package oktell

import (
	"testing"
)

// A request kept in a recording reads back as it was, and holds no event: a reader that
// knows nothing of SentAttr delivers nothing for it.
func TestSentDocumentRoundTrip(t *testing.T) {
	for _, s := range []Sent{
		{Kind: SentState, ID: "r1", State: UserLunch, Redirect: true, BreakReason: "5b7c"},
		{Kind: SentState, ID: "r2", State: UserReady},
		{Kind: SentMessage, ID: "m1", To: "{user-guid}", Text: "Перезвоню через 5 минут <b>&amp;</b>\nспасибо"},
		{Kind: SentState, ID: "r1", Answered: true},
		{Kind: SentMessage, ID: "m1", Answered: true, Refused: "refused by the server: no such user"},
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
			if !ok || got != want {
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
