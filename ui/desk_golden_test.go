package ui

import (
	"testing"
	"time"

	"github.com/muesli/termenv"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
)

// deskCaps are the capabilities of a source that reports the whole desk (the demo, ws).
var deskCaps = oktell.Capabilities{Kind: oktell.SourceDemo, SetUserState: true, SendMessage: true, Line: true, Queue: true, Colleagues: true}

// deskAt is when the desk fixtures arrive: with the shift's last message.
var deskAt = t0.Add(12*time.Minute + 34*time.Second)

// roster is a call centre of twelve colleagues in two departments, the operator among them.
func roster() []oktell.Colleague {
	col := func(id, login, name, number, dept string, st oktell.UserState) oktell.Colleague {
		return oktell.Colleague{ID: id, Login: login, Name: name, Number: number, Numbers: []string{number},
			Department: dept, State: st, StateKnown: true}
	}
	const sup, sales = "Поддержка", "Продажи"
	self := col("u-ivanova", "ivanova", "Иванова Мария", "201", sup, oktell.UserReady)
	self.Self = true
	unknown := col("u-lebedev", "lebedev", "Лебедев Павел", "16033", sales, 0)
	unknown.StateKnown = false
	return []oktell.Colleague{
		self,
		col("u-petrova", "petrova", "Петрова Анна", "16021", sup, oktell.UserReady),
		col("u-sidorov", "sidorov", "Sidorov Oleg", "16022", sup, oktell.UserLunch),
		col("u-smirnova", "smirnova", "Смирнова Ольга Викторовна", "16023", sup, oktell.UserFullbusy),
		col("u-kuznetsov", "kuznetsov", "Кузнецов Андрей", "16024", sup, oktell.UserReady),
		col("u-orlova", "orlova", "Орлова Дарья", "16025", sup, oktell.UserOff),
		col("u-fedorov", "fedorov", "Фёдоров Михаил", "16026", sup, oktell.UserWOphone),
		col("u-volkov", "volkov", "Волков Сергей", "16031", sales, oktell.UserFullbusy),
		col("u-morozova", "morozova", "Морозова Анна", "16032", sales, oktell.UserReady),
		unknown,
		col("u-sokolova", "sokolova", "Соколова Екатерина", "16034", sales, oktell.UserReserved),
		col("u-popov", "popov", "Попов Денис", "16035", sales, oktell.UserDisconnected),
	}
}

// waiting are three callers in the queue, the first for 1:42.
func waiting() []oktell.QueuedCaller {
	return []oktell.QueuedCaller{
		{Key: "+79165554433", Number: "+79165554433", Name: "Кузьмина Анна", Since: deskAt.Add(-102 * time.Second)},
		{Key: "+78122223344", Number: "+78122223344", Name: "Белова Светлана", Since: deskAt.Add(-41 * time.Second)},
		{Key: "+79031234567", Number: "+79031234567", Since: deskAt.Add(-7 * time.Second)},
	}
}

// theCall is the call of the desk goldens, in the given state.
func theCall(st oktell.LineState) oktell.LineUpdate {
	c := &oktell.Call{Direction: oktell.DirectionIn, Number: "+74951234567", Name: "Иванов Иван", ChainID: "chain-1",
		Info: "Очередь «Поддержка»: вопрос по счёту № 4512\nVIP-клиент"}
	switch st {
	case oktell.LineTalking:
		c.TalkStart = deskAt.Add(-(2*time.Minute + 46*time.Second))
	case oktell.LineOnHold:
		c.TalkStart = deskAt.Add(-(3*time.Minute + 10*time.Second))
		c.OnHold, c.HoldStart = true, deskAt.Add(-38*time.Second)
	}
	return oktell.LineUpdate{State: st, Call: c}
}

// desk is the shift's desk: the colleagues, the queue, and the line last.
func desk(line oktell.LineUpdate) []oktell.Update {
	return []oktell.Update{
		{At: deskAt, Colleagues: &oktell.ColleaguesUpdate{Full: true, Colleagues: roster()}},
		{At: deskAt, Queue: &oktell.Queue{Callers: waiting()}},
		{At: deskAt, Line: &line},
	}
}

