package ws

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/feed"
)

// Defaults of the vendor's client (protocol.md 2).
const (
	DefaultTimeout    = 20 * time.Second
	DefaultKeepalive  = 15 * time.Second
	DefaultBackoffMin = 1 * time.Second
	DefaultBackoffMax = 30 * time.Second
	// DefaultStableAfter is how long a link must stay up for its drop to count as news
	// rather than a failure: only then does the next try go at once, with the backoff
	// starting again from BackoffMin.
	DefaultStableAfter = time.Minute
)

// Config says how to reach one Oktell server as one user.
type Config struct {
	URL   string // ws://HOST:PORT or wss://HOST:PORT
	Login string
	// Password returns the password. It is asked only when no stored session id
	// works, and only while Dial runs unless PasswordReusable is set.
	Password func() (string, error)
	// PasswordReusable says Password may be asked again while reconnecting (it reads
	// a file or the environment; it does not prompt on a terminal the dashboard owns).
	PasswordReusable bool
	// PasswordTries is how many passwords Dial asks Password for while the server says
	// the password is wrong, as ssh asks three times; 0 means one. Only a Password that
	// is not PasswordReusable is asked again: a file would give the same answer.
	PasswordTries int
	// TryAgain, when set, hears each wrong password of Dial's before Password is asked
	// for the next one (a prompt says why it asks again).
	TryAgain func(err error)
	// AskLater lets Dial return a session with no password at hand (okdash serve, where
	// nobody can answer a prompt): its link is closed, with Status.NeedPassword, until
	// Reconnect gives it one. Without it, Dial fails.
	AskLater     bool
	Store        Store        // where session ids are kept; nil keeps them in memory
	Clock        oktell.Clock // nil: the wall clock
	Timeout      time.Duration
	Keepalive    time.Duration
	BackoffMin   time.Duration
	BackoffMax   time.Duration
	StableAfter  time.Duration  // 0: DefaultStableAfter
	MaxBuffered  int            // bytes that may wait per connection; 0: MaxBuffered
	InsecureTLS  bool           // wss without certificate checks (test servers only)
	RootCAs      *x509.CertPool // nil: the system roots
	RedirectPort int            // where websocketredirect sends us; 0 means 443
	// BreakReason is the break reason a break asks for: an id or a name (any case) from
	// the server's cc_getlunchtypes list; "" takes the first one listed.
	BreakReason string
	// Logf receives the diagnostics. Each line is cleaned of control characters, cut to
	// logLineMax bytes, and their rate is capped (see limitLog): wire text is in them.
	Logf func(format string, args ...any)
	// Capture, when set, receives every frame in both directions with its time, as JSON
	// lines that Replay plays back (--record FILE on a ws source). Password hashes and
	// session ids are redacted. It is closed with the session when it is an io.Closer.
	Capture io.Writer
}

// LunchReason is one break reason of cc_getlunchtypes.
type LunchReason = oktell.BreakReason

// Session is an oktell.Session on the server's WebSocket protocol. Its Updates,
// clock stamps, status repeats and Close are those of the shared feed.Feed.
type Session struct {
	feed *feed.Feed // delivers the updates: its methods are the session's own business
	cfg  Config

	capture *capture       // nil when not capturing
	tl      *feed.Timeline // a replayed capture's place in it (read-only, no link); nil for a live session

	mu       sync.Mutex
	cur      *link  // nil while reconnecting
	target   string // where the last websocketredirect sent us; "" to use cfg.URL
	hashes   *Hashes
	operator string
	line     string
	version  string
	lunch    []LunchReason
	breaks   *oktell.BreakReasons // the break reasons last reported to the dashboard

	// parked: the link is closed for good (a refused login) and run waits on again for
	// the operator to ask for another login (Reconnect). againMu lets one Reconnect in.
	parked  bool
	again   chan againReq
	againMu sync.Mutex

	last  []oktell.Property // the state last shown, to show a repeat once
	fresh uint64            // the getuserstate reply of the current link: pushed states before it are stale

	desk deskState // the line, the queue and colleagues (deskloop.go)
}

var (
	_ oktell.Session           = (*Session)(nil)
	_ oktell.BreakReasonSetter = (*Session)(nil)
	_ oktell.Reconnecter       = (*Session)(nil)
)

// againReq is a Reconnect waiting for run: the password ("" for none) and where the
// outcome of the first try goes.
type againReq struct {
	password string
	done     chan error
}

