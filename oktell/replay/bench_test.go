package replay

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// BenchmarkReplay measures how fast a captured stream plays with pacing out of the way:
// the figure that matters when a long log is replayed at a high --speed.
func BenchmarkReplay(b *testing.B) {
	one, err := os.ReadFile(streamPath("commonlog.log"))
	if err != nil {
		b.Fatal(err)
	}
	input := bytes.Repeat(one, 100) // 700 documents, 100 broken ones
	b.SetBytes(int64(len(input)))
	b.ResetTimer()
	events := 0
	for i := 0; i < b.N; i++ {
		s := Open(context.Background(), bytes.NewReader(input), "bench", nil, Options{Clock: instant{}})
		for u := range s.Updates() {
			if u.Event != nil {
				events++
			}
			if u.Status != nil && strings.Contains(u.Status.Reason, "end of input") {
				break
			}
		}
		s.Close()
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
