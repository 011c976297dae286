package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
)

// TestMain keeps the tests away from the developer's own configuration and environment.
// OKDASH_TEST_* stay: they are how a test starts this binary as a helper process.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "okdash-test-config")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	// Shift files and ws session ids of every test, children and tmux panes included,
	// stay out of the state directory of the machine running the tests.
	os.Setenv("XDG_STATE_HOME", dir+string(os.PathSeparator)+"state")
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "OKDASH_") && !strings.HasPrefix(name, "OKDASH_TEST_") && name != envPassword {
			os.Unsetenv(name)
		}
	}
	code := m.Run()
	removeBinary()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runCapture runs okdash with args and returns its exit status, stdout and stderr.
func runCapture(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

func TestHelpNamesEverySubcommand(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}} {
		code, out, _ := runCapture(args...)
		assert.Equal(t, 0, code, args)
		for _, sub := range []string{"decode", "sim --listen", "sim --ws", "sim --print-scenario", "serve", "wall", "config", "version", "help [SUBCOMMAND]"} {
			assert.Contains(t, out, "okdash "+sub, args)
		}
	}
}

// Every subcommand: -h and `okdash help SUB` print its own usage on standard output and
// exit 0; an unknown flag is one line and a hint, exit 2; a bad value names the flag, exit 2.
func TestEverySubcommandsUsage(t *testing.T) {
	for _, c := range []struct {
		sub       []string // how it is run
		help      string   // `okdash help` NAME
		usage     string   // in its -h
		flags     []string // in its -h
		notFlags  []string // not in its -h
		badValue  []string
		badReason string
	}{
		{nil, "dashboard", "okdash [flags]", []string{"--source SOURCE", "--lang LANG", "--toast-time D", "--record FILE", "--config FILE"}, []string{"--listen", "--pretty"},
			[]string{"--max-messages", "yes"}, `okdash: --max-messages "yes": want a whole number, such as 1000`},
		{[]string{"decode"}, "decode", "Usage: okdash decode", []string{"--pretty"}, []string{"--source", "--config"},
			[]string{"--pretty=maybe"}, `okdash decode: --pretty "maybe": want true or false`},
		{[]string{"sim"}, "sim", "Usage: okdash sim", []string{"--listen ADDR", "--ws ADDR", "--users FILE", "--print-scenario", "--speed X"}, []string{"--source", "--config"},
			[]string{"--listen", "127.0.0.1:0", "--speed", "0"}, `okdash sim: --speed 0: want a number above 0, such as 0.5, 1 or 10`},
		{[]string{"serve"}, "serve", "Usage: okdash serve", []string{"--authorized-keys FILE", "--source SOURCE", "--lang LANG", "--config FILE"}, []string{"--record", "--pretty", "--print-scenario"},
			[]string{"--keepalive", "30"}, `okdash serve: --keepalive "30": want a duration with its unit, such as 500ms, 8s or 1m30s`},
		{[]string{"wall"}, "wall", "Usage: okdash wall", []string{"--page-time D", "--department TEXT", "--source SOURCE", "--lang LANG", "--config FILE"}, []string{"--bell", "--toast-time", "--listen"},
			[]string{"--page-time", "15"}, `okdash wall: --page-time "15": want a duration with its unit, such as 500ms, 8s or 1m30s`},
		{[]string{"config"}, "config", "Usage: okdash config", []string{"--source SOURCE", "--listen ADDR", "--config FILE"}, []string{"--pretty"},
			[]string{"--theme", "purple"}, `okdash config: --theme "purple": want auto, dark or light`},
		{[]string{"version"}, "version", "Usage: okdash version", nil, []string{"--source"},
			[]string{"extra"}, `okdash version: takes no argument, got "extra"`},
	} {
		name := c.help
		code, out, errOut := runCapture(append(append([]string{}, c.sub...), "-h")...)
		assert.Equal(t, 0, code, "%s -h", name)
		assert.Empty(t, errOut, "%s -h", name)
		assert.Contains(t, out, c.usage, "%s -h", name)
		for _, f := range c.flags {
			assert.Contains(t, out, "\n  "+f+"\n", "%s -h lists %s", name, f)
		}
		for _, f := range c.notFlags {
			assert.NotContains(t, out, "  "+f, "%s -h lists %s", name, f)
		}
		hcode, hout, _ := runCapture("help", c.help)
		assert.Equal(t, 0, hcode, "help %s", name)
		assert.Equal(t, out, hout, "help %s prints the same as -h", name)

		code, out, errOut = runCapture(append(append([]string{}, c.sub...), "--bogus")...)
		prog := strings.TrimSpace("okdash " + strings.Join(c.sub, " "))
		assert.Equal(t, 2, code, "%s --bogus", name)
		assert.Empty(t, out)
		assert.Equal(t, prog+": unknown flag --bogus\nsee \""+prog+" -h\" for the flags\n", errOut, "%s --bogus", name)

		if c.badReason != "" {
			code, _, errOut = runCapture(append(append([]string{}, c.sub...), c.badValue...)...)
			assert.Equal(t, 2, code, "%s %v", name, c.badValue)
			assert.Equal(t, c.badReason+"\n", errOut, "%s %v", name, c.badValue)
		}
	}
	code, _, errOut := runCapture("help", "bogus")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `okdash: help: unknown subcommand "bogus"`)
}

