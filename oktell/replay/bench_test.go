package replay

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
			if u.Status != nil && strings.Contains(u.Status.Why.String(), "end of input") {
				break
			}
		}
		s.Close()
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkFollowCatchUp measures how fast follow plays what a long log already holds
// before it starts waiting for new documents: the wait an operator has at start.
func BenchmarkFollowCatchUp(b *testing.B) {
	one, err := os.ReadFile(streamPath("commonlog.log"))
	if err != nil {
		b.Fatal(err)
	}
	input := bytes.Repeat(one, 100) // 700 documents, 100 broken ones
	path := filepath.Join(b.TempDir(), "CommonLog.txt")
	if err := os.WriteFile(path, input, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(input)))
	b.ResetTimer()
	events := 0
	for i := 0; i < b.N; i++ {
		s, err := Follow(context.Background(), path, 0, Options{Clock: instant{}})
		if err != nil {
			b.Fatal(err)
		}
		for u := range s.Updates() {
			if u.Event != nil {
				events++
			}
			if u.Status != nil && strings.Contains(u.Status.Why.String(), "up to date") {
				break
			}
		}
		s.Close()
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkStamp measures reading a heading's time, which a followed log's catch-up does
// for every document (read with regular expressions it took 7 µs for the vendor's form).
func BenchmarkStamp(b *testing.B) {
	for _, lead := range []string{"2026-12-01 09:00:00.100+03:00 xmlevent", "01.12.2026 09:00:00.100 [4512] xmlevent", "xmlevent"} {
		b.Run(lead[:min(len(lead), 10)], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Stamp(lead, time.UTC)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stamps/s")
		})
	}
}
