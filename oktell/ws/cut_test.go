package ws

import (
	"fmt"
	"syscall"
	"testing"
)

// A server that closes while requests are in flight resets the connection, or breaks a
// write: to the operator that is the same cut as a clean end of the stream.
func TestResetIsACut(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("failed to read frame header: %w", syscall.ECONNRESET),
		fmt.Errorf("failed to write frame: %w", syscall.EPIPE),
	} {
		if got := closeReason(err).Error(); got != "the connection was cut" {
			t.Errorf("%v: %q", err, got)
		}
	}
}