// Usage errors are status 2 wherever they are found, with no "--source demo:" prefix.
func TestUsageErrorsExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--speed", "0"}, "okdash: --speed 0: want a number above 0, such as 0.5, 1 or 10\n"},
		{[]string{"--speed", "abc"}, "okdash: --speed \"abc\": want a number, such as 0.5, 1 or 10\n"},
		{[]string{"--toast-time", "5"}, "okdash: --toast-time \"5\": want a duration with its unit, such as 500ms, 8s or 1m30s\n"},
		{[]string{"--bell=perhaps"}, "okdash: --bell \"perhaps\": want true or false\n"},
		{[]string{"--source"}, "okdash: --source needs a value\n"},
		{[]string{"--source", "bogus:x"}, "okdash: --source \"bogus:x\": unknown kind; want " + sourceKinds + "\n"},
		{[]string{"--max-history", "0"}, "okdash: --max-history 0: want at least 1\n"},
		{[]string{"--lang", "fr!"}, "okdash: --lang \"fr!\": want en or ru\n"},
		{[]string{"serve", "--max-sessions", "-1", "--demo-open"}, "okdash serve: --max-sessions -1: cannot be negative (0: no limit)\n"},
		{[]string{"sim", "--print-scenario", "--speed", "2"}, "okdash sim: --print-scenario takes no other flag or argument\n"},
		{[]string{"sim", "extra"}, "okdash sim: unexpected argument \"extra\"\n"},
		{[]string{"serve", "--demo-open", "extra"}, "okdash serve: unexpected argument \"extra\"\n"},
		{[]string{"sim", "--listen", "bogus"}, "okdash sim: --listen \"bogus\": want HOST:PORT, such as 127.0.0.1:7766 (or 0.0.0.0:7766 for every address)\n"},
		{[]string{"serve", "--demo-open", "--listen", "127.0.0.1:99999"}, "okdash serve: --listen \"127.0.0.1:99999\": port \"99999\": want a number from 1 to 65535 (0: any free port)\n"},
		{[]string{"--source", "ws://oktell:4066"}, "okdash: --source ws://oktell:4066: --login is required for ws:// and wss:// sources\n"},
		{[]string{"--source", "bridge:udp://x:1"}, "okdash: --source bridge:udp://x:1: want bridge:tcp://HOST:PORT or bridge:exec:COMMAND ARGS\n"},
		{[]string{"--source", "bridge:tcp://nohost"}, "okdash: --source bridge:tcp://nohost: want bridge:tcp://HOST:PORT, such as bridge:tcp://10.0.0.15:7766\n"},
		{[]string{"--source", "bridge:exec:"}, "okdash: --source bridge:exec:: command is empty\n"},
		{[]string{"--source", "bridge:exec:ssh 'winhost"}, "okdash: --source bridge:exec:ssh 'winhost: command \"ssh 'winhost\": No closing quotation\n"},
		{[]string{"--source", "ws://", "--login", "ivanova"}, "okdash: --source ws://: want ws://HOST:PORT, such as ws://oktell.example.local:4066\n"},
		{[]string{"--source", "wss://[::1", "--login", "ivanova"}, "okdash: --source wss://[::1: want wss://HOST:PORT, such as wss://oktell.example.local:4066\n"},
		{[]string{"serve", "--record", "x.log", "--demo-open"}, "okdash serve: --record is refused: it belongs to one terminal, not to okdash serve's sessions\n"},
		{[]string{"wall", "--bell"}, "okdash wall: --bell is refused: the wall sets no state and shows no message\n"},
		{[]string{"wall", "--source", "bridge:tcp://nohost"}, "okdash wall: --source bridge:tcp://nohost: want bridge:tcp://HOST:PORT, such as bridge:tcp://10.0.0.15:7766\n"},
		{[]string{"--source", "file:x.log", "--scenario", "s.txt"}, "okdash: --scenario plays only on the demo (--source demo, or okdash sim --listen)\n"},
	} {
		code, out, errOut := runCapture(c.args...)
		assert.Equal(t, 2, code, "%v", c.args)
		assert.Empty(t, out, "%v", c.args)
		assert.Equal(t, c.want, errOut, "%v", c.args)
	}
}

