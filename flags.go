package main

// Every flag of okdash is declared once, in the settings table below: its name (also
// its key in the configuration file and, in capitals, its environment variable), its
// default, its help and the field it fills. The flag sets, the usage texts, the
// configuration file, `okdash config` and `okdash config --example` all come from it.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/okdash/okdash/theme"
	"github.com/okdash/okdash/ui"
)

// sourceFlags choose and tune the way okdash reaches Oktell. Shared by the dashboard and serve.
type sourceFlags struct {
	Source       string        // "demo" (default), "file:PATH", "-", "follow:PATH", "bridge:tcp://H:P", "bridge:exec:CMD", "ws://H:P", "wss://H:P"
	Speed        float64       // demo and replay speed factor
	Scenario     string        // demo scenario file
	Record       string        // write every received document here
	Login        string        // ws login
	PasswordFile string        // ws password file
	InsecureTLS  bool          // wss without certificate checks (test servers)
	BreakReason  string        // ws and the demo: the break reason Break asks for at once (id or name)
	Timeout      time.Duration // request timeout
}

// simFlags are okdash sim's.
type simFlags struct {
	Listen, WS, Scenario, Users string
	Speed                       float64
	PrintScenario               bool
}

// wallFlags are okdash wall's own (the wall also takes the source and look flags).
type wallFlags struct {
	PageTime   time.Duration // how long a page of departments stays; 0: turned by key only
	Department string        // start on the departments whose name holds it
}

// options is everything the settings fill, for every command.
type options struct {
	Source sourceFlags
	UI     uiFlags
	Serve  serveFlags
	Wall   wallFlags
	Sim    simFlags
	Pretty bool // okdash decode --pretty
}

// group says which commands take a setting and where the configuration file keeps it.
type group int

const (
	groupSource group = iota // the dashboard and serve; top level of the file
	groupLook                // the dashboard and serve; top level of the file
	groupServe               // okdash serve only; the [serve] table
	groupWall                // okdash wall only; the [wall] table
	groupSim                 // okdash sim only; not in the file
	groupDecode              // okdash decode only; not in the file
)

// inFile tells whether the configuration file and the environment may set the group.
func (g group) inFile() bool { return g <= groupWall }

// ownTable says the group's keys live in a table of their own ([serve], [wall]).
func (g group) ownTable() bool { return g == groupServe || g == groupWall }

// setting is one flag. def holds its type: string, bool, int, float64 or time.Duration.
type setting struct {
	name    string
	group   group
	arg     string // what the value is in the usage: FILE, ADDR, N...
	help    string
	def     any
	field   func(*options) any // a pointer of def's type into options
	check   func(v any) error  // beyond the type; nil: any value
	noServe bool               // a source flag serve refuses (it belongs to one terminal)
	noWall  bool               // a source or look flag the wall has no use for (it sets no state, shows no message)
	example string             // the value shown in config --example when the default is empty
}

func field[T any](f func(*options) *T) func(*options) any {
	return func(o *options) any { return f(o) }
}

