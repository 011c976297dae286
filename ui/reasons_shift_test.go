package ui

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	okshift "github.com/okdash/okdash/oktell/shift"
)

// shiftWarning is the first warning a watched shift tells the dashboard.
func shiftWarning(t *testing.T, w *okshift.Watched) error {
	t.Helper()
	select {
	case u := <-w.Updates():
		require.NotNil(t, u.Err, "the first update is not a warning")
		return u.Err
	case <-time.After(10 * time.Second):
		t.Fatal("no warning")
	}
	return nil
}

// Two okdash on the same shift: the second's warning reads in Russian, with the lock's
// path whole (QA saw "shift: …lock: another okdash keeps this shift; …").
func TestShiftLockSpeaksRussian(t *testing.T) {
	clock := clocktest.New(t0)
	st := okshift.Store{Dir: t.TempDir()}
	k := okshift.Key{Source: "ws://oktell:4066", Login: "ivanova"}
	w1 := okshift.Watch(newFake(), okshift.WatchConfig{Clock: clock, Key: k, Store: &st, TickEvery: time.Hour})
	defer w1.Close()
	w2 := okshift.Watch(newFake(), okshift.WatchConfig{Clock: clock, Key: k, Store: &st, TickEvery: time.Hour})
	defer w2.Close()
	if w2.Kept() {
		t.Skip("no advisory locks on this system")
	}
	err := shiftWarning(t, w2)
	said := sayError(newPrinter(language.Russian), err)
	lock := regexp.MustCompile(regexp.QuoteMeta(st.Dir) + `\S*\.lock`).FindString(said)
	assert.NotEmpty(t, lock, "the lock's path, whole: %q", said)
	assert.Empty(t, englishLeft(strings.ReplaceAll(said, lock, "")), "%q", said)
	assert.Contains(t, said, "эту смену ведёт другой okdash")
	assert.Contains(t, err.Error(), "another okdash keeps this shift", "English as before")
}

// A shift file that cannot be read is set aside, and the warning's own words are
// Russian; what is wrong with the file is a diagnostic, quoted as the reader said it.
func TestShiftSetAsideSpeaksRussian(t *testing.T) {
	clock := clocktest.New(t0)
	st := okshift.Store{Dir: t.TempDir()}
	k := okshift.Key{Source: "ws://oktell:4066", Login: "ivanova"}
	p := st.Path(k, okshift.DateOf(t0, time.UTC))
	require.NoError(t, os.WriteFile(p, []byte("{"), 0o600))
	w := okshift.Watch(newFake(), okshift.WatchConfig{Clock: clock, Zone: time.UTC, Key: k, Store: &st, TickEvery: time.Hour})
	defer w.Close()
	err := shiftWarning(t, w)
	var r oktell.Reasoner
	require.ErrorAs(t, err, &r)
	assert.Equal(t, oktell.ReasonShiftSetAside, r.Reason().Code)
	said := sayError(newPrinter(language.Russian), err)
	assert.Contains(t, said, "смена начинается заново", said)
	assert.NotContains(t, said, "starts afresh", said)
}
