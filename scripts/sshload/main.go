// Command sshload measures what idle dashboards cost an okdash serve process: it opens
// N SSH sessions with a PTY, leaves them alone, and reports the server's memory and
// CPU per session (from /proc, so Linux only) and the bytes each session receives per
// second. scripts/measure-serve.sh runs it against a freshly built server.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// counted counts the bytes a client reads off the wire (SSH framing and encryption
// included) and, separately, the terminal bytes inside.
type counted struct {
	net.Conn
	wire atomic.Int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.wire.Add(int64(n))
	return n, err
}

type client struct {
	conn    *counted
	payload atomic.Int64
	mu      sync.Mutex
	capture []byte // terminal bytes while capturing
	capt    atomic.Bool
}

func main() {
	addr := flag.String("addr", "127.0.0.1:2222", "okdash serve address")
	n := flag.Int("n", 200, "sessions")
	pid := flag.Int("pid", 0, "server process id, for memory and CPU (0: not measured)")
	settle := flag.Duration("settle", 5*time.Second, "wait after the last session opened, before measuring")
	hold := flag.Duration("hold", 30*time.Second, "measuring window")
	w := flag.Int("w", 80, "terminal width")
	h := flag.Int("h", 24, "terminal height")
	dump := flag.String("dump", "", "write what session 1 received during the window to `FILE`")
	flag.Parse()

	var rssBase int64
	if *pid != 0 {
		rssBase = rss(*pid)
	}
	clients := make([]*client, 0, *n)
	start := time.Now()
	for i := range *n {
		c, err := open(*addr, *w, *h)
		if err != nil {
			fmt.Fprintf(os.Stderr, "sshload: session %d: %v\n", i+1, err)
			os.Exit(1)
		}
		clients = append(clients, c)
	}
	fmt.Printf("opened %d sessions (%dx%d) in %s\n", *n, *w, *h, time.Since(start).Round(time.Millisecond))
	time.Sleep(*settle)

	var cpu0 int64
	if *pid != 0 {
		cpu0 = cpuTicks(*pid)
	}
	wire0, pay0 := make([]int64, *n), make([]int64, *n)
	for i, c := range clients {
		wire0[i], pay0[i] = c.conn.wire.Load(), c.payload.Load()
	}
	clients[0].capt.Store(true)
	t0 := time.Now()
	time.Sleep(*hold)
	secs := time.Since(t0).Seconds()
	clients[0].capt.Store(false)

	wire, pay := make([]float64, *n), make([]float64, *n)
	for i, c := range clients {
		wire[i] = float64(c.conn.wire.Load()-wire0[i]) / secs
		pay[i] = float64(c.payload.Load()-pay0[i]) / secs
	}
	fmt.Printf("bytes/s per session, terminal data: mean %.1f  median %.1f  max %.1f\n", mean(pay), median(pay), maxOf(pay))
	fmt.Printf("bytes/s per session, on the wire (SSH framing and MAC included): mean %.1f  median %.1f  max %.1f\n", mean(wire), median(wire), maxOf(wire))
	if *pid != 0 {
		ticks := cpuTicks(*pid) - cpu0
		cpuSecs := float64(ticks) / 100 // USER_HZ is 100 on Linux
		rssNow := rss(*pid)
		fmt.Printf("server RSS: %.1f MiB before, %.1f MiB with %d sessions: %.2f MiB per session\n",
			mib(rssBase), mib(rssNow), *n, mib(rssNow-rssBase)/float64(*n))
		fmt.Printf("server CPU over %.0fs: %.1f%% of one core in all, %.3f%% (%.2f ms/s) per session\n",
			secs, 100*cpuSecs/secs, 100*cpuSecs/secs/float64(*n), 1000*cpuSecs/secs/float64(*n))
	}
	if *dump != "" {
		clients[0].mu.Lock()
		if err := os.WriteFile(*dump, clients[0].capture, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "sshload:", err)
		}
		clients[0].mu.Unlock()
		fmt.Printf("session 1's bytes of the window are in %s (%d bytes)\n", *dump, len(clients[0].capture))
	}
	for _, c := range clients {
		c.conn.Close()
	}
}

func open(addr string, w, h int) (*client, error) {
	raw, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	c := &client{conn: &counted{Conn: raw}}
	cfg := &gossh.ClientConfig{
		User: "load",
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		// A measurement against a server this script just started.
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	}
	sc, chans, reqs, err := gossh.NewClientConn(c.conn, addr, cfg)
	if err != nil {
		return nil, err
	}
	cl := gossh.NewClient(sc, chans, reqs)
	sess, err := cl.NewSession()
	if err != nil {
		return nil, err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if _, err := sess.StdinPipe(); err != nil { // kept open: the dashboard waits for keys
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	go func() {
		buf := make([]byte, 32*1024)
		for {
			k, err := out.Read(buf)
			c.payload.Add(int64(k))
			if c.capt.Load() {
				c.mu.Lock()
				c.capture = append(c.capture, buf[:k]...)
				c.mu.Unlock()
			}
			if err != nil {
				if err != io.EOF {
					fmt.Fprintln(os.Stderr, "sshload:", err)
				}
				return
			}
		}
	}()
	return c, nil
}

// rss is the resident set of pid in bytes.
func rss(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// cpuTicks is the user plus system time of pid, in clock ticks.
func cpuTicks(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces; fields count from after its closing parenthesis.
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func maxOf(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = max(m, x)
	}
	return m
}
