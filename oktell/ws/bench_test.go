package ws

import (
	"strings"
	"testing"
)

// BenchmarkPushedState is the per-event hot path: one pushed userstatechanged frame
// decoded and turned into an oktell event.
func BenchmarkPushedState(b *testing.B) {
	frame := []byte(`["userstatechanged",{"userstateid":2,"oncallcenter":true,"onccmanual":false,"onlunch":true,"onredirect":false,"lunchreasonid":"5b7c3b4e-2f0a-4c39-9a57-3b1f0c6a0001","ontask":false}]`)
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	for b.Loop() {
		f, err := DecodeFrame(frame)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := StateEvent(f.Body); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkMultipart joins a 64 KiB reply sent in 4 KiB pieces.
func BenchmarkMultipart(b *testing.B) {
	big := make([]byte, 0, 64<<10)
	big = append(big, `["getallusernumbers",{"qid":"q","users":"`...)
	for len(big) < 64<<10 {
		big = append(big, 'x')
	}
	big = append(big, `"}]`...)
	var frames []Frame
	for _, p := range SplitMultipart("m", big, 4096) {
		f, err := DecodeFrame(p)
		if err != nil {
			b.Fatal(err)
		}
		frames = append(frames, f)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(big)))
	for b.Loop() {
		var ra reassembler
		var whole *Frame
		for _, f := range frames {
			w, _, err := ra.add(f)
			if err != nil {
				b.Fatal(err)
			}
			if w != nil {
				whole = w
			}
		}
		if whole == nil {
			b.Fatal("not joined")
		}
	}
}

// BenchmarkDecodeLargeFrame is what every byte a server sends costs: a 256 KiB frame
// decoded (the reader decodes each message once to route it).
func BenchmarkDecodeLargeFrame(b *testing.B) {
	frame, _ := EncodeFrame("getallusernumbers", map[string]any{"qid": "q", "users": strings.Repeat("Иванова Мария, 305; ", 256<<10/30)})
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	for b.Loop() {
		if _, err := DecodeFrame(frame); err != nil {
			b.Fatal(err)
		}
	}
}
