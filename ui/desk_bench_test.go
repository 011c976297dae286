package ui

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// bigRoster is a call centre as large as okdash keeps: oktell.MaxColleagues colleagues
// in 40 departments.
func bigRoster() []oktell.Colleague {
	list := make([]oktell.Colleague, oktell.MaxColleagues)
	for i := range list {
		list[i] = oktell.Colleague{ID: fmt.Sprintf("{%08d-0000-0000-0000-000000000000}", i), Login: fmt.Sprint("op", i),
			Name: fmt.Sprintf("Оператор %d Фамилия", i), Number: fmt.Sprint(10000 + i), Department: fmt.Sprintf("Отдел %d", i%40),
			State: oktell.UserState([]int{1, 2, 3, 5}[i%4]), StateKnown: true}
	}
	return list
}

// BenchmarkColleagueChanges is what a server's pbxnumberstatechanged flood costs: a
// batch of 256 one-colleague changes to a list of 5,000, applied as one updatesMsg,
// then the frame that shows them (160x48: the colleagues' own column), against the
// naive way of applying each change with oktell.ApplyColleagues and sorting the list
// again for it (baseline, the same work without the kept index and the frame's single
// sort). The baseline runs 16 changes an op, the dashboard 256.
func BenchmarkColleagueChanges(b *testing.B) {
	list := bigRoster()
	batch := make([]oktell.Update, 256)
	for i := range batch {
		c := list[(i*37)%len(list)]
		c.State = oktell.UserFullbusy
		batch[i] = oktell.Update{At: t0, Colleagues: &oktell.ColleaguesUpdate{Colleagues: []oktell.Colleague{c}}}
	}
	for _, filter := range []string{"", "фамилия 12"} {
		name := "dashboard"
		if filter != "" {
			name = "filtered"
		}
		b.Run(name, func(b *testing.B) {
			f := newFake()
			f.caps = deskCaps
			m := New(testOptions(f, clocktest.New(t0), language.English))
			m = step(m, windowSize(160, 48))
			m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: list}))
			m.colleagues.filter.SetValue(filter)
			b.ReportAllocs()
			for b.Loop() {
				nm, _ := m.Update(updatesMsg{updates: batch})
				_ = nm.View()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/change")
		})
	}
	// One change a message, 100 a second of the session's clock (a large call centre's
	// busy minute), each followed by its frame.
	b.Run("trickle", func(b *testing.B) {
		f := newFake()
		f.caps = deskCaps
		m := New(testOptions(f, clocktest.New(t0), language.English))
		m = step(m, windowSize(160, 48))
		m = step(m, colleaguesMsg(t0, oktell.ColleaguesUpdate{Full: true, Colleagues: list}))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			u := batch[i%len(batch)]
			u.At = t0.Add(time.Duration(i) * 10 * time.Millisecond)
			i++
			nm, _ := m.Update(updateMsg{u})
			m = nm.(Model)
			_ = m.View()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/change")
	})
	b.Run("baseline", func(b *testing.B) {
		cur := append([]oktell.Colleague(nil), list...)
		few := batch[:16] // the same work per change; the whole batch would take seconds an op
		b.ReportAllocs()
		for b.Loop() {
			for _, u := range few {
				cur = oktell.ApplyColleagues(cur, *u.Colleagues)
				_ = oktell.GroupColleagues(cur)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(few)), "ns/change")
	})
}
