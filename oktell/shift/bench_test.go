package shift

import (
	"strconv"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// flood is a mix of what a busy session sends, one update a millisecond apart: state
// changes, messages, line changes, notifications, link statuses.
func flood(n int) []oktell.Update {
	t0 := at("09:00")
	out := make([]oktell.Update, n)
	notify := &oktell.Event{Type: oktell.Notify, Props: []oktell.Property{oktell.SimpleProp("type", "8", "nltPBXinfo")}}
	states := []*oktell.Event{stateEv(ready), stateEv(busy), stateEv(lunch), stateEv(ready)}
	talk := &oktell.LineUpdate{State: oktell.LineTalking, Call: &oktell.Call{Number: "+74951234567"}}
	free := &oktell.LineUpdate{State: oktell.LineFree}
	for i := range out {
		u := oktell.Update{At: t0.Add(time.Duration(i) * time.Millisecond)}
		switch i % 8 {
		case 0, 4:
			u.Event = states[(i/4)%len(states)]
		case 1:
			u.Event = &oktell.Event{Type: oktell.UserMessage, Props: []oktell.Property{oktell.SimpleProp("guid", "{6F9619FF-8B86-D011-B42D-00CF4FC964"+strconv.Itoa(i%1000)+"}", "")}}
		case 2:
			u.Line = talk
		case 5:
			u.Line = free
		case 6:
			u.Status = &oktell.Status{Link: oktell.LinkConnected}
		default:
			u.Event = notify
		}
		out[i] = u
	}
	return out
}

// BenchmarkApply is the cost the shift adds to every update of a flood (15,000/s):
// it must stay well under a microsecond and allocate nothing.
func BenchmarkApply(b *testing.B) {
	ups := flood(15000)
	s := New(Config{Zone: msk, Calls: true, MaxGap: 2 * time.Minute})
	for _, u := range ups { // steady state: the day begun, the seen list full
		s.Apply(u)
	}
	span := ups[len(ups)-1].At.Sub(ups[0].At) + time.Millisecond
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u := ups[i%len(ups)]
		u.At = u.At.Add(span * time.Duration(1+i/len(ups)))
		s.Apply(u)
	}
	b.StopTimer()
	if b.Elapsed() > 0 {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	}
}

// BenchmarkSummary is what the shift view pays per frame.
func BenchmarkSummary(b *testing.B) {
	ups := flood(15000)
	s := New(Config{Zone: msk, Calls: true})
	for _, u := range ups {
		s.Apply(u)
	}
	now := ups[len(ups)-1].At.Add(time.Minute)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.Summary(now)
	}
}

// BenchmarkRelay is the whole path a session's update takes to the dashboard with
// the shift counting it, against the session's own channel read directly.
func BenchmarkRelay(b *testing.B) {
	ups := flood(15000)
	for _, watched := range []bool{false, true} {
		name := "direct"
		if watched {
			name = "watched"
		}
		b.Run(name, func(b *testing.B) {
			f := newFake(live)
			f.ch = make(chan oktell.Update, 64) // as a feed's
			var s oktell.Session = f
			if watched {
				s = Watch(f, WatchConfig{Clock: clocktest.New(at("09:00")), Zone: msk, TickEvery: time.Hour})
			}
			go func() {
				for i := 0; i < b.N; i++ {
					f.ch <- ups[i%len(ups)]
				}
			}()
			b.ReportAllocs()
			b.ResetTimer()
			in := s.Updates()
			for i := 0; i < b.N; i++ {
				<-in
			}
			b.StopTimer()
			s.Close()
			if b.Elapsed() > 0 {
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
			}
		})
	}
}

// TestApplyAllocatesNothing: in the steady state a flood costs the shift no memory.
func TestApplyAllocatesNothing(t *testing.T) {
	ups := flood(4000)
	s := New(Config{Zone: msk, Calls: true, MaxGap: 2 * time.Minute})
	for _, u := range ups {
		s.Apply(u)
	}
	span := ups[len(ups)-1].At.Sub(ups[0].At) + time.Millisecond
	i := 0
	allocs := testing.AllocsPerRun(len(ups), func() {
		u := ups[i%len(ups)]
		u.At = u.At.Add(span * time.Duration(1+i/len(ups)))
		s.Apply(u)
		i++
	})
	if allocs != 0 {
		t.Fatalf("Apply allocates %.2f times an update", allocs)
	}
}
