package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/unicode"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

func settingNamed(t *testing.T, g group, name string) *setting {
	t.Helper()
	for _, s := range settings {
		if s.name == name && s.group == g {
			return s
		}
	}
	t.Fatalf("no setting %s", name)
	return nil
}

// A flag wins, then the environment, then the file, then the default.
func TestConfigPrecedence(t *testing.T) {
	path := writeConfig(t, "source = \"ws://oktell:4066\"\nlogin = \"ivanova\"\ntheme = \"light\"\ntoast-time = \"12s\"\nno-color = true\n\n[serve]\nlisten = \"0.0.0.0:2222\"\nsource = \"demo\"\n")
	env := envOf(map[string]string{envConfig: path, "OKDASH_LOGIN": "petrov", "OKDASH_THEME": "dark", "OKDASH_SPEED": "3"})
	p, err := dashboardCmd.parse([]string{"--theme", "auto", "--bell"}, env)
	require.NoError(t, err)
	o := p.opts
	assert.Equal(t, "ws://oktell:4066", o.Source.Source)
	assert.Equal(t, "petrov", o.Source.Login, "the environment over the file")
	assert.Equal(t, "auto", o.UI.Theme, "the flag over the environment and the file")
	assert.Equal(t, 12*time.Second, o.UI.ToastTTL)
	assert.Equal(t, 3.0, o.Source.Speed)
	assert.True(t, o.UI.NoColor)
	assert.True(t, o.UI.Bell)
	assert.Equal(t, 1000, o.UI.MaxMessages, "the default")
	assert.Equal(t, origin{"file", path + ":1"}, p.from[settingNamed(t, groupSource, "source")])
	assert.Equal(t, origin{"env", "OKDASH_LOGIN"}, p.from[settingNamed(t, groupSource, "login")])
	assert.Equal(t, origin{"flag", "--theme"}, p.from[settingNamed(t, groupLook, "theme")])
	assert.Equal(t, origin{"default", ""}, p.from[settingNamed(t, groupLook, "max-messages")])

	// serve: its own keys from [serve], and [serve] over the top level for serve only
	p, err = serveCmd.parse(nil, env)
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:2222", p.opts.Serve.Listen)
	assert.Equal(t, "demo", p.opts.Source.Source)
	assert.Equal(t, "petrov", p.opts.Source.Login)

	// NO_COLOR, whatever its value, as no-color.org says; --config over OKDASH_CONFIG
	other := writeConfig(t, "lang = \"ru\"\n")
	p, err = dashboardCmd.parse([]string{"--config", other}, envOf(map[string]string{envConfig: path, "NO_COLOR": "0"}))
	require.NoError(t, err)
	assert.True(t, p.opts.UI.NoColor)
	assert.Equal(t, "ru", p.opts.UI.Lang)
	assert.Equal(t, "demo", p.opts.Source.Source)

	// the default file: $XDG_CONFIG_HOME/okdash/config.toml
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "okdash"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "okdash", "config.toml"), []byte("login = \"sidorov\"\n"), 0o600))
	p, err = dashboardCmd.parse(nil, envOf(map[string]string{"XDG_CONFIG_HOME": dir}))
	require.NoError(t, err)
	assert.Equal(t, "sidorov", p.opts.Source.Login)
	p, err = dashboardCmd.parse(nil, envOf(map[string]string{"HOME": dir})) // ~/.config/okdash missing: no file, no error
	require.NoError(t, err)
	assert.Empty(t, p.file)
}

