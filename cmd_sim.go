package main

import (
	"context"
	"flag"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/okdash/okdash/oktell/demo"
)

// cmdSim runs the simulators: the demo over the bridge protocol (--listen) and a fake
// Oktell WebSocket server (--ws). Both may run at once. --print-scenario writes the
// built-in shift out, so a trainer with only the binary has an example to start from.
func cmdSim(args []string, io stdio) int {
	fs := flag.NewFlagSet("okdash sim", flag.ContinueOnError)
	fs.SetOutput(io.err)
	listen := fs.String("listen", "", "serve the demo shift over the bridge protocol on `ADDR` (e.g. 127.0.0.1:7766), one independent shift per connection")
	ws := fs.String("ws", "", "run a fake Oktell WebSocket server on `ADDR` (e.g. 127.0.0.1:4066)")
	scenario := fs.String("scenario", "", "demo scenario `FILE` for --listen instead of the built-in shift")
	speed := fs.Float64("speed", 1, "speed factor of the demo shift for --listen")
	users := fs.String("users", "", "users `FILE` for --ws (default: one user, login demo, password demo)")
	printScenario := fs.Bool("print-scenario", false, "write the built-in demo shift to standard output and exit: the example to copy for --scenario")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *printScenario {
		if fs.NFlag() > 1 || fs.NArg() > 0 {
			fmt.Fprintln(io.err, "okdash sim: --print-scenario takes no other flag or argument")
			return 2
		}
		if _, err := io.out.Write(demo.BuiltinText()); err != nil {
			fmt.Fprintf(io.err, "okdash sim: --print-scenario: %v\n", err)
			return 1
		}
		return 0
	}
	if *listen == "" && *ws == "" {
		fmt.Fprintln(io.err, "okdash sim: give --listen ADDR, --ws ADDR, or both (or --print-scenario to get the demo shift to edit)")
		return 2
	}
	// A speed that stops or reverses time is a mistake in the command line: usage (2),
	// not a failure of the simulator (1).
	if err := checkSpeed(*speed); err != nil {
		fmt.Fprintf(io.err, "okdash sim: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 2)
	n := 0
	if *listen != "" {
		n++
		go func() { errc <- simBridge(ctx, *listen, *scenario, *speed, io) }()
	}
	if *ws != "" {
		n++
		go func() { errc <- simWS(ctx, *ws, *users, io) }()
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
