//go:build unix

package main

import (
	"io"
	"os"

	"github.com/muesli/cancelreader"
)

// stdinSource is what `--source -` reads from f, and what the session closes with it.
//
// The replay reads on a goroutine of its own, and a read from a pipe waits until the
// writer writes or goes away; closing the session must not leave it behind. A pipe, a FIFO
// or a socket is read through a cancelreader (epoll or kqueue: the session's Close
// interrupts the read, and the descriptor's flags, shared with whoever else holds it,
// are left alone). A regular file or a device needs nothing: its reads never wait for long.
func stdinSource(f *os.File) (io.Reader, io.Closer) {
	st, err := f.Stat()
	if err != nil || st.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 {
		return f, nil // a file or a device such as /dev/null: not pollable, and its reads do not wait
	}
	cr, err := cancelreader.NewReader(f)
	if err != nil {
		return f, nil
	}
	return cr, cr
}
