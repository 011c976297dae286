package demo

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/okdash/okdash/internal/textfile"
	"github.com/okdash/okdash/oktell"
)

// builtinShift is the default scenario: a shift a trainer can show in two or three minutes.
//
//go:embed shift.txt
var builtinShift []byte

// BuiltinName is the name parse errors and the header use for the embedded shift.
const BuiltinName = "built-in shift"

// Op is what a scenario step does.
type Op int

// Scenario steps.
const (
	OpWait     Op = iota // wait Delay (scaled by the speed)
	OpDoc                // deliver Doc
	OpState              // the server changes the state to State, keeping redirect
	OpRedirect           // the server turns redirect on or off (On), keeping the state
	OpLine               // the phone line appears (On) or disappears; nothing is delivered
	OpLinkDown           // the link to the server drops, with Reason
	OpLinkUp             // the link comes back
	OpLoop               // start again from the first step

	OpRing        // an incoming call from Number (Name, Info) rings
	OpCall        // the operator dials Number (Name)
	OpAnswer      // the ringing or dialled call is answered: the talk starts
	OpHold        // the call goes on hold
	OpResume      // the call comes back from hold
	OpHangup      // the call ends
	OpQueueAdd    // a caller (Number, Name) joins the queue
	OpQueueRemove // the callers with Number leave the queue
	OpQueueClear  // the queue empties
	OpColleague   // colleague Login's state becomes State
)

// Step is one line (or one document) of a scenario.
type Step struct {
	Op     Op
	Line   int // where the step starts in the file, for messages
	Delay  time.Duration
	Doc    string // the document's text, with ${now} and ${guid} still in it
	State  oktell.UserState
	On     bool
	Reason string
	// Why is a link down's reason as a code, for one okdash makes itself (a trainer's);
	// a scenario's own words stay in Reason.
	Why LinkDrop
	// The call, the queue and colleagues: a number, a name, free text, a login.
	Number string
	Name   string
	Info   string
	Login  string
}

// Scenario is a parsed scenario file.
type Scenario struct {
	Name  string
	Steps []Step
	// Colleagues are the senders of the scenario's UserMessage documents, by id, so
	// the demo knows who may be written to and who answers.
	Colleagues map[string]string
	Replies    []string
	// Roster are the colleagues the scenario declares (colleague LOGIN NUMBER NAME), in
	// order, with their departments and starting states; their ids are those of the
	// usermessage senders of the same name, so the one who writes is the one listed.
	Roster []oktell.Colleague
	// BreakReasons are the reasons the scenario's server lists for a break
	// (breakreasons NAME, NAME, ...), in order; none when it lists none.
	BreakReasons []oktell.BreakReason
}

// HasCalls reports whether the scenario rings or dials: the demo then reports the line.
func (s *Scenario) HasCalls() bool { return s.has(OpRing, OpCall) }

// HasQueue reports whether the scenario has a queue.
func (s *Scenario) HasQueue() bool { return s.has(OpQueueAdd, OpQueueRemove, OpQueueClear) }

func (s *Scenario) has(ops ...Op) bool {
	for _, st := range s.Steps {
		for _, op := range ops {
			if st.Op == op {
				return true
			}
		}
	}
	return false
}

// Length is the scenario's duration at speed 1 up to its loop (or its end).
func (s *Scenario) Length() time.Duration {
	var d time.Duration
	for _, st := range s.Steps {
		if st.Op == OpWait {
			d += st.Delay
		}
	}
	return d
}

// Builtin returns the embedded shift.
func Builtin() *Scenario {
	sc, err := Parse(BuiltinName, bytes.NewReader(builtinShift))
	if err != nil {
		panic("demo: the built-in shift does not parse: " + err.Error()) // caught by the package's tests
	}
	return sc
}

// BuiltinText is the embedded shift as written, comments and all: the starting point
// for a trainer's own scenario (okdash sim --print-scenario).
func BuiltinText() []byte { return bytes.Clone(builtinShift) }

// Load reads a scenario file; an empty path means the built-in shift.
func Load(path string) (*Scenario, error) {
	if path == "" {
		return Builtin(), nil
	}
	// Notepad saves UTF-16 or adds a BOM; other encodings are refused with the line.
	text, err := textfile.Read(path, MaxFileSize)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, &textfile.Error{Path: path, Msg: "the file is empty; okdash sim --print-scenario writes the built-in shift to start from"}
	}
	return Parse(path, strings.NewReader(text))
}