// Every mistake in the file stops okdash with FILE:LINE and what to do.
func TestConfigMistakes(t *testing.T) {
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("lang = \"ru\"\n"))
	require.NoError(t, err)
	for _, c := range []struct{ text, want string }{
		{"lang = \"ru\"\nsorce = \"demo\"\n", `:2: unknown key "sorce" (did you mean source?); the keys are the long flag names: see "okdash config --example"`},
		{"speed = \"fast\"\n", `:1: speed: want a number, such as 0.5, 1 or 10, not the text "fast"`},
		{"\n\nbell = \"yes\"\n", `:3: bell: want true or false (without quotes), not the text "yes"`},
		{"toast-time = 8\n", `:1: toast-time: want a duration in quotes, such as "500ms", "8s" or "1m30s", not the number 8`},
		{"max-messages = 2.5\n", `:1: max-messages: want a whole number, such as 1000, not the number 2.5`},
		{"login = \"ivanova\"\npassword = \"secret\"\n", `:2: password: a password is never kept in the configuration file; put it alone in a file only you can read (chmod 600) and name that with password-file, or set OKDASH_PASSWORD`},
		{"[serve]\npassword = \"x\"\n", `:2: [serve] password: a password is never kept`},
		{"listen = \"0.0.0.0:2222\"\n", `:1: listen is a key of okdash serve: put it under [serve]`},
		{"[serve]\nrecord = \"x.log\"\n", `:2: [serve] record is not a key of okdash serve (it belongs to one terminal)`},
		{"[serve]\nlisten = 2222\n", `:2: [serve] listen: want text in quotes, not the number 2222`},
		{"[colors]\nready = \"green\"\n", `:1: unknown key "colors"`},
		{"users = \"u.txt\"\n", `:1: unknown key "users": --users is a flag of another subcommand, which does not read this file`},
		{"source = \"demo\"\nsource = \"ws://x\"\n", `:2: `},
		{"lang = ru\n", `:1: `},
		{"theme = \"purple\"\n", `:1: theme = "purple": want auto, dark or light`},
		{"speed = 0\n", `:1: speed = 0.0: want a number above 0, such as 0.5, 1 or 10`},
		{string(utf16[:len(utf16)-1]), `: UTF-16 text cut short`},
		{"lang = \"\xef\xf0\xe8\xe2\xe5\xf2\"\n", `:1: not UTF-8 text (it looks like Windows-1251); save the file as UTF-8`},
	} {
		path := writeConfig(t, c.text)
		_, err := dashboardCmd.parse(nil, envOf(map[string]string{envConfig: path}))
		require.Error(t, err, "%q", c.text)
		assert.Contains(t, err.Error(), path+c.want, "%q", c.text)
		assert.NotContains(t, err.Error(), " toml: ", "%q: the library's prefix", c.text)
		var ue *usageError
		assert.ErrorAs(t, err, &ue, "%q: a usage error, exit status 2", c.text)
	}

	// several mistakes: all of them, in the order of the file
	path := writeConfig(t, "bell = 1\nsorce = \"x\"\n")
	code, _, errOut := runCapture("--config", path)
	assert.Equal(t, 2, code)
	assert.Equal(t, "okdash: "+path+":1: bell: want true or false (without quotes), not the number 1\nokdash: "+path+":2: unknown key \"sorce\" (did you mean source?); the keys are the long flag names: see \"okdash config --example\"\n", errOut)

	// wrong values are reported with the rest, each under the one prefix of the command
	path = writeConfig(t, "theme = \"purple\"\nspeed = 0\n[serve]\nmax-sessions = -3\n")
	for _, cmd := range []string{"serve", "config"} {
		code, _, errOut = runCapture(cmd, "--config", path)
		assert.Equal(t, 2, code, cmd)
		assert.Equal(t, "okdash "+cmd+": "+path+":1: theme = \"purple\": want auto, dark or light\n"+
			"okdash "+cmd+": "+path+":2: speed = 0.0: want a number above 0, such as 0.5, 1 or 10\n"+
			"okdash "+cmd+": "+path+":4: [serve] max-sessions = -3: cannot be negative (0: no limit)\n", errOut, cmd)
	}
	path = writeConfig(t, "sorce = \"x\"\nbell = \"yes\"\npassword = \"secret\"\ntheme = \"purple\"\n")
	code, _, errOut = runCapture("--config", path)
	assert.Equal(t, 2, code)
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	require.Len(t, lines, 4, errOut)
	for i, want := range []string{`:1: unknown key "sorce"`, `:2: bell: want true or false`, `:3: password: a password is never kept`, `:4: theme = "purple"`} {
		assert.True(t, strings.HasPrefix(lines[i], "okdash: "+path+want), "line %d: %q, want %q", i+1, lines[i], want)
	}

	// and so are those of the environment, once each
	t.Setenv("OKDASH_SPEED", "0")
	t.Setenv("OKDASH_MAX_HISTORY", "many")
	t.Setenv("OKDASH_SERVE_MAX_SESSIONS", "-1")
	code, _, errOut = runCapture("config", "--config", writeConfig(t, ""))
	assert.Equal(t, 2, code)
	assert.Equal(t, "okdash config: OKDASH_SPEED=0: want a number above 0, such as 0.5, 1 or 10\n"+
		"okdash config: OKDASH_MAX_HISTORY=\"many\": want a whole number, such as 500\n"+
		"okdash config: OKDASH_SERVE_MAX_SESSIONS=-1: cannot be negative (0: no limit)\n", errOut)
	os.Unsetenv("OKDASH_SPEED")
	os.Unsetenv("OKDASH_MAX_HISTORY")
	os.Unsetenv("OKDASH_SERVE_MAX_SESSIONS")

	// a file Notepad saved as UTF-16 is read
	path = writeConfig(t, string(utf16))
	p, err := dashboardCmd.parse(nil, envOf(map[string]string{envConfig: path}))
	require.NoError(t, err)
	assert.Equal(t, "ru", p.opts.UI.Lang)

	// a named file that is not there, a bad environment value
	_, err = dashboardCmd.parse([]string{"--config", "/nonexistent/okdash.toml"}, envOf(nil))
	assert.EqualError(t, err, "--config /nonexistent/okdash.toml: no such file")
	_, err = dashboardCmd.parse(nil, envOf(map[string]string{envConfig: "/nonexistent/okdash.toml"}))
	assert.EqualError(t, err, "OKDASH_CONFIG=/nonexistent/okdash.toml: no such file")
	_, err = dashboardCmd.parse(nil, envOf(map[string]string{"OKDASH_MAX_HISTORY": "many"}))
	assert.EqualError(t, err, `OKDASH_MAX_HISTORY="many": want a whole number, such as 500`)
}

