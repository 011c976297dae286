package wssim

// The desk of the fake server: each user's line and call, the shared queue, the colleague
// lists and the chat, with the frames the vendor's client reads (protocol.md 2.1-2.4).

import (
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
)

// Phases of a user's line.
const (
	lineFree    = "free"
	lineRinging = "ringing"
	lineTalking = "talking"
)

// MaxQueue is how many callers the fake server's queue holds.
const MaxQueue = 5000

// simLine is one user's phone line and its call.
type simLine struct {
	phase  string
	held   bool
	number string
	name   string
	info   string
	chain  string
	ringAt time.Time
	talkAt time.Time
	holdAt time.Time
	// busied: the talk made the user busy; restore is the state to go back to after it.
	busied  bool
	restore oktell.UserState
}

// queued is one caller in the shared queue.
type queued struct {
	number string
	name   string
	chain  string
	since  time.Time
}

// eventGroups are the subscription names the server expands, as the vendor's client
// declares them (protocol.md 2.4).
var eventGroups = map[string][]string{
	"chat": {"chatmessageviewed", "chatmessage", "chatmemberremoved", "chatmemberadded", "chatnamechanged", "chatcreated"},
}

func (s *Server) now() time.Time { return s.Clock.Now() }

// lineOf is login's line (s.mu held); nil for a user that does not exist.
func (s *Server) lineOf(login string) *simLine {
	if _, ok := s.users[login]; !ok {
		return nil
	}
	l := s.lines[login]
	if l == nil {
		l = &simLine{phase: lineFree}
		s.lines[login] = l
	}
	return l
}

// lockLine locks s.mu and finds login and their line, which must pass check (called with
// s.mu held); on an error s.mu is unlocked again, else the caller unlocks it.
func (s *Server) lockLine(login string, check func(User, *simLine) error) (User, *simLine, error) {
	s.mu.Lock()
	u, ok := s.users[login]
	if !ok {
		s.mu.Unlock()
		return User{}, nil, fmt.Errorf("no user %q", login)
	}
	l := s.lineOf(login)
	if err := check(u, l); err != nil {
		s.mu.Unlock()
		return User{}, nil, err
	}
	return u, l, nil
}

// pushTo sends an event to every connection of login subscribed to it ("" for every
// logged-in connection).
func (s *Server) pushTo(login, name string, body map[string]any) {
	s.mu.Lock()
	var to []*conn
	for c := range s.conns {
		c.mu.Lock()
		ok := c.login != "" && (login == "" || c.login == login) && c.subs[name]
		c.mu.Unlock()
		if ok {
			to = append(to, c)
		}
	}
	s.mu.Unlock()
	for _, c := range to {
		c.send(name, copyBody(body))
	}
}

func copyBody(b map[string]any) map[string]any {
	m := make(map[string]any, len(b))
	maps.Copy(m, b)
	return m
}

// stateID is login's state (s.mu held); 0 for a user that does not exist.
func (s *Server) stateID(login string) oktell.UserState {
	if st := s.states[login]; st != nil {
		return st.id
	}
	return 0
}

// numberStateChanged tells every connection that login's number has a new state, as
// pbxnumberstatechanged; s.stateMu held, s.mu not.
func (s *Server) numberStateChanged(login string) {
	s.mu.Lock()
	u, id := s.users[login], s.stateID(login)
	s.mu.Unlock()
	if u.Line == "" {
		return
	}
	s.pushTo("", "pbxnumberstatechanged", map[string]any{"numbers": []any{map[string]any{"num": u.Line, "numstateid": int(id)}}})
}

// stateChanged pushes login's state to its connections and its number's state to
// everyone; s.stateMu held, s.mu not.
func (s *Server) stateChanged(login string) {
	s.mu.Lock()
	st := s.states[login]
	var body map[string]any
	if st != nil {
		body = stateBody(st)
	}
	s.mu.Unlock()
	if body == nil {
		return
	}
	s.pushTo(login, "userstatechanged", body)
	s.numberStateChanged(login)
}

