package bytesize

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFormat(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1: "1 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1536 bytes",
		64 << 10: "64 KiB", 1 << 20: "1 MiB", 1<<20 + 1<<10: "1025 KiB", 1<<20 + 1: "1048577 bytes", 4 << 30: "4096 MiB",
	} {
		assert.Equal(t, want, Format(n), "%d", n)
	}
}
