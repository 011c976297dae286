package ws

// Decoders for the desk (protocol.md 2.1-2.4): the line and the call from
// getextendedlineinfo, the queue from getcurrentqueue, colleagues from getpbxnumbers and
// getallusernumbers with pbxnumberstatechanged deltas, and the chat and pop-up frames
// whose fields nobody has documented. Each is a pure function of a frame's body; none
// panics on any body, and each keeps what it does not read as oktell.Field values.

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
)

// flatten appends the fields of v under prefix, nested objects as dotted keys and
// lists as indices, keys in sorted order, until out holds oktell.MaxFields.
func flatten(out []oktell.Field, prefix string, v any, depth int) []oktell.Field {
	if len(out) >= oktell.MaxFields {
		return out
	}
	switch x := v.(type) {
	case map[string]any:
		if depth >= 4 {
			return append(out, oktell.Field{Key: clipName(prefix), Value: "{…}"})
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			out = flatten(out, key, x[k], depth+1)
			if len(out) >= oktell.MaxFields {
				break
			}
		}
		return out
	case []any:
		if depth >= 4 {
			return append(out, oktell.Field{Key: clipName(prefix), Value: "[…]"})
		}
		for i, e := range x {
			out = flatten(out, prefix+"."+strconv.Itoa(i), e, depth+1)
			if len(out) >= oktell.MaxFields {
				break
			}
		}
		return out
	}
	return append(out, oktell.Field{Key: clipName(prefix), Value: clipName(scalar(v))})
}

// scalar writes a JSON scalar as text: strings as they are, numbers exactly, flags as
// true/false, null as "".
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	}
	return ""
}

func clipName(s string) string { return oktell.Clip(s, oktell.MaxNameLen) }

// extra keeps the fields of m whose keys are not in read.
func extra(m map[string]any, read map[string]bool) []oktell.Field {
	var out []oktell.Field
	keys := make([]string, 0, len(m))
	for k := range m {
		if !read[strings.ToLower(k)] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = flatten(out, k, m[k], 1)
		if len(out) >= oktell.MaxFields {
			break
		}
	}
	return out
}

