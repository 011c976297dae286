package ui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// The wall's screens at the sizes of a desk terminal and of a wall's, in both
// languages, in colour and without, with either icon set: after the demo's first
// minutes (morning), and a tick at 12:35, when the queue's longest wait is 9:35.
func TestWallGolden(t *testing.T) {
	type gc struct {
		name    string
		w, h    int
		lang    language.Tag
		profile termenv.Profile
		icons   string
		noColor bool
		keys    []string
		extra   []oktell.Update
	}
	ru, en := language.Russian, language.English
	lost := oktell.Update{At: t0.Add(12*time.Minute + 35*time.Second), Status: &oktell.Status{Link: oktell.LinkReconnecting, Why: oktell.Quoted("dial tcp 10.0.0.5:4066: connection refused; retrying in 4s")}}
	many := oktell.Update{At: t0.Add(12*time.Minute + 35*time.Second), Colleagues: full(manyColleagues(20, "Alpha", "Bravo", "Charlie"))}
	for _, c := range []gc{
		{name: "en_80x24", w: 80, h: 24, lang: en, profile: termenv.Ascii},
		{name: "ru_80x24", w: 80, h: 24, lang: ru, profile: termenv.Ascii},
		{name: "en_160x48", w: 160, h: 48, lang: en, profile: termenv.Ascii},
		{name: "ru_160x48", w: 160, h: 48, lang: ru, profile: termenv.Ascii},
		{name: "en_80x24_ascii_icons", w: 80, h: 24, lang: en, profile: termenv.Ascii, icons: "ascii"},
		{name: "ru_160x48_ascii_icons", w: 160, h: 48, lang: ru, profile: termenv.Ascii, icons: "ascii"},
		{name: "en_80x24_no_color", w: 80, h: 24, lang: en, profile: termenv.ANSI256, noColor: true},
		{name: "en_80x24_ansi16", w: 80, h: 24, lang: en, profile: termenv.ANSI},
		{name: "ru_160x48_ansi16", w: 160, h: 48, lang: ru, profile: termenv.ANSI},
		{name: "en_80x24_help", w: 80, h: 24, lang: en, profile: termenv.Ascii, keys: []string{"?"}},
		{name: "ru_80x24_help", w: 80, h: 24, lang: ru, profile: termenv.Ascii, keys: []string{"?"}},
		{name: "en_80x24_paged", w: 80, h: 24, lang: en, profile: termenv.Ascii, extra: []oktell.Update{many}, keys: []string{"right"}},
		{name: "ru_80x24_filter", w: 80, h: 24, lang: ru, profile: termenv.Ascii, keys: []string{"/", "п", "р", "о"}},
		{name: "en_80x24_lost", w: 80, h: 24, lang: en, profile: termenv.ANSI, extra: []oktell.Update{lost}},
		{name: "en_30x10_too_small", w: 30, h: 10, lang: en, profile: termenv.Ascii},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := NewWall(WallOptions{Session: wallFake(), Theme: goldenLook(c.profile, c.icons, false, c.noColor), Clock: clocktest.New(t0), Lang: c.lang, PageTime: DefaultPageTime})
			m = wstep(m, tea.WindowSizeMsg{Width: c.w, Height: c.h})
			m = wupd(m, morning()...)
			if len(c.extra) > 0 {
				m = wupd(m, c.extra...)
			}
			m = wtick(m, t0.Add(12*time.Minute+35*time.Second))
			for _, k := range c.keys {
				m = wstep(m, keyPress(k))
			}
			golden.RequireEqualEscape(t, []byte(m.View()), true)
		})
	}
}
