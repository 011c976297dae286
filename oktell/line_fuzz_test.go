package oktell

import (
	"testing"
	"time"
)

// FuzzLineEvents: whatever a line event of the service channel carries (its payload is
// not documented), reading it never panics, keeps to okdash's bounds, and leaves no call
// on a line that holds none.
func FuzzLineEvents(f *testing.F) {
	for _, t := range []EventType{RingStarted, CommutationStarted, FlashHoldAction, LineStateChange, CallDetected} {
		b, _ := Encode(EventDocument(Event{Type: t, ID: int(t), Name: t.WireName(), Props: []Property{
			SimpleProp("callerid", "+74951234567", ""), CDataProp("callername", "Иванов"), SimpleProp("flashtypeid", "1", ""),
			SimpleProp("linestate", "2", "lsCommutated"), SimpleProp("timertalklensec", "99999999999999", ""),
		}}), UTF8)
		f.Add(b)
	}
	f.Add([]byte(`<oktellcommapper><data><event id="232" name="commutationstopped"/><event id="240"><property_simple key="flashtypeid" value="4"/></event></data></oktellcommapper>`))
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(b)
		if err != nil {
			return
		}
		var tr LineTracker
		for round := 0; round < 2; round++ { // twice: every event also from the line the first round left
			for i := range d.Events {
				l, ok := tr.Track(&d.Events[i], now)
				if !ok {
					continue
				}
				if !l.State.InCall() && l.Call != nil {
					t.Fatalf("%v line with a call %+v", l.State, l.Call)
				}
				if l.State.InCall() && l.Call == nil {
					t.Fatalf("%v line without a call", l.State)
				}
				if len(l.Extra) > MaxFields {
					t.Fatalf("%d extra fields", len(l.Extra))
				}
				if c := l.Call; c != nil && (len(c.Number) > MaxNameLen || len(c.Name) > MaxNameLen || len(c.Info) > MaxTextLen) {
					t.Fatalf("call beyond the bounds %+v", c)
				}
			}
		}
	})
}
