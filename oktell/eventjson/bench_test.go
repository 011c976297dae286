package eventjson

import (
	"bytes"
	"testing"

	"github.com/okdash/okdash/oktell"
)

// BenchmarkAppendDocument encodes every document of the recorded streams, the seeds and
// the hand-made ones (sets and collections at every level) into a reused slice: MB/s of
// JSON written and lines/s (go test -run '^$' -bench AppendDocument ./oktell/eventjson/).
func BenchmarkAppendDocument(b *testing.B) {
	for _, c := range []struct {
		name     string
		handMade bool
	}{{"all", false}, {"sets-and-collections", true}} {
		b.Run(c.name, func(b *testing.B) {
			var items []oktell.Item
			for _, d := range corpus(b) {
				items = append(items, documents(d)...)
			}
			if c.handMade {
				items = items[:0]
				for _, s := range handMade {
					items = append(items, documents([]byte(s))...)
				}
			}
			var e Encoder
			var buf []byte
			size, lines := 0, 0
			for _, it := range items {
				buf = e.AppendDocument(buf[:0], it, nil)
				size += len(buf)
				lines += bytes.Count(buf, []byte("\n"))
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, it := range items {
					buf = e.AppendDocument(buf[:0], it, nil)
				}
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
