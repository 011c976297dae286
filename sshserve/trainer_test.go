package sshserve

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"
)

// roomModel stands in for the trainer's room.
type roomModel struct{ c *Client }

func (m roomModel) Init() tea.Cmd { return nil }
func (m roomModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "q" {
		return m, tea.Quit
	}
	return m, nil
}
func (m roomModel) View() string { return "room of " + m.c.KeyComment + " lang=" + m.c.Options["lang"] }

// withTrainers gives the server a trainer keys file holding text, and a room.
func withTrainers(t *testing.T, text string) func(*Config) {
	return func(c *Config) {
		path := filepath.Join(t.TempDir(), "trainer_keys")
		require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
		kf, err := OpenKeyFile(path, []string{"lang"}, nil)
		require.NoError(t, err)
		c.TrainerKeys = kf
		c.Room = func(ctx context.Context, cl *Client) (tea.Model, io.Closer, error) {
			cl.Source = "room"
			return roomModel{c: cl}, nil, nil
		}
	}
}

// A key of the trainer keys file opens the room instead of a dashboard, with its own
// options; the others open dashboards; its session is logged as the room's. Under
// --authorized-keys the trainer's key needs no line there, and under --demo-open it is
// told from a trainee's by its key.
func TestTrainerKeyOpensTheRoom(t *testing.T) {
	trainee, trainer, both := newKey(t), newKey(t), newKey(t)
	trainerLines := `okdash-lang=ru ` + strings.TrimSuffix(authorizedLine(trainer, ""), " trainee@test\n") + " anna@room\n" +
		strings.TrimSuffix(authorizedLine(both, ""), " trainee@test\n") + " boris@room\n"
	for _, open := range []bool{false, true} {
		keys := authorizedLine(trainee, "") + authorizedLine(both, "")
		tune := withTrainers(t, trainerLines)
		if open {
			keys = ""
			tune = func(c *Config) { c.Open = true; withTrainers(t, trainerLines)(c) }
		}
		h := start(t, keys, tune)
		s := h.open(trainer, 80, 24, nil)
		s.waitText("room of anna@room lang=ru")
		_, err := s.in.Write([]byte("q"))
		require.NoError(t, err)
		require.NoError(t, s.sess.Wait())

		s = h.open(both, 80, 24, nil)
		s.waitText("room of boris@room") // in both files: the trainer's
		s = h.open(trainee, 80, 24, nil)
		s.waitText("fake#1")
		require.Eventually(t, func() bool { return strings.Contains(h.logs.String(), `reason="dashboard quit"`) }, waitFor, 10*time.Millisecond)
		log := h.logs.String()
		require.Contains(t, log, "key="+gossh.FingerprintSHA256(trainer.PublicKey())+" key_comment=anna@room room=true")
		require.Contains(t, log, "source=room")
		if !open {
			_, err := h.dial(newKey(t))
			require.ErrorContains(t, err, "unable to authenticate", "a stranger is still refused")
		}
	}
}