// A mistyped subcommand must say so, not open the dashboard on the demo.
func TestUnknownSubcommandIsAnError(t *testing.T) {
	for _, args := range [][]string{{"decod"}, {"--speed", "2", "serv"}} {
		code, out, errOut := runCapture(args...)
		assert.Equal(t, 2, code, args)
		assert.Empty(t, out, args)
		assert.Contains(t, errOut, `unknown subcommand or argument "`+args[len(args)-1]+`"`, args)
	}
}

// Without a terminal on standard output (okdash | cat) or input, one line and exit 2.
func TestDashboardNeedsATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	var errb bytes.Buffer
	code := run(nil, stdio{in: os.Stdin, out: w, err: &errb})
	assert.Equal(t, 2, code)
	assert.Equal(t, "okdash: standard output is not a terminal: the dashboard draws on one; run okdash in a terminal (okdash decode prints a stream as text)\n", errb.String())

	assert.ErrorContains(t, needTerminal(stdio{in: r, out: w}, "demo"), "standard output is not a terminal")
	// decode, sim and serve do not need one
	code, _, _ = runCapture("sim", "--print-scenario")
	assert.Equal(t, 0, code)
}

// noConsole is a console with no terminal behind it: nothing to read, nobody to ask.
var noConsole = console{err: io.Discard}

// serveOpen opens the sessions of okdash serve, as cmdServe does.
func serveOpen(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	return openSession(ctx, sf, clock, serveConsole(io.Discard))
}

// TestUnknownEnvWarns: a mistyped OKDASH_* variable is told on standard error, as the
// file tells a mistyped key, but okdash goes on: it is a warning, not an error.
func TestUnknownEnvWarns(t *testing.T) {
	environ := []string{"OKDASH_SORCE=ws://x", "OKDASH_TEST_HELPER=1", "PATH=/bin", "OKDASH_ZZZZZZZZ="}
	for _, name := range knownEnv() {
		environ = append(environ, name+"=x")
	}
	var out, errb bytes.Buffer
	code := runIn([]string{"config", "--config", writeConfig(t, "")}, stdio{in: strings.NewReader(""), out: &out, err: &errb}, environ)
	assert.Equal(t, 0, code, errb.String())
	assert.Equal(t, "okdash config: warning: OKDASH_SORCE is not a variable okdash reads (did you mean OKDASH_SOURCE?); it is ignored\n"+
		"okdash config: warning: OKDASH_ZZZZZZZZ is not a variable okdash reads; it is ignored\n", errb.String())

	// the commands that read no variable say nothing of them
	errb.Reset()
	runIn([]string{"decode"}, stdio{in: strings.NewReader(""), out: &out, err: &errb}, environ)
	assert.Empty(t, errb.String())
	errb.Reset()
	runIn([]string{"help"}, stdio{in: strings.NewReader(""), out: &out, err: &errb}, environ)
	assert.Empty(t, errb.String())
}

// TestEveryEnvNameIsKnown: every OKDASH_* variable the code or the README names is one
// okdash reads (or a test's), so the warning never fires for a documented one.
func TestEveryEnvNameIsKnown(t *testing.T) {
	known := knownEnv()
	name := regexp.MustCompile(`OKDASH_[A-Z0-9_]*[A-Z0-9]\b`)
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	files = append(files, "README.md")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, n := range name.FindAllString(readString(t, f), -1) {
			if !strings.HasPrefix(n, testEnvPrefix) && n != "OKDASH_SORCE" { // the README's typo that gets the warning
				assert.Contains(t, known, n, "%s names %s", f, n)
			}
		}
	}
}
