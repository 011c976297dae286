package ws

import "testing"

func TestChooseReason(t *testing.T) {
	listed := []LunchReason{{ID: "a1", Name: "Обед"}, {ID: "b2", Name: "Обучение"}}
	for _, tc := range []struct {
		want, id, err string
	}{
		{"", "a1", ""},
		{"ОБУЧЕНИЕ", "b2", ""},
		{"B2", "b2", ""},
		{"перекур", "", "there is no break reason перекур: the server lists Обед, Обучение"},
	} {
		id, err := chooseReason(listed, tc.want)
		if id != tc.id || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("chooseReason(%q) = %q, %v; want %q, %q", tc.want, id, err, tc.id, tc.err)
		}
	}
	if id, err := chooseReason(nil, ""); id != "" || err != nil {
		t.Errorf("no reasons listed: %q, %v", id, err)
	}
	// none listed: a break without a reason, as the dashboard said at login
	if id, err := chooseReason(nil, "Обед"); id != "" || err != nil {
		t.Errorf("a reason wanted, none listed: %q, %v", id, err)
	}
}
