package ui

import (
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
)

// probe wraps the dashboard in the program of a benchmark: it tells the benchmark what
// the dashboard has applied, as the program applies it.
type probe struct {
	Model
	state  *atomic.Int32 // the user state on screen
	screen *atomic.Int32 // the screen shown (main, history)
	keyAt  *atomic.Int64 // when the screen last changed, UnixNano
}

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	nm, cmd := p.Model.Update(msg)
	p.Model = nm.(Model)
	p.state.Store(int32(probeState(p.Model)))
	if s := int32(probeScreen(p.Model)); s != p.screen.Load() {
		p.screen.Store(s)
		p.keyAt.Store(time.Now().UnixNano())
	}
	return p, cmd
}

func probeState(m Model) oktell.UserState { return m.status.state }
func probeScreen(m Model) int             { return int(m.c.screen) }

// BenchmarkFlood is the running program (its real renderer, 120x40, output discarded)
// absorbing a burst of updates from the session: how many a second it applies, how long
// a key typed in the middle of the burst waits, and the heap after the bursts. Each op
// is one burst of floodBurst updates. Target: 15,000 updates/s, a key within 50 ms.
func BenchmarkFlood(b *testing.B) {
	for _, bc := range []struct {
		name  string
		notes bool // every other update a self-hiding notification
	}{{"messages", false}, {"half_notifications", true}} {
		b.Run(bc.name, func(b *testing.B) { benchFlood(b, bc.notes) })
	}
}

const floodBurst = 5000

func benchFlood(b *testing.B, notes bool) {
	f := newFake()
	f.updates = make(chan oktell.Update, floodBurst+8)
	o := Options{Session: f, Theme: look(asciiRenderer(), "unicode", false, false), Lang: language.Russian} // the wall clock, as okdash runs
	p := probe{Model: New(o), state: new(atomic.Int32), screen: new(atomic.Int32), keyAt: new(atomic.Int64)}
	prog := tea.NewProgram(p, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignals())
	done := make(chan struct{})
	go func() { defer close(done); _, _ = prog.Run() }()
	b.Cleanup(func() { prog.Kill(); <-done })
	prog.Send(tea.WindowSizeMsg{Width: 120, Height: 40})

	burst := func(marker oktell.UserState) []oktell.Update {
		ups := make([]oktell.Update, 0, floodBurst)
		for i := 0; i < floodBurst-1; i++ {
			var e *oktell.Event
			if notes && i%2 == 1 {
				e = evNotify(oktell.NltPBXinfo, true, false, "24.11.2026 09:00:00", "АТС", fmt.Sprintf("Очередь 3: %d ждут", i))
			} else {
				e = evMessage("24.11.2026 09:00:00", "u-petrova", "Петрова Анна", fmt.Sprintf("Сообщение %d: клиент просит перезвонить, номер в карточке заявки.", i))
			}
			ups = append(ups, oktell.Update{Event: e})
		}
		return append(ups, oktell.Update{Event: evState(marker, false)}) // the last of the burst
	}
	waitFor := func(cond func() bool) {
		deadline := time.Now().Add(5 * time.Minute)
		for !cond() {
			if time.Now().After(deadline) {
				b.Fatal("the program did not get there")
			}
			time.Sleep(200 * time.Microsecond)
		}
	}
	f.updates <- oktell.Update{Event: evState(oktell.UserReady, false)}
	waitFor(func() bool { return p.state.Load() == int32(oktell.UserReady) })

	var keyWait, worstKey time.Duration
	var ms0 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	marker := oktell.UserReady
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		marker = map[oktell.UserState]oktell.UserState{oktell.UserReady: oktell.UserLunch, oktell.UserLunch: oktell.UserReady}[marker]
		ups := burst(marker)
		b.StartTimer()
		before := p.screen.Load()
		var sent time.Time
		for j, u := range ups {
			f.updates <- u
			if j == len(ups)/2 {
				sent = time.Now()
				go prog.Send(keyPress("n")) // open (or close) the history mid-flood, as a key from the terminal
			}
		}
		waitFor(func() bool { return p.state.Load() == int32(marker) })
		b.StopTimer()
		waitFor(func() bool { return p.screen.Load() != before })
		d := time.Duration(p.keyAt.Load() - sent.UnixNano())
		keyWait += d
		worstKey = max(worstKey, d)
		b.StartTimer()
	}
	b.StopTimer()
	var ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(b.N*floodBurst)/b.Elapsed().Seconds(), "updates/s")
	b.ReportMetric(float64(keyWait.Milliseconds())/float64(b.N), "key-ms")
	b.ReportMetric(float64(worstKey.Milliseconds()), "worst-key-ms")
	b.ReportMetric(float64(ms1.HeapInuse)/(1<<20), "heap-MiB")
	b.ReportMetric((float64(ms1.HeapInuse)-float64(ms0.HeapInuse))/(1<<20), "heap-growth-MiB")
}
