package main

// STUB: replaced by the SSH work.

import "fmt"

func cmdServe(args []string, io stdio) int {
	fmt.Fprintln(io.err, "okdash serve: not implemented yet")
	return 1
}