// MaxFileSize is the largest scenario file Load reads.
const MaxFileSize = 16 << 20

// ParseError names the file and line of a scenario problem, and the column (in
// characters, from 1) when the mistake is inside a line, as in a broken document.
type ParseError struct {
	File string
	Line int
	Col  int // 0: the whole line
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Parse reads a scenario. The format (see shift.txt, which is its own example):
//
//	# a comment; blank lines are ignored
//	wait 2.5s                    pause (500ms, 3s, 1m30s, or 2.5 meaning seconds), divided by --speed
//	state usReady                the server sets the state (keeps redirect): a UserStateChanged
//	redirect on|off              the server sets redirect (keeps the state): a UserStateChanged
//	line on|off                  the phone line registers or disappears (nothing is shown)
//	link down REASON             the link to the server drops: a ConnectionLost, requests fail
//	link up                      the link is back: the state is reported again
//	reply TEXT                   a colleague's answer to the operator's messages
//	ring NUMBER [NAME] [| INFO]  an incoming call rings (only a ready operator with a line gets it)
//	call NUMBER [NAME]           the operator dials out (only when ready)
//	answer                       the ringing or dialled call is answered: busy, the talk timer starts
//	hold, resume                 the call goes on hold, and comes back
//	hangup                       the call ends; the operator is back in their own state
//	queue add NUMBER [NAME]      a caller joins the queue; queue remove NUMBER, queue clear
//	department NAME              the colleagues declared after it work there (department: none)
//	colleague LOGIN NUMBER NAME  a colleague, ready at the start
//	colleague LOGIN is STATE     a colleague's state changes (usReady, usLunch, ...)
//	breakreasons NAME, NAME      the break reasons the server lists (Обед, Перерыв, Обучение)
//	loop                         start again from the top
//	<?xml ... </oktellcommapper> a whole document, delivered as it is written; ${now} becomes
//	                             the current time (dd.MM.yyyy HH:mm:ss) and ${guid} a fresh GUID
func Parse(name string, r io.Reader) (*Scenario, error) {
	sc := &Scenario{Name: name, Colleagues: map[string]string{}}
	in := bufio.NewScanner(r)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	lineNo := 0
	fail := func(line int, format string, a ...any) error {
		return &ParseError{File: name, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	var doc *strings.Builder
	docLine := 0
	department := ""
	declared := map[string]int{} // colleague login -> line
	reasonsLine := 0             // where breakreasons was given
	for in.Scan() {
		lineNo++
		raw := in.Text()
		if lineNo == 1 {
			raw = strings.TrimPrefix(raw, "\uFEFF")
		}
		line := strings.TrimSpace(raw)
		if doc != nil {
			doc.WriteString(raw)
			doc.WriteByte('\n')
			if strings.Contains(line, "</oktellcommapper>") || strings.Contains(line, "</oktellxmlmapper>") {
				if err := sc.addDoc(doc.String(), docLine); err != nil {
					return nil, docFail(name, doc.String(), docLine, err)
				}
				doc = nil
			}
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "<") {
			doc = &strings.Builder{}
			docLine = lineNo
			doc.WriteString(raw)
			doc.WriteByte('\n')
			if strings.Contains(line, "</oktellcommapper>") || strings.Contains(line, "</oktellxmlmapper>") ||
				(strings.HasSuffix(line, "/>") && !strings.HasPrefix(line, "<?")) {
				if err := sc.addDoc(doc.String(), docLine); err != nil {
					return nil, docFail(name, doc.String(), docLine, err)
				}
				doc = nil
			}
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		st := Step{Line: lineNo}
		switch strings.ToLower(word) {
		case "wait":
			d, err := parseWait(rest)
			if err != nil {
				return nil, fail(lineNo, "wait %q: want a duration such as 500ms, 3s, 1m30s or 2.5 (seconds)", rest)
			}
			st.Op, st.Delay = OpWait, d
		case "state":
			s, ok := oktell.UserStateByName(rest)
			if !ok {
				return nil, fail(lineNo, "state %q: want usReady, usLunch, usOff, usFullbusy, usReserved, usWOphone or usDisconnected", rest)
			}
			st.Op, st.State = OpState, s
		case "redirect", "line":
			on, ok := onOff(rest)
			if !ok {
				return nil, fail(lineNo, "%s %q: want on or off", word, rest)
			}
			st.Op, st.On = OpRedirect, on
			if strings.EqualFold(word, "line") {
				st.Op = OpLine
			}
		case "link":
			dir, reason, _ := strings.Cut(rest, " ")
			switch strings.ToLower(dir) {
			case "down":
				st.Op, st.Reason = OpLinkDown, strings.TrimSpace(reason)
				if st.Reason == "" {
					st.Why = DropServerLinkLost
				}
			case "up":
				st.Op = OpLinkUp
			default:
				return nil, fail(lineNo, "link %q: want link down REASON or link up", rest)
			}
		case "reply":
			if rest == "" {
				return nil, fail(lineNo, "reply: the text is missing")
			}
			sc.Replies = append(sc.Replies, rest)
			continue
		case "ring":
			f := strings.Fields(rest)
			if len(f) == 0 || strings.HasPrefix(f[0], "|") {
				return nil, fail(lineNo, "ring: want ring NUMBER [NAME] [| INFO]")
			}
			name, info, _ := strings.Cut(afterFields(rest, 1), "|")
			st.Op, st.Number, st.Name, st.Info = OpRing, f[0], strings.TrimSpace(name), strings.TrimSpace(info)
		case "call":
			f := strings.Fields(rest)
			if len(f) == 0 {
				return nil, fail(lineNo, "call: want call NUMBER [NAME]")
			}
			st.Op, st.Number, st.Name = OpCall, f[0], afterFields(rest, 1)
		case "answer", "hold", "resume", "hangup":
			if rest != "" {
				return nil, fail(lineNo, "%s takes no argument, got %q", word, rest)
			}
			st.Op = map[string]Op{"answer": OpAnswer, "hold": OpHold, "resume": OpResume, "hangup": OpHangup}[strings.ToLower(word)]
		case "queue":
			what, arg, _ := strings.Cut(rest, " ")
			arg = strings.TrimSpace(arg)
			switch strings.ToLower(what) {
			case "add":
				f := strings.Fields(arg)
				if len(f) == 0 {
					return nil, fail(lineNo, "queue add: want queue add NUMBER [NAME]")
				}
				st.Op, st.Number, st.Name = OpQueueAdd, f[0], afterFields(arg, 1)
			case "remove":
				if arg == "" || strings.ContainsAny(arg, " \t") {
					return nil, fail(lineNo, "queue remove: want queue remove NUMBER")
				}
				st.Op, st.Number = OpQueueRemove, arg
			case "clear":
				if arg != "" {
					return nil, fail(lineNo, "queue clear takes no argument, got %q", arg)
				}
				st.Op = OpQueueClear
			default:
				return nil, fail(lineNo, "queue %q: want queue add NUMBER [NAME], queue remove NUMBER or queue clear", what)
			}
		case "department":
			department = rest
			continue
		case "colleague":
			f := strings.Fields(rest)
			if len(f) == 3 && strings.EqualFold(f[1], "is") {
				s, ok := oktell.UserStateByName(f[2])
				if !ok {
					return nil, fail(lineNo, "colleague %s is %q: want usReady, usLunch, usOff, usFullbusy, usReserved, usWOphone or usDisconnected", f[0], f[2])
				}
				if _, ok := declared[f[0]]; !ok {
					return nil, fail(lineNo, "colleague %q is not declared above: write colleague %s NUMBER NAME first", f[0], f[0])
				}
				st.Op, st.Login, st.State = OpColleague, f[0], s
				break
			}
			if len(f) < 3 {
				return nil, fail(lineNo, "colleague: want colleague LOGIN NUMBER NAME, or colleague LOGIN is STATE")
			}
			if prev, dup := declared[f[0]]; dup {
				return nil, fail(lineNo, "colleague %q already declared on line %d", f[0], prev)
			}
			if len(sc.Roster) == oktell.MaxColleagues {
				return nil, fail(lineNo, "colleague %q: a scenario lists at most %d colleagues", f[0], oktell.MaxColleagues)
			}
			declared[f[0]] = lineNo
			sc.Roster = append(sc.Roster, oktell.Colleague{
				Login: f[0], Number: f[1], Numbers: []string{f[1]}, Name: afterFields(rest, 2),
				Department: department, State: oktell.UserReady, StateKnown: true,
			})
			continue
		case "breakreasons":
			if reasonsLine != 0 {
				return nil, fail(lineNo, "breakreasons already given on line %d: list every reason there", reasonsLine)
			}
			list, err := parseBreakReasons(rest)
			if err != nil {
				return nil, fail(lineNo, "breakreasons: %v", err)
			}
			sc.BreakReasons, reasonsLine = list, lineNo
			continue
		case "loop":
			if rest != "" {
				return nil, fail(lineNo, "loop takes no argument, got %q", rest)
			}
			if sc.Length() == 0 {
				return nil, fail(lineNo, "loop with no wait before it would repeat forever without pause")
			}
			st.Op = OpLoop
		default:
			return nil, fail(lineNo, "unknown directive %q: want wait, state, redirect, line, link, reply, ring, call, answer, hold, resume, hangup, queue, department, colleague, breakreasons, loop or an XML document", word)
		}
		sc.Steps = append(sc.Steps, st)
	}
	if err := in.Err(); err != nil {
		return nil, fail(lineNo, "%v", err)
	}
	if doc != nil {
		return nil, fail(docLine, "document not closed: no </oktellcommapper> before the end of the file")
	}
	if len(sc.Steps) == 0 {
		return nil, fail(lineNo, "the scenario has no steps")
	}
	if len(sc.Replies) == 0 {
		sc.Replies = defaultReplies
	}
	sc.identifyRoster()
	return sc, nil
}

// identifyRoster gives each declared colleague an id: the id of a usermessage sender of
// the same name, else one made from the login; and makes every one of them someone the
// operator can write to.
func (sc *Scenario) identifyRoster() {
	byName := map[string]string{}
	for id, name := range sc.Colleagues {
		byName[strings.ToLower(strings.TrimSpace(name))] = id
	}
	for i := range sc.Roster {
		c := &sc.Roster[i]
		if id, ok := byName[strings.ToLower(c.Name)]; ok {
			c.ID = id
		} else {
			c.ID = uuid.NewSHA1(uuid.NameSpaceOID, []byte("okdash-demo-colleague/"+c.Login)).String()
		}
		sc.Colleagues[strings.ToLower(c.ID)] = c.Name
	}
}

// parseBreakReasons reads "Обед, Перерыв, Обучение": names separated by commas, each
// given an id of its own that stays the same from one run to the next.
func parseBreakReasons(text string) ([]oktell.BreakReason, error) {
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("want breakreasons NAME, NAME, ... (say, Обед, Перерыв, Обучение)")
	}
	var out []oktell.BreakReason
	seen := map[string]bool{}
	for i, name := range strings.Split(text, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			return nil, fmt.Errorf("reason %d is empty: want names separated by commas", i+1)
		case len(name) > oktell.MaxNameLen:
			return nil, fmt.Errorf("reason %d is longer than %d bytes", i+1, oktell.MaxNameLen)
		case oktell.CleanLine(name) != name:
			return nil, fmt.Errorf("reason %d (%q) has a control character", i+1, name)
		case seen[strings.ToLower(name)]:
			return nil, fmt.Errorf("%q is listed twice", name)
		case len(out) == oktell.MaxBreakReasons:
			return nil, fmt.Errorf("at most %d reasons", oktell.MaxBreakReasons)
		}
		seen[strings.ToLower(name)] = true
		id := uuid.NewSHA1(uuid.NameSpaceOID, []byte("okdash-demo-break/"+strings.ToLower(name))).String()
		out = append(out, oktell.BreakReason{ID: id, Name: name})
	}
	return out, nil
}

var defaultReplies = []string{
	"Принято, спасибо!",
	"Хорошо, сейчас посмотрю.",
	"Ок, договорились.",
}

// afterFields is s without its first n fields (separated by white space), the rest as written.
func afterFields(s string, n int) string {
	for i := 0; i < n; i++ {
		s = strings.TrimLeft(s, " \t")
		j := strings.IndexAny(s, " \t")
		if j < 0 {
			return ""
		}
		s = s[j:]
	}
	return strings.TrimSpace(s)
}

// parseWait reads a Go duration, or a plain number of seconds.
func parseWait(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > 24*3600 {
			return 0, err
		}
		d = time.Duration(f * float64(time.Second))
	}
	if d < 0 {
		return 0, fmt.Errorf("negative")
	}
	return d, nil
}

func onOff(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "on", "1", "yes":
		return true, true
	case "off", "0", "no":
		return false, true
	}
	return false, false
}

