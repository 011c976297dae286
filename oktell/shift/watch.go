package shift

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/okdash/okdash/oktell"
)

// Defaults of WatchConfig.
const (
	DefaultTickEvery = 30 * time.Second
	// DefaultSaveEvery is how often an unchanged shift is written anyway, so that the
	// time of a long stretch in one state survives a crash.
	DefaultSaveEvery = 5 * time.Minute
)

// WatchConfig configures Watch.
type WatchConfig struct {
	Clock oktell.Clock
	Zone  *time.Location // the day's midnight; nil: time.Local
	Key   Key
	// Store keeps the shift across restarts of the same day; nil keeps it in memory
	// only. A read-only source (a replay, a followed log) never keeps a file.
	Store *Store
	// TickEvery is how often the shift's time moves on without updates; a silence of
	// four ticks means okdash was not running. SaveEvery: see DefaultSaveEvery.
	TickEvery time.Duration
	SaveEvery time.Duration
	// Warnings are told to the dashboard first, as Update.Err (why no file is kept, say).
	Warnings []error
}

// Watched is a session whose updates a Shift counts on their way to the dashboard,
// with the messages the operator sends through it. It is safe for concurrent use.
type Watched struct {
	inner oktell.Session
	cfg   WatchConfig
	caps  oktell.Capabilities
	ch    chan oktell.Update
	warn  chan error

	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	once     sync.Once
	closeErr error
	kick     chan struct{}

	mu    sync.Mutex
	sh    *Shift
	saved uint64 // the revision last written
	at    time.Time

	saveMu  sync.Mutex // one write at a time, in order
	store   *Store
	release func()
	saveErr error
}

var (
	_ oktell.Session           = (*Watched)(nil)
	_ oktell.BreakReasonSetter = (*Watched)(nil)
	_ oktell.Reconnecter       = (*Watched)(nil)
)

