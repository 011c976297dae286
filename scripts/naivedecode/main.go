// Command naivedecode is the yardstick of scripts/bench-decode.sh: okdash decode as a
// straightforward Go program would write it (internal/naivedecode: x/text for the
// UTF-16, encoding/xml for the documents and encoding/json for the lines, the baseline of
// the in-process benchmark in oktell/bench_test.go too). It reads UTF-16LE documents,
// concatenated, from each FILE (standard input when there is none) and prints one JSON
// object per event, through a buffered writer. It is not part of okdash: it only gives
// the figures of okdash decode something to be compared with, in the same run.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/okdash/okdash/internal/naivedecode"
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	files := os.Args[1:]
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := 0
	for _, name := range files {
		var r io.Reader = os.Stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintln(os.Stderr, "naivedecode:", err)
				status = 1
				continue
			}
			defer f.Close()
			r = f
		}
		if err := naivedecode.Decode(r, enc); err != nil {
			fmt.Fprintf(os.Stderr, "naivedecode: %s: %v\n", name, err)
			status = 1
		}
	}
	if err := out.Flush(); err != nil {
		status = 1
	}
	os.Exit(status)
}
