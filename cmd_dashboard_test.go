package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/ui"
)

var t0Main = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func parseUIFlags(t *testing.T, args ...string) uiFlags {
	t.Helper()
	p, err := dashboardCmd.parse(args, envOf(nil))
	require.NoError(t, err)
	return p.opts.UI
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestUIOptionsFromFlagsAndEnv(t *testing.T) {
	clock := clocktest.New(t0Main)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)

	o, err := uiOptions(nil, r, parseUIFlags(t, "--theme", "light"), envOf(map[string]string{"LANG": "ru_RU.UTF-8", "NO_COLOR": "1", "TERM": "linux"}), clock)
	require.NoError(t, err)
	assert.Equal(t, language.Russian, o.Lang)
	assert.True(t, o.NoColor, "NO_COLOR in the terminal's environment")
	assert.Equal(t, "linux", o.Term)
	assert.True(t, o.Light)
	assert.Equal(t, ui.DefaultMaxMessages, o.MaxMessages)
	assert.Equal(t, ui.DefaultMaxHistory, o.MaxHistory)
	assert.NotNil(t, o.BellOut, "the bell rings on the renderer's own terminal")

	o, err = uiOptions(nil, r, parseUIFlags(t, "--lang", "en", "--no-color", "--bell", "--max-messages", "50", "--max-history", "7", "--theme", "dark"),
		envOf(map[string]string{"LANG": "ru_RU.UTF-8"}), clock)
	require.NoError(t, err)
	assert.Equal(t, language.English, o.Lang)
	assert.True(t, o.NoColor)
	assert.True(t, o.Bell)
	assert.False(t, o.Light)
	assert.Equal(t, 50, o.MaxMessages)
	assert.Equal(t, 7, o.MaxHistory)

	// serve's okdash-* key options reach uiOptions without the flags' checks
	for _, bad := range []func(*uiFlags){
		func(u *uiFlags) { u.Lang = "!!" }, func(u *uiFlags) { u.Icons = "emoji" },
		func(u *uiFlags) { u.Theme = "pink" }, func(u *uiFlags) { u.MaxMessages = 0 },
	} {
		uf := defaultOptions().UI
		bad(&uf)
		_, err := uiOptions(nil, nil, uf, envOf(nil), clock)
		assert.Error(t, err, "%+v", uf)
	}
}

func TestNewModelKeepsContract(t *testing.T) {
	m, err := newModel(nil, lipgloss.NewRenderer(io.Discard), parseUIFlags(t), envOf(nil), clocktest.New(t0Main))
	require.NoError(t, err)
	_, ok := m.(ui.Model)
	assert.True(t, ok)
	uf := defaultOptions().UI
	uf.Icons = "x"
	_, err = newModel(nil, lipgloss.NewRenderer(io.Discard), uf, envOf(nil), clocktest.New(t0Main))
	assert.ErrorContains(t, err, "--icons")
}

func TestDashboardRejectsBadLookFlagsBeforeConnecting(t *testing.T) {
	var errOut strings.Builder
	code := run([]string{"--lang", "!!", "--source", "ws://127.0.0.1:1"}, stdio{out: io.Discard, err: &errOut})
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut.String(), `--lang "!!"`)
}
