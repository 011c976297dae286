// Command ptybench times okdash as an operator sees it: in a pseudo-terminal, from the
// start of the process to the moment a text appears on the screen. It also writes the
// CommonLog that scripts/bench-follow.sh follows. Linux and macOS.
//
//	ptybench log -n 20000 -o common.log
//	ptybench run [-answer] [-size 80x24] [-runs 5] -until TEXT -- okdash --source demo
//
// With -answer the terminal answers the queries a terminal answers (OSC 11, the
// background colour; DSR, the cursor position; DA1, the device attributes), as xterm
// does; without it, it answers none, as `script`, a serial console or some multiplexers.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creack/pty"

	"github.com/okdash/okdash/oktell"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ptybench log -n N -o FILE | ptybench run [-answer] [-size WxH] [-runs N] -until TEXT -- COMMAND ARGS")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "log":
		err = writeLog(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ptybench:", err)
		os.Exit(1)
	}
}

// writeLog writes n documents as Oktell's CommonLog holds them: a heading line, then
// the UTF-16 document. Messages, every fourth a notification; the last is a message
// whose text is "end of log N".
func writeLog(args []string) error {
	fs := flag.NewFlagSet("log", flag.ContinueOnError)
	n := fs.Int("n", 20000, "documents")
	out := fs.String("o", "common.log", "file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var b bytes.Buffer
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= *n; i++ {
		ts := at.Add(time.Duration(i) * 100 * time.Millisecond)
		var ev oktell.Event
		guid := fmt.Sprintf("{00000000-0000-4000-8000-%012d}", i)
		when := ts.Format("02.01.2006 15:04:05")
		text := fmt.Sprintf("Сообщение %d: клиент просит перезвонить, номер в карточке заявки.", i)
		if i == *n {
			text = fmt.Sprintf("end of log %d", i)
		}
		if i%4 == 0 && i != *n {
			ev = oktell.Event{Type: oktell.Notify, ID: int(oktell.Notify), Name: "notify", Props: []oktell.Property{
				cdata("guid", guid), simple("autohide", "1"), simple("type", "2"), simple("datetime", when),
				cdata("sender", "АТС"), cdata("text", fmt.Sprintf("Очередь 3: %d ждут", i%17))}}
		} else {
			ev = oktell.Event{Type: oktell.UserMessage, ID: int(oktell.UserMessage), Name: "usermessage", Props: []oktell.Property{
				cdata("guid", guid), simple("datetime", when), simple("senderid", "u-petrova"),
				cdata("sendername", "Петрова Анна"), cdata("text", text)}}
		}
		doc, err := oktell.Encode(oktell.EventDocument(ev), oktell.UTF16LE)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "\r\n%s xmlevent\r\n", ts.Format("2006-01-02 15:04:05.000"))
		b.Write(doc)
	}
	return os.WriteFile(*out, b.Bytes(), 0o644)
}

func simple(k, v string) oktell.Property {
	return oktell.Property{Kind: oktell.Simple, Key: k, Value: v, HasValue: true}
}

func cdata(k, v string) oktell.Property {
	return oktell.Property{Kind: oktell.CData, Key: k, Text: v, HasText: true}
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	answer := fs.Bool("answer", false, "answer the terminal queries (OSC 11, DSR, DA1)")
	size := fs.String("size", "80x24", "terminal size")
	runs := fs.Int("runs", 5, "runs")
	until := fs.String("until", "", "text whose appearance ends a run")
	limit := fs.Duration("timeout", 60*time.Second, "give up a run after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cmd := fs.Args()
	if len(cmd) == 0 || *until == "" {
		return fmt.Errorf("run: give -until TEXT and a command")
	}
	w, h, ok := strings.Cut(*size, "x")
	cols, err1 := strconv.Atoi(w)
	rows, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("-size %q: want WxH", *size)
	}
	var times []time.Duration
	for i := 0; i < *runs; i++ {
		d, err := once(cmd, uint16(cols), uint16(rows), *answer, []byte(*until), *limit)
		if err != nil {
			return err
		}
		fmt.Printf("run %d: %.3f s\n", i+1, d.Seconds())
		times = append(times, d)
	}
	slices.Sort(times)
	fmt.Printf("median %.3f s (min %.3f, max %.3f) over %d runs\n", times[len(times)/2].Seconds(), times[0].Seconds(), times[len(times)-1].Seconds(), len(times))
	return nil
}

// The queries a terminal answers, and xterm's answers.
var answers = []struct{ query, answer []byte }{
	{[]byte("\x1b]11;?"), []byte("\x1b]11;rgb:0000/0000/0000\x1b\\")}, // background colour
	{[]byte("\x1b[6n"), []byte("\x1b[1;1R")},                          // cursor position
	{[]byte("\x1b[c"), []byte("\x1b[?62;22c")},                        // device attributes
}

// once runs the command in a fresh terminal and returns how long until the text appeared.
func once(argv []string, cols, rows uint16, answer bool, until []byte, limit time.Duration) (time.Duration, error) {
	c := exec.Command(argv[0], argv[1:]...)
	c.Env = append(os.Environ(), "TERM=xterm-256color", "COLORTERM=", "CI=") // a terminal termenv queries
	start := time.Now()
	tty, err := pty.StartWithSize(c, &pty.Winsize{Cols: cols, Rows: rows})
	if err != nil {
		return 0, err
	}
	defer tty.Close()
	found := make(chan time.Duration, 1)
	go func() {
		var seen []byte
		buf := make([]byte, 64<<10)
		answered := 0 // queries answered so far, by position in seen
		for {
			n, err := tty.Read(buf)
			if n > 0 {
				seen = append(seen, buf[:n]...)
				if answer {
					answered = answerQueries(tty, seen, answered)
				}
				if bytes.Contains(seen, until) {
					found <- time.Since(start)
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	var d time.Duration
	select {
	case d = <-found:
	case <-time.After(limit):
		c.Process.Kill()
		c.Wait()
		return 0, fmt.Errorf("%q did not appear within %s", until, limit)
	}
	tty.Write([]byte("q"))
	exited := make(chan struct{})
	go func() { c.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		c.Process.Kill()
		<-exited
	}
	return d, nil
}

// answerQueries answers, in order, the queries in seen from offset from on, and returns
// the offset up to which seen has been answered (a query cut between two reads waits
// for the rest).
func answerQueries(w io.Writer, seen []byte, from int) int {
	for {
		first, at := -1, len(seen)
		for i, a := range answers {
			if j := bytes.Index(seen[from:], a.query); j >= 0 && from+j < at {
				first, at = i, from+j
			}
		}
		if first < 0 {
			return max(from, len(seen)-8) // keep a possible partial query for the next read
		}
		w.Write(answers[first].answer)
		from = at + len(answers[first].query)
	}
}
