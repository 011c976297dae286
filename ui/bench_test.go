package ui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// busyModel is a dashboard at 120x40 after a long shift: 10,000 messages and 1,000
// notifications in the history, with toasts on screen.
func busyModel(b *testing.B) Model {
	b.Helper()
	f := newFake()
	o := testOptions(f, clocktest.New(t0), language.English)
	o.MaxMessages, o.MaxHistory = 10000, 1000
	m := New(o)
	m = step(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = step(m, upd(t0, evState(oktell.UserReady, false)))
	for i := 0; i < 10000; i++ {
		text := fmt.Sprintf("Сообщение %d: клиент просит перезвонить, номер в карточке заявки, очередь %d.", i, i%7)
		m = step(m, upd(t0.Add(time.Duration(i)*time.Second), evMessage("24.11.2026 09:00:00", "u1", "Петрова Анна", text)))
	}
	nts := oktell.NotifyTypes()
	for i := 0; i < 1000; i++ {
		m = step(m, upd(t0, evNotify(nts[i%len(nts)], false, i%3 == 0, "24.11.2026 09:00:00", "АТС", fmt.Sprintf("уведомление %d", i))))
	}
	if len(m.messages.items) != 10000 || len(m.history.notes) != 1000 {
		b.Fatalf("setup: %d messages, %d notifications", len(m.messages.items), len(m.history.notes))
	}
	return m
}

// BenchmarkView is one frame of a busy dashboard (target: under 1 ms).
func BenchmarkView(b *testing.B) {
	m := busyModel(b)
	for _, v := range []struct {
		name string
		view screen
	}{{"messages", screenMain}, {"history", screenHistory}} {
		m.c.screen = v.view
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/frame")
		})
	}
}

// BenchmarkEventToFrame is the time from a message arriving to the frame that shows it.
func BenchmarkEventToFrame(b *testing.B) {
	m := busyModel(b)
	e := evMessage("24.11.2026 09:00:00", "u1", "Петрова Анна", "Новое сообщение: клиент на линии, очередь 3.")
	st := evState(oktell.UserLunch, false)
	b.Run("message", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			nm, _ := m.Update(upd(t0, e))
			_ = nm.View()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/event")
	})
	b.Run("state", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			nm, _ := m.Update(upd(t0, st))
			_ = nm.View()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/event")
	})
}
