// Package wssim is a fake Oktell server speaking the WebSocket protocol of the
// vendor's JavaScript client (protocol.md 2). It answers everything that client sends
// after login, keeps each user's state with the server's rules, pushes
// userstatechanged to every connection of that user, and can be told to drop
// connections, stall, refuse logins, split replies into multipart frames or restart.
// okdash's tests use it, and trainers run it with "okdash sim --ws".
package wssim

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/okdash/okdash/internal/textfile"
	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/ws"
)

// User is one account of the fake server.
type User struct {
	Login    string
	Password string
	Name     string // shown as the operator's name
	Line     string // phone line number; "" means no line (ready is refused)
	ID       string // a GUID; made up when empty
	// Department is the user's department as colleagues see it ("" for none).
	Department string
}

// DemoUser is the user the server has when no users are given.
var DemoUser = User{Login: "demo", Password: "demo", Name: "Demo Operator", Line: "201"}

// ParseUsers reads a users file: one user a line, fields separated by white space:
//
//	LOGIN PASSWORD LINE NAME...
//
// LINE is the phone line number, or "-" for a user without a line. NAME is the rest
// of the line (it may hold spaces). A line [DEPARTMENT] puts the users after it in that
// department, until the next one ([] for none). Blank lines and lines starting with #
// are skipped. An error names the line.
func ParseUsers(r io.Reader) ([]User, error) {
	var out []User
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	n := 0
	dept := ""
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") && strings.Count(line, "]") == 1 {
			dept = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		if strings.HasPrefix(line, "[") && len(strings.Fields(line)) == 1 {
			return nil, fmt.Errorf("line %d: a department is written [NAME], got %q", n, line)
		}
		f := strings.Fields(line)
		if len(f) < 3 {
			return nil, fmt.Errorf("line %d: want LOGIN PASSWORD LINE [NAME], got %d fields", n, len(f))
		}
		u := User{Login: f[0], Password: f[1], Line: f[2], Name: strings.Join(f[3:], " "), Department: dept}
		if u.Line == "-" {
			u.Line = ""
		}
		if u.Name == "" {
			u.Name = u.Login
		}
		if _, err := ws.HashPassword(u.Password); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if prev, dup := seen[u.Login]; dup {
			return nil, fmt.Errorf("line %d: login %q already given on line %d", n, u.Login, prev)
		}
		seen[u.Login] = n
		out = append(out, u)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", n+1, err)
	}
	if len(out) == 0 {
		return nil, errors.New("no users")
	}
	return out, nil
}