func keySet(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// text reads a field as clipped text.
func text(m map[string]any, key string, n int) string {
	return oktell.Clip(strings.TrimSpace(fieldString(m, key)), n)
}

// truthy reads a field as the vendor's client tests it (a non-empty value that is not
// false or zero), returning the value as text; "" for a false one.
func truthy(m map[string]any, key string) string {
	s := strings.TrimSpace(fieldString(m, key))
	switch strings.ToLower(s) {
	case "", "false", "0", "null":
		return ""
	}
	return clipName(s)
}

var abonentKeys = keySet("isringing", "iscommutated", "iswaitinginflash", "isconference", "isautocall", "isivr",
	"iswaitingforanswer", "isextline", "extline", "conferenceid", "direction", "number", "callerid", "simplename",
	"username", "name", "caption", "userlogin", "ivrname", "userid", "competitorid", "chainid", "comment", "lenqueue")

// ParseAbonent reads the other party of a call (an abonent object of
// getextendedlineinfo, an item of getcurrentqueue).
func ParseAbonent(m map[string]any) oktell.Abonent {
	a := oktell.Abonent{
		IsRinging: fieldBool(m, "isringing"), IsCommutated: fieldBool(m, "iscommutated"),
		IsWaitingInFlash: fieldBool(m, "iswaitinginflash"), IsConference: fieldBool(m, "isconference"),
		IsAutoCall: fieldBool(m, "isautocall"), IsIVR: fieldBool(m, "isivr"),
		IsWaitingForAnswer: fieldBool(m, "iswaitingforanswer"), IsExtLine: fieldBool(m, "isextline"),
		ExtLine: truthy(m, "extline"), ConferenceID: text(m, "conferenceid", oktell.MaxNameLen),
		Direction: text(m, "direction", oktell.MaxNameLen), Number: text(m, "number", oktell.MaxNameLen),
		CallerID: text(m, "callerid", oktell.MaxNameLen), SimpleName: text(m, "simplename", oktell.MaxNameLen),
		UserName: text(m, "username", oktell.MaxNameLen), Name: text(m, "name", oktell.MaxNameLen),
		Caption: text(m, "caption", oktell.MaxNameLen), UserLogin: text(m, "userlogin", oktell.MaxNameLen),
		IVRName: text(m, "ivrname", oktell.MaxNameLen), UserID: text(m, "userid", oktell.MaxNameLen),
		CompetitorID: text(m, "competitorid", oktell.MaxNameLen), ChainID: text(m, "chainid", oktell.MaxNameLen),
		Comment: text(m, "comment", oktell.MaxTextLen), LenQueueMS: -1,
		Extra: extra(m, abonentKeys),
	}
	if n, ok := fieldInt(m, "lenqueue"); ok && n >= 0 {
		a.LenQueueMS = n
	}
	return a
}

var lineInfoKeys = keySet("linestatestr", "abonent", "chainid", "calledid", "timertalklensec", "isflashing", "flashed", "qid", "result")

// ParseLineInfo reads a getextendedlineinfo reply.
func ParseLineInfo(body map[string]any) oktell.LineInfo {
	info := oktell.LineInfo{
		LineStateStr: text(body, "linestatestr", oktell.MaxNameLen),
		ChainID:      text(body, "chainid", oktell.MaxNameLen),
		CalledID:     text(body, "calledid", oktell.MaxNameLen),
		IsFlashing:   fieldBool(body, "isflashing"),
		Extra:        extra(body, lineInfoKeys),
	}
	if n, ok := fieldInt(body, "timertalklensec"); ok && n >= 0 && n <= oktell.MaxTalkSec {
		info.TimerTalkLenSec = n
	}
	if a, ok := body["abonent"].(map[string]any); ok {
		info.HasAbonent, info.Abonent = true, ParseAbonent(a)
	}
	if f, ok := body["flashed"].(map[string]any); ok {
		fa := ParseAbonent(f)
		info.Flashed = &fa
	}
	return info
}

// ParseQueue reads a getcurrentqueue reply: the callers in order, at most oktell.MaxQueue,
// and how many the server listed. A caller's Since is the server's lenqueue when it has
// one; MergeQueue fills in the rest from earlier readings.
func ParseQueue(body map[string]any, now time.Time) ([]oktell.QueuedCaller, int) {
	items, _ := body["queue"].([]any)
	out := make([]oktell.QueuedCaller, 0, min(len(items), oktell.MaxQueue))
	seen := map[string]int{}
	for i, m := range objects(items) {
		if len(out) == oktell.MaxQueue {
			break
		}
		a := ParseAbonent(m)
		c := oktell.QueuedCaller{Key: a.Key(), Number: a.Phone(), Name: a.DisplayName(), Extra: a.Extra}
		if c.Name == c.Number {
			c.Name = ""
		}
		if c.Key == "" {
			c.Key = "#" + strconv.Itoa(i) // nothing identifies it: its place in the queue
		}
		base := c.Key
		if n := seen[base]; n > 0 {
			c.Key += "#" + strconv.Itoa(n) // the same caller twice (two lines): both are kept
		}
		seen[base]++
		if a.LenQueueMS >= 0 && a.LenQueueMS < int64(24*time.Hour/time.Millisecond) {
			c.Since = now.Add(-time.Duration(a.LenQueueMS) * time.Millisecond)
		}
		out = append(out, c)
	}
	return out, len(items)
}

var (
	numberKeys = keySet("number", "id", "state", "caption", "departmentid", "department")
	userKeys   = keySet("id", "name", "main", "nums", "sub")
)

// maxNumbers is how many numbers of one colleague are kept.
const maxNumbers = 16

// pbxNumber is one entry of getpbxnumbers.
type pbxNumber struct {
	state      oktell.UserState
	stateKnown bool
	caption    string
	deptID     string
	dept       string
	extra      []oktell.Field
}

// parseNumbers reads a getpbxnumbers reply: the numbers by number, their order, and how
// many entries the server listed.
func parseNumbers(body map[string]any) (map[string]pbxNumber, []string, int) {
	items, _ := body["numbers"].([]any)
	out := make(map[string]pbxNumber, min(len(items), oktell.MaxColleagues))
	var order []string
	for _, m := range objects(items) {
		if len(order) == oktell.MaxColleagues {
			break
		}
		num := text(m, "number", oktell.MaxNameLen)
		if num == "" {
			continue
		}
		n := pbxNumber{caption: text(m, "caption", oktell.MaxNameLen), deptID: text(m, "departmentid", oktell.MaxNameLen),
			dept: text(m, "department", oktell.MaxNameLen), extra: extra(m, numberKeys)}
		if n.deptID == oktell.NoChain {
			n.deptID = ""
		}
		if id, ok := fieldInt(m, "state"); ok {
			n.state, n.stateKnown = oktell.UserState(id), true
		}
		if _, dup := out[num]; !dup {
			order = append(order, num)
		}
		out[num] = n
	}
	return out, order, len(items)
}

// ParseColleagues joins a getpbxnumbers reply (numbers: their state and department) and a
// getallusernumbers reply (users: their names and numbers) into the colleague list, with
// selfID (the logged-in user's id) marked Self. With users nil (an old server without
// getallusernumbers) the numbers themselves are the list, named by their captions. It
// keeps at most oktell.MaxColleagues and says how many the server listed.
func ParseColleagues(numbers, users map[string]any, selfID string) ([]oktell.Colleague, int) {
	nums, order, listed := parseNumbers(numbers)
	fill := func(c *oktell.Colleague, n pbxNumber) {
		c.State, c.StateKnown = n.state, n.stateKnown
		c.Department, c.DepartmentID = n.dept, n.deptID
		for _, f := range n.extra {
			if len(c.Extra) < oktell.MaxFields {
				c.Extra = append(c.Extra, oktell.Field{Key: clipName("number." + f.Key), Value: f.Value})
			}
		}
	}
	if users == nil {
		out := make([]oktell.Colleague, 0, len(order))
		for _, num := range order {
			n := nums[num]
			c := oktell.Colleague{Name: n.caption, Number: num, Numbers: []string{num}}
			fill(&c, n)
			out = append(out, c)
		}
		return out, listed
	}
	items, _ := users["users"].([]any)
	out := make([]oktell.Colleague, 0, min(len(items), oktell.MaxColleagues))
	for _, m := range objects(items) {
		if len(out) == oktell.MaxColleagues {
			break
		}
		c := oktell.Colleague{
			ID: text(m, "id", oktell.MaxNameLen), Name: text(m, "name", oktell.MaxNameLen),
			Number: text(m, "main", oktell.MaxNameLen), Subordinate: fieldBool(m, "sub"), Extra: extra(m, userKeys),
		}
		if c.Number != "" {
			c.Numbers = append(c.Numbers, c.Number)
		}
		list, _ := m["nums"].([]any)
		for _, x := range list {
			if len(c.Numbers) == maxNumbers {
				break
			}
			if s := clipName(strings.TrimSpace(scalar(x))); s != "" && !slices.Contains(c.Numbers, s) {
				c.Numbers = append(c.Numbers, s)
			}
		}
		if c.Number == "" && len(c.Numbers) > 0 {
			c.Number = c.Numbers[0]
		}
		if c.ID == "" && c.Number == "" {
			continue // nothing to know them by
		}
		c.Self = selfID != "" && strings.EqualFold(c.ID, selfID)
		if n, ok := nums[c.Number]; ok {
			fill(&c, n)
		}
		out = append(out, c)
	}
	return out, len(items)
}

// NumberState is one entry of a pbxnumberstatechanged push: a number's new state.
type NumberState struct {
	Number string
	State  oktell.UserState
}

// ParseNumberStates reads a pbxnumberstatechanged body ({numbers: [{num, numstateid}]}),
// at most oktell.MaxColleagues entries.
func ParseNumberStates(body map[string]any) []NumberState {
	items, _ := body["numbers"].([]any)
	var out []NumberState
	for _, m := range objects(items) {
		if len(out) == oktell.MaxColleagues {
			break
		}
		num := text(m, "num", oktell.MaxNameLen)
		if num == "" {
			num = text(m, "number", oktell.MaxNameLen)
		}
		id, ok := fieldInt(m, "numstateid")
		if !ok {
			id, ok = fieldInt(m, "state")
		}
		if num == "" || !ok {
			continue
		}
		out = append(out, NumberState{Number: num, State: oktell.UserState(id)})
	}
	return out
}

// ApplyNumberStates changes the state of the colleagues whose main number changed and
// returns those colleagues (whole, for a ColleaguesUpdate), in list order.
func ApplyNumberStates(list []oktell.Colleague, changes []NumberState) []oktell.Colleague {
	idx := make(map[string][]int, len(list))
	for i, c := range list {
		idx[c.Number] = append(idx[c.Number], i)
	}
	touched := map[int]bool{}
	for _, ch := range changes {
		for _, i := range idx[ch.Number] {
			if list[i].StateKnown && list[i].State == ch.State {
				continue
			}
			list[i].State, list[i].StateKnown = ch.State, true
			touched[i] = true
		}
	}
	out := make([]oktell.Colleague, 0, len(touched))
	for i := range list {
		if touched[i] {
			out = append(out, list[i])
		}
	}
	return out
}

// The chat and pop-up frames (protocol.md 2.4) are read on a best-effort guess: no field
// of them is documented. These are the names tried, in order.
var (
	chatTextKeys   = []string{"text", "message", "msg", "messagetext", "body", "content"}
	chatSenderKeys = []string{"sendername", "fromname", "senderusername", "authorname", "sender", "from", "senderlogin", "fromlogin"}
	chatIDKeys     = []string{"senderid", "fromid", "fromuserid", "senderuserid", "authorid"}
	notifyFromKeys = []string{"sender", "caption", "title", "header", "sendername", "from"}
	guidKeys       = []string{"messageid", "guid", "msgid", "id"}
	timeKeys       = []string{"datetime", "date", "time", "senddate"}
	// routingKeys name the recipient (the user the frame is for), never the sender.
	routingKeys = keySet("userid", "userlogin", "qid")
)

func firstOf(m map[string]any, keys []string, n int) (string, string) {
	for _, k := range keys {
		if s := text(m, k, n); s != "" {
			return k, s
		}
	}
	return "", ""
}

// summary writes the fields of a frame that says nothing readable as text, so the
// operator still sees what it carries.
func summary(m map[string]any) string {
	var parts []string
	for _, f := range extra(m, routingKeys) {
		if f.Value != "" {
			parts = append(parts, f.Key+": "+f.Value)
		}
	}
	return oktell.Clip(strings.Join(parts, "; "), oktell.MaxTextLen)
}

// frameProps are every field of the frame as properties, after the ones okdash wrote,
// skipping the fields those already hold, so a recording keeps the frame whole.
func frameProps(name string, body map[string]any, wrote map[string]string) []oktell.Property {
	props := []oktell.Property{oktell.SimpleProp("wsframe", clipName(name), "")}
	for _, f := range extra(body, nil) {
		if v, ok := wrote[strings.ToLower(f.Key)]; ok && v == f.Value {
			continue
		}
		props = append(props, oktell.SimpleProp(f.Key, f.Value, ""))
	}
	return props
}

func frameTime(body map[string]any, now time.Time) string {
	if _, s := firstOf(body, timeKeys, oktell.MaxNameLen); s != "" {
		if _, err := oktell.ParseTime(s); err == nil {
			return s
		}
	}
	return now.Format(oktell.DateLayout)
}

func frameGUID(body map[string]any) string {
	if _, s := firstOf(body, guidKeys, oktell.MaxNameLen); s != "" {
		return s
	}
	return uuid.NewString()
}

func wsEvent(t oktell.EventType, props []oktell.Property) oktell.Event {
	for i := range props {
		p := &props[i]
		p.Key, p.Value, p.Text = xmlSafe(p.Key), xmlSafe(p.Value), xmlSafe(p.Text)
	}
	return oktell.NewEvent(t, props...)
}

// xmlSafe replaces the characters XML cannot carry (control characters other than tab
// and line breaks, U+FFFE, U+FFFF) with U+FFFD, so that the event can be recorded as a
// document; the screen never shows them anyway.
func xmlSafe(s string) string {
	bad := func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF
	}
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// MessageEvent turns a chat frame (usertextmessagereceived, chatmessage) into the
// UserMessage event the dashboard shows: its text, its sender's name and id, as far as
// the frame names them (see chatTextKeys), or a summary of its fields when it names no
// text. Every field of the frame is kept as a property.
func MessageEvent(f Frame, now time.Time) oktell.Event {
	_, txt := firstOf(f.Body, chatTextKeys, oktell.MaxTextLen)
	if txt == "" {
		txt = summary(f.Body)
	}
	_, sender := firstOf(f.Body, chatSenderKeys, oktell.MaxNameLen)
	_, senderID := firstOf(f.Body, chatIDKeys, oktell.MaxNameLen)
	if sender == "" {
		sender = senderID
	}
	guid, at := frameGUID(f.Body), frameTime(f.Body, now)
	props := []oktell.Property{
		oktell.SimpleProp("guid", guid, ""), oktell.SimpleProp("datetime", at, ""),
		oktell.SimpleProp("senderid", senderID, ""), oktell.CDataProp("sendername", sender), oktell.CDataProp("text", txt),
	}
	wrote := map[string]string{"text": txt, "sendername": sender, "senderid": senderID, "guid": guid, "datetime": at}
	return wsEvent(oktell.UserMessage, append(props, frameProps(f.Name, f.Body, wrote)...))
}

// NotifyEvent turns a shownotifymessage frame into the Notify event the dashboard shows:
// an information notification with the frame's text and sender (see notifyFromKeys), not
// hidden by itself and not stored on the server, with every field kept.
func NotifyEvent(f Frame, now time.Time) oktell.Event {
	_, txt := firstOf(f.Body, chatTextKeys, oktell.MaxTextLen)
	if txt == "" {
		txt = summary(f.Body)
	}
	_, sender := firstOf(f.Body, notifyFromKeys, oktell.MaxNameLen)
	typ := oktell.NltInformation
	if n, ok := fieldInt(f.Body, "type"); ok && oktell.NotifyType(n).Known() {
		typ = oktell.NotifyType(n)
	}
	guid, at := frameGUID(f.Body), frameTime(f.Body, now)
	props := []oktell.Property{
		oktell.SimpleProp("guid", guid, ""), oktell.SimpleProp("autohide", "0", ""),
		oktell.SimpleProp("backcolor_argb", "0", ""), oktell.SimpleProp("type", strconv.Itoa(int(typ)), typ.String()),
		oktell.SimpleProp("datetime", at, ""), oktell.SimpleProp("dbsaved", "0", ""),
		oktell.CDataProp("sender", sender), oktell.CDataProp("text", txt),
	}
	wrote := map[string]string{"text": txt, "sender": sender, "guid": guid, "datetime": at, "type": strconv.Itoa(int(typ))}
	return wsEvent(oktell.Notify, append(props, frameProps(f.Name, f.Body, wrote)...))
}

// tooMany is the warning for a list the server made longer than okdash keeps (code: which).
func tooMany(code oktell.ReasonCode, listed, kept int) error {
	return wsProblem(oktell.Because(code, strconv.Itoa(listed), strconv.Itoa(kept)))
}

// wsProblem is a warning of the WebSocket link, for Update.Err.
func wsProblem(why oktell.Reason) error {
	return &oktell.ReasonError{Why: oktell.Because(oktell.ReasonWSProblem, why)}
}
