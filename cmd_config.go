package main

// The configuration file ($XDG_CONFIG_HOME/okdash/config.toml, --config, OKDASH_CONFIG)
// and `okdash config`, which shows the settings in force and where each came from.
//
// TOML is read with pelletier/go-toml v2: its decoder gives the values, and its parser
// (the unstable package, pinned in go.mod) gives the line of every key, so an unknown
// key or a wrong type is reported as FILE:LINE (BurntSushi/toml exposes no position
// for a key it was not asked to decode).

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/okdash/okdash/internal/textfile"
)

// envConfig names the configuration file, as --config does.
const envConfig = "OKDASH_CONFIG"

// serveTable and wallTable are the tables of okdash serve's and okdash wall's own keys.
const (
	serveTable = "serve"
	wallTable  = "wall"
)

// tableOf is the table that holds the keys of group g: "" for the top of the file.
func tableOf(g group) string {
	switch g {
	case groupServe:
		return serveTable
	case groupWall:
		return wallTable
	}
	return ""
}

// configFile is a configuration file read and checked against the settings.
type configFile struct {
	path  string
	top   map[string]fileValue // the dashboard's keys
	serve map[string]fileValue // the [serve] table
	wall  map[string]fileValue // the [wall] table
}

// in is the keys of a table ("" for the top).
func (f *configFile) in(table string) map[string]fileValue {
	switch table {
	case serveTable:
		return f.serve
	case wallTable:
		return f.wall
	}
	return f.top
}

type fileValue struct {
	value any // of the setting's type
	line  int
}

// lookup finds s's value in the file: a key of serve or the wall in its own table; any
// other in table first ([serve] for serve, [wall] for the wall), then at the top.
func (f *configFile) lookup(s *setting, table string) (fileValue, bool) {
	if f == nil {
		return fileValue{}, false
	}
	if own := tableOf(s.group); own != "" {
		v, ok := f.in(own)[s.name]
		return v, ok
	}
	if table != "" {
		if v, ok := f.in(table)[s.name]; ok {
			return v, true
		}
	}
	v, ok := f.top[s.name]
	return v, ok
}

// configDir is where okdash's configuration lives: $XDG_CONFIG_HOME/okdash, else
// ~/.config/okdash on Linux and the BSDs; the platform's own elsewhere.
func configDir(env func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		dir, err := os.UserConfigDir()
		return filepath.Join(dir, "okdash"), err
	}
	if d := env("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "okdash"), nil
	}
	if h := env("HOME"); h != "" {
		return filepath.Join(h, ".config", "okdash"), nil
	}
	return "", errors.New("neither $XDG_CONFIG_HOME nor $HOME is set")
}

// defaultConfigShown is the default file as the usage names it.
func defaultConfigShown() string {
	switch runtime.GOOS {
	case "windows":
		return `%AppData%\okdash\config.toml`
	case "darwin":
		return "~/Library/Application Support/okdash/config.toml"
	}
	return "$XDG_CONFIG_HOME/okdash/config.toml (~/.config/okdash/config.toml)"
}

// loadConfig reads the file named by --config (flag), else OKDASH_CONFIG, else the
// default one. Only the default may be missing.
func loadConfig(flag string, env func(string) string) (*configFile, error) {
	path, named := flag, "--config "
	if path == "" {
		path, named = env(envConfig), envConfig+"="
	}
	if path == "" {
		dir, err := configDir(env)
		if err != nil {
			return nil, nil // no home: no configuration, as with no file
		}
		path, named = filepath.Join(dir, "config.toml"), ""
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	text, err := textfile.Read(path, 1<<20)
	if err != nil {
		return nil, usagef("%s%v", named, err)
	}
	return parseConfig(path, text)
}

// parseConfig checks every key of the file against the settings; all its mistakes are
// reported at once, in the order of the file.
func parseConfig(path, text string) (*configFile, error) {
	var m map[string]any
	if err := toml.Unmarshal([]byte(text), &m); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ := de.Position()
			return nil, usagef("%s:%d: %s", path, line, strings.TrimPrefix(de.Error(), "toml: "))
		}
		return nil, usagef("%s: %s", path, strings.TrimPrefix(err.Error(), "toml: "))
	}
	lines := keyLines(text)
	f := &configFile{path: path, top: map[string]fileValue{}, serve: map[string]fileValue{}, wall: map[string]fileValue{}}
	var probs []problem
	add := func(key string, format string, a ...any) {
		probs = append(probs, problem{lines[key], fmt.Sprintf(format, a...)})
	}
	for key, v := range m {
		if key == serveTable || key == wallTable {
			t, ok := v.(map[string]any)
			if !ok {
				add(key, "%s: want the table [%s] of okdash %s's keys", key, key, key)
				continue
			}
			for k, v := range t {
				full := key + "." + k
				s, msg := findKey(k, key)
				if s == nil {
					add(full, "[%s] %s", key, msg)
					continue
				}
				if fv, err := fileTyped(s, v); err != nil {
					add(full, "[%s] %s: %v", key, k, err)
				} else if err := checkValue(s, fv); err != nil {
					add(full, "[%s] %s = %s: %v", key, k, format(fv), err)
				} else {
					f.in(key)[k] = fileValue{fv, lines[full]}
				}
			}
			continue
		}
		s, msg := findKey(key, "")
		if s == nil {
			add(key, "%s", msg)
			continue
		}
		if fv, err := fileTyped(s, v); err != nil {
			add(key, "%s: %v", key, err)
		} else if err := checkValue(s, fv); err != nil {
			add(key, "%s = %s: %v", key, format(fv), err)
		} else {
			f.top[key] = fileValue{fv, lines[key]}
		}
	}
	if len(probs) > 0 {
		sort.Slice(probs, func(i, j int) bool {
			return probs[i].line < probs[j].line || probs[i].line == probs[j].line && probs[i].msg < probs[j].msg
		})
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = fmt.Sprintf("%s:%d: %s", path, p.line, p.msg)
		}
		return nil, &usageError{strings.Join(msgs, "\n")}
	}
	return f, nil
}