// Dial connects and logs in (with the stored session id when one works, else with
// the password), then keeps the link up until Close, reconnecting after a drop. A
// login the server refuses is a *oktell.RefusedError. ctx bounds Dial's own attempt;
// the session lives on until Close (or until the server refuses it for good).
func Dial(ctx context.Context, cfg Config) (*Session, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return nil, fmt.Errorf("%q: want ws://HOST:PORT or wss://HOST:PORT", cfg.URL)
	}
	if cfg.Login == "" {
		return nil, errors.New("no login: give --login")
	}
	if cfg.Clock == nil {
		cfg.Clock = oktell.RealClock{}
	}
	if cfg.Store == nil {
		cfg.Store = &MemStore{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Keepalive <= 0 {
		cfg.Keepalive = DefaultKeepalive
	}
	if cfg.BackoffMin <= 0 {
		cfg.BackoffMin = DefaultBackoffMin
	}
	if cfg.BackoffMax < cfg.BackoffMin {
		cfg.BackoffMax = max(DefaultBackoffMax, cfg.BackoffMin)
	}
	if cfg.StableAfter <= 0 {
		cfg.StableAfter = DefaultStableAfter
	}
	if cfg.RedirectPort == 0 {
		cfg.RedirectPort = 443
	}
	cfg.Logf = limitLog(cfg.Logf, cfg.Clock)
	s := &Session{
		// The session outlives ctx, which bounds only this first attempt.
		feed:  feed.New(context.WithoutCancel(ctx), cfg.Clock, 256),
		cfg:   cfg,
		again: make(chan againReq),
	}
	if cfg.Capture != nil {
		s.capture = newCapture(cfg.Capture, cfg.Clock)
		if err := s.capture.header(cfg.URL, cfg.Login); err != nil {
			s.feed.Problem(err)
		}
	}
	s.status(oktell.LinkConnecting)
	l, err := s.connect(ctx, true)
	var re *oktell.RefusedError
	switch {
	case errors.As(err, &re) && isTransient(re):
		// The server is starting: show the dashboard and keep trying, as after a drop.
		s.statusWhy(oktell.LinkReconnecting, oktell.ReasonOf(err))
		s.feed.Go(func(ctx context.Context) { s.run(ctx, nil) })
		return s, nil
	case errors.As(err, &re) && cfg.AskLater && needsPassword(re):
		// Nobody to prompt: the dashboard asks, and Reconnect brings the password.
		s.closeForGood(re)
		s.feed.Go(func(ctx context.Context) { s.run(ctx, nil) })
		return s, nil
	case err != nil:
		s.Close()
		return nil, err
	}
	s.feed.Go(func(ctx context.Context) { s.run(ctx, l) })
	return s, nil
}

// replaying says the session plays a capture back (Replay) rather than keeping a link.
func (s *Session) replaying() bool { return s.tl != nil }

// Capabilities implements oktell.Session.
func (s *Session) Capabilities() oktell.Capabilities {
	c := oktell.Capabilities{Kind: oktell.SourceWS, SetUserState: true, Line: true, Queue: true, Colleagues: true, Reconnect: true}
	if s.replaying() { // what the live session shows, without the requests, at the capture's times
		c.Kind, c.SetUserState, c.SendMessage, c.ReadOnly, c.Reconnect = oktell.SourceFile, false, false, true, false
		c.LogTimes, c.Position = true, s.tl
	}
	return c
}

// SendMessage implements oktell.Session: ErrNoChatSend (an oktell.ErrUnsupported), since
// the protocol's send method is not documented.
func (s *Session) SendMessage(ctx context.Context, userID, text string) error {
	return ErrNoChatSend
}

// lunchName is the name of the break reason id among those of the last login, or "".
func (s *Session) lunchName(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.lunch {
		if r.ID == id {
			return r.Name
		}
	}
	return ""
}

// LunchReasons are the break reasons the server gave at the last login.
func (s *Session) LunchReasons() []LunchReason {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LunchReason(nil), s.lunch...)
}

// ServerVersion is the build the server reported at the last login ("2.12.1.150416").
func (s *Session) ServerVersion() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// SetUserState implements oktell.Session: a break takes the first break reason.
func (s *Session) SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error {
	return s.SetUserStateReason(ctx, state, redirect, "")
}

