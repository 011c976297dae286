package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/okdash/okdash/oktell/demo"
)

// cmdSim runs the simulators: the demo over the bridge protocol (--listen) and a fake
// Oktell WebSocket server (--ws). Both may run at once. --print-scenario writes the
// built-in shift out, so a trainer with only the binary has an example to start from.
var simCmd = &command{
	name: "okdash sim",
	usage: `Usage: okdash sim --listen ADDR [--scenario FILE] [--speed X]
       okdash sim --ws ADDR [--users FILE]
       okdash sim --print-scenario

Runs the simulators: the demo shift over the bridge protocol (--listen), a fake Oktell
WebSocket server (--ws), or both at once. --print-scenario writes the built-in shift,
the example to start a scenario of your own from. Stop with Ctrl-C.
`,
	groups: []group{groupSim},
}

func cmdSim(args []string, io stdio) int {
	p, err := simCmd.parse(args, os.Getenv)
	if err != nil {
		return parseFail(io, simCmd, err)
	}
	if len(p.args) > 0 {
		return usageFail(io, simCmd, usagef("unexpected argument %q", p.args[0]))
	}
	f := p.opts.Sim
	if f.PrintScenario {
		if len(p.given) > 1 {
			fmt.Fprintln(io.err, "okdash sim: --print-scenario takes no other flag or argument")
			return 2
		}
		if _, err := io.out.Write(demo.BuiltinText()); err != nil {
			fmt.Fprintf(io.err, "okdash sim: --print-scenario: %v\n", err)
			return 1
		}
		return 0
	}
	if f.Listen == "" && f.WS == "" {
		fmt.Fprintln(io.err, "okdash sim: give --listen ADDR, --ws ADDR, or both (or --print-scenario to get the demo shift to edit)")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 2)
	n := 0
	if f.Listen != "" {
		n++
		go func() { errc <- simBridge(ctx, f.Listen, f.Scenario, f.Speed, io) }()
	}
	if f.WS != "" {
		n++
		go func() { errc <- simWS(ctx, f.WS, f.Users, io) }()
	}
	status := 0
	for i := 0; i < n; i++ {
		if err := <-errc; err != nil {
			fmt.Fprintf(io.err, "okdash sim: %v\n", err)
			status = 1
			stop() // one failed: stop the other too
		}
	}
	return status
}
