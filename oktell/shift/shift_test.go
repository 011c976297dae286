package shift

import (
	"errors"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // the DST case needs Europe/Berlin on any machine

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
)

var msk = time.FixedZone("MSK", 3*60*60)

// at is a time of 2026-03-10 in msk: at("09:30"), at("09:30:01"), or another day: at("11 00:10").
func at(hm string) time.Time {
	day := "10"
	if len(hm) > 3 && hm[2] == ' ' {
		day, hm = hm[:2], hm[3:]
	}
	if len(hm) == 5 {
		hm += ":00"
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", "2026-03-"+day+" "+hm, msk)
	if err != nil {
		panic(err)
	}
	return t
}

func stateEv(s oktell.UserState) *oktell.Event {
	return &oktell.Event{Type: oktell.UserStateChanged, Name: "userstatechanged",
		Props: []oktell.Property{oktell.SimpleProp("newstate", strconv.Itoa(int(s)), s.String())}}
}

func state(t time.Time, s oktell.UserState) oktell.Update {
	return oktell.Update{At: t, Event: stateEv(s)}
}

func status(t time.Time, l oktell.Link) oktell.Update {
	return oktell.Update{At: t, Status: &oktell.Status{Link: l}}
}

func event(t time.Time, typ oktell.EventType) oktell.Update {
	return oktell.Update{At: t, Event: &oktell.Event{Type: typ}}
}

func message(t time.Time, guid string) oktell.Update {
	e := &oktell.Event{Type: oktell.UserMessage}
	if guid != "" {
		e.Props = []oktell.Property{oktell.SimpleProp("guid", guid, "")}
	}
	return oktell.Update{At: t, Event: e}
}

func sent(t time.Time, answered bool, refused string) oktell.Update {
	var why oktell.Reason
	if refused != "" {
		why = oktell.Quoted(refused)
	}
	return oktell.Update{At: t, Sent: &oktell.Sent{Kind: oktell.SentMessage, Answered: answered, Why: why}}
}

func line(t time.Time, ls oktell.LineState, number string) oktell.Update {
	lu := &oktell.LineUpdate{State: ls}
	if ls.InCall() {
		lu.Call = &oktell.Call{Number: number}
	}
	return oktell.Update{At: t, Line: lu}
}

func tick(t time.Time) oktell.Update { return oktell.Update{At: t} }

const (
	ready    = oktell.UserReady
	lunch    = oktell.UserLunch
	away     = oktell.UserOff
	busy     = oktell.UserFullbusy
	reserved = oktell.UserReserved
)

func m(n int) time.Duration { return time.Duration(n) * time.Minute }

type want struct {
	time     map[Bucket]time.Duration // buckets not named must be 0
	breaks   int
	longest  time.Duration
	calls    int
	talk     time.Duration
	received int
	sent     int
	date     string
	start    time.Time
	current  Bucket
}

func checkFigures(t *testing.T, got Figures, w want) {
	t.Helper()
	for b := Bucket(0); b < NumBuckets; b++ {
		assert.Equal(t, w.time[b], got.Time[b], "time %s", b)
	}
	var hours [NumBuckets]time.Duration
	for h := range got.Hours {
		for b := range got.Hours[h] {
			hours[b] += got.Hours[h][b]
		}
	}
	assert.Equal(t, got.Time, hours, "the hours add up to the day")
	assert.Equal(t, w.breaks, got.Breaks, "breaks")
	assert.Equal(t, w.longest, got.Longest, "longest break")
	assert.Equal(t, w.calls, got.Calls, "calls")
	assert.Equal(t, w.talk, got.Talk, "talk")
	assert.Equal(t, w.received, got.Received, "received")
	assert.Equal(t, w.sent, got.Sent, "sent")
	if w.date != "" {
		assert.Equal(t, w.date, got.Date.String(), "date")
	}
	if !w.start.IsZero() {
		assert.True(t, w.start.Equal(got.Start), "start %s, want %s", got.Start, w.start)
	}
}

func TestShiftArithmetic(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		updates []oktell.Update
		now     time.Time
		want    want
	}{
		{
			name: "a plain morning",
			updates: []oktell.Update{
				status(at("09:00"), oktell.LinkConnected),
				state(at("09:00"), ready),
				state(at("10:00"), lunch),
				state(at("10:15"), ready),
				state(at("11:00"), away),
				state(at("11:05"), busy),
				state(at("11:20"), ready),
			},
			now: at("12:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(60 + 45 + 40), Break: m(15), Away: m(5), Busy: m(15)},
				breaks: 1, longest: m(15), date: "2026-03-10", start: at("09:00"), current: Ready},
		},
		{
			name: "the time before the first report is unknown",
			updates: []oktell.Update{
				status(at("09:00"), oktell.LinkConnecting),
				state(at("09:02"), ready),
			},
			now:  at("09:10"),
			want: want{time: map[Bucket]time.Duration{Unknown: m(2), Ready: m(8)}, start: at("09:00")},
		},
		{
			name: "breaks: counted, summed, the longest",
			updates: []oktell.Update{
				state(at("09:00"), ready),
				state(at("10:00"), lunch), state(at("10:10"), ready),
				state(at("12:00"), lunch), state(at("12:40"), ready),
				state(at("15:00"), lunch), state(at("15:05"), ready),
			},
			now: at("16:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(60 + 110 + 140 + 55), Break: m(55)},
				breaks: 3, longest: m(40)},
		},
		{
			name: "duplicate events count once",
			updates: []oktell.Update{
				state(at("09:00"), ready), state(at("09:00"), ready),
				state(at("10:00"), lunch), state(at("10:05"), lunch), state(at("10:05"), lunch),
				state(at("10:20"), ready), state(at("10:20"), ready),
				message(at("10:30"), "{A1B2}"), message(at("10:31"), "{a1b2}"), message(at("10:32"), "{C3}"),
				message(at("10:33"), ""), message(at("10:34"), "{00000000-0000-0000-0000-000000000000}"),
				line(at("10:40"), oktell.LineTalking, "+7495"), line(at("10:41"), oktell.LineTalking, "+7495"),
				line(at("10:45"), oktell.LineFree, ""), line(at("10:46"), oktell.LineFree, ""),
			},
			cfg: Config{Calls: true},
			now: at("11:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(60 + 40), Break: m(20)},
				breaks: 1, longest: m(20), calls: 1, talk: m(5), received: 4},
		},
		{
			name: "a state spanning midnight belongs to both days, split at 00:00",
			updates: []oktell.Update{
				state(at("22:00"), ready),
				state(at("23:30"), lunch),
				state(at("11 00:20"), ready),
			},
			now: at("11 01:00"),
			want: want{time: map[Bucket]time.Duration{Break: m(20), Ready: m(40)},
				breaks: 1, longest: m(20), date: "2026-03-11", start: at("11 00:00")},
		},
		{
			name: "a replay counts the log's times and nothing after its last update",
			cfg:  Config{LogTimes: true},
			updates: []oktell.Update{
				status(at("08:00"), oktell.LinkReadOnly),
				state(at("08:00"), ready),
				state(at("12:00"), lunch),
				state(at("13:00"), ready),
				status(at("17:00"), oktell.LinkReadOnly), // end of input
			},
			now: at("21:00"), // the wall clock when the operator quits the replay
			want: want{time: map[Bucket]time.Duration{Ready: m(8 * 60), Break: m(60)},
				breaks: 1, longest: m(60), date: "2026-03-10"},
		},
		{
			name: "a replay of a quiet log keeps the state across hours (no gap limit)",
			cfg:  Config{LogTimes: true},
			updates: []oktell.Update{
				state(at("08:00"), ready),
				state(at("14:00"), away),
			},
			now:  at("23:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(6 * 60)}},
		},
		{
			name: "a link loss is unknown time until the server reports the state again",
			updates: []oktell.Update{
				state(at("09:00"), ready),
				status(at("10:00"), oktell.LinkReconnecting),
				status(at("10:05"), oktell.LinkConnected), // up, but the state is not told yet
				state(at("10:06"), ready),
				event(at("11:00"), oktell.ConnectionLost), // the Oktell client lost its server
				state(at("11:10"), busy),
				status(at("11:30"), oktell.LinkClosed),
			},
			now:  at("12:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(60 + 54), Unknown: m(6 + 10 + 30), Busy: m(20)}},
		},
		{
			name: "a break interrupted by a link loss is one break",
			updates: []oktell.Update{
				state(at("09:00"), lunch),
				status(at("09:10"), oktell.LinkReconnecting),
				state(at("09:12"), lunch),
				state(at("09:30"), ready),
			},
			now:  at("09:30"),
			want: want{time: map[Bucket]time.Duration{Break: m(28), Unknown: m(2)}, breaks: 1, longest: m(28)},
		},
		{
			name: "the clock going backwards counts nothing twice and nothing negative",
			updates: []oktell.Update{
				state(at("09:00"), ready),
				state(at("10:00"), lunch),
				state(at("09:30"), ready), // stamped before the last: counts at 10:00
				state(at("10:30"), busy),
			},
			now: at("11:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(60 + 30), Busy: m(30)},
				breaks: 0},
		},
		{
			name: "the clock going backwards opens no gap and reopens no day",
			cfg:  Config{MaxGap: 10 * time.Minute},
			updates: []oktell.Update{
				state(at("23:50"), ready),
				tick(at("23:55")),
				tick(at("11 00:05")),
				message(at("23:00"), "{late}"), // set back by an hour: counts at 00:05, today
				tick(at("11 00:10")),
			},
			now:  at("11 00:10"),
			want: want{time: map[Bucket]time.Duration{Ready: m(10)}, received: 1, date: "2026-03-11"},
		},
		{
			name: "a call that spans a state change is one call, talked whole",
			cfg:  Config{Calls: true},
			updates: []oktell.Update{
				state(at("09:00"), ready),
				line(at("09:10"), oktell.LineRinging, "+74951234567"),
				line(at("09:11"), oktell.LineTalking, "+74951234567"),
				state(at("09:11"), busy), // the server marks the operator busy during the talk
				line(at("09:20"), oktell.LineOnHold, "+74951234567"),
				line(at("09:22"), oktell.LineTalking, "+74951234567"),
				line(at("09:30"), oktell.LineFree, ""),
				state(at("09:31"), ready),
				line(at("09:40"), oktell.LineTalking, "+74951234567"), // the same caller again: a new call
				line(at("09:45"), oktell.LineFree, ""),
			},
			now:  at("10:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(11 + 29), Busy: m(20)}, calls: 2, talk: m(19 + 5)},
		},
		{
			name: "calls are not counted where the source reports none",
			updates: []oktell.Update{
				state(at("09:00"), ready),
				line(at("09:11"), oktell.LineTalking, "+7"),
				line(at("09:30"), oktell.LineFree, ""),
			},
			now:  at("10:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(60)}},
		},
		{
			name: "a call across a link loss is counted once, its talk only while reported",
			cfg:  Config{Calls: true},
			updates: []oktell.Update{
				state(at("09:00"), ready),
				line(at("09:10"), oktell.LineTalking, "+7"),
				status(at("09:15"), oktell.LinkReconnecting),
				state(at("09:20"), ready),
				line(at("09:20"), oktell.LineTalking, "+7"),
				line(at("09:25"), oktell.LineFree, ""),
			},
			now:  at("09:30"),
			want: want{time: map[Bucket]time.Duration{Ready: m(15 + 10), Unknown: m(5)}, calls: 1, talk: m(10)},
		},
		{
			name: "a talk across midnight: the call counts on the day it began, the talk is split",
			cfg:  Config{Calls: true},
			updates: []oktell.Update{
				state(at("23:50"), busy),
				line(at("23:55"), oktell.LineTalking, "+7"),
				line(at("11 00:05"), oktell.LineFree, ""),
			},
			now:  at("11 00:10"),
			want: want{time: map[Bucket]time.Duration{Busy: m(10)}, calls: 0, talk: m(5), date: "2026-03-11"},
		},
		{
			name: "messages received and sent (a recording's accepted outcomes only)",
			updates: []oktell.Update{
				state(at("09:00"), ready),
				message(at("09:01"), "{1}"),
				sent(at("09:02"), false, ""),       // the request
				sent(at("09:02"), true, ""),        // accepted
				sent(at("09:03"), true, "refused"), // refused: not sent
			},
			now:  at("09:10"),
			want: want{time: map[Bucket]time.Duration{Ready: m(10)}, received: 1, sent: 1},
		},
		{
			name: "a silence longer than the gap limit is not watched, unless the same state is reported",
			cfg:  Config{MaxGap: 2 * time.Minute},
			updates: []oktell.Update{
				state(at("09:00"), ready),
				tick(at("09:01")), tick(at("09:02")),
				tick(at("10:02")), // an hour asleep
				state(at("10:03"), away),
			},
			now:  at("10:10"),
			want: want{time: map[Bucket]time.Duration{Ready: m(2), NotWatched: m(60), Unknown: m(1), Away: m(7)}},
		},
		{
			name: "after a silence the same state resumes the gap",
			cfg:  Config{MaxGap: 10 * time.Minute},
			updates: []oktell.Update{
				state(at("09:00"), lunch),
				tick(at("09:02")),
				status(at("09:30"), oktell.LinkReconnecting),
				state(at("09:31"), lunch),
				state(at("09:40"), ready),
			},
			now:  at("09:40"),
			want: want{time: map[Bucket]time.Duration{Break: m(40)}, breaks: 1, longest: m(40)},
		},
		{
			name: "a backlog's silences are the log's, not okdash asleep; after it a silence is",
			cfg:  Config{MaxGap: 2 * time.Minute},
			updates: []oktell.Update{
				{At: at("08:00"), Status: &oktell.Status{Link: oktell.LinkReadOnly}}, // a note: not the day's start
				{At: at("09:00"), Event: stateEv(ready), Backlog: true},
				{At: at("09:40"), Event: stateEv(lunch), Backlog: true},
				{At: at("09:50"), Err: errors.New("skipped a document"), Backlog: true},
				tick(at("10:00")), // caught up: the break went on until now
				tick(at("10:01")),
				tick(at("11:01")), // then an hour asleep
				state(at("11:02"), ready),
			},
			now: at("11:10"),
			want: want{time: map[Bucket]time.Duration{Ready: m(48), Break: m(21), NotWatched: m(60), Unknown: m(1)},
				breaks: 1, longest: m(21), start: at("09:00")},
		},
		{
			name: "an undocumented state counts as unknown",
			updates: []oktell.Update{
				state(at("09:00"), oktell.UserState(4)),
				state(at("09:30"), ready),
			},
			now:  at("10:00"),
			want: want{time: map[Bucket]time.Duration{Unknown: m(30), Ready: m(30)}},
		},
		{
			name: "a malformed state event changes nothing",
			updates: []oktell.Update{
				state(at("09:00"), ready),
				{At: at("09:30"), Event: &oktell.Event{Type: oktell.UserStateChanged}},
			},
			now:  at("10:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(60)}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cfg.Zone == nil {
				tc.cfg.Zone = msk
			}
			s := New(tc.cfg)
			for _, u := range tc.updates {
				s.Apply(u)
			}
			sum := s.Summary(tc.now)
			checkFigures(t, sum.Figures, tc.want)
			if tc.want.current != 0 {
				assert.Equal(t, tc.want.current, sum.Current)
			}
			assert.Equal(t, sum.Length(), sumDurations(sum.Time), "length")
			// Summary changes nothing: asked again, the same answer.
			assert.Equal(t, sum, s.Summary(tc.now))
		})
	}
}

// Watch ticks while a backlog is read: the backlog is still counted at its own times.
func TestTickDuringTheBacklog(t *testing.T) {
	s := New(Config{Zone: msk, MaxGap: 2 * time.Minute})
	s.Apply(oktell.Update{At: at("09:00"), Event: stateEv(ready), Backlog: true})
	s.Tick(at("09:30"))
	s.Apply(oktell.Update{At: at("09:10"), Event: stateEv(lunch), Backlog: true})
	s.Tick(at("09:31"))
	s.Apply(oktell.Update{At: at("09:32")}) // the first news
	checkFigures(t, s.Summary(at("09:40")).Figures, want{time: map[Bucket]time.Duration{Ready: m(10), Break: m(30)}, breaks: 1, longest: m(30)})
}

func sumDurations(ds [NumBuckets]time.Duration) time.Duration {
	var d time.Duration
	for _, x := range ds {
		d += x
	}
	return d
}

func TestMidnightClosesYesterday(t *testing.T) {
	s := New(Config{Zone: msk})
	s.Apply(state(at("22:00"), ready))
	s.Apply(state(at("23:30"), lunch))
	_, ok := s.Closed()
	require.False(t, ok)
	s.Apply(tick(at("11 00:01")))
	y, ok := s.TakeClosed()
	require.True(t, ok, "the first update after midnight closes yesterday")
	checkFigures(t, y, want{time: map[Bucket]time.Duration{Ready: m(90), Break: m(30)}, breaks: 1, longest: m(30),
		date: "2026-03-10", start: at("22:00")})
	assert.Equal(t, m(30), y.Hours[23][Break])
	assert.Equal(t, m(30), y.Hours[23][Ready])
	assert.Equal(t, m(60), y.Hours[22][Ready])
	_, ok = s.TakeClosed()
	assert.False(t, ok, "taken once")

	// The break goes on today, from 00:00, and counts as today's.
	s.Apply(state(at("11 00:20"), ready))
	sum := s.Summary(at("11 00:30"))
	checkFigures(t, sum.Figures, want{time: map[Bucket]time.Duration{Break: m(20), Ready: m(10)}, breaks: 1, longest: m(20),
		date: "2026-03-11", start: at("11 00:00")})
}

func TestSummaryPastMidnightWithoutUpdates(t *testing.T) {
	s := New(Config{Zone: msk})
	s.Apply(state(at("23:00"), away))
	sum := s.Summary(at("11 02:00"))
	checkFigures(t, sum.Figures, want{time: map[Bucket]time.Duration{Away: m(120)}, date: "2026-03-11", start: at("11 00:00")})
	assert.Equal(t, Away, sum.Current)
	assert.True(t, at("11 00:00").Equal(sum.Since), "in the state since today's 00:00")
	_, ok := s.Closed()
	assert.False(t, ok, "Summary closes nothing")
}

func TestHoursFollowTheZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	// 2026-03-29: the clocks go from 02:00 to 03:00; the day has 23 hours.
	s := New(Config{Zone: berlin})
	start := time.Date(2026, 3, 29, 0, 30, 0, 0, berlin)
	s.Apply(state(start, ready))
	sum := s.Summary(time.Date(2026, 3, 29, 4, 30, 0, 0, berlin))
	assert.Equal(t, 3*time.Hour, sum.Time[Ready], "00:30 to 04:30 is three hours that day")
	assert.Equal(t, m(30), sum.Hours[0][Ready])
	assert.Equal(t, m(60), sum.Hours[1][Ready])
	assert.Equal(t, time.Duration(0), sum.Hours[2][Ready], "02:00-03:00 does not exist")
	assert.Equal(t, m(60), sum.Hours[3][Ready])
	assert.Equal(t, m(30), sum.Hours[4][Ready])
	// Midnight is the zone's: 23:30 Berlin is 22:30 UTC.
	s = New(Config{Zone: berlin})
	s.Apply(state(time.Date(2026, 3, 30, 23, 30, 0, 0, berlin), ready))
	s.Apply(tick(time.Date(2026, 3, 31, 0, 15, 0, 0, berlin)))
	y, ok := s.TakeClosed()
	require.True(t, ok)
	assert.Equal(t, m(30), y.Time[Ready])
}

func TestRestartMidBreak(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after []oktell.Update
		now   time.Time
		want  want
	}{
		{
			name:  "the server reports the break again: the gap is break, one break",
			after: []oktell.Update{status(at("12:20"), oktell.LinkConnecting), state(at("12:20:01"), lunch), state(at("12:45"), ready)},
			now:   at("13:00"),
			want:  want{time: map[Bucket]time.Duration{Ready: m(60 + 15), Break: m(45)}, breaks: 1, longest: m(45)},
		},
		{
			name:  "the server reports another state: the gap is not watched, the break ended at the close",
			after: []oktell.Update{status(at("12:20"), oktell.LinkConnecting), state(at("12:21"), ready)},
			now:   at("13:00"),
			want: want{time: map[Bucket]time.Duration{Ready: m(60 + 39), Break: m(10), NotWatched: m(10), Unknown: m(1)},
				breaks: 1, longest: m(10)},
		},
		{
			name:  "nothing reported yet: the gap is not watched as it stands",
			after: []oktell.Update{status(at("12:20"), oktell.LinkConnecting)},
			now:   at("12:30"),
			want:  want{time: map[Bucket]time.Duration{Ready: m(60), Break: m(10), NotWatched: m(10), Unknown: m(10)}, breaks: 1, longest: m(10)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := New(Config{Zone: msk})
			first.Apply(state(at("11:00"), ready))
			first.Apply(state(at("12:00"), lunch))
			saved := first.Snapshot(at("12:10")) // okdash quits
			assert.True(t, saved.BreakOpen)
			assert.Equal(t, m(10), saved.BreakLen)
			assert.True(t, saved.Known)

			again := New(Config{Zone: msk})
			again.Restore(saved, at("12:20"))
			for _, u := range tc.after {
				again.Apply(u)
			}
			checkFigures(t, again.Summary(tc.now).Figures, tc.want)
		})
	}
}

func TestRestartWhileTheLinkWasDown(t *testing.T) {
	first := New(Config{Zone: msk})
	first.Apply(state(at("09:00"), ready))
	first.Apply(status(at("09:30"), oktell.LinkReconnecting))
	saved := first.Snapshot(at("09:40"))
	assert.False(t, saved.Known, "a stale state is not resumed")

	again := New(Config{Zone: msk})
	again.Restore(saved, at("10:00"))
	again.Apply(state(at("10:00"), ready))
	checkFigures(t, again.Summary(at("10:30")).Figures, want{time: map[Bucket]time.Duration{
		Ready: m(30 + 30), Unknown: m(10), NotWatched: m(20)}})
}

func TestRestartKeepsCountsAndMessages(t *testing.T) {
	first := New(Config{Zone: msk, Calls: true})
	first.Apply(state(at("09:00"), ready))
	first.Apply(message(at("09:05"), "{m1}"))
	first.Apply(line(at("09:10"), oktell.LineTalking, "+7"))
	saved := first.Snapshot(at("09:20"))

	again := New(Config{Zone: msk, Calls: true})
	again.Restore(saved, at("09:21"))
	again.Apply(state(at("09:21"), ready))
	again.Apply(message(at("09:22"), "{M1}")) // the server delivers it again after the restart
	again.Apply(line(at("09:22"), oktell.LineTalking, "+7"))
	again.Apply(line(at("09:30"), oktell.LineFree, ""))
	checkFigures(t, again.Summary(at("09:30")).Figures, want{
		time: map[Bucket]time.Duration{Ready: m(30)}, calls: 1, talk: m(10 + 8), received: 1, start: at("09:00")})
}

func TestStopFreezesTheShift(t *testing.T) {
	s := New(Config{Zone: msk})
	s.Apply(state(at("09:00"), ready))
	s.Apply(tick(at("10:00")))
	s.Stop()
	s.Apply(state(at("10:30"), lunch))
	checkFigures(t, s.Summary(at("12:00")).Figures, want{time: map[Bucket]time.Duration{Ready: m(60)}})
}

func TestEmptyShift(t *testing.T) {
	s := New(Config{Zone: msk})
	sum := s.Summary(at("09:00"))
	assert.True(t, sum.Empty())
	assert.Equal(t, "2026-03-10", sum.Date.String())
	s.Apply(oktell.Update{}) // no time: nothing to place it at
	assert.False(t, s.Started())
}

func TestStatesOrder(t *testing.T) {
	var s Summary
	s.Time[Busy] = m(100)
	s.Time[Ready] = m(5)
	s.Time[Break] = m(48)
	s.Time[Unknown] = m(2)
	s.Time[NotWatched] = m(300)
	s.Time[Away] = m(48)
	s.Time[Reserved] = m(48)
	assert.Equal(t, []Bucket{Ready, Break, Busy, Away, Reserved, Unknown}, s.States(), "ready, break, then biggest first; equal ones in view order")
	s.Time[Ready], s.Time[Break] = 0, 0
	assert.Equal(t, []Bucket{Busy, Away, Reserved, Unknown}, s.States())
}

func TestDateString(t *testing.T) {
	assert.Equal(t, "2026-03-09", Date{2026, 3, 9}.String())
	d, err := ParseDate("2026-12-31")
	require.NoError(t, err)
	assert.Equal(t, Date{2026, 12, 31}, d)
	_, err = ParseDate("2026-13-01")
	assert.Error(t, err)
}

// A replay's shift ends at its last update: the wall clock's time (Watched.Close ticks
// with it) is nothing of the log's, and the quit line must read what the view showed.
func TestReplayTicksCountNothing(t *testing.T) {
	s := New(Config{Zone: msk, LogTimes: true})
	s.Apply(state(at("09:00"), ready))
	s.Apply(tick(at("09:10")))
	before := s.Summary(at("21:52"))
	s.Tick(at("21:52"))
	s.Stop()
	after := s.Summary(at("21:52"))
	assert.Equal(t, before.Figures, after.Figures, "the shift the view showed is the one the quit line prints")
	checkFigures(t, after.Figures, want{time: map[Bucket]time.Duration{Ready: m(10)}})
}
