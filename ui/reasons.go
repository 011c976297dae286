package ui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/okdash/okdash/oktell"
)

// ruReasons put every oktell.Reason in Russian, from its code: %s stands for each
// argument, in the order the code declares them (oktell.Declaration). English is the
// declaration's own text. TestEveryReasonSpeaksRussian checks that each code has one.
// Made on first use: a command that draws nothing should not build it at start.
var ruReasons = sync.OnceValue(func() map[oktell.ReasonCode]string {
	return map[oktell.ReasonCode]string{
		oktell.ReasonQuoted:            "%s",
		oktell.ReasonClosed:            "закрыто",
		oktell.ReasonServerLost:        "клиент Oktell потерял сервер (%s)",
		oktell.ReasonRetrying:          "%s: %s; повтор %s",
		oktell.ReasonNextTry:           "%s; повтор %s",
		oktell.ReasonRecordingStopped:  "%s; запись остановлена: %s",
		oktell.ReasonRecordingFailed:   "запись остановлена: %s",
		oktell.ReasonReplayingAs:       "воспроизведение: %s (%s на %s)",
		oktell.ReasonFramesEnded:       "%s: конец ввода после %s (%s)",
		oktell.ReasonFramesError:       "%s: ошибка чтения: %s после %s (%s)",
		oktell.ReasonRefused:           "%s: %s",
		oktell.ReasonRefusedByServer:   "сервер отказал: %s",
		oktell.ReasonServerError:       "%s (ошибка %s)",
		oktell.ReasonServerErrorCode:   "ошибка %s",
		oktell.ReasonNoReasonGiven:     "запрос не выполнен, причина не названа",
		oktell.ReasonDesktopClient:     "закройте настольный клиент Oktell или войдите под другим пользователем: этот пользователь уже вошёл в него",
		oktell.ReasonLicenceLimit:      "обратитесь к администратору или попробуйте, когда кто-нибудь выйдет: достигнут предел лицензии сервера на число пользователей",
		oktell.ReasonWrongLogin:        "неверный логин или пароль",
		oktell.ReasonServerStarting:    "сервер Oktell ещё запускается; okdash попробует снова",
		oktell.ReasonSessionEnded:      "сохранённый сеанс на сервере закончился (сервер перезапущен или пользователь вышел), поэтому нужен пароль",
		oktell.ReasonDemo:              "демо: %s",
		oktell.ReasonDemoStopped:       "демо остановлено: %s",
		oktell.ReasonReplaying:         "воспроизведение: %s",
		oktell.ReasonInputEnded:        "%s: конец ввода после %s (%s)",
		oktell.ReasonReadError:         "%s: ошибка чтения: %s после %s (%s)",
		oktell.ReasonFollowing:         "слежение: %s",
		oktell.ReasonFollowNote:        "слежение: %s: %s",
		oktell.ReasonWaitingFile:       "ждём, когда появится %s",
		oktell.ReasonStoppedFollow:     "слежение остановлено: %s: %s",
		oktell.ReasonUpToDate:          "всё прочитано, ждём новых документов",
		oktell.ReasonFileGone:          "файл исчез; ждём, когда он появится",
		oktell.ReasonRotated:           "файл сменился (ротация); читаем новый файл",
		oktell.ReasonFileAppeared:      "файл появился; читаем его",
		oktell.ReasonTruncated:         "файл укорочен; читаем с начала",
		oktell.ReasonRewritten:         "файл перезаписан; читаем с начала",
		oktell.ReasonFollowedFile:      "%s (файл %s: %s в %s)",
		oktell.ReasonFileRotated:       "после ротации",
		oktell.ReasonFileTruncated:     "укорочен",
		oktell.ReasonFileRewritten:     "перезаписан",
		oktell.ReasonInputFailed:       "%s: %s",
		oktell.ReasonServerStopping:    "сервер останавливается",
		oktell.ReasonServerFull:        "сервер занят (открыто: %s); попробуйте позже",
		oktell.ReasonServeNoCommands:   "этот сервер показывает панель okdash и не выполняет команд; подключайтесь просто ssh, без команды",
		oktell.ReasonServeKeyRevoked:   "ваш ключ больше не допущен на этот сервер",
		oktell.ReasonServeNeedsTTY:     "панели нужен терминал; подключайтесь с ssh -t (и без -T и команды)",
		oktell.ReasonServeNoTTY:        "не удалось открыть терминал: %s",
		oktell.ReasonIdle:              "нет ввода в течение %s",
		oktell.ReasonSessionClosed:     "okdash: сеанс закрыт: %s",
		oktell.ReasonNoPhoneLine:       "телефонная линия не зарегистрирована",
		oktell.ReasonEmptyMessage:      "сообщение пустое",
		oktell.ReasonNoSuchUser:        "нет пользователя с кодом %s",
		oktell.ReasonNoSuchState:       "нет состояния с номером %s",
		oktell.ReasonServerOnlyState:   "состояние %s ставит только сервер",
		oktell.ReasonNoPassword:        "пароль не задан, а для входа он нужен",
		oktell.ReasonNoBreakReason:     "нет причины перерыва «%s»: сервер перечисляет %s",
		oktell.ReasonNoBreakReasons:    "нет причины перерыва «%s»: сервер не перечисляет ни одной",
		oktell.ReasonTrainerLeft:       "тренер вышел",
		oktell.ReasonTooManyMessages:   "слишком много сообщений тренеру подряд; подождите немного",
		oktell.ReasonConnectionLost:    "связь прервана",
		oktell.ReasonConnectionCut:     "соединение оборвалось",
		oktell.ReasonServerClosed:      "сервер закрыл соединение",
		oktell.ReasonServerClosedCode:  "сервер закрыл соединение (%s)",
		oktell.ReasonConnectionFailed:  "соединение не удалось: %s",
		oktell.ReasonConnRefused:       "в соединении отказано",
		oktell.ReasonNoSuchHost:        "нет такого сервера: %s",
		oktell.ReasonDialTimeout:       "сервер не ответил за %s",
		oktell.ReasonCertificate:       "сертификату сервера нет доверия: %s",
		oktell.ReasonNotOktellPort:     "сервер не принял подпротокол JSON: это точно порт WebSocket сервера Oktell?",
		oktell.ReasonNotWebSocket:      "сервер ответил кодом HTTP %s, а не WebSocket: это точно порт WebSocket сервера Oktell?",
		oktell.ReasonTLSRedirect:       "сервер просит соединение по TLS",
		oktell.ReasonConnectTo:         "подключение к %s: %s",
		oktell.ReasonOpeningPing:       "первая проверка связи: %s",
		oktell.ReasonKeepalive:         "проверка связи: %s",
		oktell.ReasonPingUnanswered:    "сервер не ответил за %s",
		oktell.ReasonNoAnswer:          "запрос %s: сервер не ответил за %s",
		oktell.ReasonTimedOut:          "Oktell не ответил вовремя",
		oktell.ReasonNoLink:            "нет связи с Oktell",
		oktell.ReasonNotConnectedWhy:   "запрос %s: нет связи с Oktell: %s",
		oktell.ReasonRequestFailed:     "запрос %s: %s",
		oktell.ReasonSubscribeFailed:   "подписка на состояние пользователя: %s",
		oktell.ReasonPasswordUnread:    "пароль не прочитан: %s",
		oktell.ReasonClosedByOkdash:    "закрыто okdash",
		oktell.ReasonShiftNotSaved:     "смена: %s: эту смену ведёт другой okdash; этот okdash считает её, но не сохраняет",
		oktell.ReasonShiftProblem:      "смена: %s",
		oktell.ReasonShiftUnsavable:    "смена: %s; этот okdash считает её, но не сохраняет",
		oktell.ReasonShiftPrune:        "смена: старые файлы не удалены: %s",
		oktell.ReasonShiftSetAside:     "смена: %s; файл отложен как %s, смена начинается заново",
		oktell.ReasonShiftUnreadable:   "смена: %s; смена начинается заново и не сохраняется",
		oktell.ReasonShiftSaveFailed:   "смена не сохранена: %s",
		oktell.ReasonShiftNoStateDir:   "смена: %s; она не сохраняется",
		oktell.ReasonShiftTooManyKeys:  "в %s уже хранятся смены %s ключей; смена ключа %s не хранится",
		oktell.ReasonServerLinkLost:    "связь с сервером Oktell потеряна",
		oktell.ReasonWSProblem:         "WebSocket: %s",
		oktell.ReasonWSBinary:          "пропущено двоичное сообщение в %s байт",
		oktell.ReasonWSUnreadable:      "пропущено сообщение: %s",
		oktell.ReasonWSDropped:         "сервер прислал больше, чем okdash держит в ожидании (%s): отброшено %s (%s байт), первый — %s",
		oktell.ReasonWSMoreWarnings:    "ещё предупреждений не показано: %s",
		oktell.ReasonTooManyQueue:      "в очереди %s звонящих; okdash показывает первых %s",
		oktell.ReasonTooManyColleagues: "в списке коллег %s человек; okdash показывает первых %s",
		oktell.ReasonTooManyBreaks:     "причин перерыва %s; okdash берёт первые %s",
		oktell.ReasonCaptureStopped:    "запись сеанса WebSocket остановлена: %s",
		oktell.ReasonNoChatSend:        "этот источник так не умеет: по протоколу WebSocket сообщения пока не отправить, поля его метода отправки нигде не описаны; чтобы писать коллегам, подключитесь через мост",
		oktell.ReasonBridgeClosed:      "мост закрыл соединение",
		oktell.ReasonBridgeExited:      "%s завершился",
		oktell.ReasonBridgeExitStatus:  "%s завершился с кодом %s",
		oktell.ReasonBridgeExitedWhy:   "%s завершился: %s",
		oktell.ReasonBridgeNoOutput:    "%s закрыл свой вывод",
		oktell.ReasonBridgeFailed:      "%s: %s",
		oktell.ReasonBridgeSaid:        "%s (%s)",
		oktell.ReasonSkipped:           "%s: байт %s: пропущен %s: %s",
		oktell.ReasonSkippedAt:         "%s: байт %s: пропущен %s, ошибка на байте %s: %s",
		oktell.ReasonSkippedBare:       "%s: байт %s: пропущен %s",
		oktell.ReasonSkippedInput:      "%s: байт %s: пропущено: %s",
		oktell.ReasonGarbage:           "мусор",
		oktell.ReasonMalformedDoc:      "испорченный документ",
		oktell.ReasonIncompleteDoc:     "неполный документ",
		oktell.ReasonOversizedDoc:      "слишком большой документ",
	}
})