var settings = []*setting{
	{name: "source", group: groupSource, arg: "SOURCE", def: "demo", check: checkSourceValue, example: `"ws://oktell.example.local:4066"`,
		help:  "where events come from: demo, file:PATH, - (standard input), follow:PATH, bridge:tcp://HOST:PORT, 'bridge:exec:COMMAND ARGS', ws://HOST:PORT, wss://HOST:PORT",
		field: field(func(o *options) *string { return &o.Source.Source })},
	{name: "login", group: groupSource, arg: "LOGIN", def: "", example: `"ivanova"`,
		help:  "Oktell login for ws:// and wss:// sources",
		field: field(func(o *options) *string { return &o.Source.Login })},
	{name: "password-file", group: groupSource, arg: "FILE", def: "", example: `"/home/ivanova/.config/okdash/oktell.pass"`,
		help:  "read the Oktell password from the first line of FILE (else OKDASH_PASSWORD, else a prompt)",
		field: field(func(o *options) *string { return &o.Source.PasswordFile })},
	{name: "break-reason", group: groupSource, arg: "NAME", def: "", example: `"Обед"`, noWall: true,
		help:  "the break reason Break asks for at once, by name or id from the server's list (ws:// and wss:// sources, the demo); without it Break asks which",
		field: field(func(o *options) *string { return &o.Source.BreakReason })},
	{name: "insecure-tls", group: groupSource, def: false,
		help:  "do not verify the server's TLS certificate (test servers only)",
		field: field(func(o *options) *bool { return &o.Source.InsecureTLS })},
	{name: "timeout", group: groupSource, arg: "D", def: 20 * time.Second, check: positiveDuration,
		help:  "how long a request may wait for its answer",
		field: field(func(o *options) *time.Duration { return &o.Source.Timeout })},
	{name: "speed", group: groupSource, arg: "X", def: 1.0, check: checkSpeedValue,
		help:  "speed factor of the demo and of replays (2 = twice as fast)",
		field: field(func(o *options) *float64 { return &o.Source.Speed })},
	{name: "scenario", group: groupSource, arg: "FILE", def: "", example: `"/home/trainer/first-day.txt"`,
		help:  "demo scenario FILE to play instead of the built-in shift",
		field: field(func(o *options) *string { return &o.Source.Scenario })},
	{name: "record", group: groupSource, arg: "FILE", def: "", noServe: true, example: `"/home/ivanova/shift.log"`,
		help:  "write every received document with its arrival time to FILE (replayable with --source file:FILE)",
		field: field(func(o *options) *string { return &o.Source.Record })},

	{name: "lang", group: groupLook, arg: "LANG", def: "", check: checkLang, example: `"ru"`,
		help:  "language of the dashboard: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)",
		field: field(func(o *options) *string { return &o.UI.Lang })},
	{name: "theme", group: groupLook, arg: "THEME", def: "auto", check: oneOf("auto", "dark", "light"),
		help:  "colours for a dark or light terminal background: auto, dark or light",
		field: field(func(o *options) *string { return &o.UI.Theme })},
	{name: "icons", group: groupLook, arg: "SET", def: "", check: checkIcons, example: `"ascii"`,
		help:  "icon set: unicode or ascii (default: ascii on TERM=linux and TERM=dumb)",
		field: field(func(o *options) *string { return &o.UI.Icons })},
	{name: "no-color", group: groupLook, def: false,
		help:  "no colour, bold or reverse (also when NO_COLOR is set)",
		field: field(func(o *options) *bool { return &o.UI.NoColor })},
	{name: "bell", group: groupLook, def: false, noWall: true,
		help:  "ring the terminal bell on new messages and once when a call starts ringing",
		field: field(func(o *options) *bool { return &o.UI.Bell })},
	{name: "toast-time", group: groupLook, arg: "D", def: ui.DefaultToastTTL, check: positiveDuration, noWall: true,
		help:  "how long a self-hiding notification stays on screen",
		field: field(func(o *options) *time.Duration { return &o.UI.ToastTTL })},
	{name: "confirm-timeout", group: groupLook, arg: "D", def: ui.DefaultConfirmTimeout, check: positiveDuration, noWall: true,
		help:  "how long a state change may wait for the server to confirm it",
		field: field(func(o *options) *time.Duration { return &o.UI.ConfirmTimeout })},
	{name: "max-messages", group: groupLook, arg: "N", def: ui.DefaultMaxMessages, check: atLeast(1), noWall: true,
		help:  "messages kept in the messenger; older ones are dropped",
		field: field(func(o *options) *int { return &o.UI.MaxMessages })},
	{name: "max-history", group: groupLook, arg: "N", def: ui.DefaultMaxHistory, check: atLeast(1), noWall: true,
		help:  "notifications kept in the history; older ones are dropped",
		field: field(func(o *options) *int { return &o.UI.MaxHistory })},

	{name: "listen", group: groupServe, arg: "ADDR", def: "127.0.0.1:2222", check: checkAddr,
		help:  "listen on ADDR (use 0.0.0.0:2222 to let other machines in)",
		field: field(func(o *options) *string { return &o.Serve.Listen })},
	{name: "host-key", group: groupServe, arg: "FILE", def: "", example: `"/var/lib/okdash/ssh_host_ed25519_key"`,
		help:  "the server's ed25519 host key FILE, generated (mode 0600, its directories 0700) on first start and reused (default: okdash/ssh_host_ed25519_key in the user's config directory)",
		field: field(func(o *options) *string { return &o.Serve.HostKey })},
	{name: "authorized-keys", group: groupServe, arg: "FILE", def: "", example: `"/etc/okdash/authorized_keys"`,
		help:  "OpenSSH authorized_keys FILE of the keys let in; okdash-* options on a line choose that key's source, and okdash-wall=true opens the wall (required unless --demo-open)",
		field: field(func(o *options) *string { return &o.Serve.AuthorizedKeys })},
	{name: "trainer-keys", group: groupServe, arg: "FILE", def: "", example: `"/etc/okdash/trainer_keys"`,
		help:  "OpenSSH authorized_keys FILE of the trainers' keys: such a key opens the room (every session live; messages, notifications, rings and the link of demo sessions) instead of a dashboard; with --demo-open or --authorized-keys",
		field: field(func(o *options) *string { return &o.Serve.TrainerKeys })},
	{name: "demo-open", group: groupServe, def: false,
		help:  "let anyone in, with or without a key, but only to the built-in demo (training rooms)",
		field: field(func(o *options) *bool { return &o.Serve.DemoOpen })},
	{name: "max-sessions", group: groupServe, arg: "N", def: 100, check: atLeast(0),
		help:  "most dashboards open at once; 0: no limit",
		field: field(func(o *options) *int { return &o.Serve.MaxSessions })},
	{name: "conn-rate", group: groupServe, arg: "R", def: 1.0, check: notNegative,
		help:  "new connections per second allowed from one address, after the burst; 0: no limit",
		field: field(func(o *options) *float64 { return &o.Serve.ConnRate })},
	{name: "conn-burst", group: groupServe, arg: "N", def: 40, check: atLeast(0),
		help:  "new connections one address may open at once (a room behind one NAT address connects together)",
		field: field(func(o *options) *int { return &o.Serve.ConnBurst })},
	{name: "idle-timeout", group: groupServe, arg: "D", def: time.Duration(0), check: notNegative,
		help:  "close a dashboard after this long without a key press (e.g. 8h); 0: never, since some dashboards are left open on purpose (a wall, okdash-wall=true, never is)",
		field: field(func(o *options) *time.Duration { return &o.Serve.IdleTimeout })},
	{name: "keepalive", group: groupServe, arg: "D", def: 30 * time.Second, check: notNegative,
		help:  "SSH keepalive interval; a client with 3 keepalives unanswered is dropped at the next one; 0: off",
		field: field(func(o *options) *time.Duration { return &o.Serve.KeepAlive })},
	{name: "shutdown-after", group: groupServe, arg: "D", def: 5 * time.Second, check: notNegative,
		help:  "countdown shown on every dashboard when the server stops",
		field: field(func(o *options) *time.Duration { return &o.Serve.ShutdownAfter })},
	{name: "background-query", group: groupServe, arg: "D", def: time.Second, check: notNegative,
		help:  "how long to wait for a terminal to tell its background colour; 0: assume dark",
		field: field(func(o *options) *time.Duration { return &o.Serve.BackgroundQuery })},

	{name: "page-time", group: groupWall, arg: "D", def: ui.DefaultPageTime, check: notNegative,
		help:  "how long a page of departments stays on the wall when they do not all fit; 0: the pages turn only by key",
		field: field(func(o *options) *time.Duration { return &o.Wall.PageTime })},
	{name: "department", group: groupWall, arg: "TEXT", def: "", example: `"Продажи"`,
		help:  "show only the departments whose name holds TEXT, in any case (/ changes it on the wall)",
		field: field(func(o *options) *string { return &o.Wall.Department })},

	{name: "listen", group: groupSim, arg: "ADDR", def: "", check: checkAddr,
		help:  "serve the demo shift over the bridge protocol on ADDR (e.g. 127.0.0.1:7766), one independent shift per connection",
		field: field(func(o *options) *string { return &o.Sim.Listen })},
	{name: "ws", group: groupSim, arg: "ADDR", def: "", check: checkAddr,
		help:  "run a fake Oktell WebSocket server on ADDR (e.g. 127.0.0.1:4066)",
		field: field(func(o *options) *string { return &o.Sim.WS })},
	{name: "scenario", group: groupSim, arg: "FILE", def: "",
		help:  "demo scenario FILE for --listen instead of the built-in shift",
		field: field(func(o *options) *string { return &o.Sim.Scenario })},
	{name: "speed", group: groupSim, arg: "X", def: 1.0, check: checkSpeedValue,
		help:  "speed factor of the demo shift for --listen",
		field: field(func(o *options) *float64 { return &o.Sim.Speed })},
	{name: "users", group: groupSim, arg: "FILE", def: "",
		help:  "users FILE for --ws (default: one user, login demo, password demo)",
		field: field(func(o *options) *string { return &o.Sim.Users })},
	{name: "print-scenario", group: groupSim, def: false,
		help:  "write the built-in demo shift to standard output and exit: the example to copy for --scenario",
		field: field(func(o *options) *bool { return &o.Sim.PrintScenario })},

	{name: "pretty", group: groupDecode, def: false,
		help:  "indent the JSON, one object over several lines",
		field: field(func(o *options) *bool { return &o.Pretty })},
}