// userEvent is the body of a phone event addressed to u, with extra fields.
func userEvent(u User, extra map[string]any) map[string]any {
	m := map[string]any{"userid": u.ID, "userlogin": u.Login}
	maps.Copy(m, extra)
	return m
}

// lineEvent pushes linestatechanged to u's connections.
func (s *Server) lineEvent(u User, ls string) {
	s.pushTo(u.Login, "linestatechanged", userEvent(u, map[string]any{"lineid": lineID(u), "linenumber": u.Line, "linestatestr": ls}))
}

// Ring makes an incoming call from number (name and info may be "") ring login's line.
// It rings whatever the user's state: it is a call straight to that line.
func (s *Server) Ring(login, number, name, info string) error {
	number = strings.TrimSpace(number)
	if number == "" {
		return fmt.Errorf("ring: the caller's number is missing")
	}
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	u, l, err := s.lockLine(login, func(u User, l *simLine) error {
		switch {
		case u.Line == "":
			return fmt.Errorf("%s has no phone line", login)
		case l.phase != lineFree:
			return fmt.Errorf("%s's line is %s: hang up first", login, l.describe())
		}
		return nil
	})
	if err != nil {
		return err
	}
	*l = simLine{phase: lineRinging, number: number, name: name, info: info, chain: uuid.NewString(), ringAt: s.now()}
	ev := userEvent(u, map[string]any{
		"callerid": number, "callername": name, "callerinfo": info, "callerdirection": "in",
		"callerlinenum": u.Line, "callerlineid": lineID(u), "callercomment": "", "callerdescription": "",
		"chainid": l.chain, "connectionindex": 0, "isextline": true, "istask": false, "isconference": false,
		"canfax": false, "canvideo": false,
	})
	s.mu.Unlock()
	s.pushTo(login, "phoneevent_ringstarted", ev)
	s.lineEvent(u, "lsHookUp")
	return nil
}