// docError is a mistake in a scenario document, at a byte offset of the document's text
// as written (placeholders not expanded).
type docError struct {
	off int64 // -1: the document as a whole
	msg string
}

func (e *docError) Error() string { return e.msg }

// bytePhrase finds the offsets oktell's messages mention ("opened at byte 73").
var bytePhrase = regexp.MustCompile(`\bbyte (\d+)`)

// docFail turns a problem with the document text that starts at line first into a
// ParseError at the line and column of the mistake itself; offsets the message mentions
// become lines and columns too.
func docFail(file, text string, first int, err error) error {
	pos := func(off int64) (line, col int) {
		// The text ends in the line break added after its last line: the end of the
		// document is the end of that line, not a line after the file's last.
		off = min(max(off, 0), int64(len(strings.TrimSuffix(text, "\n"))))
		before := text[:off]
		nl := strings.LastIndexByte(before, '\n')
		return first + strings.Count(before, "\n"), utf8.RuneCountInString(before[nl+1:]) + 1
	}
	de, ok := err.(*docError)
	if !ok || de.off < 0 {
		return &ParseError{File: file, Line: first, Msg: err.Error()}
	}
	line, col := pos(de.off)
	msg := bytePhrase.ReplaceAllStringFunc(de.msg, func(m string) string {
		n, err := strconv.ParseInt(m[len("byte "):], 10, 64)
		if err != nil {
			return m
		}
		l, c := pos(n)
		return fmt.Sprintf("line %d column %d", l, c)
	})
	return &ParseError{File: file, Line: line, Col: col, Msg: msg}
}

