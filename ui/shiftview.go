package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/okdash/okdash/oktell"
	okshift "github.com/okdash/okdash/oktell/shift"
)

// ShiftSource is the operator's shift as the dashboard shows it. It is counted outside
// the dashboard, from the session's updates on their way in (oktell/shift.Watched is
// one); the shift view asks it for the figures on the clock's tick, and asking does no
// I/O.
type ShiftSource interface {
	// SummaryAt is the shift as of now (the dashboard's clock).
	SummaryAt(now time.Time) okshift.Summary
	// Kept says whether a file keeps the shift across restarts; SaveErr is the last
	// failure to write it, nil when the last write worked.
	Kept() bool
	SaveErr() error
}

// shiftView is the shift screen: today's time in each state, the breaks, the calls
// and the messages, and a bar per hour where the terminal is wide enough. It shows the
// figures of the shift's Summary as they are, and asks for them again every second
// while it is open, so the time of the state under way runs.
type shiftView struct {
	c   *common
	src ShiftSource // nil: no shift is counted, the key says so

	sum        okshift.Summary // as of the last refresh
	kept       bool
	saveFailed bool

	open, back key.Binding
}

// shiftChartWidth is the width of a bar per hour: a cell a minute.
const shiftChartWidth = 60

// shiftLabels are the words of the shift view's rows, by bucket, as the table shows them.
var shiftLabels = [okshift.NumBuckets]string{
	"Ready", "Break", "Away", "Busy", "Reserved", "No phone", "Disconnected", "Unknown", "Not watched",
}

func init() { words(shiftViewWords) }

// shiftViewWords declares the words of shiftview.go in Russian (see words).
func shiftViewWords() {
	russian(map[string]string{
		"shift":                               "смена",
		"Shift":                               "Смена",
		"no shift is counted for this source": "для этого источника смена не считается",
		"Shift %s":                            "Смена %s",
		"%[1]s-%[2]s-%[3]s":                   "%[3]s.%[2]s.%[1]s",
		"not saved (a log)":                   "не сохраняется (журнал)",
		"not saved":                           "не сохраняется",
		"not saved: the last write failed":    "не сохранено: запись не удалась",
		"Not watched":                         "Не отслежено",
		"Total time":                          "Всего времени",
		"Breaks":                              "Перерывы",
		"  total":                             "  всего",
		"  longest":                           "  самый долгий",
		"  since":                             "  с",
		"Messages received":                   "Сообщений получено",
		"Messages sent":                       "Сообщений отправлено",
		"Calls":                               "Звонки",
		"  talk":                              "  разговор",
		"not reported":                        "нет данных",
		"Per hour, a cell a minute:":          "По часам, клетка — минута:",
		"Per hour:":                           "По часам:",
	})
}

func newShiftView(c *common) shiftView {
	return shiftView{c: c, src: c.opts.Shift,
		open: c.hotkey("s", "shift", "s", "S"), back: c.hotkey("esc", "back", "esc")}
}

func (s *shiftView) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case screenMsg:
		if msg.to == screenShift {
			s.refresh()
		}
	case tickMsg:
		if s.c.screen == screenShift {
			s.refresh() // the state under way runs on
		}
	case updateMsg:
		if s.c.screen == screenShift && shiftCounts(msg.u) {
			s.refresh()
		}
	}
	return nil
}

// shiftCounts says whether an update may change the shift's figures otherwise than by
// time passing: a state, the link, a message, the line.
func shiftCounts(u oktell.Update) bool {
	if u.Status != nil || u.Line != nil || u.Sent != nil {
		return true
	}
	if e := u.Event; e != nil {
		switch e.Type {
		case oktell.UserStateChanged, oktell.ConnectionLost, oktell.RestartRequested, oktell.UserMessage:
			return true
		}
	}
	return false
}

// refresh takes the shift's figures as of the dashboard's time.
func (s *shiftView) refresh() {
	if s.src == nil {
		return
	}
	s.sum = s.src.SummaryAt(s.c.now)
	s.kept, s.saveFailed = s.src.Kept(), s.src.SaveErr() != nil
}

func (s *shiftView) keys(on screen) []binding {
	c := s.c
	why := ""
	if s.src == nil {
		why = "no shift is counted for this source"
	}
	toggle := act(s.open, why, c.toggleScreen(screenShift, nil)).listed(groupViews)
	switch on {
	case screenMain:
		toggle = toggle.onBar(2) // the first to give way on a narrow bar, after the voicemail
	case screenShift:
		toggle = toggle.onBar(4)
	}
	if on != screenShift {
		return []binding{toggle}
	}
	return []binding{toggle, act(s.back, "", c.toMain).onBar(3)}
}

