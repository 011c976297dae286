//go:build !unix

package main

import (
	"io"
	"os"
)

// stdinSource is what `--source -` reads from f, and what the session closes with it.
//
// Here (Windows) a read from a pipe on standard input cannot be interrupted: Go's
// os.File offers no way, and github.com/muesli/cancelreader reads the console (CONIN$)
// instead of a redirected standard input. So a replay from a pipe whose writer stays
// silent keeps one goroutine blocked after its session closed, until input arrives or
// okdash exits; the session itself closes at once. A regular file is read to its end.
func stdinSource(f *os.File) (io.Reader, io.Closer) { return f, nil }
