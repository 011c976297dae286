package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// shift is a realistic stretch of an operator's morning, ending with the marker message.
func shift() []oktell.Update {
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	ev := func(d time.Duration, e *oktell.Event) oktell.Update { return oktell.Update{At: at(d), Event: e} }
	ws := func(hms string) string { return "24.11.2026 " + hms }
	return []oktell.Update{
		{At: t0, Status: &oktell.Status{Link: oktell.LinkConnected, Operator: "Иванова Мария", Line: "201"}},
		ev(0, evState(oktell.UserReady, true)),
		ev(2*time.Minute, evMessage(ws("09:02:00"), "u-petrova", "Петрова Анна", "Клиент из очереди 3 просит перезвонить после обеда, номер в карточке заявки №4512.")),
		ev(5*time.Minute, evMessage(ws("09:05:10"), "u-sidorov", "Sidorov Oleg", "Coffee at 11? \x1b[31mThe usual place.")),
		ev(6*time.Minute, evBare(oktell.VoiceMail)),
		ev(7*time.Minute, evMessage(ws("09:07:00"), "u-super", "Супервизор", "Коллеги, в 12:00 короткое собрание у второго окна.\nНе забудьте отметить перерыв в системе!")),
		ev(8*time.Minute, evBare(oktell.VoiceMail)),
		ev(9*time.Minute, evNotify(oktell.NltPBXinfo, true, false, ws("09:09:00"), "АТС", "Очередь 3: 5 ждут, максимум 02:41")),
		ev(9*time.Minute, evNotify(oktell.NltPBXinfo, true, false, ws("09:09:30"), "АТС", "Очередь 3: 5 ждут, максимум 02:41")),
		ev(10*time.Minute, evNotify(oktell.NltApplicationWarn, false, true, ws("09:10:00"), "CRM", "Сессия истекает через 5 минут")),
		ev(11*time.Minute, evColor(0xFFFF8800, "VIP-клиент: приветствие по имени")),
		ev(12*time.Minute, evNotify(oktell.NltInformation, false, true, ws("09:12:00"), "Oktell", "Обновление сервера в 18:00")),
		ev(12*time.Minute, evNotify(oktell.NltIncomingCall, false, false, ws("09:12:20"), "АТС", "+7 495 123-45-67 → очередь 3 «Поддержка»")),
		ev(12*time.Minute+34*time.Second, evMessage(ws("09:12:34"), "u-petrova", "Петрова Анна", "Жду ответа.")),
	}
}

type goldenCase struct {
	name    string
	w, h    int
	lang    language.Tag
	profile termenv.Profile
	icons   string
	light   bool
	keys    []string
	first   []oktell.Update // before the shift
	extra   []oktell.Update
	until   string
	caps    *oktell.Capabilities // the source's, when not the fake's own
	noColor bool                 // NO_COLOR on a terminal that has colour
	// reconnect: the session can log in again (Capabilities.Reconnect)
	reconnect bool
}

func runGolden(t *testing.T, gc goldenCase) {
	t.Helper()
	f := newFake()
	if gc.caps != nil {
		f.caps = *gc.caps
	}
	c := clocktest.New(t0)
	var sess oktell.Session = f
	if gc.reconnect {
		rf := &reasonFake{fakeSession: f}
		rf.caps.Reconnect = true
		sess = rf
	}
	m := New(Options{Session: sess, Theme: goldenLook(gc.profile, gc.icons, gc.light, gc.noColor), Clock: c, Lang: gc.lang})
	tp := startProgram(t, m, gc.w, gc.h)
	ups := append(append(append([]oktell.Update(nil), gc.first...), shift()...), gc.extra...)
	go func() {
		for _, u := range ups {
			f.updates <- u
		}
	}()
	until := gc.until
	if until == "" {
		until = "Жду ответа." // the last update of the shift
	}
	tp.wait(until)
	for _, k := range gc.keys {
		tp.prog.Send(keyPress(k))
	}
	fm := tp.finish().(Model) // Quit is queued after the keys: the final model has handled them
	golden.RequireEqualEscape(t, []byte(fm.View()), true)
}

