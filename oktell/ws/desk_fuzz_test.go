package ws

import (
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
)

// FuzzDeskFrames: whatever body a server sends, the desk's decoders never panic, keep
// within okdash's bounds, and the events made of chat and pop-up frames encode (so that a
// recording of them replays).
func FuzzDeskFrames(f *testing.F) {
	for _, s := range []string{
		`["getextendedlineinforesult",{"qid":"1","linestatestr":"lsCommutated","abonent":{"iscommutated":true,"number":"+74951234567","simplename":"Иванов","chainid":"c"},"timertalklensec":65,"isflashing":false,"chainid":"c","calledid":""}]`,
		`["getextendedlineinforesult",{"linestatestr":"lsHookUp","abonent":{"iswaitinginflash":true,"number":"1"},"isflashing":true,"flashed":{"number":"1","a":{"b":{"c":{"d":{"e":1}}}}}}]`,
		`["getcurrentqueueresult",{"queue":[{"number":"1","name":"A","lenqueue":5000},{"competitorid":"x"},{},7,null]}]`,
		`["getpbxnumbersresult",{"numbers":[{"number":"305","state":1,"department":"Поддержка","departmentid":"d"},{"number":305}]}]`,
		`["getallusernumbersresult",{"users":[{"id":"u","name":"N","main":"305","nums":["305",306,null,{"x":1}],"sub":1}]}]`,
		`["pbxnumberstatechanged",{"numbers":[{"num":"305","numstateid":5},{"num":1e9,"numstateid":"x"}]}]`,
		`["usertextmessagereceived",{"userid":"to","senderid":"s","sendername":"Иванова","text":"Зайди","datetime":"24.11.2026 10:00:00"}]`,
		`["shownotifymessage",{"caption":"Oktell","text":"\u001b[31mred","type":1024}]`,
		`["chatmessage",{"body":{"text":"nested"},"list":[1,[2,[3,[4,[5]]]]]}]`,
		`["cc_getlunchtypesresult",{"items":[{"id":"a","name":"Обед"},{"id":""},7,{"id":"b","name":"\u001b[2J"},{"id":"c","name":{"x":1}}]}]`,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := DecodeFrame(b)
		if err != nil {
			return
		}
		lunch, listed := lunchReasons(fr.Body)
		if len(lunch) > oktell.MaxBreakReasons || len(lunch) > listed {
			t.Fatalf("%d break reasons of %d listed", len(lunch), listed)
		}
		for _, r := range lunch {
			if r.ID == "" || r.Name == "" || len(r.ID) > oktell.MaxNameLen || len(r.Name) > oktell.MaxNameLen || oktell.CleanLine(r.Name) != r.Name {
				t.Fatalf("a break reason beyond the bounds: %+v", r)
			}
		}
		info := ParseLineInfo(fr.Body)
		checkFields(t, info.Extra)
		checkFields(t, info.Abonent.Extra)
		line, _ := oktell.DeriveLine(oktell.LineUpdate{}, oktell.PhoneMemory{}, info, now)
		if c := line.Call; c != nil && (len(c.Number) > oktell.MaxNameLen || len(c.Name) > oktell.MaxNameLen || len(c.Info) > oktell.MaxTextLen) {
			t.Fatalf("call beyond the bounds: %d %d %d bytes", len(c.Number), len(c.Name), len(c.Info))
		}
		q, listed := ParseQueue(fr.Body, now)
		if len(q) > oktell.MaxQueue || len(q) > listed {
			t.Fatalf("%d callers of %d listed", len(q), listed)
		}
		keys := map[string]bool{}
		for _, c := range q {
			if keys[c.Key] {
				t.Fatalf("two callers with key %q", c.Key)
			}
			keys[c.Key] = true
			checkFields(t, c.Extra)
		}
		_ = oktell.MergeQueue(q, q, now)
		cs, _ := ParseColleagues(fr.Body, fr.Body, "u")
		cs2, _ := ParseColleagues(fr.Body, nil, "")
		for _, c := range append(cs, cs2...) {
			if len(c.Name) > oktell.MaxNameLen || len(c.Numbers) > maxNumbers {
				t.Fatalf("colleague beyond the bounds: %+v", c)
			}
			checkFields(t, c.Extra)
		}
		_ = ApplyNumberStates(cs, ParseNumberStates(fr.Body))
		for _, ev := range []oktell.Event{MessageEvent(fr, now), NotifyEvent(fr, now)} {
			if _, err := oktell.Encode(oktell.EventDocument(ev), oktell.UTF16LE); err != nil {
				t.Fatalf("%s does not encode: %v", ev.Type, err)
			}
			if len(ev.Props) > oktell.MaxFields+10 {
				t.Fatalf("%d properties", len(ev.Props))
			}
		}
	})
}

func checkFields(t *testing.T, fs []oktell.Field) {
	t.Helper()
	if len(fs) > oktell.MaxFields {
		t.Fatalf("%d fields", len(fs))
	}
	for _, f := range fs {
		if len(f.Key) > oktell.MaxNameLen || len(f.Value) > oktell.MaxNameLen {
			t.Fatalf("field %d+%d bytes", len(f.Key), len(f.Value))
		}
	}
}
