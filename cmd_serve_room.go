package main

// The trainer's room of okdash serve (--trainer-keys): a key of that file opens the
// room instead of a dashboard; every dashboard the server opens is listed in it, and
// the room's actions on a demo session are steps injected into that trainee's shift.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/google/uuid"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/demo"
	"github.com/okdash/okdash/room"
	"github.com/okdash/okdash/sshserve"
	"github.com/okdash/okdash/ui"
)

// trainerOptions are the okdash-* options a line of the trainer keys file may carry:
// the look of the room.
var trainerOptions = []string{"lang", "icons", "theme", "no-color"}

// ringFor is how long the room's call rings before it is missed.
const ringFor = 30 * time.Second

// openRoom reads the trainer keys file, when --trainer-keys names one, and makes the
// registry every dashboard joins; nil, nil without the flag.
func openRoom(svf serveFlags, sf sourceFlags, uf uiFlags, clock oktell.Clock, logger *slog.Logger) (*room.Registry, *sshserve.KeyFile, error) {
	if svf.TrainerKeys == "" {
		return nil, nil, nil
	}
	check := func(ak *sshserve.AuthorizedKey) error { return checkKeyOptions(sf, uf, ak.Options) }
	kf, err := sshserve.OpenKeyFile(svf.TrainerKeys, trainerOptions, check)
	if err != nil {
		return nil, nil, badConfig{errors.New("trainer " + err.Error())}
	}
	if kf.Len() == 0 {
		logger.Warn("the trainer keys file holds no key: nobody can open the room until one is added", "file", svf.TrainerKeys)
	}
	return room.New(clock, logger), kf, nil
}

// traineeDashboard is sessionDashboard, with each dashboard listed in reg (when not
// nil): it publishes what it shows, and a demo session's engine is the room's way to
// act on that trainee's shift. The listing ends with the session.
func traineeDashboard(reg *room.Registry, sf sourceFlags, uf uiFlags, demoOnly bool, clock oktell.Clock, open openFunc, build modelFunc) sshserve.DashboardFunc {
	if reg == nil {
		return sessionDashboard(sf, uf, demoOnly, clock, open, build)
	}
	return func(ctx context.Context, c *sshserve.Client) (tea.Model, io.Closer, error) {
		var (
			actions room.Actions
			trainee *room.Trainee
		)
		openListed := func(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
			s, err := open(ctx, sf, clock)
			if d, ok := s.(*demo.Session); ok {
				actions = demoTrainee{eng: d.Engine(), clock: clock}
			}
			return s, err
		}
		buildListed := func(sess oktell.Session, r *lipgloss.Renderer, uf uiFlags, env func(string) string, clock oktell.Clock) (tea.Model, error) {
			m, err := build(sess, r, uf, env, clock)
			if err != nil {
				return nil, err
			}
			key := c.KeyComment
			if key == "" {
				key = c.Fingerprint
			}
			trainee, _ = reg.Join(room.Info{User: c.User, Addr: c.RemoteAddr, Key: key, Source: c.Source}, actions) // a full room lists no more; the dashboard opens anyway
			if um, ok := m.(ui.Model); ok && trainee != nil {
				m = um.PublishTo(trainee.Publish)
			}
			return m, nil
		}
		m, closer, err := sessionDashboard(sf, uf, demoOnly, clock, openListed, buildListed)(ctx, c)
		if err != nil || trainee == nil {
			return m, closer, err
		}
		return m, leaving{trainee: trainee, Closer: closer}, nil
	}
}

// leaving takes a trainee out of the room when their session closes.
type leaving struct {
	trainee *room.Trainee
	io.Closer
}

func (l leaving) Close() error {
	l.trainee.Leave()
	if l.Closer == nil {
		return nil
	}
	return l.Closer.Close()
}

// roomDashboard builds a trainer's session: the room, in the look of the server's flags
// and the trainer key's okdash-* options.
func roomDashboard(reg *room.Registry, uf uiFlags, clock oktell.Clock) sshserve.DashboardFunc {
	return func(ctx context.Context, c *sshserve.Client) (tea.Model, io.Closer, error) {
		c.Source = "room"
		_, u, err := applyKeyOptions(sourceFlags{}, uf, c.Options)
		if err != nil {
			return nil, nil, err
		}
		o, err := uiOptions(nil, c.Renderer, u, c.Getenv, clock)
		if err != nil {
			return nil, nil, err
		}
		c.Say = func(r oktell.Reason) string { return ui.Say(o.Lang, r) }
		rm, err := reg.Open(room.Trainer{ID: trainerID(c.Fingerprint), Name: c.KeyComment, Key: c.Fingerprint})
		if err != nil {
			return nil, nil, err
		}
		m := ui.NewRoom(ui.RoomOptions{Room: rm, Theme: o.Theme, Clock: clock, Lang: o.Lang})
		return m, closeRoom{rm}, nil
	}
}

type closeRoom struct{ rm *room.Room }

func (c closeRoom) Close() error { c.rm.Close(); return nil }

// trainerID is the sender id of a trainer's messages: the same for a key across
// sessions and restarts, so that a trainee's answer finds the trainer's new room.
func trainerID(fingerprint string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("okdash-trainer/"+fingerprint)).String()
}

// demoTrainee is a demo session's engine as the room acts on it: each action is a step
// of that shift only.
type demoTrainee struct {
	eng   *demo.Engine
	clock oktell.Clock
}

func (d demoTrainee) Message(ctx context.Context, from room.Trainer, text string, answer func(string) error) error {
	d.eng.Listen(from.ID, from.Name, answer)
	return roomErr(d.eng.Deliver(ctx, demo.MessageDocument(uuid.NewString(), d.clock.Now(), from.ID, from.Name, text)))
}

func (d demoTrainee) Notify(ctx context.Context, from room.Trainer, typ oktell.NotifyType, text string) error {
	var argb uint32
	if typ == oktell.NltColor {
		argb = room.ColorNoteARGB
	}
	return roomErr(d.eng.Deliver(ctx, demo.NotifyDocument(uuid.NewString(), d.clock.Now(), typ, argb, false, from.Name, text)))
}

func (d demoTrainee) Ring(ctx context.Context, number, name string) error {
	return roomErr(d.eng.Ring(ctx, number, name, "", ringFor))
}

func (d demoTrainee) SetLink(ctx context.Context, up bool) error {
	return roomErr(d.eng.SetLink(ctx, up))
}

// roomErr says the demo's refusals in the room's terms.
func roomErr(err error) error {
	switch {
	case errors.Is(err, oktell.ErrNotConnected):
		return room.ErrLinkDown
	case errors.Is(err, demo.ErrNotRouted):
		return room.ErrNotRouted
	case errors.Is(err, demo.ErrLinkAlready):
		return room.ErrLinkAlready
	}
	return err
}