// The example holds every key of the file, once, with a value of the right type: it
// is derived from the settings, and this keeps it so.
func TestConfigExampleMatchesEveryFlag(t *testing.T) {
	code, example, _ := runCapture("config", "--example")
	require.Equal(t, 0, code)

	f, err := parseConfig("example.toml", example)
	require.NoError(t, err, "the example as printed")
	assert.Empty(t, f.top, "every key is commented out")
	assert.Empty(t, f.serve)
	assert.Empty(t, f.wall)

	uncommented := regexp.MustCompile(`(?m)^#([a-z-]+ = )`).ReplaceAllString(example, "$1")
	f, err = parseConfig("example.toml", uncommented)
	require.NoError(t, err, "the example with every key set:\n%s", uncommented)
	for _, s := range settings {
		switch {
		case !s.group.inFile():
			_, top := f.top[s.name]
			if _, srv := f.serve[s.name]; !top && !srv { // sim's --speed and --listen are others' keys too
				assert.False(t, strings.Contains(example, "\n#"+s.name+" = "), "%s is not a key of the file", s.name)
			}
		case s.group == groupServe:
			assert.Contains(t, f.serve, s.name)
			assert.Equal(t, 1, strings.Count(example, "\n#"+s.name+" = "), s.name)
		case s.group == groupWall:
			assert.Contains(t, f.wall, s.name)
			assert.Equal(t, 1, strings.Count(example, "\n#"+s.name+" = "), s.name)
		default:
			assert.Contains(t, f.top, s.name)
		}
	}
	assert.Equal(t, len(dashboardCmd.takes()), len(f.top), "every dashboard flag is a key")
}

