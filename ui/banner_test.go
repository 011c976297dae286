package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// The reason a session gave when it closed stays on the banner after the session ends.
func TestSourceEndedKeepsReason(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, linkStatus(t0, oktell.LinkClosed, "the bridge exited: exit status 4 (COM object gone)"))
	m = step(m, sessionEndedMsg{})
	assert.Equal(t, "Source ended: the bridge exited: exit status 4 (COM object gone)", m.status.banner())
	assert.Contains(t, strings.Join(strings.Fields(ansi.Strip(m.View())), " "), "exit status 4 (COM object gone)")

	m, _, _ = newTest(80, 24)
	m = step(m, sessionEndedMsg{})
	assert.Equal(t, "Source ended", m.status.banner(), "no reason, nothing invented")
}

// A long banner wraps to two lines, so the end of the reason ("retrying in 4s") is read.
func TestBannerWrapsToTwoLines(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	reason := "exec:python3 bridge.py exited: exit status 1 (ConnectionRefusedError: [Errno 111] Connection refused); retrying in 4s"
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, reason))
	v := m.View()
	lines := strings.Split(ansi.Strip(v), "\n")
	require.Len(t, lines, 24, "the screen keeps its height")
	assert.Contains(t, lines[1], "Link to Oktell lost: exec:python3")
	assert.Contains(t, lines[2], "retrying in 4s")
	assert.True(t, strings.HasPrefix(lines[2], "  "), "the second line stands under the text")
	assert.Contains(t, lines[3], "Messages", "the pane starts after the two banner lines")
	for _, l := range lines {
		assert.LessOrEqual(t, ansi.StringWidth(l), 80)
	}

	// a reason longer than two lines is cut at the end of the second
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, strings.Repeat("very long reason ", 20)))
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	require.Len(t, lines, 24)
	assert.True(t, strings.HasSuffix(strings.TrimRight(lines[2], " "), "…"), "%q", lines[2])
	assert.Contains(t, lines[3], "Messages")

	// a short one stays on one line
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, "connection lost"))
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	assert.Contains(t, lines[2], "Messages")
}

// sessionGone is the reason the ws session closes with when the server has forgotten
// its saved session and no password is at hand (oktell/ws: connect, reconnect): it then
// waits, closed, for a password (Status.NeedPassword).
func sessionGone() oktell.Reason {
	ended := oktell.Because(oktell.ReasonSessionEnded)
	return oktell.Because(oktell.ReasonRefusedByServer, oktell.Because(oktell.ReasonRefused, oktell.Quoted("Bad request. Session does not exist"), ended))
}

func closedBy(why oktell.Reason) updateMsg {
	return updateMsg{oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkClosed, Why: why}}}
}

// desktopClient is the reason a ws login is refused for good with while the user is
// logged in with Oktell's desktop client (error 50093).
func desktopClient() oktell.Reason {
	return oktell.Because(oktell.ReasonRefusedByServer, oktell.Because(oktell.ReasonRefused, oktell.Quoted("User already logged in (error 50093)"), oktell.Because(oktell.ReasonDesktopClient)))
}

// waitsForPassword is the ws session closed by sessionGone, waiting for a password.
func waitsForPassword() updateMsg {
	why := sessionGone()
	return updateMsg{oktell.Update{At: t0, Status: &oktell.Status{Link: oktell.LinkClosed, Why: why, NeedPassword: true}}}
}

// bannerOf is the banner's lines on screen, stripped and joined.
func bannerOf(m Model) string {
	var b []string
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n")[1:] {
		if strings.HasPrefix(l, "──") {
			break
		}
		b = append(b, strings.TrimSpace(l))
	}
	return strings.Join(b, " ")
}

