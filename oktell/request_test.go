package oktell

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTrip encodes d in every encoding and decodes it back.
func roundTrip(t *testing.T, d *Document) *Document {
	t.Helper()
	var first *Document
	for _, enc := range []Encoding{UTF16LE, UTF16BE, UTF8} {
		b, err := Encode(d, enc)
		require.NoError(t, err)
		got, err := Decode(b)
		require.NoError(t, err, "%s\n%s", enc, b)
		if first == nil {
			first = got
		} else {
			assert.Equal(t, first, got)
		}
	}
	return first
}

func TestSetUserStateRequest(t *testing.T) {
	for _, st := range []UserState{UserReady, UserLunch, UserOff, UserState(4)} {
		for _, redirect := range []bool{false, true} {
			d := SetUserStateRequest(st, redirect)
			got := roundTrip(t, d)
			assert.Equal(t, d, got)
			s, r, err := AsSetUserStateRequest(got)
			require.NoError(t, err)
			assert.Equal(t, st, s)
			assert.Equal(t, redirect, r)
		}
	}
	b, err := Encode(SetUserStateRequest(UserReady, false), UTF8)
	require.NoError(t, err)
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"+
		"<oktellcommapper version=\"80710\">\r\n"+
		"   <data>\r\n"+
		"     <property_simple key=\"newstate\" value=\"1\" name=\"usReady\" />\r\n"+
		"     <property_simple key=\"redirect\" value=\"0\" />\r\n"+
		"   </data>\r\n"+
		"</oktellcommapper>\r\n", string(b))
}

func TestSendMessageRequest(t *testing.T) {
	for _, c := range []MessageRequest{
		{UserID: "d03a522f-b399-aa37-cb2a-943cf24d113e", Text: "Зайди ]]> <плиз> & \"да\"\r\nвторая строка"},
		{IDMessage: "6f1c0000-0000-0000-0000-000000000001", UserID: "u", Text: ""},
	} {
		d := SendMessageRequest(c.UserID, c.Text, c.IDMessage)
		got := roundTrip(t, d)
		assert.Equal(t, d, got)
		m, err := AsSendMessageRequest(got)
		require.NoError(t, err)
		assert.Equal(t, c, m)
	}
	_, err := AsSendMessageRequest(EventDocument())
	assert.Error(t, err)
}

func TestQueryRoundTrip(t *testing.T) {
	req := SetUserStateRequest(UserLunch, true)
	q := Query("SetUserState", "6f1c-1", req)
	got := roundTrip(t, q)
	assert.Equal(t, q, got)
	method, id, r, ok := AsQuery(got)
	require.True(t, ok)
	assert.Equal(t, "SetUserState", method)
	assert.Equal(t, "6f1c-1", id)
	st, redirect, err := AsSetUserStateRequest(r)
	require.NoError(t, err)
	assert.Equal(t, UserLunch, st)
	assert.True(t, redirect)

	_, ok = AsQueryResult(got)
	assert.False(t, ok, "a query is not a result")
	_, _, _, ok = AsQuery(EventDocument(Event{Type: VoiceMail}))
	assert.False(t, ok)

	msg := Query("Messaging_SendMessage", "id2", SendMessageRequest("u1", "привет", ""))
	_, _, r, ok = AsQuery(roundTrip(t, msg))
	require.True(t, ok)
	m, err := AsSendMessageRequest(r)
	require.NoError(t, err)
	assert.Equal(t, MessageRequest{UserID: "u1", Text: "привет"}, m)
}

func TestQueryResultRoundTrip(t *testing.T) {
	ok := QueryResultDocument("SetUserState", "6f1c-1", 0, "", nil)
	got := roundTrip(t, ok)
	assert.Equal(t, ok, got)
	r, isResult := AsQueryResult(got)
	require.True(t, isResult)
	assert.Equal(t, QueryResult{Method: "SetUserState", ID: "6f1c-1", ResultCode: 0}, r)

	refused := QueryResultDocument("SetUserState", "x", 3, "Смена состояния запрещена", []Property{SimpleProp("extra", "1", "")})
	r, isResult = AsQueryResult(roundTrip(t, refused))
	require.True(t, isResult)
	assert.Equal(t, QueryResult{Method: "SetUserState", ID: "x", ResultCode: 3, Error: "Смена состояния запрещена",
		Props: []Property{SimpleProp("extra", "1", "")}}, r)

	weird := QueryResultDocument("M", "y", 0, "", nil)
	weird.Sets[0].Props[0].Value = "boom"
	r, _ = AsQueryResult(weird)
	assert.Equal(t, -1, r.ResultCode)
	assert.Contains(t, r.Error, "boom")

	_, _, _, isQuery := AsQuery(got)
	assert.False(t, isQuery)
}
