package main

// The demo, replay, follow, record and bridge sources, and `okdash sim --listen`.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/bridge"
	"github.com/okdash/okdash/oktell/demo"
	"github.com/okdash/okdash/oktell/record"
	"github.com/okdash/okdash/oktell/replay"
	"github.com/okdash/okdash/oktell/ws"
)

// checkSpeed rejects a speed factor that would stop or reverse time.
func checkSpeed(speed float64) error {
	if !(speed > 0) || math.IsInf(speed, 0) {
		return fmt.Errorf("--speed %v: want a number above 0, such as 0.5, 1 or 10", speed)
	}
	return nil
}

func openDemo(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	if err := checkSpeed(sf.Speed); err != nil {
		return nil, err
	}
	sc, err := demo.Load(sf.Scenario)
	if err != nil {
		return nil, flagFile("--scenario", err)
	}
	return demo.Open(ctx, sc, clock, sf.Speed, demo.WithBreakReason(sf.BreakReason)), nil
}

// noScenario rejects --scenario where it would be silently ignored.
func noScenario(sf sourceFlags) error {
	if sf.Scenario != "" {
		return errors.New("--scenario plays only on the demo (--source demo, or okdash sim --listen)")
	}
	return nil
}

func replayOptions(sf sourceFlags, clock oktell.Clock) replay.Options {
	return replay.Options{Clock: clock, Speed: sf.Speed}
}

func openReplay(ctx context.Context, sf sourceFlags, clock oktell.Clock, con console) (oktell.Session, error) {
	if err := errors.Join(checkSpeed(sf.Speed), noScenario(sf)); err != nil {
		return nil, err
	}
	if sf.Source == "-" {
		r, closer := con.in, io.Closer(nil)
		if r == nil {
			return nil, errors.New("there is no standard input to read")
		}
		if f, ok := con.in.(*os.File); ok {
			if term.IsTerminal(f.Fd()) {
				// The dashboard reads its keys from the terminal: a replay cannot share it.
				return nil, errors.New("standard input is a terminal: pipe a stream in (okdash --source - < capture.log) or use file:PATH")
			}
			r, closer = stdinSource(f)
		}
		// Not looked into before it plays: the dashboard must not wait for the first byte.
		return replay.Open(ctx, r, "standard input", closer, replayOptions(sf, clock)), nil
	}
	path := strings.TrimPrefix(sf.Source, "file:")
	if path == "" {
		return nil, errors.New("give a file: file:PATH")
	}
	f, err := openInput(path) // a directory is refused now, not as a read error later
	if err != nil {
		return nil, err
	}
	return playFile(ctx, f, path, f, sf, clock)
}

// playFile replays the file f: a capture of a ws session (--record on ws://) through the
// ws session's own reading, anything else as a stream of documents.
func playFile(ctx context.Context, f *os.File, name string, closer io.Closer, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(4096) // what there is of it; a read error shows again on the first read
	var in io.Reader = br
	if ws.IsCapture(head) {
		logf, err := wsLog()
		if err != nil {
			if closer != nil {
				closer.Close()
			}
			return nil, err
		}
		return ws.Replay(ctx, in, name, closer, ws.ReplayOptions{Clock: clock, Speed: sf.Speed, Logf: logf}), nil
	}
	return replay.Open(ctx, in, name, closer, replayOptions(sf, clock)), nil
}

func openFollow(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	if err := noScenario(sf); err != nil {
		return nil, err
	}
	path := strings.TrimPrefix(sf.Source, "follow:")
	if path == "" {
		return nil, errors.New("give a file: follow:PATH")
	}
	return replay.Follow(ctx, path, 0, replayOptions(sf, clock))
}

func openBridge(ctx context.Context, sf sourceFlags, clock oktell.Clock) (oktell.Session, error) {
	if err := noScenario(sf); err != nil {
		return nil, err
	}
	d, err := bridgeDialer(strings.TrimPrefix(sf.Source, "bridge:"))
	if err != nil {
		return nil, err
	}
	return bridge.Open(ctx, d, bridge.Options{Clock: clock, Timeout: sf.Timeout}), nil
}

func bridgeDialer(target string) (bridge.Dialer, error) {
	if err := bridgeSyntax(target); err != nil {
		return nil, err
	}
	switch {
	case strings.HasPrefix(target, "tcp://"):
		return bridge.TCP{Addr: strings.TrimPrefix(target, "tcp://")}, nil
	case strings.HasPrefix(target, "exec:"):
		e, err := bridge.ParseExec(strings.TrimPrefix(target, "exec:"))
		if err != nil {
			return nil, err
		}
		// A typo in the command is told at once, not as an endless "reconnecting".
		if _, err := exec.LookPath(e.Args[0]); err != nil {
			return nil, fmt.Errorf("command %q not found (is it installed, and on PATH?)", e.Args[0])
		}
		return e, nil
	}
	return nil, errors.New("want bridge:tcp://HOST:PORT or bridge:exec:COMMAND ARGS")
}

func recordSession(s oktell.Session, path string, clock oktell.Clock) (oktell.Session, error) {
	f, err := record.Create(path)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("--record: %w", err)
	}
	return record.Wrap(s, f, clock), nil
}

// simBridge serves the demo over the bridge protocol on addr until ctx ends.
func simBridge(ctx context.Context, addr, scenario string, speed float64, io stdio) error {
	if err := checkSpeed(speed); err != nil {
		return err
	}
	sc, err := demo.Load(scenario)
	if err != nil {
		return flagFile("--scenario", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	fmt.Fprintf(io.err, "okdash sim: serving %s (%s) over the bridge protocol on %s\n", sc.Name, lengthAt(sc.Length(), speed), ln.Addr())
	return bridge.Serve(ctx, ln, func() bridge.Engine { return demo.New(sc, oktell.RealClock{}, speed) }, &lockedWriter{w: io.err})
}

// lengthAt tells how long a shift of length l lasts: at speed 1, and at the speed the
// simulator plays it when that differs ("2m27s at speed 1, 37s at speed 4").
func lengthAt(l time.Duration, speed float64) string {
	if speed == 1 {
		return l.String()
	}
	at := time.Duration(float64(l) / speed)
	if at >= time.Second {
		at = at.Round(time.Second)
	} else {
		at = at.Round(time.Millisecond)
	}
	return fmt.Sprintf("%s at speed 1, %s at speed %s", l, at, strconv.FormatFloat(speed, 'g', -1, 64))
}

// lockedWriter lets the connections of the simulator log to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
