package ws

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// FuzzDecodeFrame: any bytes from the wire give a frame or a *FrameError, never a panic,
// and a frame that decodes re-encodes to one that decodes to the same name.
func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{
		`["pong",{"qid":"1"}]`,
		`["login",{"qid":"2","result":0,"error":50093,"errormsg":"x"}]`,
		`["userstatechanged",{"userstateid":2,"onredirect":true,"lunchreasonid":"r"}]`,
		`["multipart",{"message-id":"m","packetcount":2,"packetnumber":1,"content":"YWJj"}]`,
		`["a",{}] `, `[`, `["a"]`, `{}`, `["a",{"x":1e999}]`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := DecodeFrame(b)
		if err != nil {
			if _, ok := err.(*FrameError); !ok {
				t.Fatalf("error %T %v, want *FrameError", err, err)
			}
			return
		}
		if fr.Body == nil {
			t.Fatal("a frame without a body")
		}
		_ = fr.OK()
		_ = fr.Err()
		_, _ = StateEvent(fr.Body)
		out, err := EncodeFrame(fr.Name, fr.Body)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		again, err := DecodeFrame(out)
		if err != nil || again.Name != fr.Name {
			t.Fatalf("round trip of %q: %q %v", b, out, err)
		}
	})
}

// FuzzMultipart: pieces in any shape never panic and never hold more than the limits.
func FuzzMultipart(f *testing.F) {
	for _, p := range SplitMultipart("m", []byte(`["pong",{"qid":"1"}]`), 5) {
		f.Add(p, p)
	}
	f.Add([]byte(`["multipart",{"message-id":"m","packetcount":99999999,"packetnumber":0,"content":""}]`), []byte(`[`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var ra reassembler
		for _, in := range [][]byte{a, b, a} {
			fr, err := DecodeFrame(in)
			if err != nil {
				continue
			}
			w, _, err := ra.add(fr)
			if err == nil && w != nil && w.Name == "multipart" {
				t.Fatal("a joined frame that is itself multipart")
			}
		}
		if len(ra.open) > maxOpenMessages {
			t.Fatal("too many open messages")
		}
	})
}

// FuzzReplay: any file given to --source file: that looks like a capture plays to its
// end without a panic; every problem is an Update.Err, never a stop.
func FuzzReplay(f *testing.F) {
	f.Add([]byte(`{"okdash":"ws-capture","version":1,"t":"2026-11-24T09:00:00Z","url":"ws://h:1","login":"a"}
{"t":"2026-11-24T09:00:00Z","dir":"link","open":"ws://h:1"}
{"t":"2026-11-24T09:00:00Z","dir":"out","frame":["getuserstate",{"qid":"1"}]}
{"t":"2026-11-24T09:00:01Z","dir":"in","frame":["x",{"qid":"1","userstateid":1}]}
{"t":"2026-11-24T09:00:01Z","dir":"out","frame":["setuserstate",{"qid":"2","userstateid":2}]}
{"t":"2026-11-24T09:00:02Z","dir":"in","frame":["multipart",{"message-id":"m","packetcount":1,"packetnumber":0,"content":"WyJ1c2Vyc3RhdGVjaGFuZ2VkIix7InVzZXJzdGF0ZWlkIjozfV0="}]}
{"t":"2026-11-24T09:00:03Z","dir":"link","forgot":"2","method":"setuserstate"}
{"t":"2026-11-24T09:00:03Z","dir":"in","binary":true,"data":"AAE="}
{"t":"2026-11-24T09:00:04Z","dir":"link","closed":"cut"}
`))
	f.Add([]byte("{\"dir\":\"in\"}\n{\"t\":\"x\"}\n[1]\n{\"dir\":\"in\",\"frame\":[\"a\",{}],\"skipped\":\"s\"}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		clk := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
		s := Replay(context.Background(), bytes.NewReader(b), "fuzz", nil, ReplayOptions{Clock: clk})
		defer s.Close()
		err := clocktest.Drive(clk, s.Updates(), 10*time.Second, func(u oktell.Update) bool {
			if u.Event != nil && u.Sent != nil {
				t.Fatal("an event and a request in one update")
			}
			return u.Status != nil && strings.Contains(u.Status.Why.String(), "after ")
		})
		if err != nil {
			t.Fatalf("the replay did not reach the end of its input: %v", err)
		}
	})
}
