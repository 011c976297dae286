package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
)

// commonLogDoc is one document of a CommonLog as the Oktell client writes it: a heading
// with the time (its zone is the writer's: UTC here, as the dashboard's TZ), then the
// UTF-16 document.
func commonLogDoc(t *testing.T, at time.Time, ev oktell.Event) []byte {
	t.Helper()
	doc, err := oktell.Encode(oktell.EventDocument(ev), oktell.UTF16LE)
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte("\r\n"+at.UTC().Format("02.01.2006 15:04:05.000")+" [4512] xmlevent\r\n"), doc...)
}

func logProp(k, v string) oktell.Property { return oktell.SimpleProp(k, v, "") }

func logText(k, v string) oktell.Property {
	return oktell.Property{Kind: oktell.CData, Key: k, Text: v, HasText: true}
}

// The built okdash following a log whose last state change was written 5 minutes ago
// shows 05:0x in that state, and the notifications and messages already in the log are
// in the history and the messages, not toasts; what the log gets next toasts (before:
// 00:00, and every notification of the morning popped up).
func TestTmuxFollowCatchesUpQuietly(t *testing.T) {
	now := time.Now()
	var log bytes.Buffer
	log.Write(commonLogDoc(t, now.Add(-2*time.Hour), oktell.Event{Type: oktell.UserStateChanged, ID: 111, Name: "userstatechanged",
		Props: []oktell.Property{oktell.SimpleProp("newstate", "2", "usLunch"), logProp("redirect", "0")}}))
	for i := range 30 {
		at := now.Add(time.Duration(i-100) * time.Minute)
		typ := "2" // PBX information, which stays until dismissed
		if i%3 == 0 {
			typ = "4" // an incoming call
		}
		log.Write(commonLogDoc(t, at, oktell.Event{Type: oktell.Notify, ID: 112, Name: "notify", Props: []oktell.Property{
			logText("guid", fmt.Sprintf("{00000000-0000-4000-8000-%012d}", i)), logProp("autohide", "0"), logProp("type", typ),
			logText("sender", "АТС"), logText("text", fmt.Sprintf("old notice %d", i))}}))
		if i%10 == 0 {
			log.Write(commonLogDoc(t, at, oktell.Event{Type: oktell.UserMessage, ID: 114, Name: "usermessage", Props: []oktell.Property{
				logText("guid", fmt.Sprintf("{00000000-0000-4000-9000-%012d}", i)), logProp("senderid", "u-petrova"),
				logText("sendername", "Petrova Anna"), logText("text", fmt.Sprintf("morning message %d", i))}}))
		}
	}
	log.Write(commonLogDoc(t, now.Add(-5*time.Minute), oktell.Event{Type: oktell.UserStateChanged, ID: 111, Name: "userstatechanged",
		Props: []oktell.Property{oktell.SimpleProp("newstate", "1", "usReady"), logProp("redirect", "0")}}))
	path := filepath.Join(t.TempDir(), "CommonLog.txt")
	if err := os.WriteFile(path, log.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	s := startTmux(t, []string{"TERM=xterm-256color", "LANG=en_US.UTF-8", "LC_ALL=", "LC_MESSAGES=", "TZ=UTC"},
		"--icons", "unicode", "--source", "follow:"+path)
	screen := s.waitFor("Ready for 5 minutes", func(sc string) bool {
		first, _, _ := strings.Cut(sc, "\n")
		return strings.Contains(first, "Ready 05:0") && strings.Contains(sc, "morning message 20")
	})
	for _, toast := range []string{"old notice", "INCOMING CALL", "unread"} {
		if strings.Contains(screen, toast) {
			t.Fatalf("the backlog made a toast or an unread count (%q):\n%s", toast, screen)
		}
	}
	s.keys("n")
	s.waitText("old notice 29")
	s.keys("Escape")

	// News toasts.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Write(commonLogDoc(t, time.Now(), oktell.Event{Type: oktell.Notify, ID: 112, Name: "notify", Props: []oktell.Property{
		logText("guid", "{00000000-0000-4000-8000-999999999999}"), logProp("autohide", "0"), logProp("type", "2"),
		logText("sender", "АТС"), logText("text", "a new notice")}}))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	screen = s.waitText("a new notice")
	if first, _, _ := strings.Cut(screen, "\n"); !strings.Contains(first, "Ready 05:") && !strings.Contains(first, "Ready 06:") {
		t.Errorf("the time in state went astray: %q", first)
	}
	s.keys("q")
	s.waitExit()
}
