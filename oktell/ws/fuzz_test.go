package ws

import (
	"testing"
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
			w, err := ra.add(fr)
			if err == nil && w != nil && w.Name == "multipart" {
				t.Fatal("a joined frame that is itself multipart")
			}
		}
		if len(ra.open) > maxOpenMessages {
			t.Fatal("too many open messages")
		}
	})
}