// LoadUsers reads a users file by name.
func LoadUsers(path string) ([]User, error) {
	text, err := textfile.Read(path, 16<<20) // UTF-16 or a BOM from Notepad; other encodings refused
	if err != nil {
		return nil, err
	}
	us, err := ParseUsers(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return us, nil
}

// LunchTypes are the break reasons the server lists, unless told others (SetLunchTypes).
var LunchTypes = []map[string]any{
	{"id": "5b7c3b4e-2f0a-4c39-9a57-3b1f0c6a0001", "name": "Обед"},
	{"id": "5b7c3b4e-2f0a-4c39-9a57-3b1f0c6a0002", "name": "Перерыв"},
	{"id": "5b7c3b4e-2f0a-4c39-9a57-3b1f0c6a0003", "name": "Обучение"},
}

// Request is what the server received, for tests that wait on it.
type Request struct {
	Login     string // "" before login
	Name      string
	Body      map[string]any
	SessionID bool // a login that carried a sessionid
	Password  bool // a login that carried password hashes
}

// state is one user's state on the server.
type state struct {
	id       oktell.UserState
	redirect bool
	lunch    string
}

// Server is the fake Oktell server. Its zero value is not usable; call New.
type Server struct {
	// Logf reports connections and bad frames; set it before the server serves.
	Logf func(format string, args ...any)
	// Clock times calls and the queue (talk timers, waiting); set it before the server
	// serves. New sets the wall clock.
	Clock oktell.Clock

	// stateMu orders state changes with what goes on the wire: a reply or a push
	// carrying a state is written before the next change is made, as a real server's
	// single event queue would, so a client never sees an older state after a newer one.
	stateMu sync.Mutex

	mu        sync.Mutex
	users     map[string]User
	states    map[string]*state
	sessions  map[string]string // session id -> login
	conns     map[*conn]struct{}
	stalled   bool
	redirect  bool
	multipart int // split replies longer than this many bytes; 0: never
	refuse    *refusal
	requests  chan Request
	lines     map[string]*simLine // by login
	queue     []queued
	lunch     []map[string]any // the break reasons listed: LunchTypes unless told others
}

type refusal struct {
	code int
	msg  string
}

// New makes a server with these users (DemoUser when none).
func New(users []User) *Server {
	if len(users) == 0 {
		users = []User{DemoUser}
	}
	s := &Server{
		Logf:     func(string, ...any) {},
		Clock:    oktell.RealClock{},
		lines:    map[string]*simLine{},
		users:    map[string]User{},
		states:   map[string]*state{},
		sessions: map[string]string{},
		conns:    map[*conn]struct{}{},
		requests: make(chan Request, 1024),
		lunch:    LunchTypes,
	}
	for _, u := range users {
		if u.ID == "" {
			u.ID = uuid.NewSHA1(uuid.NameSpaceOID, []byte("okdash-wssim/"+u.Login)).String()
		}
		s.users[u.Login] = u
		st := &state{id: oktell.UserOff}
		if u.Line == "" {
			st.id = oktell.UserWOphone
		}
		s.states[u.Login] = st
	}
	return s
}

// Requests delivers every request the server receives (the newest 1024 are kept if
// nobody reads). Tests wait on it instead of sleeping.
func (s *Server) Requests() <-chan Request { return s.requests }

// Stall makes the server read requests but answer nothing (on), or answer again (off).
func (s *Server) Stall(on bool) {
	s.mu.Lock()
	s.stalled = on
	s.mu.Unlock()
}

// Redirect makes the server answer every new connection with websocketredirect.
func (s *Server) Redirect(on bool) {
	s.mu.Lock()
	s.redirect = on
	s.mu.Unlock()
}

// Multipart splits every reply longer than size bytes into multipart frames of at
// most size base64 characters; 0 turns it off.
func (s *Server) Multipart(size int) {
	s.mu.Lock()
	s.multipart = size
	s.mu.Unlock()
}

// RefuseLogins makes every login fail with this error code and message (50093,
// 50025, "Service not available", ...); code 0 and msg "" turn it off.
func (s *Server) RefuseLogins(code int, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 && msg == "" {
		s.refuse = nil
		return
	}
	s.refuse = &refusal{code, msg}
}

// SetLunchTypes changes the break reasons the server lists (each an "id" and a
// "name"), as an administrator would: a connection sees them at its next login.
func (s *Server) SetLunchTypes(items []map[string]any) {
	s.mu.Lock()
	s.lunch = items
	s.mu.Unlock()
}

// SetPassword changes a user's password, as an administrator would; sessions and
// connections stay, so the change tells only at the next login with a password.
func (s *Server) SetPassword(login, password string) error {
	if _, err := ws.HashPassword(password); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[login]
	if !ok {
		return fmt.Errorf("no user %q", login)
	}
	u.Password = password
	s.users[login] = u
	return nil
}

// Drop closes every connection of login ("" for all) as a network failure would,
// and returns how many it closed. Sessions survive: a reconnect may reuse them.
func (s *Server) Drop(login string) int {
	s.mu.Lock()
	var victims []*conn
	for c := range s.conns {
		if login == "" || c.login == login {
			victims = append(victims, c)
		}
	}
	s.mu.Unlock()
	for _, c := range victims {
		c.ws.CloseNow()
	}
	return len(victims)
}

// Restart drops every connection and forgets every session, as a server restart
// does: a later login with an old session id gets "Session does not exist".
func (s *Server) Restart() {
	s.mu.Lock()
	s.sessions = map[string]string{}
	s.mu.Unlock()
	s.Drop("")
}

// SetUser changes the name, line and password of an existing user, as an
// administrator would; a connection sees them at its next getmyuserinfo or login.
// The user's id is kept when u.ID is empty.
func (s *Server) SetUser(u User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.users[u.Login]
	if !ok {
		return fmt.Errorf("no user %q", u.Login)
	}
	if u.ID == "" {
		u.ID = old.ID
	}
	s.users[u.Login] = u
	return nil
}

// Conns is the number of open connections of login ("" for all).
func (s *Server) Conns(login string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for c := range s.conns {
		if login == "" || c.login == login {
			n++
		}
	}
	return n
}

// SetState changes a user's state from the server side (an administrator, a call
// that went unanswered) and pushes it to every connection of that user.
func (s *Server) SetState(login string, st oktell.UserState, redirect bool) error {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	s.mu.Lock()
	cur, ok := s.states[login]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("no user %q", login)
	}
	cur.id, cur.redirect = st, redirect
	if st == oktell.UserLunch && cur.lunch == "" && len(s.lunch) > 0 {
		cur.lunch, _ = s.lunch[0]["id"].(string)
	}
	s.mu.Unlock()
	s.stateChanged(login)
	return nil
}

// State is a user's current state and redirect flag.
func (s *Server) State(login string) (oktell.UserState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.states[login]
	if st == nil {
		return 0, false
	}
	return st.id, st.redirect
}

