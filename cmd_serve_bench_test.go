package main

import (
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
)

// wireCounter counts what a client reads off the TCP connection.
type wireCounter struct {
	net.Conn
	n atomic.Int64
}

func (c *wireCounter) Read(p []byte) (int, error) {
	k, err := c.Conn.Read(p)
	c.n.Add(int64(k))
	return k, err
}

// BenchmarkServeIdleSecond is one second of an idle dashboard over SSH: the real
// dashboard on a demo shift where the operator is ready and nothing happens, driven
// by a fake clock, so each op is exactly the frame (and, every 30 s, the keepalive)
// that one second costs. B/idle-s is terminal data, wire-B/idle-s what the TCP link
// carries. Target: at most 200 bytes per idle second. Memory and CPU with 200
// sessions are measured by scripts/measure-serve.sh, in separate processes.
func BenchmarkServeIdleSecond(b *testing.B) {
	dir := b.TempDir()
	scenario := filepath.Join(dir, "idle.txt")
	require.NoError(b, os.WriteFile(scenario, []byte("line on\nstate usReady\nwait 24h\n"), 0o600))
	clock := clocktest.New(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	uf := defaultOptions().UI // with the defaults of its flags
	srv, err := newServe(serveFlags{DemoOpen: true, HostKey: filepath.Join(dir, "host"), KeepAlive: 30 * time.Second, ShutdownAfter: time.Second},
		sourceFlags{Source: "demo", Scenario: scenario, Speed: 1, Timeout: 20 * time.Second}, uf, clock,
		slog.New(slog.DiscardHandler), openSession, newModel)
	require.NoError(b, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	go srv.Serve(l) //nolint:errcheck
	defer srv.Close()

	raw, err := net.Dial("tcp", l.Addr().String())
	require.NoError(b, err)
	wire := &wireCounter{Conn: raw}
	sc, chans, reqs, err := gossh.NewClientConn(wire, l.Addr().String(), &gossh.ClientConfig{User: "bench",
		Auth:            []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	require.NoError(b, err)
	client := gossh.NewClient(sc, chans, reqs)
	defer client.Close()
	out := openShell(b, client)

	var (
		mu      sync.Mutex
		screen  strings.Builder
		payload atomic.Int64
	)
	go func() {
		buf := make([]byte, 32*1024)
		for {
			k, err := out.Read(buf)
			payload.Add(int64(k))
			mu.Lock()
			screen.Write(buf[:k])
			mu.Unlock()
			if err != nil {
				if err != io.EOF {
					b.Log(err)
				}
				return
			}
		}
	}()
	// quiet waits until the output has stopped growing for a while.
	quiet := func() {
		last, still := payload.Load(), time.Now()
		for time.Since(still) < 100*time.Millisecond {
			time.Sleep(10 * time.Millisecond)
			if n := payload.Load(); n != last {
				last, still = n, time.Now()
			}
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		ready := strings.Contains(screen.String(), "Ready")
		mu.Unlock()
		if ready {
			break
		}
		require.True(b, time.Now().Before(deadline), "no dashboard")
		clock.Advance(0)
		time.Sleep(10 * time.Millisecond)
	}
	quiet()

	p0, w0 := payload.Load(), wire.n.Load()
	b.ResetTimer()
	for range b.N {
		before := payload.Load()
		clock.Advance(time.Second)
		// The frame of the new second, then silence.
		for wait := time.Now().Add(5 * time.Second); payload.Load() == before && time.Now().Before(wait); {
			time.Sleep(time.Millisecond)
		}
		quiet()
	}
	b.StopTimer()
	b.ReportMetric(float64(payload.Load()-p0)/float64(b.N), "B/idle-s")
	b.ReportMetric(float64(wire.n.Load()-w0)/float64(b.N), "wire-B/idle-s")
}

// BenchmarkServeSessions opens one more idle dashboard per op, on the built-in demo
// shift, then reports what each costs: memory (heap and stacks, after a GC) and CPU
// over a 5 s window with nobody typing. Server and clients share this process, so
// both figures are upper bounds of the server's share; scripts/measure-serve.sh
// measures the server alone. Run with -benchtime 200x for the 200 sessions.
// Targets: at most 4 MiB per session.
func BenchmarkServeSessions(b *testing.B) {
	dir := b.TempDir()
	uf := defaultOptions().UI // with the defaults of its flags
	srv, err := newServe(serveFlags{DemoOpen: true, HostKey: filepath.Join(dir, "host"), KeepAlive: 30 * time.Second, ShutdownAfter: time.Second},
		sourceFlags{Source: "demo", Speed: 1, Timeout: 20 * time.Second}, uf, oktell.RealClock{},
		slog.New(slog.DiscardHandler), openSession, newModel)
	require.NoError(b, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	go srv.Serve(l) //nolint:errcheck
	defer srv.Close()
	cfg := &gossh.ClientConfig{User: "bench",
		Auth:            []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		HostKeyCallback: gossh.InsecureIgnoreHostKey()}

	before := memInUse()
	var clients []*gossh.Client
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	b.ResetTimer()
	for range b.N {
		c, err := gossh.Dial("tcp", l.Addr().String(), cfg)
		require.NoError(b, err)
		clients = append(clients, c)
		out := openShell(b, c)
		first := make(chan struct{})
		go func() {
			buf := make([]byte, 32*1024)
			once := sync.Once{}
			for {
				_, err := out.Read(buf)
				once.Do(func() { close(first) })
				if err != nil {
					return
				}
			}
		}()
		select {
		case <-first:
		case <-time.After(20 * time.Second):
			b.Fatal("no first frame")
		}
	}
	b.StopTimer()
	for deadline := time.Now().Add(20 * time.Second); srv.Sessions() != b.N; time.Sleep(10 * time.Millisecond) {
		require.True(b, time.Now().Before(deadline), "%d sessions of %d", srv.Sessions(), b.N)
	}
	b.ReportMetric(float64(memInUse()-before)/float64(b.N)/(1<<20), "MiB/session")
	cpu0 := cpuTime()
	const window = 5 * time.Second
	<-time.After(window) // a measuring window, not a wait for a condition
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/window.Seconds()/float64(b.N), "cpu-ms/s/session")
}

// memInUse is heap and stack memory in use after a collection.
func memInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

// openShell starts an 80x24 PTY shell session on c, as a trainee's ssh does, and
// returns what the server sends to it.
func openShell(b *testing.B, c *gossh.Client) io.Reader {
	b.Helper()
	sess, err := c.NewSession()
	require.NoError(b, err)
	out, err := sess.StdoutPipe()
	require.NoError(b, err)
	_, err = sess.StdinPipe() // an open stdin, as a terminal has
	require.NoError(b, err)
	require.NoError(b, sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}))
	require.NoError(b, sess.Shell())
	return out
}
