package syncbuf

import (
	"sync"
	"testing"
)

func TestConcurrentWritesAllKept(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				b.Write([]byte("ab"))
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if n := len(b.Take()); n != 8*100*2 {
		t.Fatalf("%d bytes kept, want 1600", n)
	}
	if s := b.String(); s != "" {
		t.Fatalf("after Take: %q", s)
	}
}