// title is the shift screen's rule title (the day) and its warning: that the shift is
// not saved, and why.
func (s *shiftView) title() (string, string) {
	c, sum := s.c, &s.sum
	d := sum.Date
	day := c.tr("%[1]s-%[2]s-%[3]s", fmt.Sprintf("%04d", d.Year), fmt.Sprintf("%02d", int(d.Month)), fmt.Sprintf("%02d", d.Day))
	title := c.tr("Shift %s", day)
	if s.src == nil {
		return c.tr("Shift"), ""
	}
	switch {
	case c.caps.ReadOnly:
		return title, c.tr("not saved (a log)")
	case !s.kept:
		return title, c.tr("not saved")
	case s.saveFailed:
		return title, c.tr("not saved: the last write failed")
	}
	return title, ""
}

// shiftClock writes a time of the shift as h:mm:ss, the same width all day.
func shiftClock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	t := int64(d / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", t/3600, t/60%60, t%60)
}

// view draws the shift into w x rows: the states and the figures side by side, then
// the bars per hour, the latest hours when not all of them fit.
func (s *shiftView) view(w, rows int) []string {
	c, th := s.c, s.c.theme
	if s.src == nil {
		return []string{"   " + th.Muted.Render(c.tr("no shift is counted for this source"))}
	}
	table, tableW := s.states()
	figures := s.figures()
	// Side by side: at the minimum width both fit, in either language; a line too long
	// for a narrower terminal is cut at its end by the layout.
	out := make([]string, 0, rows)
	for i := range max(len(table), len(figures)) {
		l, r := "", ""
		if i < len(table) {
			l = table[i]
		}
		if i < len(figures) {
			r = figures[i]
		}
		out = append(out, c.fill(" "+l, 1+tableW+3)+r)
	}
	if len(out) >= rows {
		return out[:max(rows, 0)]
	}
	return append(out, s.chart(w, rows-len(out))...)
}

// states are the table's rows: every bucket's glyph, word and time, the one the time
// goes to now marked and bold; and the table's width.
func (s *shiftView) states() ([]string, int) {
	c, th, sum := s.c, s.c.theme, &s.sum
	wordW, timeW := 0, 0
	words, times := make([]string, okshift.NumBuckets), make([]string, okshift.NumBuckets)
	for b := range okshift.NumBuckets {
		words[b], times[b] = c.tr(shiftLabels[b]), shiftClock(sum.Time[b])
		wordW, timeW = max(wordW, ansi.StringWidth(words[b])), max(timeW, len(times[b]))
	}
	out := make([]string, 0, okshift.NumBuckets)
	for b := range okshift.NumBuckets {
		bk := okshift.Bucket(b)
		text := pad(words[b], wordW) + " " + strings.Repeat(" ", timeW-len(times[b])) + times[b]
		st := th.Base
		switch {
		case bk == sum.Current && !sum.Start.IsZero():
			st = th.Bold
		case sum.Time[b] <= 0:
			st = th.Muted
		}
		line := th.ShiftBar(bk).Render(th.Icons.ShiftGlyph(bk)) + " " + st.Render(text)
		if bk == sum.Current && !sum.Start.IsZero() {
			line += " " + th.Bold.Render(th.Icons.Now)
		}
		out = append(out, line)
	}
	return out, 2 + wordW + 1 + timeW + 2
}

// figures are the rows beside the table: the shift's length, the breaks, the messages
// and the calls (where the source reports them), each a word and the Summary's figure.
func (s *shiftView) figures() []string {
	c, th, sum := s.c, s.c.theme, &s.sum
	type row struct{ label, value string }
	since := "-"
	if !sum.Start.IsZero() {
		since = sum.Start.Format("15:04")
	}
	rows := []row{
		{"Total time", shiftClock(sum.Length())},
		{"  since", since},
		{"Breaks", strconv.Itoa(sum.Breaks)},
		{"  total", shiftClock(sum.Time[okshift.Break])},
		{"  longest", shiftClock(sum.Longest)},
	}
	if sum.HasCalls {
		rows = append(rows, row{"Calls", strconv.Itoa(sum.Calls)}, row{"  talk", shiftClock(sum.Talk)})
	} else {
		rows = append(rows, row{"Calls", c.tr("not reported")})
	}
	rows = append(rows, row{"Messages received", strconv.Itoa(sum.Received)}, row{"Messages sent", strconv.Itoa(sum.Sent)})
	labelW, valueW := 0, 0
	for i := range rows {
		rows[i].label = c.tr(rows[i].label)
		labelW, valueW = max(labelW, ansi.StringWidth(rows[i].label)), max(valueW, ansi.StringWidth(rows[i].value))
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		label := th.Base
		if !strings.HasPrefix(r.label, " ") {
			label = th.Bold
		}
		value := th.Base.Render(r.value)
		if !sum.HasCalls && r.label == c.tr("Calls") {
			value = th.Muted.Render(r.value)
		}
		out = append(out, label.Render(pad(r.label, labelW))+" "+strings.Repeat(" ", valueW-ansi.StringWidth(r.value))+value)
	}
	return out
}