func TestGoldenDesk(t *testing.T) {
	ringing, talking, onHold := desk(theCall(oktell.LineRinging)), desk(theCall(oktell.LineTalking)), desk(theCall(oktell.LineOnHold))
	const name = "Иванов Иван"
	cases := []goldenCase{
		{name: "en_80x24_ringing", w: 80, h: 24, lang: language.English, profile: termenv.Ascii},
		{name: "ru_80x24_ringing", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii},
		{name: "en_60x16_ringing", w: 60, h: 16, lang: language.English, profile: termenv.Ascii},
		{name: "ru_60x16_ringing_ascii_icons", w: 60, h: 16, lang: language.Russian, profile: termenv.Ascii, icons: "ascii"},
		{name: "en_80x24_ringing_ansi256", w: 80, h: 24, lang: language.English, profile: termenv.ANSI256},
		// NO_COLOR on a terminal that has colour: no blinking, no colour, the same words
		{name: "en_80x24_ringing_no_color", w: 80, h: 24, lang: language.English, profile: termenv.ANSI256, noColor: true},
		{name: "en_80x24_talking", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, extra: talking},
		{name: "ru_60x16_talking", w: 60, h: 16, lang: language.Russian, profile: termenv.Ascii, extra: talking},
		{name: "en_80x24_hold", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, extra: onHold},
		{name: "ru_80x24_hold_ascii_icons", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii, icons: "ascii", extra: onHold},
		{name: "en_80x24_queue", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, extra: talking, keys: []string{"w"}},
		{name: "ru_60x16_queue", w: 60, h: 16, lang: language.Russian, profile: termenv.Ascii, extra: talking, keys: []string{"ц"}},
		{name: "en_80x24_colleagues", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, extra: talking, keys: []string{"c"}},
		{name: "en_80x24_colleagues_filter", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, extra: talking,
			keys: []string{"c", "/", "а", "н", "н"}},
		{name: "ru_80x24_colleagues_filter", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii, extra: talking,
			keys: []string{"с", ".", "п", "р", "о", "д", "enter"}},
		{name: "ru_60x16_colleagues_filter", w: 60, h: 16, lang: language.Russian, profile: termenv.Ascii, extra: talking,
			keys: []string{"с", ".", "о", "в"}},
		{name: "en_60x16_colleagues_ascii_icons", w: 60, h: 16, lang: language.English, profile: termenv.Ascii, icons: "ascii", extra: talking,
			keys: []string{"c", "down", "down", "down"}},
		{name: "en_80x24_colleagues_ansi256", w: 80, h: 24, lang: language.English, profile: termenv.ANSI256, extra: talking, keys: []string{"c"}},
		{name: "en_80x24_write", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, extra: talking,
			keys: []string{"c", "down", "enter", "H", "i"}},
		{name: "en_120x40_desk", w: 120, h: 40, lang: language.English, profile: termenv.Ascii, extra: ringing},
		{name: "en_160x48_desk", w: 160, h: 48, lang: language.English, profile: termenv.Ascii, extra: ringing},
		{name: "ru_160x48_desk", w: 160, h: 48, lang: language.Russian, profile: termenv.Ascii, extra: talking},
	}
	for _, gc := range cases {
		if gc.extra == nil {
			gc.extra = ringing
		}
		gc.caps, gc.until = &deskCaps, name
		t.Run(gc.name, func(t *testing.T) { runGolden(t, gc) })
	}
	// No call, callers waiting: the count alone on the second line.
	free := desk(oktell.LineUpdate{State: oktell.LineFree})
	for _, gc := range []goldenCase{
		{name: "en_80x24_waiting", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, extra: free, until: "longest 1:42"},
		{name: "ru_60x16_waiting", w: 60, h: 16, lang: language.Russian, profile: termenv.Ascii, extra: free, until: "дольше всех 1:42"},
	} {
		gc.caps = &deskCaps
		t.Run(gc.name, func(t *testing.T) { runGolden(t, gc) })
	}
}
