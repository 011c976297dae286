package bridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	shlex "github.com/anmitsu/go-shlex"

	"github.com/okdash/okdash/oktell"
)

// Exec runs a bridge as a child process: its standard output is the event stream and its
// standard input takes the requests. It is started again (with backoff) when it exits.
type Exec struct {
	Line string   // the command line as given
	Args []string // split as a POSIX shell would, without running a shell
}

// ParseExec splits a command line ("ssh winhost bridge.ps1", quotes allowed).
func ParseExec(line string) (Exec, error) {
	args, err := shlex.Split(line, true)
	if err != nil {
		return Exec{}, fmt.Errorf("command %q: %w", line, err)
	}
	if len(args) == 0 {
		return Exec{}, fmt.Errorf("command is empty")
	}
	return Exec{Line: line, Args: args}, nil
}

func (e Exec) String() string { return "exec:" + e.Line }

// Dial starts the command.
func (e Exec) Dial(ctx context.Context) (Conn, error) {
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, err
	}
	cmd := exec.Command(e.Args[0], e.Args[1:]...)
	// os.File ends, so that exec copies nothing itself and Wait never closes what we read.
	cmd.Stdout, cmd.Stdin = outW, inR
	c := &execConn{cmd: cmd, out: outR, in: inW, done: make(chan struct{}), name: e.Args[0]}
	cmd.Stderr = &c.stderr
	if err := cmd.Start(); err != nil {
		outR.Close()
		outW.Close()
		inR.Close()
		inW.Close()
		return nil, err
	}
	outW.Close()
	inR.Close()
	go func() {
		c.waitErr = cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

type execConn struct {
	cmd     *exec.Cmd
	name    string
	out     *os.File
	in      *os.File
	stderr  lastLine
	done    chan struct{}
	waitErr error
	once    sync.Once
}

func (c *execConn) Read(p []byte) (int, error)  { return c.out.Read(p) }
func (c *execConn) Write(p []byte) (int, error) { return c.in.Write(p) }

// Close ends the child: its input is closed first, so a well-behaved bridge exits by
// itself; one that does not is killed a moment later.
func (c *execConn) Close() error {
	c.once.Do(func() {
		c.in.Close()
		select {
		case <-c.done:
		case <-time.After(300 * time.Millisecond):
			c.cmd.Process.Kill()
			<-c.done
		}
		c.out.Close()
	})
	return nil
}

func (c *execConn) Why(err error) oktell.Reason {
	var why oktell.Reason
	var exit *exec.ExitError
	select {
	case <-c.done:
		switch {
		case c.waitErr == nil:
			why = oktell.Because(oktell.ReasonBridgeExited, c.name)
		case errors.As(c.waitErr, &exit) && exit.ExitCode() >= 0:
			why = oktell.Because(oktell.ReasonBridgeExitStatus, c.name, strconv.Itoa(exit.ExitCode()))
		default:
			why = oktell.Because(oktell.ReasonBridgeExitedWhy, c.name, c.waitErr.Error())
		}
	default:
		if err == nil || errors.Is(err, io.EOF) {
			why = oktell.Because(oktell.ReasonBridgeNoOutput, c.name)
		} else {
			why = oktell.Because(oktell.ReasonBridgeFailed, c.name, oktell.NetReason(err))
		}
	}
	if l := c.stderr.String(); l != "" {
		why = oktell.Because(oktell.ReasonBridgeSaid, why, l) // the command's own words
	}
	return why
}

// lastLine keeps the last non-empty line a child wrote to its standard error.
type lastLine struct {
	mu   sync.Mutex
	buf  []byte
	last string
}

func (l *lastLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		if s := strings.TrimSpace(string(l.buf[:i])); s != "" {
			l.last = s
		}
		l.buf = l.buf[i+1:]
	}
	if len(l.buf) > 4096 {
		l.buf = l.buf[len(l.buf)-4096:]
	}
	return len(p), nil
}

func (l *lastLine) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.last
	if t := strings.TrimSpace(string(l.buf)); t != "" {
		s = t
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