// SetUserStateReason implements oktell.BreakReasonSetter: SetUserState with a chosen
// break reason (an id from LunchReasons, as the dashboard got them in
// Update.BreakReasons), sent as it is: the server judges it; "" takes
// Config.BreakReason, else the first one listed.
func (s *Session) SetUserStateReason(ctx context.Context, state oktell.UserState, redirect bool, reasonID string) error {
	if s.replaying() {
		return oktell.ErrUnsupported
	}
	if !state.Requestable() {
		return fmt.Errorf("state %s cannot be asked for; only ready, break and away", state)
	}
	s.mu.Lock()
	l := s.cur
	if state == oktell.UserLunch && reasonID == "" {
		var err error
		if reasonID, err = chooseReason(s.lunch, s.cfg.BreakReason); err != nil {
			s.mu.Unlock()
			return err
		}
	}
	s.mu.Unlock()
	if l == nil {
		return oktell.ErrNotConnected
	}
	body := map[string]any{"userlogin": s.cfg.Login, "userstateid": int(state), "onredirect": redirect}
	if state == oktell.UserLunch && reasonID != "" {
		body["lunchreasonid"] = reasonID
	}
	// The new state in the reply reaches Updates through the link's reader, in wire order.
	_, err := l.call(ctx, "setuserstate", body)
	return err
}

// chooseReason finds the break reason want (an id or a name, any case) among those the
// server listed; "" is the first one. A server that lists none gets a break without a
// reason, whatever was wanted: the dashboard said so at login (Update.BreakReasons).
func chooseReason(listed []LunchReason, want string) (string, error) {
	if len(listed) == 0 {
		return "", nil
	}
	if want == "" {
		return listed[0].ID, nil
	}
	b := oktell.BreakReasons{List: listed}
	if r, ok := b.Find(want); ok {
		return r.ID, nil
	}
	return "", &oktell.ReasonError{Why: oktell.Because(oktell.ReasonNoBreakReason, oktell.CleanLine(want), strings.Join(b.Names(), ", "))}
}

// Reconnect implements oktell.Reconnecter: after the link closed for good, it logs in
// again (with password when it is not "": only its hashes are kept, in memory) and
// returns when that try is over. A link that fails, rather than a login refused, is
// then tried again by itself, as after a drop. Otherwise it does nothing.
func (s *Session) Reconnect(ctx context.Context, password string) error {
	if s.replaying() {
		return oktell.ErrUnsupported
	}
	s.againMu.Lock()
	defer s.againMu.Unlock()
	if !s.isParked() {
		return nil
	}
	req := againReq{password: password, done: make(chan error, 1)}
	select { // run waits for it while parked, and only run unparks
	case s.again <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.feed.Done():
		return oktell.ErrNotConnected
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err() // the try goes on; its status tells how it ended
	case <-s.feed.Done():
		return oktell.ErrNotConnected
	}
}

// needsPassword says a refusal is about the password: a wrong one, or a saved session
// the server forgot with none at hand. The dashboard then asks for one.
func needsPassword(re *oktell.RefusedError) bool {
	return isWrongPassword(re) || isSessionGone(re) || re.Why.Code == oktell.ReasonNoPassword
}

// isParked says the link is closed for good, waiting for Reconnect.
func (s *Session) isParked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.parked
}

// refusedForGood closes the link for good (closeForGood) when err is a refusal that
// will not go away by itself, and says whether it was.
func (s *Session) refusedForGood(err error) bool {
	var re *oktell.RefusedError
	if errors.As(err, &re) && !isTransient(re) {
		s.closeForGood(re)
		return true
	}
	return false
}

// closeForGood reports the link closed by a refusal that will not go away by itself,
// and parks the session until Reconnect.
func (s *Session) closeForGood(re *oktell.RefusedError) {
	s.mu.Lock()
	s.parked = true // before the status: a dashboard that sees it may Reconnect at once
	s.mu.Unlock()
	s.tell(oktell.Status{Link: oktell.LinkClosed, Why: oktell.Because(oktell.ReasonRefusedByServer, re.Why), NeedPassword: needsPassword(re)})
}

// Close implements oktell.Session: it ends the link and closes Updates (feed.Feed's
// Close), then the capture. The server session stays, so that the next start logs in
// with the stored session id.
func (s *Session) Close() error {
	s.feed.Close()
	return s.capture.close()
}

// tell reports st with the operator and line of the last login, so that every status,
// a reconnect's too, names who is logged in.
func (s *Session) tell(st oktell.Status) bool {
	s.mu.Lock()
	st.Operator, st.Line = s.operator, s.line
	s.mu.Unlock()
	return s.feed.StatusFull(st)
}

// status reports the link, with no reason.
func (s *Session) status(link oktell.Link) bool { return s.tell(oktell.Status{Link: link}) }

// statusWhy reports the link with the reason as a code the dashboard translates.
func (s *Session) statusWhy(link oktell.Link, why oktell.Reason) bool {
	return s.tell(oktell.Status{Link: link, Why: why})
}

// stateKeys are the server's state fields kept on the event besides newstate and redirect.
var stateKeys = []string{"oncallcenter", "onccmanual", "onlunch", "lunchreasonid", "ontask"}

