package main

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/room"
	"github.com/okdash/okdash/sshserve"
)

// A key's okdash-no-color=true takes the colour from that client's session alone: the
// trainee's dashboard and the trainer's room alike, whatever the client's terminal can.
func TestKeyNoColorMakesTheSessionASCII(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	clock := clocktest.New(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	client := func(noColor string) *sshserve.Client {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.TrueColor)
		return &sshserve.Client{Renderer: r, Options: map[string]string{"no-color": noColor}}
	}
	open := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
		return newNullSession(oktell.SourceDemo), nil
	}
	dash := sessionDashboard(sourceFlags{Source: "demo", Speed: 1}, parseUIFlags(t), true, clock, open, newModel)
	reg := room.New(clock, nil)
	roomDash := roomDashboard(reg, parseUIFlags(t), clock)
	for name, d := range map[string]sshserve.DashboardFunc{"dashboard": dash, "room": roomDash} {
		for noColor, want := range map[string]termenv.Profile{"true": termenv.Ascii, "false": termenv.TrueColor} {
			c := client(noColor)
			_, closer, err := d(context.Background(), c)
			require.NoError(t, err, name)
			require.Equal(t, want, c.Renderer.ColorProfile(), "%s, okdash-no-color=%s", name, noColor)
			if closer != nil {
				closer.Close()
			}
		}
	}
}
