package main

// STUB: replaced by the protocol work.

import "fmt"

func cmdDecode(args []string, io stdio) int {
	fmt.Fprintln(io.err, "okdash decode: not implemented yet")
	return 1
}
