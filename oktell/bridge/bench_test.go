package bridge

import (
	"context"
	"net"
	"testing"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/demo"
)

// BenchmarkBridgeEvents measures events delivered per second from a bridge over loopback
// (UTF-16LE documents, as the simulator writes them).
func BenchmarkBridgeEvents(b *testing.B) {
	doc, err := oktell.Encode(demo.MessageDocument("37ccb224-ff71-3836-c410-a73782ef8d19", t0,
		"d03a522f-b399-aa37-cb2a-943cf24d113e", "Бочкарев Евгений", "Зайди плиз как освободишься.."), oktell.UTF16LE)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		for i := 0; i < b.N; i++ {
			if _, err := c.Write(doc); err != nil {
				return
			}
		}
	}()
	c := Open(context.Background(), TCP{Addr: ln.Addr().String()}, Options{})
	defer c.Close()
	b.SetBytes(int64(len(doc)))
	b.ResetTimer()
	for n := 0; n < b.N; {
		u := <-c.Updates()
		if u.Event != nil {
			n++
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
