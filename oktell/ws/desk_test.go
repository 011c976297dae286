package ws

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
)

var dt0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// body decodes a frame body as the link does (numbers kept as json.Number).
func body(t testing.TB, s string) map[string]any {
	t.Helper()
	f, err := DecodeFrame([]byte(`["x",` + s + `]`))
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return f.Body
}

func TestParseLineInfo(t *testing.T) {
	info := ParseLineInfo(body(t, `{"qid":"1","result":1,"linestatestr":"lsCommutated","chainid":"c9","calledid":"",
		"timertalklensec":"42","isflashing":1,"isrecording":true,
		"abonent":{"iscommutated":true,"number":74951234567,"simplename":"Иванов","extline":false,"isfax":0,
			"user":{"dept":"x"}},
		"flashed":{"number":"555","iswaitinginflash":"true"}}`))
	want := oktell.LineInfo{
		LineStateStr: "lsCommutated", HasAbonent: true, ChainID: "c9", TimerTalkLenSec: 42, IsFlashing: true,
		Abonent: oktell.Abonent{IsCommutated: true, Number: "74951234567", SimpleName: "Иванов", LenQueueMS: -1,
			Extra: []oktell.Field{{Key: "isfax", Value: "0"}, {Key: "user.dept", Value: "x"}}},
		Flashed: &oktell.Abonent{Number: "555", IsWaitingInFlash: true, LenQueueMS: -1},
		Extra:   []oktell.Field{{Key: "isrecording", Value: "true"}},
	}
	if !reflect.DeepEqual(info, want) {
		t.Errorf("got  %+v\nwant %+v", info, want)
	}
	if got := ParseLineInfo(body(t, `{"linestatestr":"lsHookUp","abonent":"none","timertalklensec":-5}`)); got.HasAbonent || got.TimerTalkLenSec != 0 {
		t.Errorf("an abonent that is not an object, a negative timer: %+v", got)
	}
}

func TestParseQueue(t *testing.T) {
	q, n := ParseQueue(body(t, `{"queue":[
		{"number":"+79161112233","name":"Кузьмина","chainid":"a","priority":3},
		{"callerid":"84950000000","name":"84950000000"},
		{"competitorid":"cmp","number":"1","lenqueue":90000},
		{"chainid":"00000000-0000-0000-0000-000000000000"},
		{"number":"+79161112233"},
		"garbage"]}`), dt0)
	if n != 6 {
		t.Errorf("listed %d", n)
	}
	var got []string
	for _, c := range q {
		got = append(got, fmt.Sprintf("%s|%s|%s|%v|%v", c.Key, c.Number, c.Name, c.Since.IsZero(), c.Extra))
	}
	want := []string{
		"+79161112233|+79161112233|Кузьмина|true|[{priority 3}]",
		"84950000000|84950000000||true|[]",
		"cmp|1||false|[]",
		"#3|||true|[]",
		"+79161112233#1|+79161112233||true|[]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !q[2].Since.Equal(dt0.Add(-90 * time.Second)) {
		t.Errorf("lenqueue 90000 ms: since %v", q[2].Since)
	}
}