// say is a reason in the printer's language: from its code, never by reading its
// English back. Text arguments (names, someone else's words) stay as they came.
func say(p *message.Printer, r oktell.Reason) string {
	if r.IsZero() {
		return ""
	}
	d, ok := oktell.Declaration(r.Code)
	format, ru := ruReasons()[r.Code]
	if !ok || len(r.Args) != len(d.Args) || !ru || !isRussian(p) {
		return oktell.CleanLine(r.String()) // its quoted words too come from outside
	}
	args := make([]any, len(r.Args))
	for i, k := range d.Args {
		args[i] = sayArg(p, k, r.Args[i])
	}
	return fmt.Sprintf(format, args...)
}

func sayArg(p *message.Printer, k oktell.ArgKind, v any) string {
	switch k {
	case oktell.ArgDocuments:
		n, _ := v.(int)
		return p.Sprintf("%d documents", n)
	case oktell.ArgProblems:
		n, _ := v.(int)
		return p.Sprintf("%d problems", n)
	case oktell.ArgFrames:
		n, _ := v.(int)
		return p.Sprintf("%d frames", n)
	case oktell.ArgDashboards:
		n, _ := v.(int)
		return p.Sprintf("%d dashboards", n)
	case oktell.ArgDuration:
		d, _ := v.(time.Duration)
		return ruDuration(d)
	case oktell.ArgWait:
		d, _ := v.(time.Duration)
		if d <= 0 {
			return "сейчас"
		}
		return "через " + ruDuration(d)
	case oktell.ArgReason:
		r, _ := v.(oktell.Reason)
		return say(p, r)
	}
	s, _ := v.(string)
	return oktell.CleanLine(s)
}

func isRussian(p *message.Printer) bool { return p.Sprintf("Ready") != "Ready" }

// ruDuration writes a duration as Russian does: "4 с", "15 мин", "1 ч 30 мин".
func ruDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d мс", d.Milliseconds())
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d/time.Minute)%60, int(d/time.Second)%60
	var parts []string
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d ч", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d мин", m))
	}
	if s > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d с", s))
	}
	return strings.Join(parts, " ")
}

// sayStatus is a status's reason in the printer's language, from its code.
func sayStatus(p *message.Printer, st *oktell.Status) string { return say(p, st.Why) }

// sayError is an error in the printer's language: its reason (oktell.ReasonOf), whose
// text without a code is quoted.
func sayError(p *message.Printer, err error) string { return say(p, oktell.ReasonOf(err)) }

// Say renders a reason in lang, as the dashboard does: the SSH server writes its line
// under a closed dashboard with it.
func Say(lang language.Tag, r oktell.Reason) string { return say(newPrinter(lang), r) }
