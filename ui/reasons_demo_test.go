package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/demo"
)

// untilDemoStatus reads a demo session's updates, moving its clock as it waits, until a
// status on link l; every status on the way must read in Russian.
func untilDemoStatus(t *testing.T, clock *clocktest.Clock, s *demo.Session, l oktell.Link) *oktell.Status {
	t.Helper()
	ru := newPrinter(language.Russian)
	var found *oktell.Status
	err := clocktest.Drive(clock, s.Updates(), 10*time.Second, func(u oktell.Update) bool {
		if u.Status == nil {
			return false
		}
		said := sayStatus(ru, u.Status)
		assert.Empty(t, englishLeft(said), "%q", said)
		if u.Status.Link == l {
			found = u.Status
			return true
		}
		return false
	})
	require.NoError(t, err)
	return found
}

// The trainer's `l` on a trainee (demo.Engine.SetLink) and a scenario's bare `link down`
// drop the link with a coded reason: the trainee's Russian screen says it in Russian
// (QA saw "connection to the Oktell server lost").
func TestDemoLinkDropSpeaksRussian(t *testing.T) {
	ru := newPrinter(language.Russian)
	for name, script := range map[string]string{
		"trainer":  "line on\nstate usReady\nwait 1h\n",
		"scenario": "line on\nstate usReady\nwait 1s\nlink down\nwait 1h\n",
	} {
		sc, err := demo.Parse("смена", strings.NewReader(script))
		require.NoError(t, err, name)
		ctx, cancel := context.WithCancel(context.Background())
		clock := clocktest.New(t0)
		s := demo.Open(ctx, sc, clock, 1)
		untilDemoStatus(t, clock, s, oktell.LinkConnected)
		if name == "trainer" {
			require.NoError(t, s.Engine().SetLink(ctx, false))
		}
		st := untilDemoStatus(t, clock, s, oktell.LinkReconnecting)
		assert.Equal(t, oktell.ReasonServerLinkLost, st.Why.Code, name)
		assert.Equal(t, "связь с сервером Oktell потеряна", sayStatus(ru, st), name)
		cancel()
		s.Close()
	}
}