// A hostile server's lists and texts are cut to okdash's bounds before they are kept.
func TestDeskDecodersBounds(t *testing.T) {
	long := strings.Repeat("я", oktell.MaxNameLen) // twice the bytes okdash keeps
	var items []string
	for i := 0; i < oktell.MaxQueue+50; i++ {
		items = append(items, fmt.Sprintf(`{"number":"%d","name":"%s"}`, i, long))
	}
	q, n := ParseQueue(body(t, `{"queue":[`+strings.Join(items, ",")+`]}`), dt0)
	if len(q) != oktell.MaxQueue || n != oktell.MaxQueue+50 || len(q[0].Name) > oktell.MaxNameLen {
		t.Fatalf("kept %d of %d, name %d bytes", len(q), n, len(q[0].Name))
	}
	var users []string
	nums := `"1"`
	for k := 2; k < 2*maxNumbers; k++ {
		nums += fmt.Sprintf(`,"%d"`, k)
	}
	for i := 0; i < oktell.MaxColleagues+10; i++ {
		users = append(users, fmt.Sprintf(`{"id":"u%d","name":"%s","main":"%d","nums":[%s]}`, i, long, i, nums))
	}
	cs, n := ParseColleagues(body(t, `{"numbers":[]}`), body(t, `{"users":[`+strings.Join(users, ",")+`]}`), "")
	if len(cs) != oktell.MaxColleagues || n != oktell.MaxColleagues+10 || len(cs[0].Name) > oktell.MaxNameLen || len(cs[0].Numbers) > maxNumbers {
		t.Fatalf("kept %d of %d, name %d bytes, %d numbers", len(cs), n, len(cs[0].Name), len(cs[0].Numbers))
	}
	fields := map[string]any{}
	for i := 0; i < 500; i++ {
		fields[fmt.Sprintf("f%03d", i)] = map[string]any{"deep": map[string]any{"deeper": map[string]any{"deepest": map[string]any{"x": long}}}}
	}
	b, _ := json.Marshal(map[string]any{"abonent": fields, "text": strings.Repeat(long, 20)})
	info := ParseLineInfo(body(t, string(b)))
	if len(info.Abonent.Extra) != oktell.MaxFields {
		t.Fatalf("%d extra fields", len(info.Abonent.Extra))
	}
	for _, f := range info.Abonent.Extra {
		if len(f.Key) > oktell.MaxNameLen || len(f.Value) > oktell.MaxNameLen {
			t.Fatalf("field %d+%d bytes", len(f.Key), len(f.Value))
		}
	}
	ev := MessageEvent(Frame{Name: "chatmessage", Body: body(t, string(b))}, dt0)
	m, _ := ev.Message()
	if len(m.Text) > oktell.MaxTextLen || len(ev.Props) > oktell.MaxFields+8 {
		t.Fatalf("message text %d bytes, %d properties", len(m.Text), len(ev.Props))
	}
}

func TestParseColleagues(t *testing.T) {
	numbers := body(t, `{"numbers":[
		{"number":"305","id":"l1","state":1,"caption":"Иванова","departmentid":"d1","department":"Поддержка"},
		{"number":"306","id":"l2","state":"2","caption":"Петров","departmentid":"00000000-0000-0000-0000-000000000000","department":""},
		{"number":"500","id":"ivr","state":1,"caption":"IVR","color":"red"}]}`)
	users := body(t, `{"users":[
		{"id":"U1","name":"Иванова Мария","main":"305","nums":["305","1305"],"sub":true},
		{"id":"u2","name":"Петров","main":"306","nums":[306]},
		{"id":"u3","name":"Без линии","main":"","nums":[],"photo":"x.png"},
		{"name":"nobody"}]}`)
	cs, n := ParseColleagues(numbers, users, "u1")
	if n != 4 {
		t.Errorf("listed %d", n)
	}
	want := []oktell.Colleague{
		{ID: "U1", Name: "Иванова Мария", Number: "305", Numbers: []string{"305", "1305"}, Department: "Поддержка", DepartmentID: "d1",
			State: oktell.UserReady, StateKnown: true, Self: true, Subordinate: true},
		{ID: "u2", Name: "Петров", Number: "306", Numbers: []string{"306"}, State: oktell.UserLunch, StateKnown: true},
		{ID: "u3", Name: "Без линии", Extra: []oktell.Field{{Key: "photo", Value: "x.png"}}},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Errorf("got\n%+v\nwant\n%+v", cs, want)
	}
	// An old server without getallusernumbers: the numbers are the list.
	cs, _ = ParseColleagues(numbers, nil, "")
	if len(cs) != 3 || cs[2].Name != "IVR" || cs[2].Number != "500" || !reflect.DeepEqual(cs[2].Extra, []oktell.Field{{Key: "number.color", Value: "red"}}) {
		t.Errorf("from numbers: %+v", cs)
	}
}

