package ws

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell/clocktest"
)

// Messages okdash could not read are captured as they came, with why, so that an operator
// can send them; one that may hold a secret is withheld, and so is a lone multipart piece.
func TestCaptureKeepsWhatCouldNotBeRead(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"json"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		for _, m := range []struct {
			typ websocket.MessageType
			b   string
		}{
			{websocket.MessageText, `["userstatechanged",{"userstateid":`},
			{websocket.MessageBinary, "\x01\x02"},
			{websocket.MessageText, "\xff not UTF-8"},
			{websocket.MessageText, `["loginresult",{"sessionid":"S-SECRET",`},
			{websocket.MessageText, `["multipart",{"message-id":"m","packetcount":0,"content":"c2Vzc2lvbmlk"}]`},
			{websocket.MessageText, `["pushed",{"user":{"Password":"H-SECRET","name":"x"},"list":[{"sessionid":"S2"}]}]`},
			{websocket.MessageText, `["userstatechanged",{"userstateid":2}]`},
		} {
			c.Write(r.Context(), m.typ, []byte(m.b))
		}
		c.Read(r.Context())
	}))
	defer ts.Close()
	c, _, err := websocket.Dial(context.Background(), "ws://"+ts.Listener.Addr().String(), &websocket.DialOptions{Subprotocols: []string{"json"}})
	if err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(time.Unix(0, 0))
	var out bytes.Buffer
	cp := newCapture(&out, clk)
	l := newLinkWith(c, clk, time.Minute, func(string, ...any) {}, linkOptions{capture: cp})
	defer l.close(errors.New("test over"))
	for n := 0; n < 2; {
		select {
		case f := <-l.events:
			if f.notice != nil {
				continue
			}
			if f.Name == "userstatechanged" {
				n = 2
			} else {
				n++
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the frames after the broken ones never arrived")
		}
	}
	cp.mu.Lock()
	text := out.String()
	cp.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) != 7 {
		t.Fatalf("%d lines:\n%s", len(lines), text)
	}
	var got []captureLine
	for _, s := range lines {
		var l captureLine
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		got = append(got, l)
	}
	if !strings.Contains(got[0].Skipped, "truncated") || string(got[0].Data) != `["userstatechanged",{"userstateid":` {
		t.Errorf("truncated frame: %+v", got[0])
	}
	if !got[1].Binary || string(got[1].Data) != "\x01\x02" || !strings.Contains(got[1].Skipped, "binary") {
		t.Errorf("binary message: %+v", got[1])
	}
	if string(got[2].Data) != "\xff not UTF-8" {
		t.Errorf("bytes that are not UTF-8 must come back as they were: %+v", got[2])
	}
	if got[3].Withheld == "" || got[3].Data != nil || got[4].Withheld == "" || got[4].Data != nil || got[4].Frame != nil {
		t.Errorf("a broken frame naming a secret, and a bad piece, must be withheld: %+v %+v", got[3], got[4])
	}
	if strings.Contains(text, "SECRET") || strings.Contains(text, `"S2"`) {
		t.Errorf("a secret in the capture:\n%s", text)
	}
	if !strings.Contains(string(got[5].Frame), `"name":"x"`) || strings.Count(string(got[5].Frame), redacted) != 2 {
		t.Errorf("nested secrets: %s", got[5].Frame)
	}
}

func TestRedact(t *testing.T) {
	in := map[string]any{"a": 1, "PASSWORD": "p", "x": []any{map[string]any{"SessionId": "s"}, "k"}}
	out, changed := redact(in)
	if !changed {
		t.Fatal("nothing redacted")
	}
	b, _ := json.Marshal(out)
	if string(b) != `{"PASSWORD":"[redacted]","a":1,"x":[{"SessionId":"[redacted]"},"k"]}` {
		t.Errorf("redacted %s", b)
	}
	if in["PASSWORD"] != "p" {
		t.Error("the original was changed")
	}
	if _, changed := redact(map[string]any{"a": []any{1, "password"}}); changed {
		t.Error("a value that reads password is not a key")
	}
}
