package main

// The operator's shift (oktell/shift) around a dashboard's session: kept in the state
// directory (per key under okdash serve), and the line printed when okdash quits.

import (
	"fmt"
	"io"

	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/shift"
	"github.com/okdash/okdash/ui"
)

// shiftKey is whose shift a source shows: the source as --source names it (a demo with
// its scenario), and the login.
func shiftKey(sf sourceFlags) shift.Key {
	src := sf.Source
	if sourceKindOf(src) == sourceDemo {
		src = "demo"
		if sf.Scenario != "" {
			src = "demo:" + sf.Scenario
		}
	}
	return shift.Key{Source: src, Login: sf.Login}
}

// watchShift counts sess's shift, kept under the state directory; without one (no HOME)
// it is counted in memory only, and the dashboard says so.
func watchShift(sess oktell.Session, sf sourceFlags, clock oktell.Clock) *shift.Watched {
	cfg := shift.WatchConfig{Clock: clock, Key: shiftKey(sf)}
	if dir, err := oktell.StateDir(); err == nil {
		cfg.Store = &shift.Store{Dir: dir}
	} else if !sess.Capabilities().ReadOnly {
		cfg.Warnings = []error{oktell.Wrap(oktell.Because(oktell.ReasonShiftNoStateDir, err.Error()), err)}
	}
	return shift.Watch(sess, cfg)
}

// watchServeShift counts the shift of one okdash serve session, kept per SSH key under
// the server's state directory; a session without a key keeps none.
func watchServeShift(sess oktell.Session, sf sourceFlags, fingerprint string, clock oktell.Clock) *shift.Watched {
	cfg := shift.WatchConfig{Clock: clock, Key: shiftKey(sf)}
	if fingerprint != "" {
		if root, err := oktell.StateDir(); err != nil {
			cfg.Warnings = []error{oktell.Wrap(oktell.Because(oktell.ReasonShiftNoStateDir, err.Error()), err)}
		} else if st, err := shift.ForKey(root, fingerprint, shift.MaxKeys); err != nil {
			cfg.Warnings = []error{oktell.Wrap(oktell.Because(oktell.ReasonShiftProblem, oktell.ReasonOf(err)), err)}
		} else {
			cfg.Store = &st
		}
	}
	return shift.Watch(sess, cfg)
}

// shiftFarewell closes the shift (its last write) and prints its line, in lang, on out:
// the terminal the dashboard gave back. A failed write is said on errw.
func shiftFarewell(w *shift.Watched, lang language.Tag, out, errw io.Writer) {
	w.Close()
	if line := ui.ShiftLine(lang, w.Summary()); line != "" {
		fmt.Fprintln(out, line)
	}
	if err := w.SaveErr(); err != nil {
		fmt.Fprintf(errw, "okdash: the shift was not saved: %v\n", err)
	}
}