// Answer starts the talk of the call ringing on login's line; the user becomes busy
// until the call ends.
func (s *Server) Answer(login string) error {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	u, l, err := s.lockLine(login, func(_ User, l *simLine) error {
		if l.phase != lineRinging {
			return fmt.Errorf("%s's line is %s: nothing rings", login, l.describe())
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.phase, l.talkAt = lineTalking, s.now()
	st := s.states[login]
	busied := st.id != oktell.UserFullbusy
	if busied {
		l.busied, l.restore = true, st.id
		st.id = oktell.UserFullbusy
	}
	chain := l.chain
	s.mu.Unlock()
	s.pushTo(login, "phoneevent_ringstopped", userEvent(u, map[string]any{"chainid": chain}))
	s.pushTo(login, "phoneevent_commstarted", userEvent(u, map[string]any{"chainid": chain, "isconference": false, "confid": ""}))
	s.lineEvent(u, "lsCommutated")
	if busied {
		s.stateChanged(login)
	}
	return nil
}

// Hold puts the call on login's line on hold, or takes it off hold; it says which.
func (s *Server) Hold(login string) (bool, error) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	u, l, err := s.lockLine(login, func(_ User, l *simLine) error {
		if l.phase != lineTalking {
			return fmt.Errorf("%s's line is %s: no talk to hold", login, l.describe())
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	l.held = !l.held
	flash := oktell.FlashReturn
	if l.held {
		l.holdAt, flash = s.now(), oktell.FlashPut
	}
	held, chain := l.held, l.chain
	s.mu.Unlock()
	s.pushTo(login, "flashstatechanged", userEvent(u, map[string]any{"flashtypeid": flash, "chainid": chain}))
	ls := "lsCommutated"
	if held {
		ls = "lsHookUp"
	}
	s.lineEvent(u, ls)
	return held, nil
}

// Hangup ends the call on login's line, ringing or talking; a user the talk made busy
// goes back to the state they were in.
func (s *Server) Hangup(login string) error {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	u, l, err := s.lockLine(login, func(_ User, l *simLine) error {
		if l.phase == lineFree {
			return fmt.Errorf("%s's line is free: no call to hang up", login)
		}
		return nil
	})
	if err != nil {
		return err
	}
	was, chain := *l, l.chain
	*l = simLine{phase: lineFree}
	st := s.states[login]
	restored := was.busied && st.id == oktell.UserFullbusy
	if restored {
		st.id = was.restore
	}
	s.mu.Unlock()
	if was.phase == lineRinging {
		s.pushTo(login, "phoneevent_ringstopped", userEvent(u, map[string]any{"chainid": chain}))
	} else {
		s.pushTo(login, "phoneevent_commstopped", userEvent(u, map[string]any{"chainid": chain}))
	}
	s.lineEvent(u, "lsHookUp")
	if restored {
		s.stateChanged(login)
	}
	return nil
}

func (l *simLine) describe() string {
	if l.phase == lineTalking && l.held {
		return "on hold"
	}
	return l.phase
}

// Line says what login's line is doing: free, ringing, talking or on hold, and with whom.
func (s *Server) Line(login string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lineOf(login)
	if l == nil {
		return ""
	}
	if l.phase == lineFree {
		return lineFree
	}
	who := l.number
	if l.name != "" {
		who += " " + l.name
	}
	return l.describe() + " " + who
}

// QueueAdd puts a caller at the end of the shared queue.
func (s *Server) QueueAdd(number, name string) error {
	number = strings.TrimSpace(number)
	if number == "" {
		return fmt.Errorf("queue add: the caller's number is missing")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) >= MaxQueue {
		return fmt.Errorf("queue add: the queue is full (%d callers)", MaxQueue)
	}
	s.queue = append(s.queue, queued{number: number, name: name, chain: uuid.NewString(), since: s.now()})
	return nil
}

// QueueRemove takes the callers with this number out of the queue and says how many.
func (s *Server) QueueRemove(number string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.queue[:0]
	n := 0
	for _, q := range s.queue {
		if q.number == number {
			n++
			continue
		}
		kept = append(kept, q)
	}
	s.queue = kept
	return n
}

// QueueClear empties the queue and says how many callers it held.
func (s *Server) QueueClear() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.queue)
	s.queue = nil
	return n
}

// QueueLen is how many callers wait.
func (s *Server) QueueLen() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Chat delivers a text message from one user to another, as usertextmessagereceived
// (or, to a client subscribed only to the chat group, chatmessage). The real server's
// fields for it are not documented; these are okdash's guess, written out in the README.
func (s *Server) Chat(from, to, text string) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("chat: the text is missing")
	}
	s.mu.Lock()
	f, okf := s.users[from]
	t, okt := s.users[to]
	s.mu.Unlock()
	switch {
	case !okf:
		return fmt.Errorf("no user %q", from)
	case !okt:
		return fmt.Errorf("no user %q", to)
	}
	body := userEvent(t, map[string]any{
		"messageid": uuid.NewString(), "senderid": f.ID, "senderlogin": f.Login, "sendername": f.Name,
		"text": text, "datetime": s.now().Format(oktell.DateLayout),
	})
	s.mu.Lock()
	var direct, group []*conn
	for c := range s.conns {
		c.mu.Lock()
		switch {
		case c.login != to:
		case c.subs["usertextmessagereceived"]:
			direct = append(direct, c)
		case c.subs["chatmessage"]:
			group = append(group, c)
		}
		c.mu.Unlock()
	}
	s.mu.Unlock()
	for _, c := range direct {
		c.send("usertextmessagereceived", copyBody(body))
	}
	for _, c := range group {
		c.send("chatmessage", copyBody(body))
	}
	return nil
}

// Notify pops up a notification on login's clients, as shownotifymessage (fields: okdash's
// guess, as for Chat).
func (s *Server) Notify(login, text string) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("notify: the text is missing")
	}
	s.mu.Lock()
	u, ok := s.users[login]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("no user %q", login)
	}
	s.pushTo(login, "shownotifymessage", userEvent(u, map[string]any{
		"messageid": uuid.NewString(), "caption": "Oktell", "text": text, "datetime": s.now().Format(oktell.DateLayout),
	}))
	return nil
}

