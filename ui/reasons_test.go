package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// sampleArgs are arguments of the kinds code declares, none of them English: what is
// left in Latin letters after translation is the reason's own words.
func sampleArgs(t *testing.T, code oktell.ReasonCode) []any {
	d, ok := oktell.Declaration(code)
	require.True(t, ok, code)
	var args []any
	for _, k := range d.Args {
		switch k {
		case oktell.ArgText:
			args = append(args, "Журнал")
		case oktell.ArgDocuments, oktell.ArgProblems, oktell.ArgFrames, oktell.ArgDashboards:
			args = append(args, 3)
		case oktell.ArgDuration, oktell.ArgWait:
			args = append(args, 4*time.Second)
		case oktell.ArgReason:
			args = append(args, oktell.Because(oktell.ReasonUpToDate))
		default:
			t.Fatalf("%s: argument kind %d has no sample", code, k)
		}
	}
	return args
}

// latin finds English left in a Russian text; names (Oktell, okdash, the protocols) are
// not English.
var latin = regexp.MustCompile(`[A-Za-z]+`)

var names = map[string]bool{"Oktell": true, "okdash": true, "WebSocket": true, "TLS": true, "JSON": true, "HTTP": true, "ssh": true}

// cliFlag is a command-line flag (ssh -t), which no language translates.
var cliFlag = regexp.MustCompile(`(^|\s)-{1,2}[A-Za-z][A-Za-z-]*`)

func englishLeft(s string) []string {
	var out []string
	for _, w := range latin.FindAllString(cliFlag.ReplaceAllString(s, " "), -1) {
		if !names[w] {
			out = append(out, w)
		}
	}
	return out
}

// Every reason any source or server can give (every declared code) reads in Russian,
// with no English left, and in English as oktell declares it.
func TestEveryReasonSpeaksRussian(t *testing.T) {
	ru, en := newPrinter(language.Russian), newPrinter(language.English)
	for _, code := range oktell.ReasonCodes() {
		r := oktell.Because(code, sampleArgs(t, code)...)
		got := say(ru, r)
		assert.Empty(t, englishLeft(got), "%s: %q", code, got)
		assert.NotEmpty(t, got, code)
		assert.Equal(t, r.String(), say(en, r), "%s: English is the declaration's", code)
		assert.Equal(t, strings.Count(r.String(), "Журнал"), strings.Count(got, "Журнал"), "%s: every text argument shown", code)
	}
	for code := range ruReasons() {
		_, ok := oktell.Declaration(code)
		assert.True(t, ok, "Russian for %q, which oktell does not declare", code)
	}
}

func TestReasonArguments(t *testing.T) {
	ru := newPrinter(language.Russian)
	cases := []struct {
		r    oktell.Reason
		want string
	}{
		{oktell.Because(oktell.ReasonInputEnded, "shift.log", 1, 0), "shift.log: конец ввода после 1 документа (ошибок: 0)"},
		{oktell.Because(oktell.ReasonInputEnded, "shift.log", 21, 2), "shift.log: конец ввода после 21 документа (ошибок: 2)"},
		{oktell.Because(oktell.ReasonRetrying, "ws://pbx:4067", oktell.Quoted("EOF"), 2*time.Second), "ws://pbx:4067: EOF; повтор через 2 с"},
		{oktell.Because(oktell.ReasonIdle, 15*time.Minute), "нет ввода в течение 15 мин"},
		{oktell.Because(oktell.ReasonIdle, 90*time.Minute), "нет ввода в течение 1 ч 30 мин"},
		{oktell.Because(oktell.ReasonFollowNote, "/var/log/common.log", oktell.Because(oktell.ReasonFileGone)),
			"слежение: /var/log/common.log: файл исчез; ждём, когда он появится"},
		{oktell.Quoted("maintenance at 100% \x1b[31mload"), "maintenance at 100% load"},
		{oktell.Because(oktell.ReasonServerFull, 1), "сервер занят (открыто: 1 панель); попробуйте позже"},
		{oktell.Because(oktell.ReasonServerFull, 3), "сервер занят (открыто: 3 панели); попробуйте позже"},
		{oktell.Because(oktell.ReasonServerFull, 11), "сервер занят (открыто: 11 панелей); попробуйте позже"},
		{oktell.Because(oktell.ReasonServerFull, 21), "сервер занят (открыто: 21 панель); попробуйте позже"},
		{oktell.Because(oktell.ReasonServerFull, 25), "сервер занят (открыто: 25 панелей); попробуйте позже"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, say(ru, tc.r))
	}
}

// A status with a code reads in the operator's language on the banner and the pane rule.
func TestStatusReasonByCode(t *testing.T) {
	m := step(New(testOptions(newFake(), clocktest.New(t0), language.Russian)), tea.WindowSizeMsg{Width: 100, Height: 24})
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	why := oktell.Because(oktell.ReasonRetrying, "ws://pbx:4067", oktell.Quoted("EOF"), 2*time.Second)
	m = step(m, updateMsg{oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkReconnecting, Why: why}}})
	assert.Contains(t, m.View(), "Связь с Oktell потеряна: ws://pbx:4067: EOF; повтор через 2 с")

	m = step(m, ShutdownMsg{Why: oktell.Because(oktell.ReasonIdle, 15*time.Minute), After: 5 * time.Second})
	assert.Contains(t, m.View(), "нет ввода в течение 15 мин: закрытие через 5 секунд")
}
