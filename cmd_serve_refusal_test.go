package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/sshserve"
)

// A refusal told before the dashboard is built (the server full) speaks the language the
// dashboard would have: the key's okdash-lang over the server's --lang over the client's
// locale.
func TestServeRefusalInTheClientsLanguage(t *testing.T) {
	full := oktell.Because(oktell.ReasonServerFull, 3)
	ru, en := "сервер занят (открыто: 3 панели); попробуйте позже", "the server is full (3 dashboards open); try again later"
	for _, tc := range []struct {
		name   string
		server string
		opts   map[string]string
		env    []string
		want   string
	}{
		{"nothing said", "", nil, nil, en},
		{"client's LANG", "", nil, []string{"LANG=ru_RU.UTF-8"}, ru},
		{"LC_ALL over LANG", "", nil, []string{"LANG=ru_RU.UTF-8", "LC_ALL=en_US.UTF-8"}, en},
		{"key's okdash-lang", "", map[string]string{"lang": "ru"}, nil, ru},
		{"key's okdash-lang over the client's", "", map[string]string{"lang": "en"}, []string{"LANG=ru_RU.UTF-8"}, en},
		{"server's --lang", "ru", nil, []string{"LANG=en_US.UTF-8"}, ru},
		{"key over the server", "ru", map[string]string{"lang": "en"}, nil, en},
	} {
		say := refusalSayer(uiFlags{Lang: tc.server})
		got := say(&sshserve.Client{Options: tc.opts, Environ: tc.env}, full)
		assert.Equal(t, tc.want, got, tc.name)
	}
}

// Every refusal told before a dashboard is built has its Russian, from its code.
func TestServeRefusalsBeforeADashboardSpeakRussian(t *testing.T) {
	say := refusalSayer(uiFlags{})
	ru := &sshserve.Client{Environ: []string{"LANG=ru_RU.UTF-8"}}
	for _, tc := range []struct {
		why    oktell.Reason
		ru, en string
	}{
		{oktell.Because(oktell.ReasonServeNoCommands),
			"этот сервер показывает панель okdash и не выполняет команд; подключайтесь просто ssh, без команды",
			"this server shows the okdash dashboard and runs no commands; connect with plain ssh, no command"},
		{oktell.Because(oktell.ReasonServeKeyRevoked),
			"ваш ключ больше не допущен на этот сервер", "your key is no longer authorized on this server"},
		{oktell.Because(oktell.ReasonServeNeedsTTY),
			"панели нужен терминал; подключайтесь с ssh -t (и без -T и команды)",
			"the dashboard needs a terminal; connect with ssh -t (and without -T or a command)"},
		{oktell.Because(oktell.ReasonServeNoTTY, "open /dev/ptmx: no space left on device"),
			"не удалось открыть терминал: open /dev/ptmx: no space left on device",
			"cannot open a terminal: open /dev/ptmx: no space left on device"},
	} {
		assert.Equal(t, tc.ru, say(ru, tc.why))
		assert.Equal(t, tc.en, say(&sshserve.Client{}, tc.why))
	}
}
