package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// barEntries are the help bar's entries ("2/b break"), in their order.
func barEntries(m Model) []string {
	bar := ansi.Strip(lastLine(m.View()))
	if bar == "" {
		return nil
	}
	return strings.Split(bar, " │ ")
}

// busyDesk is a dashboard of width w in state st, with redirect on, a message to answer,
// a voicemail and a red error that stays until dismissed.
func busyDesk(t *testing.T, w int, lang language.Tag, st oktell.UserState) (Model, *fakeSession) {
	t.Helper()
	f := newFake()
	m := New(testOptions(f, clocktest.New(t0), lang))
	m = step(m, windowSize(w, 24))
	m = step(m, upd(t0, evState(st, true)))
	m = step(m, upd(t0, evMessage("24.11.2026 09:00:00", "u1", "Анна", "привет")))
	m = step(m, upd(t0, evBare(oktell.VoiceMail)))
	m = step(m, localError(m.c, "Asked for Break: refused"))
	return m, f
}

// The state keys and dismiss are the last to leave a narrow bar; help and quit never do.
func TestHelpBarKeepsStateKeysAndDismiss(t *testing.T) {
	for _, tc := range []struct {
		w    int
		lang language.Tag
		st   oktell.UserState
		want []string
	}{
		{60, language.English, oktell.UserReady, []string{"2/b break", "3/a away", "x dismiss", "? help", "q quit"}},
		{80, language.English, oktell.UserReady, []string{"2/b break", "3/a away", "4/f redirect off", "x dismiss", "? help", "q quit"}},
		{60, language.Russian, oktell.UserReady, []string{"2/b перерыв", "3/a отошёл", "x скрыть", "? справка", "q выход"}},
		{80, language.Russian, oktell.UserReady, []string{"2/b перерыв", "3/a отошёл", "4/f переадр. выкл", "x скрыть", "? справка", "q выход"}},
		{60, language.English, oktell.UserLunch, []string{"1/r ready", "3/a away", "x dismiss", "? help", "q quit"}},
		{60, language.Russian, oktell.UserOff, []string{"1/r готов", "2/b перерыв", "x скрыть", "? справка", "q выход"}},
	} {
		m, _ := busyDesk(t, tc.w, tc.lang, tc.st)
		got := barEntries(m)
		for _, e := range tc.want {
			assert.Contains(t, got, e, "%v %s at %d: %q", tc.lang, tc.st, tc.w, got)
		}
		assert.LessOrEqual(t, ansi.StringWidth(lastLine(m.View())), tc.w)
	}
}

// Dismiss is on the bar whenever a notification is on screen, at any width and in any
// state: a red error stays until it is dismissed.
func TestHelpBarOffersDismissWhileAToastIsUp(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		for _, st := range []oktell.UserState{oktell.UserReady, oktell.UserLunch, oktell.UserOff, oktell.UserFullbusy, oktell.UserWOphone} {
			for w := 60; w <= 200; w += 7 {
				m, _ := busyDesk(t, w, lang, st)
				x := "x dismiss"
				if lang == language.Russian {
					x = "x скрыть"
				}
				assert.Contains(t, barEntries(m), x, "%v %s at %d", lang, st, w)
			}
		}
	}
}

// In No phone the server refuses Ready, Break and Away: the bar does not offer them, and
// the keys say why instead of sending a request bound to fail.
func TestNoPhoneOffersNoState(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		m, f := busyDesk(t, 120, lang, oktell.UserWOphone)
		for _, e := range barEntries(m) {
			for _, k := range []string{"1/r", "2/b", "3/a", "4/f"} {
				assert.False(t, strings.HasPrefix(e, k), "%v: %q offered in No phone", lang, e)
			}
		}
		for _, k := range []string{"r", "b", "a", "1", "2", "3"} {
			b := liveBinding(t, m, k)
			assert.False(t, b.Enabled(), "%s", k)
			want := "no phone line is registered"
			if lang == language.Russian {
				want = "телефонная линия не зарегистрирована"
			}
			assert.Equal(t, want, m.c.whyNot(b), "%v: %s", lang, k)
			m = step(m, keyPress(k))
		}
		f.mu.Lock()
		assert.Empty(t, f.states, "no request sent")
		f.mu.Unlock()
	}
}

// The bar is a function of the state: the same dashboard draws the same bar, and a
// request waiting for its answer takes its keys off the bar without letting others in.
func TestHelpBarIsStable(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.Russian} {
		for _, w := range []int{60, 70, 80, 100} {
			m, f := busyDesk(t, w, lang, oktell.UserReady)
			before := barEntries(m)
			assert.Equal(t, before, barEntries(tickAt(m, t0.Add(5e9))), "a tick changes nothing")
			f.stateErr = errors.New("later")
			pending := step(m, keyPress("b"))
			require.True(t, pending.request.pending.active)
			during := barEntries(pending)
			j := 0
			for _, e := range during {
				for j < len(before) && before[j] != e {
					j++
				}
				assert.Less(t, j, len(before), "%v at %d: %q came in while the request waited (before %q, during %q)", lang, w, e, before, during)
			}
		}
	}
}
