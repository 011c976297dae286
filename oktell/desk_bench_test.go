package oktell

import (
	"fmt"
	"testing"
)

// BenchmarkGroupColleagues is the sort a colleagues view makes after a change: the
// largest list okdash keeps, in 40 departments.
func BenchmarkGroupColleagues(b *testing.B) {
	list := make([]Colleague, MaxColleagues)
	for i := range list {
		list[i] = Colleague{ID: fmt.Sprint(i), Name: fmt.Sprintf("Оператор %d Фамилия", i), Department: fmt.Sprintf("Отдел %d", i%40),
			State: UserState([]int{1, 2, 3, 5}[i%4]), StateKnown: true}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = GroupColleagues(list)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/list")
}