// Watch counts s's shift. With a store it takes the lock on the shift's files, reads
// today's file to go on with it (a file it cannot use is set aside: the shift starts
// afresh and the dashboard is told, as an Update.Err) and writes it as the day goes
// on, at midnight and on Close.
func Watch(s oktell.Session, cfg WatchConfig) *Watched {
	if cfg.Clock == nil {
		cfg.Clock = oktell.RealClock{}
	}
	if cfg.Zone == nil {
		cfg.Zone = time.Local
	}
	if cfg.TickEvery <= 0 {
		cfg.TickEvery = DefaultTickEvery
	}
	if cfg.SaveEvery <= 0 {
		cfg.SaveEvery = DefaultSaveEvery
	}
	caps := s.Capabilities()
	sc := Config{Zone: cfg.Zone, Calls: caps.Line, LogTimes: caps.LogTimes && caps.Position != nil}
	if !sc.LogTimes {
		sc.MaxGap = 4 * cfg.TickEvery
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &Watched{
		inner: s, cfg: cfg, caps: caps, ch: make(chan oktell.Update, 64), warn: make(chan error, 1),
		ctx: ctx, cancel: cancel, kick: make(chan struct{}, 1), sh: New(sc),
	}
	warnings := append([]error(nil), cfg.Warnings...)
	if cfg.Store != nil && !caps.ReadOnly {
		warnings = append(warnings, w.open(*cfg.Store)...)
	}
	w.wg.Add(1)
	go w.relay(warnings)
	if !sc.LogTimes {
		w.wg.Add(2)
		go w.ticker()
		go w.saver()
	}
	return w
}

// open takes the lock and reads today's file; what went wrong is told to the operator.
func (w *Watched) open(st Store) []error {
	release, err := st.Lock(w.cfg.Key)
	if err != nil {
		var fe *FileError
		if errors.Is(err, ErrLocked) && errors.As(err, &fe) {
			return []error{oktell.Wrap(oktell.Because(oktell.ReasonShiftNotSaved, fe.Path), err)}
		}
		return []error{oktell.Wrap(oktell.Because(oktell.ReasonShiftUnsavable, err.Error()), err)}
	}
	w.store, w.release = &st, release
	now := w.cfg.Clock.Now()
	today := DateOf(now, w.cfg.Zone)
	var out []error
	if err := st.Prune(w.cfg.Key, today, Retention); err != nil {
		out = append(out, oktell.Wrap(oktell.Because(oktell.ReasonShiftPrune, err.Error()), err))
	}
	sv, ok, err := st.Load(w.cfg.Key, today, w.cfg.Zone)
	switch {
	case err != nil:
		var fe *FileError
		if errors.As(err, &fe) {
			if bad, aerr := SetAside(fe.Path); aerr == nil {
				return append(out, oktell.Wrap(oktell.Because(oktell.ReasonShiftSetAside, err.Error(), bad), err))
			}
		}
		// Neither readable nor movable: leave it alone rather than write over it.
		w.store = nil
		return append(out, oktell.Wrap(oktell.Because(oktell.ReasonShiftUnreadable, err.Error()), err))
	case ok:
		w.sh.Restore(sv, now)
		w.saved = w.sh.Revision()
	}
	return out
}

// relay passes the inner session's updates on, counting each.
func (w *Watched) relay(warnings []error) {
	defer w.wg.Done()
	defer close(w.ch)
	for _, e := range warnings {
		if !w.send(oktell.Update{At: w.cfg.Clock.Now(), Err: e}) {
			return
		}
	}
	in := w.inner.Updates()
	for {
		select {
		case u, ok := <-in:
			if !ok {
				w.mu.Lock()
				w.sh.Stop() // the session is over: nothing counts after its last update
				w.mu.Unlock()
				w.save()
				return
			}
			w.mu.Lock()
			w.sh.Apply(u)
			_, closed := w.sh.Closed()
			w.mu.Unlock()
			if closed {
				w.poke()
			}
			if !w.send(u) {
				return
			}
		case e := <-w.warn:
			if !w.send(oktell.Update{At: w.cfg.Clock.Now(), Err: e}) {
				return
			}
		case <-w.ctx.Done():
			return
		}
	}
}

func (w *Watched) send(u oktell.Update) bool {
	select {
	case w.ch <- u:
		return true
	case <-w.ctx.Done():
		return false
	}
}

func (w *Watched) poke() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// ticker moves the shift's time on while no update comes, so that a silence means
// okdash was not running (the machine asleep), not a long stretch in one state.
func (w *Watched) ticker() {
	defer w.wg.Done()
	for {
		select {
		case <-w.ctx.Done():
			return
		case now := <-w.cfg.Clock.After(w.cfg.TickEvery):
			w.mu.Lock()
			w.sh.Tick(now)
			w.mu.Unlock()
			w.poke()
		}
	}
}

// saver writes the shift when it changed, or every SaveEvery, on its own goroutine: a
// slow disk holds back neither the updates nor the ticks.
func (w *Watched) saver() {
	defer w.wg.Done()
	for {
		select {
		case <-w.ctx.Done():
			return
		case <-w.kick:
			w.mu.Lock()
			due := w.sh.Revision() != w.saved || w.cfg.Clock.Now().Sub(w.at) >= w.cfg.SaveEvery
			_, closed := w.sh.Closed()
			w.mu.Unlock()
			if due || closed {
				w.save()
			}
		}
	}
}

// save writes a day closed at midnight, then the day under way. The first failure is
// told to the operator; the next success clears it.
func (w *Watched) save() {
	if w.store == nil {
		w.mu.Lock()
		w.sh.TakeClosed()
		w.mu.Unlock()
		return
	}
	w.saveMu.Lock()
	defer w.saveMu.Unlock()
	now := w.cfg.Clock.Now()
	w.mu.Lock()
	closed, hasClosed := w.sh.TakeClosed()
	snap, rev := w.sh.Snapshot(now), w.sh.Revision()
	w.mu.Unlock()
	var err error
	if hasClosed {
		err = w.store.Save(w.cfg.Key, Saved{Figures: closed, Watched: closedEnd(closed)}, now)
	}
	if err == nil {
		err = w.store.Save(w.cfg.Key, snap, now)
	}
	w.mu.Lock()
	told := w.saveErr != nil
	w.saveErr = err
	if err == nil {
		w.saved, w.at = rev, now
	}
	w.mu.Unlock()
	if err != nil && !told {
		select {
		case w.warn <- oktell.Wrap(oktell.Because(oktell.ReasonShiftSaveFailed, err.Error()), err):
		default:
		}
	}
}

// closedEnd is when a closed day's figures end: its start plus what was counted.
func closedEnd(f Figures) time.Time { return f.Start.Add(f.Length()) }

// Summary is the shift as of now.
func (w *Watched) Summary() Summary { return w.SummaryAt(w.cfg.Clock.Now()) }

// SummaryAt is the shift as of now, a moment the caller gives: the dashboard asks with
// its own clock's time, so that the figures run with the times on its screen.
func (w *Watched) SummaryAt(now time.Time) Summary {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.sh.Summary(now)
}

// Kept says whether a file keeps the shift across restarts: not for a replay or a
// followed log, nor when there is no state directory, another okdash holds the lock or
// today's file could be neither read nor set aside.
func (w *Watched) Kept() bool { return w.store != nil } // set by Watch, never changed after

// SaveErr is the last failure to write the shift's file, nil when the last write
// worked or there is no file.
func (w *Watched) SaveErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.saveErr
}

