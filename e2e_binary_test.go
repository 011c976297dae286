package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The okdash binary the end-to-end tests run, built once per test process: each test
// building its own cost a go build apiece.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

// okdashBinary builds okdash from this checkout (once) and returns its path. It skips
// under -short, as every test that needs it runs the real program.
func okdashBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and runs it")
	}
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "okdash-e2e-bin")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "okdash")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// removeBinary removes what okdashBinary built; TestMain calls it after the tests.
func removeBinary() {
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
}
