// Package bytesize writes a byte count for an operator: a limit in a message ("larger
// than 1 MiB", "more than 4 MiB waiting") reads as the figure it was set as.
package bytesize

import "fmt"

// Format writes n in MiB or KiB when it is a whole number of them, else in bytes.
func Format(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