// TestConfigKeysInREADME: the README lists every key of the file, in the table's
// order, at the top and under [serve]: a new flag cannot be left out of it.
func TestConfigKeysInREADME(t *testing.T) {
	readme := strings.Join(strings.Fields(readString(t, "README.md")), " ")
	listed := func(intro string) []string {
		t.Helper()
		_, rest, ok := strings.Cut(readme, intro+" (")
		require.True(t, ok, "the README says %q", intro)
		list, _, _ := strings.Cut(rest, ")")
		var keys []string
		for _, m := range regexp.MustCompile("`([a-z-]+)`").FindAllStringSubmatch(list, -1) {
			keys = append(keys, m[1])
		}
		return keys
	}
	var top, serve []string
	for _, s := range dashboardCmd.takes() {
		top = append(top, s.name)
	}
	for _, s := range settings {
		if s.group == groupServe {
			serve = append(serve, s.name)
		}
	}
	assert.Equal(t, top, listed("Every flag of the dashboard is a key"))
	assert.Equal(t, serve, listed("The `[serve]` table holds the keys of `okdash serve`'s own flags"))
}

// `okdash config` prints a file that reads back to the same settings.
func TestConfigShowsWhereEachSettingComesFrom(t *testing.T) {
	path := writeConfig(t, "login = \"ivanova\"\n\n[serve]\nsource = \"demo\"\nmax-sessions = 20\n")
	t.Setenv(envConfig, path)
	t.Setenv("OKDASH_BELL", "true")
	code, out, errOut := runCapture("config", "--lang", "ru", "--listen", "0.0.0.0:2222")
	require.Equal(t, 0, code, errOut)
	for _, line := range []string{
		"# Configuration file: " + path,
		`login = "ivanova"`, "# file " + path + ":1",
		`lang = "ru"`, "# flag --lang",
		`bell = true`, "# environment OKDASH_BELL",
		`max-messages = 1000`, "# default",
		"[serve]",
		`listen = "0.0.0.0:2222"`,
		`max-sessions = 20`, "# file " + path + ":5",
		`source = "demo"`, "# file " + path + ":4",
	} {
		assert.Contains(t, out, line)
	}
	f, err := parseConfig("shown.toml", out)
	require.NoError(t, err, out)
	assert.Equal(t, "ivanova", f.top["login"].value)
	assert.Equal(t, "ru", f.top["lang"].value)
	assert.Equal(t, 20, f.serve["max-sessions"].value)
	assert.Equal(t, "demo", f.serve["source"].value)
	assert.Equal(t, len(dashboardCmd.takes()), len(f.top))
}

// FuzzParseConfig: any file gives settings of the right types or an error naming a
// line, never a panic.
func FuzzParseConfig(f *testing.F) {
	f.Add(exampleConfig())
	f.Add("source = \"demo\"\n[serve]\nlisten = \"0.0.0.0:2222\"\nsource = \"demo\"\n")
	f.Add("serve.listen = \"x\"\nserve = { max-sessions = 3 }\n")
	f.Add("bell = 1\nsorce = \"x\"\n[colors]\n")
	f.Add("a.b.c = 1\n[[serve]]\nx = [1, {y = 2}]\n")
	f.Fuzz(func(t *testing.T, text string) {
		cf, err := parseConfig("f.toml", text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.toml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, m := range []map[string]fileValue{cf.top, cf.serve, cf.wall} {
			for key, fv := range m {
				var s *setting
				for _, c := range settings {
					if c.name == key && c.group.inFile() {
						s = c
					}
				}
				if s == nil {
					t.Fatalf("key %q accepted but no setting has it", key)
				}
				var o options
				for _, c := range settings {
					if c.name == key && c.group.inFile() {
						mustSet(c, &o, fv.value) // panics on a value of the wrong type
					}
				}
			}
		}
	})
}