func TestGolden(t *testing.T) {
	cases := []goldenCase{
		{name: "en_80x24", w: 80, h: 24, lang: language.English, profile: termenv.Ascii},
		{name: "ru_80x24", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii},
		{name: "en_120x40", w: 120, h: 40, lang: language.English, profile: termenv.Ascii},
		{name: "ru_120x40", w: 120, h: 40, lang: language.Russian, profile: termenv.Ascii},
		{name: "en_80x24_ansi256", w: 80, h: 24, lang: language.English, profile: termenv.ANSI256},
		{name: "en_80x24_ansi16", w: 80, h: 24, lang: language.English, profile: termenv.ANSI},
		{name: "ru_80x24_ansi256_light", w: 80, h: 24, lang: language.Russian, profile: termenv.ANSI256, light: true},
		{name: "en_80x24_ascii_icons", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, icons: "ascii"},
		{name: "en_80x24_history", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, keys: []string{"n"}},
		{name: "ru_80x24_history", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii, keys: []string{"т"}},
		{name: "en_80x24_help", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, keys: []string{"?"}},
		{name: "ru_80x24_help", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii, keys: []string{"?"}},
		{name: "en_80x24_help_ascii_ansi256", w: 80, h: 24, lang: language.English, profile: termenv.ANSI256, icons: "ascii", keys: []string{"?"}},
		{name: "en_80x24_reply", w: 80, h: 24, lang: language.English, profile: termenv.Ascii,
			keys: []string{"up", "up", "enter", "С", "е", "й", "ч", "а", "с"}},
		{name: "ru_80x24_reply", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii,
			keys: []string{"up", "ь", "О", "к", " ", "!"}},
		{name: "en_80x24_lost", w: 80, h: 24, lang: language.English, profile: termenv.Ascii,
			extra: []oktell.Update{{At: t0.Add(13 * time.Minute), Status: &oktell.Status{Link: oktell.LinkReconnecting, Why: oktell.Quoted("dial tcp 10.0.0.5:4066: connection refused")}}}, until: "connection refused"},
		{name: "en_80x24_lost_long", w: 80, h: 24, lang: language.English, profile: termenv.Ascii,
			extra: []oktell.Update{{At: t0.Add(13 * time.Minute), Status: &oktell.Status{Link: oktell.LinkReconnecting, Why: oktell.Quoted("exec:python3 bridge.py exited: exit status 1 (ConnectionRefusedError: [Errno 111] Connection refused); retrying in 4s")}}}, until: "retrying"},
		{name: "ru_80x24_shutdown", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii,
			extra: []oktell.Update{{At: t0.Add(13 * time.Minute), Event: evBare(oktell.ShutdownRequested)}}, until: "закрытие"},
		{name: "en_80x24_refused", w: 80, h: 24, lang: language.English, profile: termenv.Ascii, keys: []string{"r"}},
		{name: "ru_80x24_refused", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii, keys: []string{"к"}},
		{name: "en_80x24_desktop_client", w: 80, h: 24, lang: language.English, profile: termenv.Ascii,
			extra: []oktell.Update{{At: t0.Add(13 * time.Minute), Status: &oktell.Status{Link: oktell.LinkClosed, Why: desktopClient()}}}, until: "closed"},
		{name: "ru_80x24_desktop_client", w: 80, h: 24, lang: language.Russian, profile: termenv.Ascii,
			extra: []oktell.Update{{At: t0.Add(13 * time.Minute), Status: &oktell.Status{Link: oktell.LinkClosed, Why: desktopClient()}}}, until: "закрыто"},
		{name: "en_60x16_help", w: 60, h: 16, lang: language.English, profile: termenv.Ascii, keys: []string{"?"}},
		{name: "ru_60x16_help", w: 60, h: 16, lang: language.Russian, profile: termenv.Ascii, keys: []string{","}},
		{name: "en_60x16_help_end", w: 60, h: 16, lang: language.English, profile: termenv.Ascii, keys: []string{"f1", "pgdown"}},
		{name: "en_50x12_too_small", w: 50, h: 12, lang: language.English, profile: termenv.Ascii, until: "too small"},
	}
	// The break-reason picker and the password line, in both languages, at the usual and the
	// smallest size, with the icons of a console without Unicode.
	reasons := oktell.NewBreakReasons(lunch, "")
	closed := oktell.Update{At: t0.Add(13 * time.Minute), Status: &oktell.Status{Link: oktell.LinkClosed, NeedPassword: true, Why: wrongLogin}}
	for _, size := range [][2]int{{80, 24}, {60, 16}} {
		for _, lang := range []language.Tag{language.English, language.Russian} {
			name := fmt.Sprintf("%s_%dx%d", lang, size[0], size[1])
			breakKey, password := "2", "Таймыр-7"
			until := map[language.Tag]string{language.English: "Type the password", language.Russian: "Введите пароль"}[lang]
			cases = append(cases,
				goldenCase{name: name + "_break_picker", w: size[0], h: size[1], lang: lang, profile: termenv.Ascii, icons: "ascii",
					first: []oktell.Update{{At: t0, BreakReasons: &reasons}}, keys: []string{breakKey, "down"}},
				goldenCase{name: name + "_password", w: size[0], h: size[1], lang: lang, profile: termenv.Ascii, icons: "ascii",
					reconnect: true, extra: []oktell.Update{closed}, until: until, keys: strings.Split(password, "")})
		}
	}
	for _, gc := range cases {
		t.Run(gc.name, func(t *testing.T) { runGolden(t, gc) })
	}
}
