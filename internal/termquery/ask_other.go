//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package termquery

import (
	"os"
	"time"
)

// Ask asks nothing here (Windows' console does not answer OSC 11): no answer.
func Ask(in, out *os.File, wait time.Duration) Answer { return Answer{} }