// checkValue checks a value of the file beyond its type, as resolve checks the one in
// force: a wrong value is reported with the file's other mistakes, even one a flag
// would override.
func checkValue(s *setting, v any) error {
	if s.check == nil {
		return nil
	}
	return s.check(v)
}

type problem struct {
	line int
	msg  string
}

// fitsTable says whether s may be set in table ("" for the top of the file): serve's
// and the wall's own keys in theirs; any other at the top, and in [serve] or [wall] when
// that command takes it, for that command only.
func fitsTable(s *setting, table string) bool {
	own := tableOf(s.group)
	switch {
	case own == table:
		return true
	case own != "":
		return false
	case table == serveTable:
		return !s.noServe
	case table == wallTable:
		return !s.noWall
	}
	return false
}

// findKey finds the setting a key of the file names in table ("" for the top), or
// says why there is none.
func findKey(key, table string) (*setting, string) {
	if isPasswordKey(key) {
		return nil, fmt.Sprintf("%s: a password is never kept in the configuration file; put it alone in a file only you can read (chmod 600) and name that with password-file, or set OKDASH_PASSWORD", key)
	}
	var other *setting
	for _, s := range settings {
		if s.name != key || !s.group.inFile() {
			continue
		}
		if fitsTable(s, table) {
			return s, ""
		}
		other = s
	}
	switch {
	case other != nil && other.group.ownTable():
		t := tableOf(other.group)
		return nil, fmt.Sprintf("%s is a key of okdash %s: put it under [%s]", key, t, t)
	case other != nil && table == serveTable && other.noServe:
		return nil, fmt.Sprintf("%s is not a key of okdash serve (it belongs to one terminal)", key)
	case other != nil && table == wallTable && other.noWall:
		return nil, fmt.Sprintf("%s is not a key of okdash wall (the wall sets no state and shows no message)", key)
	}
	for _, s := range settings {
		if s.name == key && (s.group == groupSim || s.group == groupDecode) {
			return nil, fmt.Sprintf("unknown key %q: --%s is a flag of another subcommand, which does not read this file", key, key)
		}
	}
	msg := fmt.Sprintf("unknown key %q", key)
	if near := nearestKey(key, table); near != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", near)
	}
	return nil, msg + `; the keys are the long flag names: see "okdash config --example"`
}

func isPasswordKey(key string) bool {
	k := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(key))
	if k == "passwordfile" {
		return false
	}
	return strings.Contains(k, "password") || k == "pass" || k == "passwd" || k == "pwd" || k == "secret"
}

// nearestKey is the key of table closest to a mistyped one, within two edits.
func nearestKey(key, table string) string {
	var keys []string
	for _, s := range settings {
		if s.group.inFile() && fitsTable(s, table) {
			keys = append(keys, s.name)
		}
	}
	return nearest(key, keys)
}