// StateEvent turns a getuserstate reply, a setuserstate reply or a pushed
// userstatechanged into a UserStateChanged event: newstate (value and symbolic
// name), redirect 0/1, and the server's other state fields kept as they came.
func StateEvent(body map[string]any) (*oktell.Event, error) {
	id, ok := fieldInt(body, "userstateid")
	if !ok {
		return nil, fmt.Errorf("user state: field %q missing or not a number (%q)", "userstateid", fieldString(body, "userstateid"))
	}
	st := oktell.UserState(id)
	ns := oktell.Property{Kind: oktell.Simple, Key: "newstate", Value: strconv.FormatInt(id, 10), HasValue: true}
	if st.Known() {
		ns.Name, ns.HasName = st.String(), true
	}
	red := "0"
	if fieldBool(body, "onredirect") {
		red = "1"
	}
	ev := oktell.NewEvent(oktell.UserStateChanged, ns, oktell.Property{Kind: oktell.Simple, Key: "redirect", Value: red, HasValue: true})
	for _, k := range stateKeys {
		if _, ok := body[k]; ok {
			ev.Props = append(ev.Props, oktell.Property{Kind: oktell.Simple, Key: k, Value: fieldString(body, k), HasValue: true})
		}
	}
	return &ev, nil
}

func (s *Session) emitState(f Frame, fresh bool) {
	ev, err := StateEvent(f.Body)
	if err != nil {
		s.cfg.Logf("ws: %s: %v", f.Name, err)
		return
	}
	// The same state may arrive twice (the reply to setuserstate and the pushed
	// event): show it once. After a (re)connect it is shown anyway, as fresh news.
	if !fresh && slices.Equal(ev.Props, s.last) {
		return
	}
	s.last = ev.Props
	var raw []byte
	if b, err := oktell.Encode(oktell.EventDocument(*ev), oktell.UTF16LE); err == nil {
		raw = b // the XML form, so that --record writes a replayable stream
	}
	s.feed.Event(*ev, raw)
}

// connect dials, opens, logs in and runs the post-login sequence. first says this is
// Dial's own attempt, the only one that may ask for the password interactively.
func (s *Session) connect(ctx context.Context, first bool) (*link, error) {
	if first && s.knownHashes() == nil && !s.hasStoredSession() && s.cfg.Password != nil {
		// Ask before connecting: a server may drop a connection left idle while the
		// operator types.
		if err := s.askPassword(); err != nil {
			return nil, err
		}
	}
	l, err := s.dialLogin(ctx)
	if errors.Is(err, errNeedPassword) && s.cfg.Password != nil && (first || s.cfg.PasswordReusable) {
		if err := s.askPassword(); err != nil {
			return nil, err
		}
		l, err = s.dialLogin(ctx)
	}
	// A password someone types may be mistyped: ask again, as ssh does.
	prompted := first && s.cfg.Password != nil && !s.cfg.PasswordReusable
	for tries := 1; prompted && tries < s.cfg.PasswordTries && isWrongPassword(err); tries++ {
		if s.cfg.TryAgain != nil {
			s.cfg.TryAgain(err)
		}
		if err := s.askPassword(); err != nil {
			return nil, err
		}
		l, err = s.dialLogin(ctx)
	}
	if errors.Is(err, errNeedPassword) {
		if first && !s.cfg.AskLater {
			return nil, &oktell.ReasonError{Why: oktell.Because(oktell.ReasonNoPassword)}
		}
		if errors.Is(err, errSessionGone) {
			return nil, refusal(map[string]any{"errormsg": MsgSessionNotExist}) // as the server says it
		}
		return nil, oktell.Refused(0, oktell.Because(oktell.ReasonNoPassword))
	}
	return l, err
}

