package main

import (
	"flag"
	"time"
)

// sourceFlags choose and tune the way okdash reaches Oktell. Shared by the dashboard and serve.
type sourceFlags struct {
	Source       string        // "demo" (default), "file:PATH", "-", "follow:PATH", "bridge:tcp://H:P", "bridge:exec:CMD", "ws://H:P", "wss://H:P"
	Speed        float64       // demo and replay speed factor
	Scenario     string        // demo scenario file
	Record       string        // write every received document here
	Login        string        // ws login
	PasswordFile string        // ws password file
	InsecureTLS  bool          // wss without certificate checks (test servers)
	BreakReason  string        // ws: the break reason a break asks for (id or name)
	Timeout      time.Duration // request timeout
}

func (f *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Source, "source", "demo", "where events come from: demo, file:PATH, - (stdin), follow:PATH, bridge:tcp://HOST:PORT, 'bridge:exec:COMMAND ARGS', ws://HOST:PORT, wss://HOST:PORT")
	fs.Float64Var(&f.Speed, "speed", 1, "speed factor of the demo and of replays (2 = twice as fast)")
	fs.StringVar(&f.Scenario, "scenario", "", "demo scenario `FILE` to play instead of the built-in shift")
	fs.StringVar(&f.Record, "record", "", "write every received document with its arrival time to `FILE` (replayable with --source file:FILE)")
	fs.StringVar(&f.Login, "login", "", "Oktell login for ws:// and wss:// sources")
	fs.StringVar(&f.PasswordFile, "password-file", "", "read the Oktell password from `FILE` (else OKDASH_PASSWORD, else a prompt)")
	fs.BoolVar(&f.InsecureTLS, "insecure-tls", false, "do not verify the server's TLS certificate (test servers only)")
	fs.StringVar(&f.BreakReason, "break-reason", "", "for ws:// and wss:// sources: the break reason a break asks for, by `NAME` or id from the server's list (default: the first one)")
	fs.DurationVar(&f.Timeout, "timeout", 20*time.Second, "how long a request may wait for its answer")
}