// abonent is the party of a call as getextendedlineinfo writes it (the fields the
// vendor's client reads).
func (l *simLine) abonent() map[string]any {
	a := map[string]any{
		"isringing": l.phase == lineRinging, "iscommutated": l.phase == lineTalking && !l.held,
		"iswaitinginflash": l.phase == lineTalking && l.held, "isconference": false, "conferenceid": "",
		"isautocall": false, "isivr": false, "iswaitingforanswer": false, "isextline": true,
		"number": l.number, "callerid": l.number, "name": l.name, "simplename": l.name,
		"chainid": l.chain, "comment": l.info,
	}
	if l.name == "" {
		delete(a, "simplename")
		a["name"] = l.number
	}
	return a
}

// lineInfo is the getextendedlineinfo reply for login.
func (s *Server) lineInfo(qid string, u User) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lineOf(u.Login)
	info := map[string]any{"linestatestr": "lsHookUp", "abonent": map[string]any{}, "timertalklensec": 0,
		"isflashing": false, "chainid": oktell.NoChain, "calledid": ""}
	switch {
	case u.Line == "":
		info["linestatestr"] = "lsDisconnected"
	case l.phase == lineRinging:
		info["abonent"], info["chainid"] = l.abonent(), l.chain
	case l.phase == lineTalking:
		info["abonent"], info["chainid"] = l.abonent(), l.chain
		info["timertalklensec"] = int(s.now().Sub(l.talkAt) / time.Second)
		if l.held {
			info["isflashing"], info["flashed"] = true, l.abonent()
		} else {
			info["linestatestr"] = "lsCommutated"
		}
	}
	return ok(qid, info)
}

// flashedInfo is the getflashedabonentinfo reply: the party on hold, if any.
func (s *Server) flashedInfo(qid string, u User) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lineOf(u.Login)
	if l.phase == lineTalking && l.held {
		return ok(qid, map[string]any{"containsflashed": true, "abonent": l.abonent()})
	}
	return ok(qid, map[string]any{"containsflashed": false})
}

// queueItems is the getcurrentqueue list, first come first.
func (s *Server) queueItems() []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]any, 0, len(s.queue))
	for _, q := range s.queue {
		name := q.name
		if name == "" {
			name = q.number
		}
		out = append(out, map[string]any{
			"number": q.number, "callerid": q.number, "name": name, "chainid": q.chain,
			"isextline": true, "isringing": false, "iscommutated": false,
		})
	}
	return out
}

// departmentID is a stable id for a department's name; no department has the zero GUID.
func departmentID(name string) string {
	if name == "" {
		return oktell.NoChain
	}
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("okdash-wssim-department/"+name)).String()
}

// sortedUsers is the users by login (s.mu held).
func (s *Server) sortedUsers() []User {
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Login < out[j].Login })
	return out
}

// numbers is the getpbxnumbers list: every user's line with its state and department.
func (s *Server) numbers() []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, u := range s.sortedUsers() {
		if u.Line == "" {
			continue
		}
		out = append(out, map[string]any{"number": u.Line, "id": lineID(u), "state": int(s.stateID(u.Login)), "caption": u.Name,
			"departmentid": departmentID(u.Department), "department": u.Department})
	}
	return out
}

// userNumbers is the getallusernumbers list.
func (s *Server) userNumbers() []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, u := range s.sortedUsers() {
		nums := []any{}
		if u.Line != "" {
			nums = append(nums, u.Line)
		}
		out = append(out, map[string]any{"id": u.ID, "name": u.Name, "main": u.Line, "nums": nums, "sub": false})
	}
	return out
}
