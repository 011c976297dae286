//go:build unix

package main

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/okdash/okdash/oktell/ws/wssim"
)

// simWSSignals lets a trainer drive a fake server that runs without a terminal:
// SIGUSR1 drops every connection, SIGUSR2 restarts it (every session forgotten).
func simWSSignals(ctx context.Context, srv *wssim.Server, logger *log.Logger) {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
	defer signal.Stop(sig)
	for {
		select {
		case s := <-sig:
			if s == syscall.SIGUSR1 {
				logger.Printf("wssim: SIGUSR1: dropped %d connection(s)", srv.Drop(""))
			} else {
				srv.Restart()
				logger.Printf("wssim: SIGUSR2: restarted, every session forgotten")
			}
		case <-ctx.Done():
			return
		}
	}
}