// Updates implements oktell.Session: the inner session's updates, and the shift's own
// warnings (a file set aside, a failed write) as Update.Err.
func (w *Watched) Updates() <-chan oktell.Update { return w.ch }

// Capabilities implements oktell.Session.
func (w *Watched) Capabilities() oktell.Capabilities { return w.caps }

// SetUserState implements oktell.Session.
func (w *Watched) SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error {
	return w.inner.SetUserState(ctx, state, redirect)
}

// SetUserStateReason implements oktell.BreakReasonSetter: the inner session's, when it
// has one.
func (w *Watched) SetUserStateReason(ctx context.Context, state oktell.UserState, redirect bool, reason string) error {
	return oktell.SetUserStateReason(ctx, w.inner, state, redirect, reason)
}

// Reconnect implements oktell.Reconnecter: the inner session's, when it has one
// (Capabilities.Reconnect says so).
func (w *Watched) Reconnect(ctx context.Context, password string) error {
	return oktell.Reconnect(ctx, w.inner, password)
}

var sentOK = oktell.Sent{Kind: oktell.SentMessage, Answered: true}

// SendMessage implements oktell.Session; a message the session accepted counts as sent.
func (w *Watched) SendMessage(ctx context.Context, userID, text string) error {
	err := w.inner.SendMessage(ctx, userID, text)
	if err == nil {
		w.mu.Lock()
		w.sh.Apply(oktell.Update{At: w.cfg.Clock.Now(), Sent: &sentOK})
		w.mu.Unlock()
	}
	return err
}

// Close counts the shift up to now (a replay's: to its last update), closes the inner
// session, writes the file a last time and releases its lock. The shift stays readable (Summary), frozen at the close.
// Calls after the first return its result.
func (w *Watched) Close() error {
	w.once.Do(func() {
		w.mu.Lock()
		w.sh.Tick(w.cfg.Clock.Now())
		w.mu.Unlock()
		w.cancel() // first: the relay must not take the inner session's end for its own
		w.closeErr = w.inner.Close()
		w.wg.Wait()
		w.mu.Lock()
		w.sh.Stop()
		w.mu.Unlock()
		w.save()
		if w.release != nil {
			w.release()
		}
	})
	return w.closeErr
}