// dialLogin opens a link (following a websocketredirect), logs in and runs the
// post-login sequence.
func (s *Session) dialLogin(ctx context.Context) (*link, error) {
	l, err := s.openFollowing(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.login(ctx, l); err != nil {
		l.close(err)
		return nil, err
	}
	if err := s.afterLogin(ctx, l); err != nil {
		l.close(err)
		return nil, err
	}
	return l, nil
}

// errSessionClosed ends the link when the session closes: no drop, so no ConnectionLost.
var errSessionClosed = &oktell.ReasonError{Why: oktell.Because(oktell.ReasonClosedByOkdash)}

// errNeedPassword: the saved session did not work and no password is at hand;
// errSessionGone says there was a saved session, and the server forgot it.
var (
	errNeedPassword = errors.New("the password is needed")
	errSessionGone  = fmt.Errorf("the saved session has ended: %w", errNeedPassword)
)

func (s *Session) knownHashes() *Hashes {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hashes
}

func (s *Session) hasStoredSession() bool {
	sid, _ := s.cfg.Store.Load(s.cfg.URL, s.cfg.Login)
	return sid != ""
}

// askPassword gets the password and keeps only its hashes.
func (s *Session) askPassword() error {
	pw, err := s.cfg.Password()
	if err != nil {
		return oktell.Wrap(oktell.Because(oktell.ReasonPasswordUnread, oktell.CleanLine(err.Error())), err)
	}
	h, err := HashPassword(pw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.hashes = &h
	s.mu.Unlock()
	return nil
}

// openFollowing opens a link where the server last sent us, else at the address given.
// A redirect is followed once per attempt. When the redirect's target fails, the target
// is forgotten and the address given is tried again, in the same attempt if the target
// was remembered from before: the server may have stopped redirecting.
func (s *Session) openFollowing(ctx context.Context) (*link, error) {
	s.mu.Lock()
	target := s.target
	s.mu.Unlock()
	if target != "" {
		l, err := s.open(ctx, target)
		if err == nil || ctx.Err() != nil {
			return l, err
		}
		s.cfg.Logf("ws: %s failed (%v); back to %s", target, err, s.cfg.URL)
		s.setTarget("")
	}
	l, err := s.open(ctx, s.cfg.URL)
	if !errors.Is(err, errRedirect) {
		return l, err
	}
	target = redirectURL(s.cfg.URL, s.cfg.RedirectPort)
	s.cfg.Logf("ws: redirected to %s", target)
	if l, err = s.open(ctx, target); err != nil {
		s.setTarget("") // the next attempt asks the address given again
		return nil, err
	}
	s.setTarget(target)
	return l, nil
}

func (s *Session) setTarget(t string) {
	s.mu.Lock()
	s.target = t
	s.mu.Unlock()
}

func redirectURL(raw string, port int) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = "wss"
	u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(port))
	return u.String()
}

// open dials and makes the ping/qid opening.
func (s *Session) open(ctx context.Context, target string) (*link, error) {
	dctx, cancel := clockTimeout(ctx, s.feed.Clock(), s.cfg.Timeout)
	defer cancel()
	opts := &websocket.DialOptions{Subprotocols: []string{"json"}}
	if strings.HasPrefix(target, "wss:") && (s.cfg.InsecureTLS || s.cfg.RootCAs != nil) {
		opts.HTTPClient = &http.Client{Transport: &http.Transport{
			Proxy:           http.ProxyFromEnvironment,
			TLSClientConfig: &tls.Config{InsecureSkipVerify: s.cfg.InsecureTLS, RootCAs: s.cfg.RootCAs},
		}}
	}
	c, resp, err := websocket.Dial(dctx, target, opts)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return nil, dialReason(target, err, status, s.cfg.Timeout, dctx.Err() != nil && ctx.Err() == nil)
	}
	if c.Subprotocol() != "json" {
		c.Close(websocket.StatusProtocolError, "want subprotocol json")
		return nil, &oktell.ReasonError{Why: oktell.Because(oktell.ReasonConnectTo, target, oktell.Because(oktell.ReasonNotOktellPort))}
	}
	if err := s.capture.opened(target); err != nil {
		s.feed.Problem(err)
	}
	l := newLinkWith(c, s.feed.Clock(), s.cfg.Timeout, s.cfg.Logf, linkOptions{capture: s.capture, maxBuffered: s.cfg.MaxBuffered})
	if _, err := l.request(ctx, "ping", nil); err != nil {
		if errors.Is(l.Err(), errRedirect) {
			l.close(errRedirect)
			return nil, errRedirect
		}
		l.close(err)
		why := oktell.Because(oktell.ReasonConnectTo, target, oktell.Because(oktell.ReasonOpeningPing, oktell.ReasonOf(err)))
		return nil, oktell.Wrap(why, err)
	}
	return l, nil
}

