package oktell

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLineStateWords(t *testing.T) {
	for s, want := range map[LineState]string{LineUnknown: "unknown", LineDisconnected: "disconnected", LineFree: "free",
		LineRinging: "ringing", LineCalling: "calling", LineTalking: "talking", LineOnHold: "on hold", LineState(42): "LineState(42)"} {
		if s.String() != want {
			t.Errorf("%d: %q, want %q", int(s), s.String(), want)
		}
	}
	for s := LineUnknown; s <= LineOnHold; s++ {
		if want := s >= LineRinging; s.InCall() != want {
			t.Errorf("%v in call: %v", s, s.InCall())
		}
	}
}

func TestCallSame(t *testing.T) {
	for _, c := range []struct {
		a, b *Call
		want bool
	}{
		{&Call{ChainID: "x", Number: "1"}, &Call{ChainID: "x", Number: "2"}, true},
		{&Call{ChainID: "x", Number: "1"}, &Call{ChainID: "y", Number: "1"}, false},
		{&Call{Number: "1"}, &Call{ChainID: "y", Number: "1"}, true},
		{&Call{}, &Call{}, false},
		{nil, &Call{Number: "1"}, false},
	} {
		if got := c.a.Same(c.b); got != c.want {
			t.Errorf("%+v same as %+v: %v", c.a, c.b, got)
		}
	}
}

func TestMergeQueue(t *testing.T) {
	now := lt0
	first := MergeQueue(nil, []QueuedCaller{{Key: "a", Number: "1"}, {Key: "b", Number: "2", Since: now.Add(-time.Minute)}}, now)
	if !first[0].Since.Equal(now) || !first[1].Since.Equal(now.Add(-time.Minute)) {
		t.Fatalf("first reading %+v", first)
	}
	later := now.Add(5 * time.Second)
	second := MergeQueue(first, []QueuedCaller{{Key: "b", Number: "2"}, {Key: "c", Number: "3"}}, later)
	if len(second) != 2 || !second[0].Since.Equal(now.Add(-time.Minute)) || !second[1].Since.Equal(later) {
		t.Fatalf("second reading %+v", second)
	}
	q := Queue{Callers: second}
	if got := q.Longest(later); got != time.Minute+5*time.Second {
		t.Errorf("longest %v", got)
	}
	if got := (Queue{}).Longest(later); got != 0 {
		t.Errorf("longest of an empty queue %v", got)
	}
	if got := (QueuedCaller{Since: later}).Waiting(now); got != 0 {
		t.Errorf("waiting before arriving: %v", got)
	}
	// A server that says a caller waits longer than okdash saw wins; one that says shorter does not.
	third := MergeQueue(second, []QueuedCaller{{Key: "b", Since: now.Add(-2 * time.Minute)}, {Key: "c", Since: later.Add(time.Second)}}, later)
	if !third[0].Since.Equal(now.Add(-2*time.Minute)) || !third[1].Since.Equal(later) {
		t.Errorf("server figures %+v", third)
	}
	big := make([]QueuedCaller, MaxQueue+10)
	if got := MergeQueue(nil, big, now); len(got) != MaxQueue {
		t.Errorf("%d callers kept, want %d", len(got), MaxQueue)
	}
}

func TestColleagueKey(t *testing.T) {
	for _, c := range []struct {
		c    Colleague
		want string
	}{
		{Colleague{ID: "ABC", Login: "x", Number: "1"}, "id:abc"},
		{Colleague{Login: "x", Number: "1"}, "login:x"},
		{Colleague{Number: "1"}, "number:1"},
	} {
		if got := c.c.Key(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.c, got, c.want)
		}
	}
}

func TestApplyColleagues(t *testing.T) {
	a := Colleague{ID: "a", Name: "Анна", State: UserReady, StateKnown: true}
	b := Colleague{ID: "b", Name: "Борис", State: UserOff, StateKnown: true}
	c := Colleague{Login: "c", Name: "Вера"}
	names := func(l []Colleague) string {
		var s []string
		for _, x := range l {
			s = append(s, x.Name+"="+x.State.String())
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		name string
		cur  []Colleague
		u    ColleaguesUpdate
		want string
	}{
		{"a full list replaces", []Colleague{c}, ColleaguesUpdate{Full: true, Colleagues: []Colleague{a, b}}, "Анна=usReady,Борис=usOff"},
		{"an empty full list empties", []Colleague{a}, ColleaguesUpdate{Full: true}, ""},
		{"a delta changes in place", []Colleague{a, b}, ColleaguesUpdate{Colleagues: []Colleague{{ID: "A", Name: "Анна", State: UserLunch, StateKnown: true}}}, "Анна=usLunch,Борис=usOff"},
		{"a delta adds who is new", []Colleague{a}, ColleaguesUpdate{Colleagues: []Colleague{c}}, "Анна=usReady,Вера=usDisconnected"},
		{"removed", []Colleague{a, b, c}, ColleaguesUpdate{Removed: []string{b.Key()}}, "Анна=usReady,Вера=usDisconnected"},
	} {
		before := names(tc.cur)
		got := ApplyColleagues(tc.cur, tc.u)
		if names(got) != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, names(got), tc.want)
		}
		if names(tc.cur) != before {
			t.Errorf("%s: the list passed in changed", tc.name)
		}
	}
	many := make([]Colleague, MaxColleagues+5)
	for i := range many {
		many[i] = Colleague{Number: strconv.Itoa(i)}
	}
	if got := ApplyColleagues(nil, ColleaguesUpdate{Full: true, Colleagues: many}); len(got) != MaxColleagues {
		t.Errorf("full list of %d kept %d", len(many), len(got))
	}
	if got := ApplyColleagues(many[:MaxColleagues], ColleaguesUpdate{Colleagues: many[MaxColleagues:]}); len(got) != MaxColleagues {
		t.Errorf("deltas grew the list to %d", len(got))
	}
}

func TestGroupColleagues(t *testing.T) {
	mk := func(name, dep string, s UserState, known bool) Colleague {
		return Colleague{Name: name, Department: dep, State: s, StateKnown: known, Login: name}
	}
	list := []Colleague{
		mk("Яковлев", "Продажи", UserReady, true),
		mk("Борисова", "", UserReady, true),
		mk("Антонов", "Поддержка", UserLunch, true),
		mk("Волков", "Поддержка", UserReady, true),
		mk("Гусева", "Поддержка", UserFullbusy, true),
		mk("Дёмин", "Поддержка", UserOff, true),
		mk("Ершова", "Поддержка", 0, false),
		mk("Абрамов", "Поддержка", UserReady, true),
		mk("Жуков", "продажи", UserDisconnected, true),
	}
	var got []string
	for _, d := range GroupColleagues(list) {
		var ns []string
		for _, c := range d.Colleagues {
			ns = append(ns, c.Name)
		}
		got = append(got, d.Name+": "+strings.Join(ns, " "))
	}
	want := []string{
		"Поддержка: Абрамов Волков Гусева Антонов Дёмин Ершова",
		"Продажи: Яковлев",
		"продажи: Жуков",
		": Борисова",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("grouped\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if (Colleague{State: UserReady}).Free() || !(Colleague{State: UserReady, StateKnown: true}).Free() {
		t.Error("Free needs a known ready state")
	}
}

func TestClip(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc"},
		{"яяя", 3, "я"}, // 6 bytes; byte 3 is inside the second letter
		{"яяя", 4, "яя"},
		{"", 0, ""},
	} {
		if got := Clip(c.in, c.n); got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