// addDoc checks a document now, so a broken scenario fails at load with the line and
// column of its mistake, and learns the colleagues it mentions.
func (sc *Scenario) addDoc(text string, line int) error {
	expanded, back := expandTracked(text, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "00000000-0000-0000-0000-000000000000")
	d, err := oktell.Decode([]byte(expanded))
	if err != nil {
		var oe *oktell.Error
		if errors.As(err, &oe) {
			msg := bytePhrase.ReplaceAllStringFunc(oe.Msg, func(m string) string {
				n, err := strconv.ParseInt(m[len("byte "):], 10, 64)
				if err != nil {
					return m
				}
				return fmt.Sprintf("byte %d", back(n))
			})
			return &docError{off: back(oe.Offset), msg: "document: " + msg}
		}
		return &docError{off: -1, msg: fmt.Sprintf("document: %v", err)}
	}
	if len(d.Events) == 0 {
		return &docError{off: -1, msg: "document holds no event"}
	}
	for i := range d.Events {
		ev := &d.Events[i]
		if ev.Type == oktell.UserMessage {
			m, _ := ev.Message()
			if m.SenderID != "" && m.SenderName != "" {
				sc.Colleagues[strings.ToLower(m.SenderID)] = m.SenderName
			}
		}
	}
	sc.Steps = append(sc.Steps, Step{Op: OpDoc, Line: line, Doc: text})
	return nil
}

