package ui

import (
	"fmt"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The dashboard speaks English and Russian. Message keys are the English text; the
// English entries exist only where a plural needs its forms.
var supported = []language.Tag{language.English, language.Russian}

var matcher = language.NewMatcher(supported)

// ruStrings are the Russian translations of the plain strings.
var ruStrings = map[string]string{
	"Ready": "Готов", "Break": "Перерыв", "Away": "Отошёл", "Busy": "Занят", "Reserved": "Резерв",
	"No phone": "Нет телефона", "Disconnected": "Отключён", "Unknown": "Неизвестно",
	"redirect":   "переадресация",
	"connecting": "подключение", "connected": "подключено", "reconnecting": "переподключение",
	"read-only": "только чтение", "closed": "закрыто", "demo": "демо",
	"stale":                             "устарело",
	"Messages":                          "Сообщения",
	"no messages yet":                   "сообщений пока нет",
	"Notifications":                     "Уведомления",
	"no notifications yet":              "уведомлений пока нет",
	"saved":                             "сохр.",
	"me":                                "я",
	"Help":                              "Справка",
	"ready":                             "готов",
	"break":                             "перерыв",
	"away":                              "отошёл",
	"redirect on":                       "переадр. вкл",
	"redirect off":                      "переадр. выкл",
	"up":                                "вверх",
	"down":                              "вниз",
	"page up":                           "стр. вверх",
	"page down":                         "стр. вниз",
	"newest":                            "к новым",
	"reply":                             "ответить",
	"dismiss":                           "скрыть",
	"dismiss all":                       "скрыть все",
	"voicemail seen":                    "почта прочитана",
	"notifications":                     "уведомления",
	"help":                              "справка",
	"quit":                              "выход",
	"back":                              "назад",
	"send":                              "отправить",
	"cancel":                            "отмена",
	"State":                             "Состояние",
	"Messenger":                         "Сообщения",
	"Toasts and views":                  "Уведомления и экраны",
	"Reply to %s: ":                     "Ответ → %s: ",
	"sending…":                          "отправка…",
	"Sent to %s":                        "Отправлено: %s",
	"Could not send to %s: %v":          "Не отправлено (%s): %v",
	"Asked for %s: %v":                  "Запрос «%s» отклонён: %v",
	"No answer to %s within %s":         "Нет ответа на «%s» за %s",
	"Request for %s lost with the link": "Запрос «%s» потерян: связь прервана",
	"Bad %s event: %v":                  "Событие %s не прочитано: %v",
	"Link to Oktell lost: %s":           "Связь с Oktell потеряна: %s",
	"Link to Oktell lost":               "Связь с Oktell потеряна",
	"Oktell restarts: %s":               "Oktell перезапускается: %s",
	"Oktell restarts":                   "Oktell перезапускается",
	"Source ended":                      "Источник закончился",
	"Terminal too small: %dx%d, need at least %dx%d": "Окно терминала мало: %dx%d, нужно не меньше %dx%d",
	"Control":              "Управление",
	"PBX":                  "АТС",
	"Information":          "Информация",
	"INCOMING CALL":        "ВХОДЯЩИЙ ЗВОНОК",
	"Incoming call":        "Входящий звонок",
	"Timer":                "Таймер",
	"Callback":             "Обратный звонок",
	"Application":          "Приложение",
	"Warning":              "Предупреждение",
	"App info":             "Сведения",
	"Error":                "Ошибка",
	"Notice":               "Оповещение",
	"okdash error":         "ошибка okdash",
	"Redirect on":          "Переадресация вкл.",
	"Redirect off":         "Переадресация выкл.",
	"press Esc to go back": "Esc: назад",
	"latin keys shown; the same keys on the Russian layout work too": "показаны латинские клавиши; те же клавиши в русской раскладке тоже работают",
}

// plurals are the messages with a count; each language gets its plural forms.
var plurals = []struct {
	key string
	en  []interface{}
	ru  []interface{}
}{
	{"%d new voicemails",
		[]interface{}{"one", "%d new voicemail", "other", "%d new voicemails"},
		[]interface{}{"one", "%d новое голосовое", "few", "%d новых голосовых", "other", "%d новых голосовых"}},
	{"%d unread",
		[]interface{}{"other", "%d unread"},
		[]interface{}{"one", "%d непрочитанное", "few", "%d непрочитанных", "other", "%d непрочитанных"}},
	{"+%d more",
		[]interface{}{"other", "+%d more"},
		[]interface{}{"one", "ещё %d", "other", "ещё %d"}},
	{"Oktell asks okdash to close: closing in %d s",
		[]interface{}{"one", "Oktell asks okdash to close: closing in %d second", "other", "Oktell asks okdash to close: closing in %d seconds"},
		[]interface{}{"one", "Oktell просит закрыть okdash: закрытие через %d секунду", "few", "Oktell просит закрыть okdash: закрытие через %d секунды", "other", "Oktell просит закрыть okdash: закрытие через %d секунд"}},
	{"%s: closing in %d s",
		[]interface{}{"one", "%s: closing in %d second", "other", "%s: closing in %d seconds"},
		[]interface{}{"one", "%s: закрытие через %d секунду", "few", "%s: закрытие через %d секунды", "other", "%s: закрытие через %d секунд"}},
}

var cat = func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for k, v := range ruStrings {
		must(b.SetString(language.Russian, k, v))
	}
	for _, p := range plurals {
		arg := 1
		if strings.HasPrefix(p.key, "%s") {
			arg = 2
		}
		must(b.Set(language.English, p.key, plural.Selectf(arg, "%d", p.en...)))
		must(b.Set(language.Russian, p.key, plural.Selectf(arg, "%d", p.ru...)))
	}
	return b
}()

func must(err error) {
	if err != nil {
		panic(fmt.Sprintf("ui: message catalog: %v", err)) // a programming error, caught by every test
	}
}

func newPrinter(tag language.Tag) *message.Printer {
	_, i, _ := matcher.Match(tag)
	return message.NewPrinter(supported[i], message.Catalog(cat))
}

// ResolveLang picks the dashboard's language: the --lang value when given, else the
// first of LC_ALL, LC_MESSAGES and LANG that is set (POSIX order), read through env.
// Anything that is not Russian falls back to English. A --lang value that is not a
// language tag is an error; a malformed locale variable is ignored.
func ResolveLang(flagValue string, env func(string) string) (language.Tag, error) {
	if v := strings.TrimSpace(flagValue); v != "" {
		t, err := language.Parse(v)
		if err != nil {
			return language.English, fmt.Errorf("--lang %q: want en or ru", v)
		}
		return match(t), nil
	}
	if env == nil {
		return language.English, nil
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := env(name)
		if v == "" {
			continue
		}
		return match(localeTag(v)), nil
	}
	return language.English, nil
}

func match(t language.Tag) language.Tag {
	_, i, conf := matcher.Match(t)
	if conf == language.No {
		return language.English
	}
	return supported[i]
}

// localeTag reads a POSIX locale name ("ru_RU.UTF-8@euro", "C") as a language tag.
func localeTag(v string) language.Tag {
	if i := strings.IndexAny(v, ".@"); i >= 0 {
		v = v[:i]
	}
	if v == "C" || v == "POSIX" {
		return language.English
	}
	t, err := language.Parse(strings.ReplaceAll(v, "_", "-"))
	if err != nil {
		return language.English
	}
	return t
}