// chart is the bars per hour into w x rows, with their legend, for the hours that have
// time (the latest that fit); nothing when the terminal is too narrow for a cell a
// minute or too short for one hour.
func (s *shiftView) chart(w, rows int) []string {
	c, th, sum := s.c, s.c.theme, &s.sum
	if w < 1+2+1+shiftChartWidth || rows < 3 {
		return nil
	}
	first, last := -1, -1
	var seen [okshift.NumBuckets]bool
	for h := range 24 {
		for b, d := range sum.Hours[h] {
			if d > 0 {
				if first < 0 {
					first = h
				}
				last = h
				seen[b] = true
			}
		}
	}
	if first < 0 {
		return nil
	}
	var items []string
	for b := range okshift.NumBuckets {
		if seen[b] {
			items = append(items, th.ShiftBar(okshift.Bucket(b)).Render(th.Icons.ShiftFill[b])+" "+c.tr(shiftBucketWords[b]))
		}
	}
	legend := packLine(" "+th.Muted.Render(c.tr("Per hour, a cell a minute:")), items, w)
	if len(legend) > 1 { // the scale is told by the bars' length too: the legend comes first
		legend = packLine(" "+th.Muted.Render(c.tr("Per hour:")), items, w)
	}
	room := rows - 1 - len(legend)
	if room < 1 {
		return nil
	}
	first = max(first, last-room+1)
	out := append([]string{""}, legend...)
	for h := first; h <= last; h++ {
		out = append(out, s.hour(h, w))
	}
	return out
}

// packLine puts items after head, a space apart, on as few lines of w cells as they
// take; a line after the first starts under the first item.
func packLine(head string, items []string, w int) []string {
	indent := strings.Repeat(" ", 3)
	lines := []string{head}
	for _, it := range items {
		cur := &lines[len(lines)-1]
		if ansi.StringWidth(*cur)+1+ansi.StringWidth(it) > w && strings.TrimSpace(ansi.Strip(*cur)) != "" && *cur != indent {
			lines = append(lines, indent+it)
			continue
		}
		*cur += " " + it
	}
	return lines
}

// hour is one hour's bar: its cells in the buckets' order, as many a bucket as its
// minutes (largest remainders), and, where the width allows, each bucket's time.
func (s *shiftView) hour(h, w int) string {
	th, hours := s.c.theme, &s.sum.Hours[h]
	scale := time.Hour
	var total time.Duration
	for _, d := range hours {
		total += d
	}
	scale = max(scale, total) // the hour that repeats when the clocks go back
	cells := cellsOf(hours[:], scale, shiftChartWidth)
	var b strings.Builder
	b.WriteString(" " + th.Time.Render(fmt.Sprintf("%02d", h)) + " ")
	used := 0
	for k, n := range cells {
		if n > 0 {
			b.WriteString(th.ShiftBar(okshift.Bucket(k)).Render(strings.Repeat(th.Icons.ShiftFill[k], n)))
			used += n
		}
	}
	b.WriteString(strings.Repeat(" ", shiftChartWidth-used))
	line := b.String()
	for k, d := range hours {
		if d < time.Second {
			continue
		}
		it := " " + th.ShiftBar(okshift.Bucket(k)).Render(th.Icons.ShiftFill[k]) + th.Muted.Render(" "+FormatDuration(d))
		if ansi.StringWidth(line)+ansi.StringWidth(it) > w {
			break
		}
		line += it
	}
	return line
}

// cellsOf shares n cells among ds in proportion to scale, by largest remainders: the
// cells add up to the rounded whole, and no bucket gets a cell more than its due.
func cellsOf(ds []time.Duration, scale time.Duration, n int) []int {
	cells := make([]int, len(ds))
	if scale <= 0 {
		return cells
	}
	rem := make([]int64, len(ds))
	var total time.Duration
	given := 0
	for i, d := range ds {
		if d <= 0 {
			continue
		}
		total += d
		exact := int64(d) * int64(n)
		cells[i] = int(exact / int64(scale))
		rem[i] = exact % int64(scale)
		given += cells[i]
	}
	want := int((int64(total)*int64(n) + int64(scale)/2) / int64(scale))
	for ; given < want; given++ {
		best := -1
		for i := range ds {
			if rem[i] > 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		cells[best]++
		rem[best] = 0
	}
	return cells
}

// pad pads s with spaces to w cells.
func pad(s string, w int) string { return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0)) }