// At 80 columns the banner leads with what to do, in both languages: type the password
// when the server forgot the saved session; close the desktop client, or ask the
// administrator, when the server refuses the login for good.
func TestBannerLeadsWithWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		lang language.Tag
		do   string
	}{
		{language.English, "⚠ Type the password to log in."},
		{language.Russian, "⚠ Введите пароль, чтобы войти."},
	} {
		f := newFake()
		f.caps.Reconnect = true
		m := step(New(testOptions(f, clocktest.New(t0), tc.lang)), windowSize(80, 24))
		m = step(m, upd(t0, evState(oktell.UserReady, false)))
		m = step(m, waitsForPassword())
		assert.True(t, strings.HasPrefix(bannerOf(m), tc.do), "%v: %q", tc.lang, bannerOf(m))
		for _, code := range []oktell.ReasonCode{oktell.ReasonDesktopClient, oktell.ReasonLicenceLimit} {
			m := step(New(testOptions(newFake(), clocktest.New(t0), tc.lang)), windowSize(80, 24))
			why := oktell.Because(oktell.ReasonRefusedByServer, oktell.Because(oktell.ReasonRefused, oktell.Quoted("User already logged in (error 50093)"), oktell.Because(code)))
			if code == oktell.ReasonDesktopClient {
				require.Equal(t, desktopClient(), why)
			}
			m = step(m, closedBy(why))
			m = step(m, sessionEndedMsg{})
			d, _ := oktell.Declaration(code)
			do := strings.SplitN(d.English, ":", 2)[0]
			if tc.lang == language.Russian {
				do = strings.SplitN(ruReasons()[code], ":", 2)[0]
			}
			assert.True(t, strings.HasPrefix(bannerOf(m), "⚠ "+capitalized(do)+". "), "%v %s: %q", tc.lang, code, bannerOf(m))
		}
	}
}

// Every banner goes whole into the history (not as a toast: it is on screen already),
// once however often a retry repeats it with a new wait.
func TestBannersGoWholeIntoTheHistory(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	long := "exec:python3 bridge.py exited: exit status 1 (ConnectionRefusedError: [Errno 111] Connection refused); " + strings.Repeat("more words ", 20) + "the end"
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, long+"; retrying in 4s"))
	m = step(m, linkStatus(t0, oktell.LinkReconnecting, long+"; retrying in 8s"))
	m = step(m, linkStatus(t0, oktell.LinkConnected, ""))
	m = step(m, upd(t0, evBare(oktell.RestartRequested)))
	m = step(m, ShutdownMsg{Why: oktell.Because(oktell.ReasonServerStopping), After: 5 * time.Second})
	m = step(m, closedBy(sessionGone()))
	m = step(m, sessionEndedMsg{})
	got := historyTexts(m)
	assert.Equal(t, []string{
		"Link to Oktell lost: " + long + "; retrying in 4s",
		"Oktell restarts",
		"server shutting down: closing in 5 seconds",
		"Link to Oktell closed: " + sessionGone().String(),
	}, got, "the source ended for the reason the history has already")
	assert.Empty(t, toastTexts(m), "a banner is not a toast as well")
	m = step(m, keyPress("n"))
	history := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
	assert.Contains(t, history, "Bad request. Session does not exist", "whole in the history")
}

// "retrying in 4s" counts down with the clock, in both languages, and the history keeps
// it once, as it came.
func TestBannerCountsDownTheWait(t *testing.T) {
	for _, tc := range []struct {
		lang language.Tag
		want []string
	}{
		{language.English, []string{"retrying in 4s", "retrying in 3s", "retrying in 1s", "retrying now", "retrying now"}},
		{language.Russian, []string{"повтор через 4 с", "повтор через 3 с", "повтор через 1 с", "повтор сейчас", "повтор сейчас"}},
	} {
		m := step(New(testOptions(newFake(), clocktest.New(t0), tc.lang)), windowSize(80, 24))
		m = step(m, upd(t0, evState(oktell.UserReady, false)))
		at := t0.Add(300 * time.Millisecond) // a status comes between ticks
		why := oktell.Because(oktell.ReasonRetrying, "tcp://10.0.0.5:4066", oktell.Quoted("connection refused"), 4*time.Second)
		m = step(m, updateMsg{oktell.Update{At: at, Status: &oktell.Status{Link: oktell.LinkReconnecting, Why: why}}})
		for i, d := range []time.Duration{0, 2 * time.Second, 4 * time.Second, 5 * time.Second, 9 * time.Second} { // 4.3s, 2.3s, 0.3s left, then none
			if d > 0 {
				m = tickAt(m, t0.Add(d))
			}
			assert.Contains(t, bannerOf(m), tc.want[i], "%v after %s", tc.lang, d)
		}
		require.Len(t, m.history.notes, 1, "%v: kept once", tc.lang)
		assert.Contains(t, m.history.notes[0].n.text, tc.want[0])
	}
}