// Users lists the logins, sorted.
func (s *Server) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.users))
	for l := range s.users {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

func stateBody(st *state) map[string]any {
	b := map[string]any{
		"userstateid":  int(st.id),
		"onredirect":   st.redirect,
		"oncallcenter": st.id == oktell.UserReady || st.id == oktell.UserLunch,
		"onccmanual":   false,
		"onlunch":      st.id == oktell.UserLunch,
		"ontask":       st.id == oktell.UserFullbusy || st.id == oktell.UserReserved,
	}
	if st.id == oktell.UserLunch {
		b["lunchreasonid"] = st.lunch
	}
	return b
}

// ServeHTTP accepts a WebSocket with subprotocol json and serves it until it closes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"json"}, InsecureSkipVerify: true})
	if err != nil {
		s.Logf("wssim: %s: %v", r.RemoteAddr, err)
		return
	}
	if c.Subprotocol() != "json" {
		c.Close(websocket.StatusPolicyViolation, "subprotocol json required")
		return
	}
	cn := &conn{s: s, ws: c, remote: r.RemoteAddr, subs: map[string]bool{}}
	s.mu.Lock()
	s.conns[cn] = struct{}{}
	redirect := s.redirect
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, cn)
		s.mu.Unlock()
		c.CloseNow()
	}()
	s.Logf("wssim: %s connected", r.RemoteAddr)
	if redirect {
		cn.send("websocketredirect", map[string]any{})
		c.Close(websocket.StatusNormalClosure, "use TLS on 443")
		return
	}
	cn.serve(r.Context())
}

// ListenAndServe serves on addr until ctx ends. ready, when not nil, gets the bound
// address once the server listens.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr())
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
		s.Drop("")
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		return nil
	case err := <-errc:
		return err
	}
}

// conn is one client connection.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	remote string
	wmu    sync.Mutex

	mu    sync.Mutex
	login string
	subs  map[string]bool
}

func (c *conn) send(name string, body map[string]any) {
	b, err := ws.EncodeFrame(name, body)
	if err != nil {
		c.s.Logf("wssim: encode %s: %v", name, err)
		return
	}
	c.s.mu.Lock()
	size := c.s.multipart
	c.s.mu.Unlock()
	frames := [][]byte{b}
	if size > 0 && len(b) > size {
		frames = ws.SplitMultipart(uuid.NewString(), b, size)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, f := range frames {
		if err := c.ws.Write(ctx, websocket.MessageText, f); err != nil {
			return
		}
	}
}

func (c *conn) serve(ctx context.Context) {
	for {
		typ, b, err := c.ws.Read(ctx)
		if err != nil {
			c.s.Logf("wssim: %s gone: %v", c.remote, err)
			return
		}
		if typ != websocket.MessageText {
			continue
		}
		f, err := ws.DecodeFrame(b)
		if err != nil {
			c.s.Logf("wssim: %s: %v", c.remote, err)
			continue
		}
		c.handle(f)
	}
}

func ok(qid string, extra map[string]any) map[string]any {
	m := map[string]any{"qid": qid, "result": 1}
	maps.Copy(m, extra)
	return m
}

func fail(qid string, code int, msg string) map[string]any {
	m := map[string]any{"qid": qid, "result": 0, "errormsg": msg}
	if code != 0 {
		m["error"] = code
	}
	return m
}

func (c *conn) handle(f ws.Frame) {
	s := c.s
	qid := f.QID()
	name := strings.ToLower(f.Name)
	c.mu.Lock()
	login := c.login
	c.mu.Unlock()
	req := Request{Login: login, Name: name, Body: f.Body}
	if name == "login" {
		req.SessionID = f.String("sessionid") != ""
		req.Password = f.String("Password") != "" || f.String("password") != ""
	}
	select {
	case s.requests <- req:
	default:
	}
	s.mu.Lock()
	stalled := s.stalled
	s.mu.Unlock()
	if stalled {
		return
	}
	reply := func(m map[string]any) { c.send(name, m) }
	switch name {
	case "ping":
		c.send("pong", ok(qid, nil))
		return
	case "login":
		reply(c.doLogin(f))
		return
	}
	if login == "" {
		reply(fail(qid, 0, "Bad request. User is not logged in"))
		return
	}
	s.mu.Lock()
	u := s.users[login]
	st := s.states[login]
	s.mu.Unlock()
	switch name {
	case "logout":
		s.mu.Lock()
		for id, l := range s.sessions {
			if l == login {
				delete(s.sessions, id)
			}
		}
		s.mu.Unlock()
		reply(ok(qid, nil))
	case "subscribeevent":
		evs, _ := f.Body["eventmethod"].([]any)
		if one, isStr := f.Body["eventmethod"].(string); isStr {
			evs = []any{one}
		}
		c.mu.Lock()
		for _, e := range evs {
			if n, isStr := e.(string); isStr {
				n = strings.ToLower(n)
				c.subs[n] = true
				for _, member := range eventGroups[n] {
					c.subs[member] = true
				}
			}
		}
		c.mu.Unlock()
		reply(ok(qid, nil))
	case "unsubscribeevent":
		reply(ok(qid, nil))
	case "getversion":
		reply(ok(qid, map[string]any{"version": map[string]any{
			"dated": 150416, "build": "2.12.1.150416", "webserverport": 4055, "alloweddbstoredprocs": map[string]any{},
		}}))
	case "getmyuserinfo":
		reply(ok(qid, map[string]any{
			"mainpbxnumber": u.Line, "username": u.Name, "hasline": u.Line != "", "lineid": lineID(u),
			"linenumber": u.Line, "isoperator": true, "userid": u.ID, "userlogin": u.Login,
		}))
	case "cc_getlunchtypes":
		s.mu.Lock()
		items := make([]any, len(s.lunch))
		for i, t := range s.lunch {
			items[i] = t
		}
		s.mu.Unlock()
		reply(ok(qid, map[string]any{"items": items}))
	case "getuserstate":
		s.stateMu.Lock()
		defer s.stateMu.Unlock()
		s.mu.Lock()
		b := stateBody(st)
		s.mu.Unlock()
		b["qid"], b["result"] = qid, 1
		reply(b)
	case "setuserstate":
		s.stateMu.Lock()
		defer s.stateMu.Unlock()
		m, changed := c.setState(u, st, f)
		m["qid"] = qid
		reply(m)
		if changed {
			s.stateChanged(login)
		}
	case "getcurrentqueue":
		reply(ok(qid, map[string]any{"queue": s.queueItems()}))
	case "getredirectrules":
		reply(ok(qid, map[string]any{"redirectrules": []any{}}))
	case "getpbxnumbers":
		reply(ok(qid, map[string]any{"numbers": s.numbers()}))
	case "getallusernumbers":
		reply(ok(qid, map[string]any{"users": s.userNumbers()}))
	case "getalluserphotolink":
		reply(ok(qid, map[string]any{"links": []any{}}))
	case "getextendedlineinfo":
		reply(s.lineInfo(qid, u))
	case "getflashedabonentinfo":
		reply(s.flashedInfo(qid, u))
	default:
		reply(fail(qid, 0, "Bad request. Unknown method "+f.Name))
	}
}

func lineID(u User) string {
	if u.Line == "" {
		return ""
	}
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("okdash-wssim-line/"+u.Line)).String()
}

