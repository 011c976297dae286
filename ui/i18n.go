package ui

import (
	"fmt"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The dashboard speaks English and Russian. Message keys are the English text; the
// English entries exist only where a plural needs its forms.
var supported = []language.Tag{language.English, language.Russian}

// matcher picks one of the supported languages, made on first use (see words).
var matcher = sync.OnceValue(func() language.Matcher { return language.NewMatcher(supported) })

func init() { words(commonWords) }

// commonWords are the Russian translations of the words every pane uses: the states, the
// link, the notification types. A pane's own words stand in its file (see words).
func commonWords() {
	russian(map[string]string{
		"Ready": "Готов", "Break": "Перерыв", "Away": "Отошёл", "Busy": "Занят", "Reserved": "Резерв",
		"No phone": "Нет телефона", "Disconnected": "Отключён", "Unknown": "Неизвестно",
		"redirect":   "переадресация",
		"connecting": "подключение", "connected": "подключено", "reconnecting": "переподключение",
		"read-only": "только чтение", "closed": "закрыто", "demo": "демо",
		"stale":                                          "устарело",
		"okdash warning":                                 "предупреждение okdash",
		"okdash error":                                   "ошибка okdash",
		"Oktell refused":                                 "Отказ Oktell",
		"Training room refused":                          "Отказ учебного класса",
		"Bad %s event: %v":                               "Событие %s не прочитано: %v",
		"Link to Oktell lost: %s":                        "Связь с Oktell потеряна: %s",
		"Link to Oktell lost":                            "Связь с Oktell потеряна",
		"Link to Oktell closed: %s":                      "Связь с Oktell закрыта: %s",
		"Link to Oktell closed":                          "Связь с Oktell закрыта",
		"Connecting to Oktell: %s":                       "Подключение к Oktell: %s",
		"Connecting to Oktell":                           "Подключение к Oktell",
		"Could not connect to Oktell: %s":                "Не удалось подключиться к Oktell: %s",
		"Could not connect to Oktell":                    "Не удалось подключиться к Oktell",
		"Oktell restarts: %s":                            "Oktell перезапускается: %s",
		"Oktell restarts":                                "Oktell перезапускается",
		"Source ended":                                   "Источник закончился",
		"Source ended: %s":                               "Источник закончился: %s",
		"Terminal too small: %dx%d, need at least %dx%d": "Окно терминала слишком мало: %dx%d, нужно не меньше %dx%d",
		"Control":                                        "Управление",
		"PBX":                                            "АТС",
		"Information":                                    "Информация",
		"Incoming call":                                  "Входящий звонок",
		"Timer":                                          "Таймер",
		"Callback":                                       "Обратный звонок",
		"Application":                                    "Приложение",
		"Warning":                                        "Предупреждение",
		"App info":                                       "Сведения",
		"Error":                                          "Ошибка",
		"Notice":                                         "Оповещение",
	})
	for _, p := range plurals {
		arg := 1
		if strings.HasPrefix(p.key, "%s") {
			arg = 2
		}
		counted(p.key, arg, p.en, p.ru)
	}
}

// words registers declare, a function of a pane's file that declares the pane's words in
// Russian (russian) and its counted messages (counted), so that a hotkey, its help and its
// reasons are written in one place. Called from init; declare runs when the catalog is
// first built, on the first printer: the words and the catalog cost thousands of
// allocations, which a command that draws no dashboard (okdash decode, okdash --version,
// a usage error) should not spend at start.
func words(declare func()) { wordLists = append(wordLists, declare) }

// russian adds words, English to Russian, to the catalog being built. Only a function
// given to words calls it.
func russian(words map[string]string) {
	for en, ru := range words {
		must(building.SetString(language.Russian, en, ru))
	}
}

// counted adds key, a message with a count in argument arg (1 for the first), to the
// catalog being built: en and ru are its forms by that count, as plural.Selectf takes
// them ("one", ..., "other", ...). Only a function given to words calls it.
func counted(key string, arg int, en, ru []any) {
	must(building.Set(language.English, key, plural.Selectf(arg, "%d", en...)))
	must(building.Set(language.Russian, key, plural.Selectf(arg, "%d", ru...)))
}

var (
	wordLists   []func()
	catalogOnce sync.Once
	building    *catalog.Builder // while theCatalog runs the word lists
	builtCat    *catalog.Builder
)

// theCatalog is the dashboard's catalog, built the first time it is asked for.
func theCatalog() *catalog.Builder {
	catalogOnce.Do(func() {
		building = catalog.NewBuilder(catalog.Fallback(language.English))
		for _, declare := range wordLists {
			declare()
		}
		builtCat, building = building, nil
	})
	return builtCat
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
	// the counts inside reasons (sayArg)
	{"%d documents",
		[]interface{}{"one", "%d document", "other", "%d documents"},
		[]interface{}{"one", "%d документа", "other", "%d документов"}},
	{"%d dashboards",
		[]interface{}{"one", "%d dashboard", "other", "%d dashboards"},
		[]interface{}{"one", "%d панель", "few", "%d панели", "other", "%d панелей"}},
	{"%d frames",
		[]interface{}{"one", "%d frame", "other", "%d frames"},
		[]interface{}{"one", "%d кадра", "other", "%d кадров"}},
	{"%d problems",
		[]interface{}{"one", "%d problem", "other", "%d problems"},
		[]interface{}{"other", "ошибок: %d"}},
	{"%s: closing in %d s",
		[]interface{}{"one", "%s: closing in %d second", "other", "%s: closing in %d seconds"},
		[]interface{}{"one", "%s: закрытие через %d секунду", "few", "%s: закрытие через %d секунды", "other", "%s: закрытие через %d секунд"}},
}

func must(err error) {
	if err != nil {
		panic(fmt.Sprintf("ui: message catalog: %v", err)) // a programming error, caught by every test
	}
}

func newPrinter(tag language.Tag) *message.Printer {
	_, i, _ := matcher().Match(tag)
	return message.NewPrinter(supported[i], message.Catalog(theCatalog()))
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
	_, i, conf := matcher().Match(t)
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