// expand replaces the placeholders of a scenario document.
func expand(text string, now time.Time, guid string) string {
	if !strings.Contains(text, "${") {
		return text
	}
	r := strings.NewReplacer("${now}", now.Format(oktell.DateLayout), "${guid}", guid)
	return r.Replace(text)
}

// expandTracked is expand, also returning the map from an offset in the result back to
// the text as written, so that a mistake is reported where the author sees it.
func expandTracked(text string, now time.Time, guid string) (string, func(int64) int64) {
	type seg struct{ orig, exp, origLen, expLen int64 }
	var (
		b    strings.Builder
		segs []seg
	)
	subst := map[string]string{"${now}": now.Format(oktell.DateLayout), "${guid}": guid}
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "${")
		if j < 0 {
			b.WriteString(text[i:])
			break
		}
		b.WriteString(text[i : i+j])
		i += j
		matched := false
		for ph, v := range subst {
			if strings.HasPrefix(text[i:], ph) {
				segs = append(segs, seg{int64(i), int64(b.Len()), int64(len(ph)), int64(len(v))})
				b.WriteString(v)
				i += len(ph)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteString("${")
			i += 2
		}
	}
	back := func(e int64) int64 {
		var delta int64
		for _, s := range segs {
			if e < s.exp {
				break
			}
			if e < s.exp+s.expLen {
				return s.orig // inside what a placeholder became: the placeholder
			}
			delta = s.exp + s.expLen - (s.orig + s.origLen)
		}
		return e - delta
	}
	return b.String(), back
}