func (c *conn) doLogin(f ws.Frame) map[string]any {
	s := c.s
	qid := f.QID()
	login := f.String("userlogin")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse != nil {
		return fail(qid, s.refuse.code, s.refuse.msg)
	}
	u, known := s.users[login]
	sid := f.String("sessionid")
	switch {
	case sid != "":
		if s.sessions[sid] != login {
			return fail(qid, 0, ws.MsgSessionNotExist)
		}
	case !known:
		return fail(qid, 0, ws.MsgWrongLogin)
	default:
		h, _ := ws.HashPassword(u.Password)
		if !strings.EqualFold(f.String("Password"), h.Password) && !strings.EqualFold(f.String("password"), h.Lower) {
			return fail(qid, 0, ws.MsgWrongLogin)
		}
		sid = uuid.NewString()
		s.sessions[sid] = login
	}
	c.mu.Lock()
	c.login = login
	c.mu.Unlock()
	return ok(qid, map[string]any{"userid": u.ID, "sessionid": sid})
}

// setState applies the server's rules: ready needs a line, a break needs a known
// reason, only 1, 2 and 3 may be asked for. It returns the reply and whether the state
// changed.
func (c *conn) setState(u User, st *state, f ws.Frame) (map[string]any, bool) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	n, hasState := f.Int("userstateid")
	want := oktell.UserState(n)
	redirect := st.redirect
	if _, has := f.Body["onredirect"]; has {
		redirect = f.Bool("onredirect")
	}
	if !hasState {
		want = st.id
	}
	switch {
	case hasState && !want.Requestable():
		return fail("", 0, fmt.Sprintf("Bad request. State %d cannot be set by the user", n)), false
	case want == oktell.UserReady && u.Line == "":
		return fail("", 0, "User has no phone line: cannot be ready"), false
	}
	lunch := ""
	if want == oktell.UserLunch {
		lunch = f.String("lunchreasonid")
		if !s.knownLunch(lunch) {
			return fail("", 0, fmt.Sprintf("Bad request. Unknown lunch reason %q", lunch)), false
		}
	}
	before := *st
	st.id, st.redirect, st.lunch = want, redirect, lunch
	b := stateBody(st)
	b["result"] = 1
	return b, before != *st
}

func (s *Server) knownLunch(id string) bool { // the caller holds s.mu
	for _, t := range s.lunch {
		if t["id"] == id {
			return true
		}
	}
	return false
}