// nearest is the name of names closest to a mistyped one, within two edits (the first
// of the closest); "" when none is that close.
func nearest(typed string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(typed, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// fileTyped converts a TOML value to s's type, or says what s wants.
func fileTyped(s *setting, v any) (any, error) {
	switch s.def.(type) {
	case string:
		if t, ok := v.(string); ok {
			return t, nil
		}
		return nil, fmt.Errorf("want text in quotes, not %s", tomlWhat(v))
	case bool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("want true or false (without quotes), not %s", tomlWhat(v))
	case int:
		if n, ok := v.(int64); ok && n >= -1<<31 && n < 1<<31 {
			return int(n), nil
		}
		return nil, fmt.Errorf("%s, not %s", s.want(), tomlWhat(v))
	case float64:
		switch n := v.(type) {
		case float64:
			return n, nil
		case int64:
			return float64(n), nil
		}
		return nil, fmt.Errorf("%s, not %s", s.want(), tomlWhat(v))
	case time.Duration:
		if t, ok := v.(string); ok {
			if d, err := time.ParseDuration(strings.TrimSpace(t)); err == nil {
				return d, nil
			}
		}
		return nil, fmt.Errorf("want a duration in quotes, such as \"500ms\", \"8s\" or \"1m30s\", not %s", tomlWhat(v))
	}
	return nil, errors.New("unknown type")
}

// tomlWhat names a TOML value for an error: `the text "yes"`, `the number 8`.
func tomlWhat(v any) string {
	switch v := v.(type) {
	case string:
		return "the text " + strconv.Quote(v)
	case int64, float64:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

// keyLines is the line of every key of a TOML text ("serve.listen"), from the parser.
func keyLines(text string) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset([]byte(text))
	var table []string
	keyOf := func(it unstable.Iterator) ([]string, int) {
		var parts []string
		line := 0
		for it.Next() {
			n := it.Node()
			parts = append(parts, string(n.Data))
			if line == 0 {
				line = p.Shape(n.Raw).Start.Line
			}
		}
		return parts, line
	}
	var inline func(prefix []string, v *unstable.Node)
	inline = func(prefix []string, v *unstable.Node) {
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			if kv.Kind != unstable.KeyValue {
				continue
			}
			parts, line := keyOf(kv.Key())
			full := append(append([]string{}, prefix...), parts...)
			lines[strings.Join(full, ".")] = line
			if kv.Value().Kind == unstable.InlineTable {
				inline(full, kv.Value())
			}
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			parts, line := keyOf(e.Key())
			table = parts
			if _, seen := lines[strings.Join(parts, ".")]; !seen {
				lines[strings.Join(parts, ".")] = line
			}
		case unstable.KeyValue:
			parts, line := keyOf(e.Key())
			full := append(append([]string{}, table...), parts...)
			for i := 1; i < len(full); i++ { // a dotted key opens its tables here
				if _, seen := lines[strings.Join(full[:i], ".")]; !seen {
					lines[strings.Join(full[:i], ".")] = line
				}
			}
			lines[strings.Join(full, ".")] = line
			if e.Value().Kind == unstable.InlineTable {
				inline(full, e.Value())
			}
		}
	}
	return lines
}

// The config subcommand.

var configCmd = &command{
	name: "okdash config",
	usage: `Usage: okdash config [--config FILE] [FLAGS]
       okdash config --example

Prints the settings okdash would use with these FLAGS (those of the dashboard, of
okdash serve and of okdash wall), each with where it came from: a flag, the
environment, the configuration file (FILE:LINE) or the default. The output is itself
a configuration file. --example prints a commented file to start from instead.
`,
	groups: []group{groupSource, groupLook, groupServe, groupWall},
	config: true,
	extra: func(fs *flag.FlagSet, x *extraFlags) {
		fs.BoolVar(&x.example, "example", false, "print a commented configuration file to start from")
	},
}

func cmdConfig(args []string, io stdio, env func(string) string) int {
	for _, a := range args {
		if a == "--example" || a == "-example" || a == "--example=true" || a == "-example=true" {
			if len(args) > 1 {
				return usageFail(io, configCmd, usagef("--example takes no other flag"))
			}
			fmt.Fprint(io.out, exampleConfig())
			return 0
		}
	}
	p, err := configCmd.parse(args, env)
	if err != nil {
		return parseFail(io, configCmd, err)
	}
	if len(p.args) > 0 {
		return usageFail(io, configCmd, usagef("unexpected argument %q", p.args[0]))
	}
	dash, srv, wall := *p, *p, *p
	var probs []string // every mistake once: a bad OKDASH_SPEED is one for all three
	for _, err := range []error{
		dash.resolve(dashboardCmd.takes(), true, "", env),
		srv.resolve(serveCmd.takes(), true, serveTable, env),
		wall.resolve(wallCmd.takes(), true, wallTable, env),
	} {
		if err == nil {
			continue
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !slices.Contains(probs, line) {
				probs = append(probs, line)
			}
		}
	}
	if len(probs) > 0 {
		return usageFail(io, configCmd, &usageError{strings.Join(probs, "\n")})
	}
	printEffective(io.out, &dash, map[string]*parsed{serveTable: &srv, wallTable: &wall}, env)
	return 0
}

// printEffective writes the settings in force as a configuration file, each with
// where it came from.
func printEffective(w io.Writer, dash *parsed, own map[string]*parsed, env func(string) string) {
	fmt.Fprintln(w, "# The settings okdash uses now, and where each comes from (okdash config).")
	switch {
	case dash.file != "":
		fmt.Fprintf(w, "# Configuration file: %s\n", dash.file)
	default:
		where := defaultConfigShown()
		if dir, err := configDir(env); err == nil {
			where = filepath.Join(dir, "config.toml")
		}
		fmt.Fprintf(w, "# Configuration file: none (%s does not exist)\n", where)
	}
	fmt.Fprintln(w)
	var rows [][2]string
	for _, s := range dashboardCmd.takes() {
		rows = append(rows, [2]string{s.name + " = " + format(s.get(&dash.opts)), dash.from[s].String()})
	}
	for _, t := range []struct {
		table string
		cmd   *command
	}{{serveTable, serveCmd}, {wallTable, wallCmd}} {
		p := own[t.table]
		rows = append(rows, [2]string{"", ""}, [2]string{"[" + t.table + "]", ""})
		for _, s := range t.cmd.takes() {
			o := p.from[s]
			if !s.group.ownTable() && (o.kind != "file" || p.cfg == nil || !inTable(p.cfg, t.table, s)) {
				continue // the dashboard's value, shown above
			}
			rows = append(rows, [2]string{s.name + " = " + format(s.get(&p.opts)), o.String()})
		}
	}
	width := 0
	for _, r := range rows {
		if r[1] != "" {
			width = max(width, len([]rune(r[0])))
		}
	}
	for _, r := range rows {
		if r[1] == "" {
			fmt.Fprintln(w, r[0])
			continue
		}
		fmt.Fprintf(w, "%-*s  # %s\n", width, r[0], r[1])
	}
}

func inTable(f *configFile, table string, s *setting) bool { _, ok := f.in(table)[s.name]; return ok }

func (o origin) String() string {
	if o.where == "" {
		return o.kind
	}
	switch o.kind {
	case "env":
		return "environment " + o.where
	case "file":
		return "file " + o.where
	}
	return o.kind + " " + o.where
}

// exampleConfig is a commented configuration file with every key, from the settings.
func exampleConfig() string {
	var b strings.Builder
	b.WriteString(`# okdash configuration file.
#
# okdash reads ` + defaultConfigShown() + `,
# or the file named by --config FILE or OKDASH_CONFIG. Every key is the long name of a
# flag of okdash: a flag given on the command line wins, then the environment (OKDASH_
# and the key in capitals, - as _: OKDASH_SOURCE, OKDASH_TOAST_TIME; NO_COLOR too), then
# this file, then the defaults. Remove the # in front of a key to set it; durations are
# written in quotes ("8s"). "okdash config" shows what is in force and where it came from.
#
# A password is never kept here: put it alone in a file only you can read (chmod 600)
# and name that file with password-file, or set OKDASH_PASSWORD.
`)
	write := func(s *setting) {
		v := format(s.def)
		if s.example != "" {
			v = s.example
		}
		b.WriteString("\n")
		b.WriteString(commentWrapped(s.help+defaultNote(s, false), 88))
		fmt.Fprintf(&b, "#%s = %s\n", s.name, v)
	}
	for _, s := range dashboardCmd.takes() {
		write(s)
	}
	b.WriteString(`
# okdash serve's own keys. The keys above are the defaults of every SSH session; any of
# them (but record) may be set here again to apply to okdash serve only.
[serve]
`)
	for _, s := range serveCmd.takes() {
		if s.group == groupServe {
			write(s)
		}
	}
	b.WriteString(`
# okdash wall's own keys. The keys at the top are the wall's defaults too; any of them
# the wall takes may be set here again to apply to okdash wall only.
[wall]
`)
	for _, s := range wallCmd.takes() {
		if s.group == groupWall {
			write(s)
		}
	}
	return b.String()
}

// commentWrapped writes text as "# " comment lines of at most width columns.
func commentWrapped(text string, width int) string {
	var b strings.Builder
	line := "#"
	for _, w := range strings.Fields(text) {
		if len([]rune(line))+1+len([]rune(w)) > width && line != "#" {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
	return b.String()
}
