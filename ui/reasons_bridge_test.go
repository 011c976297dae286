package ui

import (
	"context"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/bridge"
	"github.com/okdash/okdash/oktell/clocktest"
)

// bridgeRetry opens a bridge client on d and returns what its first reconnecting status
// says in Russian, with the bridge's address taken out.
func bridgeRetry(t *testing.T, d bridge.Dialer) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := clocktest.New(t0)
	c := bridge.Open(ctx, d, bridge.Options{Clock: clock})
	defer c.Close()
	var said string
	require.NoError(t, clocktest.Drive(clock, c.Updates(), 10*time.Second, func(u oktell.Update) bool {
		if u.Status == nil || u.Status.Link != oktell.LinkReconnecting {
			return false
		}
		require.False(t, u.Status.Why.IsZero(), "a status without a code")
		said = strings.ReplaceAll(sayStatus(newPrinter(language.Russian), u.Status), d.String(), "")
		return true
	}), "no reconnecting status")
	return said
}

// The bridge's link failures read in Russian: nothing listening, a bridge that hangs up,
// a bridge command that exits.
func TestBridgeLinkSpeaksRussian(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	said := bridgeRetry(t, bridge.TCP{Addr: addr})
	assert.Empty(t, englishLeft(said), "%q", said)
	assert.Contains(t, said, "в соединении отказано")

	ln, err = net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close() // hangs up at once
		}
	}()
	said = bridgeRetry(t, bridge.TCP{Addr: ln.Addr().String()})
	assert.Empty(t, englishLeft(said), "%q", said)
	assert.Contains(t, said, "мост закрыл соединение")

	if runtime.GOOS == "windows" {
		return
	}
	ex, err := bridge.ParseExec("false")
	require.NoError(t, err)
	said = bridgeRetry(t, ex)
	assert.Contains(t, said, "завершился с кодом 1", said)
	assert.Empty(t, englishLeft(strings.ReplaceAll(said, "false", "")), "%q", said)
}
