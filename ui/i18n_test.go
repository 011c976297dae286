package ui

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/okdash/okdash/oktell"
)

func TestResolveLang(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		flag string
		env  map[string]string
		want language.Tag
	}{
		{"", nil, language.English},
		{"ru", nil, language.Russian},
		{"en", map[string]string{"LANG": "ru_RU.UTF-8"}, language.English},
		{"", map[string]string{"LANG": "ru_RU.UTF-8"}, language.Russian},
		{"", map[string]string{"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, language.English},
		{"", map[string]string{"LC_MESSAGES": "ru_UA.KOI8-U", "LANG": "en_US.UTF-8"}, language.Russian},
		{"", map[string]string{"LANG": "de_DE.UTF-8"}, language.English},
		{"", map[string]string{"LANG": "garbage!!"}, language.English},
		{"ru-RU", nil, language.Russian},
		{"fr", nil, language.English},
	}
	for _, tc := range cases {
		got, err := ResolveLang(tc.flag, env(tc.env))
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "flag %q env %v", tc.flag, tc.env)
	}
	_, err := ResolveLang("!!", nil)
	assert.ErrorContains(t, err, `--lang "!!"`)
}

func TestRussianPlurals(t *testing.T) {
	p := newPrinter(language.Russian)
	for n, want := range map[int]string{
		1: "1 новое голосовое", 2: "2 новых голосовых", 5: "5 новых голосовых", 21: "21 новое голосовое", 11: "11 новых голосовых",
	} {
		assert.Equal(t, want, p.Sprintf("%d new voicemails", n))
	}
	for n, want := range map[int]string{
		1: "Oktell просит закрыть okdash: закрытие через 1 секунду", 3: "Oktell просит закрыть okdash: закрытие через 3 секунды",
		10: "Oktell просит закрыть okdash: закрытие через 10 секунд",
	} {
		assert.Equal(t, want, p.Sprintf("Oktell asks okdash to close: closing in %d s", n))
	}
	en := newPrinter(language.English)
	assert.Equal(t, "1 new voicemail", en.Sprintf("%d new voicemails", 1))
	assert.Equal(t, "3 new voicemails", en.Sprintf("%d new voicemails", 3))
	assert.Equal(t, "Готов", p.Sprintf("Ready"))
}

// Every string the dashboard prints has a Russian translation.
func TestCatalogComplete(t *testing.T) {
	p := newPrinter(language.Russian)
	for _, k := range []string{"Ready", "Break", "Away", "Busy", "Reserved", "No phone", "Disconnected", "Unknown",
		"Control", "PBX", "Information", "Incoming call", "Timer", "Callback", "Application", "Warning", "App info",
		"Error", "Notice", "Messages", "Notifications", "Help", "ready", "break", "away", "quit", "help"} {
		assert.NotEqual(t, k, p.Sprintf(k), "no Russian for %q", k)
	}
	for _, pl := range plurals {
		assert.NotEmpty(t, pl.ru)
	}
}

// Words that come without a code (a caller's status, a bridge's refusal, an error that
// is no Reasoner) are someone else's: shown as they came, cleaned, in every language,
// never read back as English phrases (okdash's own reasons are codes: reasons.go).
func TestTextWithoutACodeIsQuoted(t *testing.T) {
	ru, en := newPrinter(language.Russian), newPrinter(language.English)
	for _, in := range []string{"", "server shutting down", "maintenance at 100% load", "сервер закрыт",
		"ws://pbx:4067: connection lost; retrying in 4s"} {
		for _, p := range []*message.Printer{ru, en} {
			assert.Equal(t, in, sayStatus(p, &oktell.Status{Why: oktell.Quoted(in)}), "status %q", in)
			if in != "" {
				assert.Equal(t, in, sayError(p, errors.New(in)), "error %q", in)
			}
		}
	}
	assert.Equal(t, "bad", sayStatus(ru, &oktell.Status{Why: oktell.Quoted("\x1b[2Jbad")}), "cleaned")
	// A bridge's standard error, quoted in a status: cleaned where it is shown, in both languages.
	stderr := oktell.Quoted("bridge.ps1 exited (\x1b[31mCOM\x1b[0m error\r\n\x07gone\xff)")
	for _, p := range []*message.Printer{ru, en} {
		assert.Equal(t, "bridge.ps1 exited (COM error gone\uFFFD)", sayStatus(p, &oktell.Status{Why: stderr}), "cleaned")
	}
	assert.Equal(t, "нет связи с Oktell", sayError(ru, fmt.Errorf("send: %w", oktell.ErrNotConnected)), "a sentinel with a code")
}
