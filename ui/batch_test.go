package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
)

// waitUpdates takes every update already waiting, up to maxBatch, in one message, and
// says when the session ended after them.
func TestWaitUpdatesTakesWhatIsWaiting(t *testing.T) {
	ch := make(chan oktell.Update, maxBatch+50)
	for i := 0; i < maxBatch+44; i++ {
		ch <- oktell.Update{Event: evMessage("", "u", "u", fmt.Sprint(i))}
	}
	first := waitUpdates(ch)().(updatesMsg)
	assert.Len(t, first.updates, maxBatch, "one batch is bounded")
	assert.False(t, first.ended)
	close(ch)
	rest := waitUpdates(ch)().(updatesMsg)
	assert.Len(t, rest.updates, 44)
	assert.True(t, rest.ended, "the session ended after them")
	assert.Equal(t, updatesMsg{ended: true}, waitUpdates(ch)())
}

// A batch is applied in one Update, in order: the program draws one frame for all of it,
// and asks for the next batch once.
func TestBatchAppliedInOneUpdate(t *testing.T) {
	m, f, _ := newTest(80, 24)
	batch := updatesMsg{updates: []oktell.Update{
		{At: t0, Event: evState(oktell.UserReady, false)},
		{At: t0.Add(time.Second), Event: evMessage("24.11.2026 09:00:01", "u1", "Анна", "раз")},
		{At: t0.Add(2 * time.Second), Event: evMessage("24.11.2026 09:00:02", "u1", "Анна", "два")},
		{At: t0.Add(3 * time.Second), Event: evState(oktell.UserLunch, false)},
	}}
	m, cmd := stepCmd(m, batch)
	assert.Equal(t, oktell.UserLunch, m.status.state, "the last state wins")
	assert.Len(t, m.messages.items, 2)
	assert.Equal(t, t0.Add(3*time.Second), m.c.now, "the clock moved with the updates")
	require.NotNil(t, cmd, "the next batch is waited for")
	f.updates <- oktell.Update{At: t0, Event: evBare(oktell.VoiceMail)}
	var next updatesMsg
	for _, msg := range runCmd(m, cmd) {
		if u, ok := msg.(updatesMsg); ok {
			next = u
		}
	}
	assert.Len(t, next.updates, 1, "exactly one wait for the next batch")

	// a batch that ends the session ends it after its updates
	m = step(m, updatesMsg{updates: []oktell.Update{{At: t0, Event: evBare(oktell.VoiceMail)}}, ended: true})
	assert.Equal(t, 1, m.status.voicemail)
	assert.True(t, m.status.ended)
	assert.Contains(t, m.View(), "Source ended")
}

// The GUID indexes hold what is kept and no more: once a message or a notification is
// dropped from its bounded list, its GUID goes too, and a repeat of a kept one is found
// however long the list is.
func TestGUIDIndexFollowsWhatIsKept(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m.c.opts.MaxMessages, m.c.opts.MaxHistory = 10, 10
	for i := 0; i < 50; i++ {
		m = step(m, upd(t0, withGUID(evMessage("", "u", "u", fmt.Sprint(i)), fmt.Sprintf("m-%d", i))))
		m = step(m, upd(t0, withGUID(evNotify(oktell.NltInformation, false, false, "", "", fmt.Sprint(i)), fmt.Sprintf("n-%d", i))))
	}
	assert.Len(t, m.messages.items, 10)
	assert.Len(t, m.messages.seen, 10)
	assert.Len(t, m.history.notes, 10)
	assert.Len(t, m.history.seen, 10)
	m = step(m, upd(t0, withGUID(evMessage("", "u", "u", "again"), "M-45")))
	assert.Len(t, m.messages.items, 10, "a kept message's GUID, in another case: shown once")
	m = step(m, upd(t0, withGUID(evMessage("", "u", "u", "back"), "m-3")))
	assert.Equal(t, "back", m.messages.items[9].text, "a dropped GUID may come back")
}

// Toasts hide themselves at the clock's tick, with no timer of their own.
func TestToastsExpireOnTheTick(t *testing.T) {
	m, _, _ := newTest(80, 24)
	m, cmd := stepCmd(m, upd(t0, evNotify(oktell.NltPBXinfo, true, false, "24.11.2026 09:00:00", "АТС", "очередь")))
	for _, msg := range runCmd(m, cmd) {
		_, isTick := msg.(tickMsg)
		assert.False(t, isTick, "no timer of its own")
	}
	require.Len(t, m.toasts.list, 1)
	m = step(m, tickMsg{id: m.tickID + 1, t: t0.Add(time.Hour)})
	assert.Len(t, m.toasts.list, 1, "a stale tick changes nothing")
	m = tickAt(m, t0.Add(DefaultToastTTL))
	assert.Empty(t, m.toasts.list)
}
