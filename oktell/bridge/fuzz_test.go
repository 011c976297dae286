package bridge

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	"github.com/okdash/okdash/oktell/demo"
)

// wire is a connection whose input is fixed bytes and whose output is kept.
type wire struct {
	r  io.Reader
	mu sync.Mutex
	w  bytes.Buffer
}

func (c *wire) Read(p []byte) (int, error) { return c.r.Read(p) }
func (c *wire) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.w.Write(p)
}
func (c *wire) Close() error { return nil }

func queryBytes(method string, req *oktell.Document) []byte {
	b, _ := oktell.Encode(oktell.Query(method, "6f1c0000-0000-0000-0000-000000000001", req), oktell.UTF8)
	return b
}

// FuzzServeConn: whatever a client sends, the simulator answers or skips it, never panics,
// and every answer it writes is a document the client can read.
func FuzzServeConn(f *testing.F) {
	f.Add(queryBytes(MethodSetUserState, oktell.SetUserStateRequest(oktell.UserReady, true)))
	f.Add(queryBytes(MethodSendMessage, oktell.SendMessageRequest("d03a522f-b399-aa37-cb2a-943cf24d113e", "Привет", "")))
	f.Add(queryBytes("VoiceMail_Get", nil))
	f.Add(queryBytes(MethodSetUserState, &oktell.Document{}))
	f.Add([]byte("<oktellcommapper><data name=\"query\" count=\"1\"><property_set name=\"SetUserState\" id=\"x\"><property_simple key=\"newstate\" value=\"zz\" /></property_set></data></oktellcommapper>"))
	f.Fuzz(func(t *testing.T, in []byte) {
		sc, err := demo.Parse("t", bytes.NewReader([]byte("state usReady\nwait 1h\n")))
		if err != nil {
			t.Fatal(err)
		}
		c := &wire{r: bytes.NewReader(in)}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ServeConn(ctx, c, demo.New(sc, clocktest.New(t0), 1))
		c.mu.Lock()
		out := append([]byte(nil), c.w.Bytes()...)
		c.mu.Unlock()
		s := oktell.NewScanner(bytes.NewReader(out))
		for {
			it, err := s.Next()
			if err != nil {
				break
			}
			if it.Err != nil {
				t.Fatalf("the simulator wrote a broken document: %v", it.Err)
			}
		}
	})
}

// FuzzClient: whatever a bridge writes, the client delivers what it can and keeps going.
func FuzzClient(f *testing.F) {
	doc, _ := oktell.Encode(demo.StateDocument(oktell.UserReady, false), oktell.UTF16LE)
	res, _ := oktell.Encode(oktell.QueryResultDocument(MethodSetUserState, "id", 5, "нет", nil), oktell.UTF8)
	f.Add(doc)
	f.Add(append(res, doc...))
	f.Add(doc[:len(doc)/3])
	f.Fuzz(func(t *testing.T, in []byte) {
		clk := clocktest.New(t0)
		c := Open(context.Background(), once{in}, Options{Clock: clk})
		defer c.Close()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case u := <-c.Updates():
				if u.Status != nil && u.Status.Link == oktell.LinkReconnecting {
					return // the input ended: the client reconnects
				}
			case <-deadline:
				t.Fatal("the client did not reach the end of the input")
			}
		}
	})
}

// once is a dialer whose link carries fixed bytes.
type once struct{ b []byte }

func (o once) String() string { return "fuzz" }
func (o once) Dial(context.Context) (Conn, error) {
	return readerConn{bytes.NewReader(o.b)}, nil
}

type readerConn struct{ io.Reader }

func (readerConn) Write(p []byte) (int, error) { return len(p), nil }
func (readerConn) Close() error                { return nil }
func (readerConn) Why(err error) oktell.Reason { return oktell.Quoted("input ended") }