// clockTimeout is context.WithTimeout on the session clock, so that tests decide.
func clockTimeout(ctx context.Context, clock oktell.Clock, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	fire := clock.After(d)
	go func() {
		select {
		case <-fire:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// login logs in with the saved session id when there is one, else (or when the
// server no longer knows it) with the password hashes at hand, else errNeedPassword.
func (s *Session) login(ctx context.Context, l *link) error {
	base := func() map[string]any {
		return map[string]any{"userlogin": s.cfg.Login, "showid": 1, "usewebrtc": false}
	}
	server := s.cfg.URL
	sid, err := s.cfg.Store.Load(server, s.cfg.Login)
	if err != nil {
		s.cfg.Logf("ws: saved session: %v", err)
	}
	needPassword := errNeedPassword
	if sid != "" {
		body := base()
		body["sessionid"] = sid
		f, err := l.call(ctx, "login", body)
		if err == nil {
			s.deskReplied("login", f)
			s.saveSession(f, sid)
			return nil
		}
		var re *oktell.RefusedError
		if !errors.As(err, &re) || isTransient(re) {
			return err // the link or the server failed, not the session: keep the id
		}
		s.cfg.Logf("ws: login with the saved session refused: %v", err)
		if err := s.cfg.Store.Delete(server, s.cfg.Login); err != nil {
			s.cfg.Logf("ws: forget saved session: %v", err)
		}
		needPassword = errSessionGone
	}
	// Only the hashes are kept, in memory, so that a server restart that forgets the
	// session, or a server still starting, needs no new prompt.
	h := s.knownHashes()
	if h == nil {
		return needPassword
	}
	body := base()
	body["Password"] = h.Password
	body["password"] = h.Lower
	f, err := l.call(ctx, "login", body)
	if isWrongPassword(err) {
		s.mu.Lock()
		s.hashes = nil // a password file may hold a new one next time
		s.mu.Unlock()
	}
	if err != nil {
		return err
	}
	s.deskReplied("login", f)
	s.saveSession(f, "")
	return nil
}

func (s *Session) saveSession(f Frame, old string) {
	sid := f.String("sessionid")
	if sid == "" || sid == old {
		return
	}
	if err := s.cfg.Store.Save(s.cfg.URL, s.cfg.Login, sid); err != nil {
		s.cfg.Logf("ws: save session: %v", err)
	}
}

// afterLogin does what the vendor's client does after login, as far as okdash needs
// it: getversion, getmyuserinfo and getuserstate must succeed; the break reasons may not.
// What each reply means is replied's, so that a replayed capture reads it the same way.
func (s *Session) afterLogin(ctx context.Context, l *link) error {
	if _, err := l.call(ctx, "subscribeevent", map[string]any{"eventmethod": []string{"userstatechanged"}}); err != nil {
		return oktell.Wrap(oktell.Because(oktell.ReasonSubscribeFailed, oktell.ReasonOf(err)), err)
	}
	if _, err := s.ask(ctx, l, "getversion", map[string]any{"userlogin": s.cfg.Login, "showalloweddbstoredprocs": 1}); err != nil {
		return loginStep("getversion", err)
	}
	if _, err := s.ask(ctx, l, "getmyuserinfo", map[string]any{"userlogin": s.cfg.Login}); err != nil {
		return loginStep("getmyuserinfo", err)
	}
	if _, err := s.ask(ctx, l, "cc_getlunchtypes", map[string]any{"userlogin": s.cfg.Login}); err != nil {
		s.cfg.Logf("ws: break reasons: %v", err)
		s.mu.Lock()
		s.lunch = nil
		s.mu.Unlock()
	}
	// Not ask: the state is shown after the status that says who is connected.
	st, err := l.call(ctx, "getuserstate", map[string]any{"userlogin": s.cfg.Login})
	if err != nil {
		return loginStep("getuserstate", err)
	}
	s.mu.Lock()
	s.cur = l
	s.mu.Unlock()
	// Armed before the status goes out, so that a test seeing "connected" may move the clock.
	l.tick = s.feed.Clock().After(s.cfg.Keepalive)
	l.since = s.feed.Clock().Now()
	s.status(oktell.LinkConnected)
	s.replied("getuserstate", st)
	s.reportBreakReasons()
	s.startDesk(l)
	return nil
}

// reportBreakReasons tells the dashboard the break reasons of this login, with the one
// Config.BreakReason names resolved against them, when they differ from the last told.
func (s *Session) reportBreakReasons() {
	s.mu.Lock()
	b := oktell.NewBreakReasons(s.lunch, s.cfg.BreakReason)
	same := s.breaks != nil && s.breaks.Equal(b)
	if !same {
		s.breaks = &b
	}
	s.mu.Unlock()
	if !same {
		s.feed.Send(oktell.Update{BreakReasons: &b})
	}
}

// ask is l.call, then replied with the reply when it succeeded: a request whose answer
// the dashboard shows goes through ask, so that a replayed capture shows it too.
func (s *Session) ask(ctx context.Context, l *link, method string, body map[string]any) (Frame, error) {
	f, err := l.call(ctx, method, body)
	if err == nil {
		s.replied(method, f)
	}
	return f, err
}

// replied takes what a successful reply to method tells: the live session calls it for
// the replies it waited for, and a replayed capture for every reply in the file. Like
// pushed, it must not need a link (a replay has none): what a reply means goes here, and
// asking the server for more stays with the caller.
func (s *Session) replied(method string, f Frame) {
	switch method {
	case "getversion":
		s.mu.Lock()
		s.version = versionString(f.Body)
		s.mu.Unlock()
	case "getmyuserinfo":
		s.mu.Lock()
		s.operator = fieldText(f.Body, "username")
		s.line = fieldText(f.Body, "linenumber")
		if s.operator == "" {
			s.operator = s.cfg.Login
		}
		s.mu.Unlock()
	case "cc_getlunchtypes":
		lunch, listed := lunchReasons(f.Body)
		if listed > len(lunch) && listed > oktell.MaxBreakReasons {
			s.feed.Problem(tooMany(oktell.ReasonTooManyBreaks, listed, len(lunch)))
		}
		s.mu.Lock()
		s.lunch = lunch
		s.mu.Unlock()
	case "getuserstate":
		// Pushed states queued before this reply are older than it: pushed drops them.
		s.fresh = f.seq
		s.emitState(f, true)
	default:
		s.deskReplied(method, f) // the line, the queue, colleagues, the login's user id
	}
}

// pushed takes a frame the server pushed (or a reply that carries news, such as the new
// state in a setuserstate reply), in wire order, for the live link and a replayed capture
// alike. New kinds of events go here; it must not need a link (a replay has none).
func (s *Session) pushed(f Frame) {
	switch {
	case f.notice != nil:
		s.feed.Problem(f.notice)
	case strings.EqualFold(f.Name, "userstatechanged"):
		if f.seq != 0 && f.seq < s.fresh {
			return
		}
		s.emitState(f, false)
	case s.deskEvent(f):
	default:
		s.cfg.Logf("ws: ignored event %q", f.Name)
	}
}

func versionString(body map[string]any) string {
	v, _ := body["version"].(map[string]any)
	if v == nil {
		return ""
	}
	return fieldString(v, "build")
}

// lunchReasons reads cc_getlunchtypes' items: the first oktell.MaxBreakReasons with an
// id, and how many items the server listed.
func lunchReasons(body map[string]any) ([]LunchReason, int) {
	items, _ := body["items"].([]any)
	var out []LunchReason
	for _, m := range objects(items) {
		if len(out) == oktell.MaxBreakReasons {
			break
		}
		id := clipName(fieldString(m, "id"))
		if id == "" {
			continue
		}
		name := clipName(fieldText(m, "name"))
		if name == "" {
			name = strings.TrimSpace(oktell.CleanLine(id)) // a reason the server did not name still needs a word in the picker
		}
		if name == "" {
			continue // nothing an operator could read to choose it
		}
		out = append(out, LunchReason{ID: id, Name: name})
	}
	return out, len(items)
}

// fieldText is a text field of a frame as the screen may show it: escape sequences and
// control characters removed (oktell.CleanLine), spaces around trimmed.
func fieldText(body map[string]any, key string) string {
	return strings.TrimSpace(oktell.CleanLine(fieldString(body, key)))
}

// run keeps the link: forwards pushed states, pings every Keepalive, and after a drop
// reports ConnectionLost and reconnects with backoff until ctx (the feed's) ends. When
// the server refuses for good it ends the session, which closes Updates. A link that did
// not stay up for StableAfter counts as a failed try: a server that drops every link
// right after the login is tried less and less often, as one that refuses it.
func (s *Session) run(ctx context.Context, l *link) {
	var wait time.Duration // the last wait between tries, kept while links fail
	if l == nil && !s.isParked() {
		// Dial found the server starting.
		l, wait = s.reconnect(ctx, 0, oktell.Reason{})
	}
	for {
		if l == nil { // closed for good: the operator may ask for another login
			if l = s.park(ctx); l == nil {
				return // closed
			}
			wait = 0
		}
		reason := s.serve(ctx, l)
		s.mu.Lock()
		s.cur = nil
		s.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
		if s.feed.Clock().Now().Sub(l.since) >= s.cfg.StableAfter {
			wait = 0 // the first try at once: a restart is often quick
		} else {
			wait = s.nextWait(wait)
		}
		s.feed.Event(oktell.NewEvent(oktell.ConnectionLost), nil)
		l, wait = s.reconnect(ctx, wait, reason)
	}
}

// park waits, with the link closed for good, until Reconnect asks for another login or
// the session closes (nil). A login refused again leaves it parked; a link that fails
// is tried again as after a drop, until it works or is refused.
func (s *Session) park(ctx context.Context) *link {
	for {
		var req againReq
		select {
		case <-ctx.Done():
			return nil
		case req = <-s.again:
		}
		l, err := s.tryAgain(ctx, req.password)
		req.done <- err
		if l != nil || ctx.Err() != nil {
			return l
		}
		if !s.isParked() {
			if l, _ = s.reconnect(ctx, s.nextWait(0), oktell.ReasonOf(err)); l != nil || ctx.Err() != nil {
				return l
			}
		}
	}
}

// tryAgain is the first try of a Reconnect: the password's hashes replace those at hand.
func (s *Session) tryAgain(ctx context.Context, password string) (*link, error) {
	if password != "" {
		h, err := HashPassword(password)
		if err != nil {
			return nil, err // still parked: the server never saw it
		}
		s.mu.Lock()
		s.hashes = &h
		s.mu.Unlock()
	}
	s.mu.Lock()
	s.parked = false
	s.mu.Unlock()
	s.status(oktell.LinkConnecting)
	l, err := s.connect(ctx, false)
	if err != nil && ctx.Err() == nil {
		s.refusedForGood(err)
	}
	return l, err
}

// nextWait is the wait after one more failed try: BackoffMin, then twice as long each
// time up to BackoffMax.
func (s *Session) nextWait(wait time.Duration) time.Duration {
	if wait == 0 {
		return s.cfg.BackoffMin
	}
	return min(wait*2, s.cfg.BackoffMax)
}

// serve runs one link until it ends and says why.
func (s *Session) serve(ctx context.Context, l *link) oktell.Reason {
	tick := l.tick
	for {
		select {
		case f, ok := <-l.events:
			if !ok {
				<-l.done
				return linkReason(l.Err())
			}
			s.pushed(f)
		case <-tick:
			tick = s.feed.Clock().After(s.cfg.Keepalive)
			s.feed.Go(func(ctx context.Context) { // a goroutine of the feed: Close waits for it
				if _, err := l.request(ctx, "ping", nil); err != nil && l.Err() == nil && ctx.Err() == nil {
					l.close(oktell.Wrap(oktell.Because(oktell.ReasonKeepalive, oktell.ReasonOf(err)), err))
				}
			})
		case <-ctx.Done():
			l.close(errSessionClosed)
			return oktell.Because(oktell.ReasonClosed)
		}
	}
}

// linkReason is why a link ended, as a code.
func linkReason(err error) oktell.Reason {
	if err == nil {
		return oktell.Because(oktell.ReasonConnectionLost)
	}
	return oktell.ReasonOf(err)
}

// reasonText is why a link ended, in English: for the capture.
func reasonText(err error) string { return linkReason(err).String() }

// loginStep is a request of the login's sequence that failed, named by its method.
func loginStep(method string, err error) error {
	return oktell.Wrap(oktell.Because(oktell.ReasonRequestFailed, method, oktell.ReasonOf(err)), err)
}

// reconnect tries again and again: after wait (0: at once), then as nextWait says,
// until a login succeeds (the link, and the last wait), the server refuses for good
// (status closed, parked, nil), or ctx ends (nil). why is the reason the link went down, for the
// status; "" when the status says it already.
func (s *Session) reconnect(ctx context.Context, wait time.Duration, why oktell.Reason) (*link, time.Duration) {
	var timer <-chan time.Time // armed before the status says when, so tests can act on it
	switch {
	case wait > 0:
		timer = s.feed.Clock().After(wait)
		s.statusWhy(oktell.LinkReconnecting, oktell.Because(oktell.ReasonNextTry, why, wait))
	case !why.IsZero():
		s.statusWhy(oktell.LinkReconnecting, why)
	}
	for {
		if timer != nil {
			select {
			case <-timer:
			case <-ctx.Done():
				return nil, wait
			}
		}
		l, err := s.connect(ctx, false)
		if err == nil {
			return l, wait
		}
		if ctx.Err() != nil {
			return nil, wait
		}
		if s.refusedForGood(err) {
			return nil, wait
		}
		wait = s.nextWait(wait)
		timer = s.feed.Clock().After(wait)
		s.statusWhy(oktell.LinkReconnecting, oktell.Because(oktell.ReasonNextTry, oktell.ReasonOf(err), wait))
	}
}

// Logout ends the session on the server (logout) and forgets the stored session id,
// so that the next start asks for the password. Close it afterwards.
func (s *Session) Logout(ctx context.Context) error {
	if s.replaying() {
		return oktell.ErrUnsupported
	}
	s.mu.Lock()
	l := s.cur
	s.mu.Unlock()
	if err := s.cfg.Store.Delete(s.cfg.URL, s.cfg.Login); err != nil {
		return err
	}
	if l == nil {
		return oktell.ErrNotConnected
	}
	_, err := l.call(ctx, "logout", map[string]any{"userlogin": s.cfg.Login})
	return err
}

// Updates implements oktell.Session.
func (s *Session) Updates() <-chan oktell.Update { return s.feed.Updates() }