func TestNumberStates(t *testing.T) {
	ch := ParseNumberStates(body(t, `{"numbers":[{"num":"305","numstateid":5},{"num":"306","numstateid":"3"},{"num":"","numstateid":1},{"num":"9"},{"number":"400","state":2},7]}`))
	want := []NumberState{{"305", oktell.UserFullbusy}, {"306", oktell.UserOff}, {"400", oktell.UserLunch}}
	if !reflect.DeepEqual(ch, want) {
		t.Fatalf("%+v", ch)
	}
	list := []oktell.Colleague{
		{ID: "a", Number: "305", State: oktell.UserReady, StateKnown: true},
		{ID: "b", Number: "306", State: oktell.UserOff, StateKnown: true},
		{ID: "c", Number: "400"},
	}
	changed := ApplyNumberStates(list, ch)
	if len(changed) != 2 || changed[0].ID != "a" || changed[0].State != oktell.UserFullbusy || changed[1].ID != "c" || !changed[1].StateKnown {
		t.Fatalf("changed %+v (b was already away)", changed)
	}
	if list[0].State != oktell.UserFullbusy {
		t.Fatal("the list itself was not changed")
	}
}

func TestMessageAndNotifyEvents(t *testing.T) {
	for _, c := range []struct {
		name, frame                  string
		wantText, wantSender, wantID string
	}{
		{"the fake server's fields", `{"userid":"to","userlogin":"demo","messageid":"m1","senderid":"s1","senderlogin":"ivanova","sendername":"Иванова","text":"Зайди","datetime":"24.11.2026 10:00:00"}`,
			"Зайди", "Иванова", "s1"},
		{"other names", `{"message":"Привет","fromname":"Петров","fromid":"p"}`, "Привет", "Петров", "p"},
		{"a login only", `{"msg":"hi","senderlogin":"sidorov"}`, "hi", "sidorov", ""},
		{"nothing readable", `{"userid":"to","payload":{"a":1},"kind":"x"}`, "kind: x; payload.a: 1", "", ""},
	} {
		ev := MessageEvent(Frame{Name: "usertextmessagereceived", Body: body(t, c.frame)}, dt0)
		m, err := ev.Message()
		if err != nil || ev.Type != oktell.UserMessage || m.Text != c.wantText || m.SenderName != c.wantSender || m.SenderID != c.wantID || m.GUID == "" || m.Time.IsZero() {
			t.Errorf("%s: %+v %v", c.name, m, err)
		}
		// Every field of the frame is still there.
		for k, v := range body(t, c.frame) {
			if _, ok := v.(map[string]any); ok {
				continue
			}
			found := false
			for _, p := range ev.Props {
				if p.Key == k && (p.Value == fieldString(map[string]any{k: v}, k) || p.Text == fieldString(map[string]any{k: v}, k)) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: field %q lost: %+v", c.name, k, ev.Props)
			}
		}
		if p, _ := ev.Prop("wsframe"); p.Value != "usertextmessagereceived" {
			t.Errorf("%s: frame name %+v", c.name, p)
		}
	}
	ev := NotifyEvent(Frame{Name: "shownotifymessage", Body: body(t, `{"caption":"Oktell","text":"Плановый перерыв","type":1024}`)}, dt0)
	n, err := ev.Notification()
	if err != nil || ev.Type != oktell.Notify || n.Text != "Плановый перерыв" || n.Sender != "Oktell" || n.Type != oktell.NltApplicationWarn || n.DBSaved || n.AutoHide {
		t.Errorf("notify %+v %v", n, err)
	}
	ev = NotifyEvent(Frame{Name: "shownotifymessage", Body: body(t, `{"title":"T","body":"B","type":3}`)}, dt0)
	if n, _ := ev.Notification(); n.Text != "B" || n.Sender != "T" || n.Type != oktell.NltInformation {
		t.Errorf("notify with other names %+v", n)
	}
	// An event that encodes: a recording of it replays.
	if _, err := oktell.Encode(oktell.EventDocument(ev), oktell.UTF16LE); err != nil {
		t.Errorf("encode: %v", err)
	}
}