// envName is the environment variable that sets s: OKDASH_TOAST_TIME, OKDASH_SERVE_LISTEN,
// OKDASH_WALL_PAGE_TIME.
func (s *setting) envName() string {
	n := strings.ToUpper(strings.ReplaceAll(s.name, "-", "_"))
	switch s.group {
	case groupServe:
		return "OKDASH_SERVE_" + n
	case groupWall:
		return "OKDASH_WALL_" + n
	}
	return "OKDASH_" + n
}

// testEnvPrefix starts the variables the tests use to start this binary as a helper.
const testEnvPrefix = "OKDASH_TEST_"

// knownEnv is every OKDASH_* variable okdash reads.
func knownEnv() []string {
	known := []string{envConfig, envPassword, envWSLog}
	for _, s := range settings {
		if s.group.inFile() {
			known = append(known, s.envName())
		}
	}
	return known
}

// unknownEnv warns of the OKDASH_* variables of environ (os.Environ's form) okdash does
// not read, which it would otherwise ignore without a word, as the file does not.
func unknownEnv(environ []string) []string {
	known := knownEnv()
	var warnings []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "OKDASH_") || strings.HasPrefix(name, testEnvPrefix) || slices.Contains(known, name) {
			continue
		}
		msg := fmt.Sprintf("warning: %s is not a variable okdash reads; it is ignored", name)
		if best := nearest(name, known); best != "" {
			msg = fmt.Sprintf("warning: %s is not a variable okdash reads (did you mean %s?); it is ignored", name, best)
		}
		warnings = append(warnings, msg)
	}
	sort.Strings(warnings)
	return warnings
}

