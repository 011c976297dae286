//go:build !unix

package main

import (
	"context"
	"log"

	"github.com/okdash/okdash/oktell/ws/wssim"
)

// simWSSignals: no SIGUSR1/SIGUSR2 here; the stdin commands still drive the server.
func simWSSignals(ctx context.Context, srv *wssim.Server, logger *log.Logger) {}
