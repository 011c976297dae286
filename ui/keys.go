package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"golang.org/x/text/message"
)

// cyr maps each Latin letter to the letter on the same key of the Russian ЙЦУКЕН
// layout, so that an operator who forgot to switch layouts still reaches every hotkey.
var cyr = map[string]string{
	"q": "й", "w": "ц", "e": "у", "r": "к", "t": "е", "y": "н", "u": "г", "i": "ш", "o": "щ", "p": "з",
	"a": "ф", "s": "ы", "d": "в", "f": "а", "g": "п", "h": "р", "j": "о", "k": "л", "l": "д",
	"z": "я", "x": "ч", "c": "с", "v": "м", "b": "и", "n": "т", "m": "ь",
	"Q": "Й", "W": "Ц", "E": "У", "R": "К", "T": "Е", "Y": "Н", "U": "Г", "I": "Ш", "O": "Щ", "P": "З",
	"A": "Ф", "S": "Ы", "D": "В", "F": "А", "G": "П", "H": "Р", "J": "О", "K": "Л", "L": "Д",
	"Z": "Я", "X": "Ч", "C": "С", "V": "М", "B": "И", "N": "Т", "M": "Ь",
}

// withCyrillic adds the Russian-layout twin of every Latin letter key.
func withCyrillic(keys ...string) []string {
	out := append([]string(nil), keys...)
	for _, k := range keys {
		if c, ok := cyr[k]; ok {
			out = append(out, c)
		}
	}
	return out
}

// KeyMap is every hotkey of the dashboard. The help shows the Latin key only.
type KeyMap struct {
	Ready, Break, Away, Redirect              key.Binding
	Up, Down, PageUp, PageDown, Newest, Reply key.Binding
	Dismiss, DismissAll, VoiceMail, History   key.Binding
	Help, Quit, Back                          key.Binding
	Send, Cancel                              key.Binding // the reply line's keys, for its help
}

func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(withCyrillic(keys...)...), key.WithHelp(help, desc))
}

// DefaultKeyMap is the key map with help text in the printer's language. The letter
// keys answer in upper case too (Caps Lock on), except X and G, which are bindings of
// their own (dismiss all, newest).
//
// DefaultKeyMap is the key map with help text in the printer's language.
func DefaultKeyMap(p *message.Printer) KeyMap {
	t := p.Sprintf
	return KeyMap{
		Ready:      bind("1/r", t("ready"), "1", "r", "R"),
		Break:      bind("2/b", t("break"), "2", "b", "B"),
		Away:       bind("3/a", t("away"), "3", "a", "A"),
		Redirect:   bind("4/f", t("redirect on"), "4", "f", "F"),
		Up:         bind("↑/k", t("up"), "up", "k"),
		Down:       bind("↓/j", t("down"), "down", "j"),
		PageUp:     bind("pgup", t("page up"), "pgup"),
		PageDown:   bind("pgdn", t("page down"), "pgdown"),
		Newest:     bind("end/G", t("newest"), "end", "G"),
		Reply:      bind("enter/m", t("reply"), "enter", "m", "M"),
		Dismiss:    bind("x", t("dismiss"), "x"),
		DismissAll: bind("X", t("dismiss all"), "X"),
		VoiceMail:  bind("v", t("voicemail seen"), "v", "V"),
		History:    bind("n", t("notifications"), "n", "N"),
		Help:       bind("?", t("help"), "?"),
		Quit:       bind("q", t("quit"), "q", "Q", "ctrl+c"),
		Back:       bind("esc", t("back"), "esc"),
		Send:       bind("enter", t("send"), "enter"),
		Cancel:     bind("esc", t("cancel"), "esc"),
	}
}
