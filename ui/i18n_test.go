package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
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

// Reasons okdash's own code writes in English read in Russian where they are known
// phrases; everything else (file names, network errors, a stray %) stays as it came.
func TestTranslateReason(t *testing.T) {
	ru, en := newPrinter(language.Russian), newPrinter(language.English)
	cases := []struct{ in, ru string }{
		{"", ""},
		{"server shutting down", "сервер останавливается"},
		{"idle timeout", "долго не было ввода"},
		{"no input for 15m", "нет ввода в течение 15 мин"},
		{"end of input", "конец ввода"},
		{"shift.log: end of input after 3 documents (0 problems)", "shift.log: конец ввода после 3 документов (ошибок: 0)"},
		{"shift.log: end of input after 1 document (1 problem)", "shift.log: конец ввода после 1 документа (ошибок: 1)"},
		{"shift.log: end of input after 21 documents (2 problems)", "shift.log: конец ввода после 21 документа (ошибок: 2)"},
		{"shift.log: skipped at byte 512: bad tag", "shift.log: пропуск с байта 512: bad tag"},
		{"replaying shift.log", "воспроизведение: shift.log"},
		{"demo: Morning shift", "демо: Morning shift"},
		{"demo stopped: scenario: line 3: unknown op", "демо остановлено: scenario: line 3: unknown op"},
		{"connection to the Oktell server lost", "связь с сервером Oktell потеряна"},
		{"ws://pbx:4067: connection lost; retrying in 4s", "ws://pbx:4067: связь прервана; повтор через 4 с"},
		{"refused by the server: no phone line is registered", "сервер отказал: телефонная линия не зарегистрирована"},
		{"following /var/log/oktell/common.log: the file is gone; waiting for it to come back",
			"слежение: /var/log/oktell/common.log: файл исчез; ждём, когда он появится"},
		{"stopped following common.log: permission denied", "слежение остановлено: common.log: permission denied"},
		{"maintenance at 100% load", "maintenance at 100% load"},
		{"Server Shutting Down", "Server Shutting Down"},
		{"сервер закрыт", "сервер закрыт"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.ru, translateReason(ru, tc.in), "ru %q", tc.in)
		assert.Equal(t, tc.in, translateReason(en, tc.in), "en %q stays as written", tc.in)
	}
	for en := range reasonPhrases {
		assert.NotEqual(t, en, ru.Sprintf(en), "no Russian for reason %q", en)
	}
}