// envNames are the variables that set s, the first set one wins. NO_COLOR is the
// convention every terminal program follows (no-color.org).
func (s *setting) envNames() []string {
	if s.name == "no-color" && s.group == groupLook {
		return []string{s.envName(), "NO_COLOR"}
	}
	return []string{s.envName()}
}

// defaultOptions are the defaults of every setting.
func defaultOptions() options {
	var o options
	for _, s := range settings {
		mustSet(s, &o, s.def)
	}
	return o
}

// mustSet stores v (of s's type) in o.
func mustSet(s *setting, o *options, v any) {
	switch p := s.field(o).(type) {
	case *string:
		*p = v.(string)
	case *bool:
		*p = v.(bool)
	case *int:
		*p = v.(int)
	case *float64:
		*p = v.(float64)
	case *time.Duration:
		*p = v.(time.Duration)
	default:
		panic(fmt.Sprintf("setting %s: field of type %T", s.name, p))
	}
}

// get reads s's value from o.
func (s *setting) get(o *options) any {
	switch p := s.field(o).(type) {
	case *string:
		return *p
	case *bool:
		return *p
	case *int:
		return *p
	case *float64:
		return *p
	case *time.Duration:
		return *p
	}
	panic("setting " + s.name + ": unknown field type")
}

// parseText reads a value of s's type as typed on the command line or in the environment.
func (s *setting) parseText(text string) (any, error) {
	switch s.def.(type) {
	case string:
		return text, nil
	case bool:
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "true", "1", "yes", "on":
			return true, nil
		case "false", "0", "no", "off":
			return false, nil
		}
	case int:
		if n, err := strconv.Atoi(strings.TrimSpace(text)); err == nil {
			return n, nil
		}
	case float64:
		if f, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil {
			return f, nil
		}
	case time.Duration:
		if d, err := time.ParseDuration(strings.TrimSpace(text)); err == nil {
			return d, nil
		}
	}
	return nil, errors.New(s.want())
}

