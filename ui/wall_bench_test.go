package ui

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
)

// BenchmarkWallDeltas is the wall of the largest call centre okdash keeps
// (oktell.MaxColleagues colleagues in 50 departments) taking one full batch of state
// changes (maxBatch deltas, as a busy WebSocket server pushes them) and drawing the frame
// that shows them: the path every pbxnumberstatechanged takes. It reports state changes
// a second.
func BenchmarkWallDeltas(b *testing.B) {
	m, _, _ := newWallTest(160, 48, language.English)
	var list []oktell.Colleague
	for i := range oktell.MaxColleagues {
		list = append(list, oktell.Colleague{Login: fmt.Sprint("u", i), Name: fmt.Sprintf("Оператор %04d", i), Number: fmt.Sprint(10000 + i),
			Department: fmt.Sprintf("Отдел %02d", i%50), State: oktell.UserReady, StateKnown: true})
	}
	m = wupd(m, oktell.Update{At: t0, Colleagues: full(list)})
	batch := make([]oktell.Update, maxBatch)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := range batch {
			c := list[(n*maxBatch+i*7919)%len(list)]
			c.State = []oktell.UserState{oktell.UserReady, oktell.UserLunch, oktell.UserFullbusy, oktell.UserOff}[(n+i)%4]
			batch[i] = oktell.Update{At: t0.Add(time.Duration(n) * time.Second), Colleagues: delta(c)}
		}
		m = wupd(m, batch...)
		_ = m.View()
	}
	b.ReportMetric(float64(b.N*maxBatch)/b.Elapsed().Seconds(), "changes/s")
}
