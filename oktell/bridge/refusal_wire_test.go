package bridge

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/unicode"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/demo"
)

// refusingEngine answers every request with err and plays nothing.
type refusingEngine struct{ err error }

func (e *refusingEngine) Run(ctx context.Context, _ func(demo.Output) bool) error {
	<-ctx.Done()
	return nil
}
func (e *refusingEngine) SetUserState(context.Context, oktell.UserState, bool) error { return e.err }
func (e *refusingEngine) SendMessage(context.Context, string, string) error          { return e.err }

// serveOne asks a server of eng one query of method and returns its answer, decoded
// from UTF-16 as it came.
func serveOne(t *testing.T, eng Engine, method string) (string, *oktell.Document) {
	t.Helper()
	a, b := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeConn(ctx, a, eng) }()
	defer func() { cancel(); b.Close(); <-done }()
	q, err := oktell.Encode(oktell.Query(method, "id-1", oktell.SetUserStateRequest(oktell.UserReady, false)), oktell.UTF16LE)
	require.NoError(t, err)
	go b.Write(q)
	it, err := oktell.NewScanner(b).Next()
	require.NoError(t, err)
	require.NoError(t, it.Err)
	text, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(it.Raw)
	require.NoError(t, err)
	return string(text), it.Doc
}

// The bytes okdash's bridge server writes for a refusal, and what okdash's bridge client
// makes of them, are pinned: a refusal with a code sends its English and the code
// (okdash-reason), someone else's words go as they were said with no code, and a refusal
// without a reason sends neither. The expected answers are those okdash wrote before
// RefusedError lost its English Reason field.
func TestRefusalOnTheBridgeWire(t *testing.T) {
	const head = "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<oktellcommapper version=\"80710\">\r\n   <data name=\"queryresult\" count=\"1\">\r\n"
	const tail = "     </property_set>\r\n   </data>\r\n</oktellcommapper>"
	for _, tc := range []struct {
		name, method string
		err          error
		set          string // the answer's property_set, between head and tail
		said         string // the client's error
		why          oktell.Reason
	}{
		{"a code", "setuserstate", oktell.Refused(2, oktell.Because(oktell.ReasonNoPhoneLine)),
			"     <property_set name=\"setuserstate\" id=\"id-1\">\r\n       <property_simple key=\"resultcode\" value=\"2\" name=\"error\" />\r\n       <property_cdata key=\"error\"><![CDATA[no phone line is registered]]></property_cdata>\r\n       <property_cdata key=\"okdash-reason\"><![CDATA[{\"code\":\"no-phone-line\"}]]></property_cdata>\r\n",
			"refused by the server: no phone line is registered", oktell.Because(oktell.ReasonNoPhoneLine)},
		{"words", "setuserstate", oktell.RefusedSaying(7, "not now <b>&"),
			"     <property_set name=\"setuserstate\" id=\"id-1\">\r\n       <property_simple key=\"resultcode\" value=\"7\" name=\"error\" />\r\n       <property_cdata key=\"error\"><![CDATA[not now <b>&]]></property_cdata>\r\n",
			"refused by the server: not now <b>&", oktell.Quoted("not now <b>&")},
		{"words without a code number", "setuserstate", oktell.RefusedSaying(0, "not now"),
			"     <property_set name=\"setuserstate\" id=\"id-1\">\r\n       <property_simple key=\"resultcode\" value=\"1\" name=\"error\" />\r\n       <property_cdata key=\"error\"><![CDATA[not now]]></property_cdata>\r\n",
			"refused by the server: not now", oktell.Quoted("not now")},
		{"no reason", "setuserstate", oktell.RefusedSaying(9, ""),
			"     <property_set name=\"setuserstate\" id=\"id-1\">\r\n       <property_simple key=\"resultcode\" value=\"9\" name=\"error\" />\r\n",
			"refused by the server", oktell.Reason{}},
		{"not connected", "setuserstate", oktell.ErrNotConnected,
			"     <property_set name=\"setuserstate\" id=\"id-1\">\r\n       <property_simple key=\"resultcode\" value=\"13103\" name=\"error\" />\r\n       <property_cdata key=\"error\"><![CDATA[not connected to Oktell]]></property_cdata>\r\n",
			"not connected to Oktell", oktell.Reason{}},
		{"another error", "setuserstate", errors.New("boom"),
			"     <property_set name=\"setuserstate\" id=\"id-1\">\r\n       <property_simple key=\"resultcode\" value=\"10108\" name=\"error\" />\r\n       <property_cdata key=\"error\"><![CDATA[boom]]></property_cdata>\r\n",
			"refused by the server: boom", oktell.Quoted("boom")},
		{"the server's own: no such method", "nosuchmethod", nil,
			"     <property_set name=\"nosuchmethod\" id=\"id-1\">\r\n       <property_simple key=\"resultcode\" value=\"10107\" name=\"error\" />\r\n       <property_cdata key=\"error\"><![CDATA[method \"nosuchmethod\" not found]]></property_cdata>\r\n",
			"refused by the server: method \"nosuchmethod\" not found", oktell.Quoted("method \"nosuchmethod\" not found")},
		{"the server's own: a malformed request", "messaging_sendmessage", nil,
			"     <property_set name=\"messaging_sendmessage\" id=\"id-1\">\r\n       <property_simple key=\"resultcode\" value=\"10021\" name=\"error\" />\r\n       <property_cdata key=\"error\"><![CDATA[malformed request: field \"userid\": missing]]></property_cdata>\r\n",
			"refused by the server: malformed request: field \"userid\": missing", oktell.Quoted("malformed request: field \"userid\": missing")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, doc := serveOne(t, &refusingEngine{err: tc.err}, tc.method)
			assert.Equal(t, head+tc.set+tail, text, "the bytes on the wire")
			r, ok := oktell.AsQueryResult(doc)
			require.True(t, ok)
			back := resultErr(r)
			require.Error(t, back)
			assert.Equal(t, tc.said, back.Error())
			var refused *oktell.RefusedError
			if errors.As(back, &refused) {
				assert.Equal(t, tc.why, refused.Why, "the client's reason")
			}
		})
	}
}