// want says what a value of s's type looks like.
func (s *setting) want() string {
	switch d := s.def.(type) {
	case bool:
		return "want true or false"
	case int:
		return fmt.Sprintf("want a whole number, such as %d", max(d, 1))
	case float64:
		return "want a number, such as 0.5, 1 or 10"
	case time.Duration:
		return "want a duration with its unit, such as 500ms, 8s or 1m30s"
	}
	return "want text"
}

// format writes v as it is written in the configuration file.
func format(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case time.Duration:
		return strconv.Quote(v.String())
	case float64:
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") && !math.IsInf(v, 0) && !math.IsNaN(v) {
			s += ".0"
		}
		return s
	}
	return fmt.Sprint(v)
}

// formatFlag writes v as it is typed after the flag.
func formatFlag(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// The checks beyond the type. Each returns what is wanted, without the origin.

func checkSpeedValue(v any) error {
	if f := v.(float64); !(f > 0) || math.IsInf(f, 0) {
		return errors.New("want a number above 0, such as 0.5, 1 or 10")
	}
	return nil
}

func positiveDuration(v any) error {
	if v.(time.Duration) <= 0 {
		return errors.New("want a duration above 0, such as 500ms, 8s or 1m30s")
	}
	return nil
}

func notNegative(v any) error {
	switch v := v.(type) {
	case time.Duration:
		if v < 0 {
			return errors.New("cannot be negative (0 turns it off)")
		}
	case float64:
		if v < 0 || math.IsNaN(v) {
			return errors.New("cannot be negative (0: no limit)")
		}
	}
	return nil
}

func atLeast(n int) func(any) error {
	return func(v any) error {
		if v.(int) < n {
			if n == 0 {
				return errors.New("cannot be negative (0: no limit)")
			}
			return fmt.Errorf("want at least %d", n)
		}
		return nil
	}
}

func oneOf(words ...string) func(any) error {
	return func(v any) error {
		for _, w := range words {
			if v.(string) == w {
				return nil
			}
		}
		return fmt.Errorf("want %s or %s", strings.Join(words[:len(words)-1], ", "), words[len(words)-1])
	}
}

func checkLang(v any) error {
	if _, err := ui.ResolveLang(v.(string), nil); err != nil {
		return errors.New("want en or ru")
	}
	return nil
}

func checkIcons(v any) error {
	if _, err := theme.Icons(v.(string), ""); err != nil {
		return errors.New("want unicode or ascii")
	}
	return nil
}

// checkAddr wants HOST:PORT, as net.Listen takes it (an empty HOST listens everywhere).
func checkAddr(v any) error {
	_, port, err := net.SplitHostPort(v.(string))
	if err != nil {
		return errors.New("want HOST:PORT, such as 127.0.0.1:7766 (or 0.0.0.0:7766 for every address)")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q: want a number from 1 to 65535 (0: any free port)", port)
	}
	return nil
}

// sourceKinds are the forms --source takes, in the words of the usage.
const sourceKinds = "demo, file:PATH, -, follow:PATH, bridge:tcp://HOST:PORT, bridge:exec:COMMAND, ws://HOST:PORT or wss://HOST:PORT"

func checkSourceValue(v any) error {
	if sourceKindOf(v.(string)) == sourceUnknown {
		return errors.New("unknown kind; want " + sourceKinds)
	}
	return nil
}

var serveCmd = &command{
	name: "okdash serve",
	usage: `Usage: okdash serve --authorized-keys FILE [flags]
       okdash serve --demo-open [flags]

Serves the dashboard over SSH: every client gets its own dashboard.
The source and look flags are the defaults of every session.
`,
	groups:  []group{groupServe, groupSource, groupLook},
	noServe: true,
	config:  true,
}

// A command is one subcommand's flags and usage.
type command struct {
	name     string  // "okdash", "okdash sim"
	usage    string  // the lines before the flags
	groups   []group // the settings it takes
	noServe  bool    // leaves out the source flags serve refuses
	noWall   bool    // leaves out the source and look flags the wall has no use for
	config   bool    // reads the configuration file and the environment (--config)
	extra    func(fs *flag.FlagSet, x *extraFlags)
	mixed    bool // flags may come after arguments (okdash decode FILE --pretty)
	helpHint string
}

// extraFlags are the flags that are not settings: they choose what the command does.
type extraFlags struct {
	config  string // --config FILE
	example bool   // okdash config --example
	version bool   // okdash --version
}

// takes lists the settings of c, in the order of the table.
func (c *command) takes() []*setting {
	var out []*setting
	for _, s := range settings {
		for _, g := range c.groups {
			if s.group == g && !(c.noServe && s.noServe) && !(c.noWall && s.noWall) {
				out = append(out, s)
			}
		}
	}
	return out
}

// parsed is a command line read against a command.
type parsed struct {
	opts  options
	args  []string            // what is not a flag
	given map[*setting]any    // the settings given on the command line
	from  map[*setting]origin // where each setting's value came from
	extra extraFlags
	cfg   *configFile // nil: none was read
	file  string      // the configuration file read, "" when none
}

// origin is where a setting's value came from.
type origin struct {
	kind  string // "flag", "env", "file", "default"
	where string // "--lang", "OKDASH_LANG", "config.toml:3"
}

// usageError is a mistake on the command line, in the configuration or the
// environment: okdash says what and exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// flagValue is one setting's flag: it keeps what was typed, checked for its type.
type flagValue struct {
	s     *setting
	p     *parsed
	bad   *error
	shown string
}

func (v *flagValue) String() string { return v.shown }
func (v *flagValue) Set(text string) error {
	val, err := v.s.parseText(text)
	if err != nil {
		if *v.bad == nil {
			*v.bad = usagef("--%s %s: %v", v.s.name, strconv.Quote(text), err)
		}
		return err
	}
	v.p.given[v.s] = val
	return nil
}
func (v *flagValue) IsBoolFlag() bool { _, ok := v.s.def.(bool); return ok }

// errHelp asks for the command's usage on standard output.
var errHelp = errors.New("help requested")

// parse reads args against c: flags, then (when c.config) the environment and the
// configuration file. The errors are *usageError, or errHelp.
func (c *command) parse(args []string, env func(string) string) (*parsed, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	p := &parsed{opts: defaultOptions(), given: map[*setting]any{}, from: map[*setting]origin{}}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var bad error
	for _, s := range c.takes() {
		fs.Var(&flagValue{s: s, p: p, bad: &bad}, s.name, s.help)
	}
	if c.config {
		fs.StringVar(&p.extra.config, "config", "", "")
	}
	if c.extra != nil {
		c.extra(fs, &p.extra)
	}
	for {
		err := fs.Parse(args)
		if err != nil {
			return nil, c.flagError(err, bad)
		}
		rest := fs.Args()
		if !c.mixed || len(rest) == 0 {
			p.args = append(p.args, rest...)
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			p.args = append(p.args, rest...) // after "--" everything is an argument
			break
		}
		p.args = append(p.args, rest[0])
		args = rest[1:]
	}
	if p.extra.version {
		return p, nil // --version answers whatever the configuration holds
	}
	if c.config {
		var err error
		if p.cfg, err = loadConfig(p.extra.config, env); err != nil {
			return nil, err
		}
		if p.cfg != nil {
			p.file = p.cfg.path
		}
	}
	if err := p.resolve(c.takes(), c.config, c.table(), env); err != nil {
		return nil, err
	}
	return p, nil
}

// table is the table of the configuration file whose keys apply to c before those at
// the top: [serve] for okdash serve, [wall] for okdash wall; "" for none.
func (c *command) table() string {
	for _, want := range []group{groupServe, groupWall} {
		for _, g := range c.groups {
			if g == want {
				return tableOf(want)
			}
		}
	}
	return ""
}

// refuses says why c leaves out a flag of the dashboard it could be expected to take
// ("" when name is no such flag): a serve or a wall has no one terminal to give it to.
func (c *command) refuses(name string) string {
	for _, s := range settings {
		if s.name != name || (s.group != groupSource && s.group != groupLook) {
			continue
		}
		for _, g := range c.groups {
			switch {
			case g != s.group:
			case c.noServe && s.noServe:
				return "it belongs to one terminal, not to okdash serve's sessions"
			case c.noWall && s.noWall:
				return "the wall sets no state and shows no message"
			}
		}
	}
	return ""
}

// flagError turns the flag package's error into okdash's words.
func (c *command) flagError(err, bad error) error {
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if bad != nil {
		return bad
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		if why := c.refuses(name); why != "" {
			return usagef("--%s is refused: %s", name, why)
		}
		return usagef("unknown flag --%s", name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return usagef("--%s needs a value", strings.TrimLeft(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return usagef("%s is not a flag", name)
	}
	return usagef("%s", msg)
}

// resolve fills p.opts: the command line wins, then the environment, then the
// configuration file (table's keys, then those at the top), then the defaults; then
// every value is checked, and every mistake is reported, one a line.
func (p *parsed) resolve(takes []*setting, config bool, table string, env func(string) string) error {
	p.opts, p.from = defaultOptions(), map[*setting]origin{}
	file := p.cfg
	var probs []string
settings:
	for _, s := range takes {
		v, o := s.def, origin{kind: "default"}
		if config && s.group.inFile() {
			if fv, ok := file.lookup(s, table); ok {
				v, o = fv.value, origin{kind: "file", where: fmt.Sprintf("%s:%d", file.path, fv.line)}
			}
			for _, name := range s.envNames() {
				text := env(name)
				if text == "" {
					continue
				}
				ev, err := s.parseText(text)
				if name == "NO_COLOR" {
					ev, err = true, nil // any value, as no-color.org says
				}
				if err != nil {
					probs = append(probs, fmt.Sprintf("%s=%s: %v", name, strconv.Quote(text), err))
					continue settings
				}
				v, o = ev, origin{kind: "env", where: name}
				break
			}
		}
		if gv, ok := p.given[s]; ok {
			v, o = gv, origin{kind: "flag", where: "--" + s.name}
		}
		if s.check != nil && o.kind != "default" {
			if err := s.check(v); err != nil {
				probs = append(probs, fmt.Sprintf("%s: %v", o.describe(s, v), err))
				continue
			}
		}
		mustSet(s, &p.opts, v)
		p.from[s] = o
	}
	if len(probs) > 0 {
		return &usageError{strings.Join(probs, "\n")}
	}
	return nil
}

// describe names a value by where it came from, for an error: `--speed 0`,
// `OKDASH_SPEED=0`, `config.toml:3: speed = 0`.
func (o origin) describe(s *setting, v any) string {
	switch o.kind {
	case "env":
		return fmt.Sprintf("%s=%s", o.where, formatFlag(v))
	case "file":
		return fmt.Sprintf("%s: %s = %s", o.where, s.name, format(v))
	}
	return fmt.Sprintf("--%s %s", s.name, formatFlag(v))
}

// printUsage writes c's usage and flags.
func (c *command) printUsage(w io.Writer) {
	fmt.Fprint(w, c.usage)
	ss := c.takes()
	if len(ss) > 0 || c.config {
		fmt.Fprintln(w, "\nFlags:")
	}
	byGroup := map[group][]*setting{}
	for _, s := range ss {
		byGroup[s.group] = append(byGroup[s.group], s)
	}
	titles := map[group]string{groupSource: "Where the events come from:", groupLook: "The look of the dashboard:", groupServe: "The SSH server:", groupWall: "The wall:"}
	var groups []group // in the command's order: serve's own first
	for _, g := range c.groups {
		if len(byGroup[g]) > 0 {
			groups = append(groups, g)
		}
	}
	for _, g := range groups {
		if t, ok := titles[g]; ok && len(groups) > 1 {
			fmt.Fprintf(w, "\n  %s\n", t)
		}
		for _, s := range byGroup[g] {
			printFlag(w, "--"+s.name, s.arg, s.help, defaultNote(s, c.config))
		}
	}
	if c.config {
		fmt.Fprintln(w)
		printFlag(w, "--config", "FILE", "read the settings from FILE instead of "+defaultConfigShown()+" (also OKDASH_CONFIG)", "")
	}
	if c.helpHint != "" {
		fmt.Fprint(w, c.helpHint)
	}
}

func defaultNote(s *setting, config bool) string {
	var notes []string
	switch d := s.def.(type) {
	case string:
		if d != "" {
			notes = append(notes, "default "+d)
		}
	case bool:
	default:
		notes = append(notes, "default "+formatFlag(d))
	}
	if config && s.group.inFile() {
		notes = append(notes, "env "+strings.Join(s.envNames(), ", "))
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

func printFlag(w io.Writer, name, arg, help, note string) {
	if arg != "" {
		name += " " + arg
	}
	fmt.Fprintf(w, "  %s\n", name)
	line := "       "
	for _, word := range strings.Fields(help + note) {
		if len([]rune(line))+1+len([]rune(word)) > 88 && line != "       " {
			fmt.Fprintln(w, line)
			line = "       "
		}
		line += " " + word
	}
	fmt.Fprintln(w, line)
}
