package bridge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/demo"
)

// Engine is what the server serves: the demo engine, or anything that plays documents
// and answers requests the same way.
type Engine interface {
	Run(ctx context.Context, emit func(demo.Output) bool) error
	SetUserState(ctx context.Context, state oktell.UserState, redirect bool) error
	SendMessage(ctx context.Context, userID, text string) error
}

// ServeConn plays eng's documents to conn (UTF-16LE with a BOM, as the client library
// hands them over) and answers the queries read from it, until the peer goes away or
// ctx ends. It returns why the connection ended (nil when the peer closed it).
func ServeConn(ctx context.Context, conn io.ReadWriteCloser, eng Engine) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var writeMu sync.Mutex
	write := func(d *oktell.Document) error {
		b, err := oktell.Encode(d, oktell.UTF16LE)
		if err != nil {
			return err
		}
		writeMu.Lock()
		defer writeMu.Unlock()
		_, err = conn.Write(b)
		return err
	}
	errc := make(chan error, 2)
	go func() {
		defer cancel() // the shift is over (a write failed, a broken scenario): so is the connection
		errc <- eng.Run(ctx, func(o demo.Output) bool {
			if o.Doc == nil {
				return true // the documents tell the client about the link
			}
			if err := write(o.Doc); err != nil {
				errc <- err
				return false
			}
			return true
		})
	}()
	go func() {
		<-ctx.Done()
		conn.Close()
	}()
	sc := oktell.NewScanner(conn)
	for {
		it, err := sc.Next()
		if err != nil {
			if ctx.Err() != nil {
				return firstErr(errc)
			}
			if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		if it.Err != nil {
			continue // the client's next query will be read
		}
		method, id, req, ok := oktell.AsQuery(it.Doc)
		if !ok {
			continue
		}
		answered := answer(ctx, eng, method, req)
		code, text := resultCode(answered)
		if err := write(oktell.QueryResultDocument(method, id, code, text, reasonProps(answered))); err != nil {
			return err
		}
	}
}

func firstErr(errc chan error) error {
	select {
	case err := <-errc:
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	default:
		return nil
	}
}

// answer runs one query against the engine.
func answer(ctx context.Context, eng Engine, method string, req *oktell.Document) error {
	switch strings.ToLower(method) {
	case "setuserstate":
		state, redirect, err := oktell.AsSetUserStateRequest(req)
		if err != nil {
			return oktell.RefusedSaying(10021, "malformed request: "+err.Error())
		}
		return eng.SetUserState(ctx, state, redirect)
	case "messaging_sendmessage", "sendmessage":
		m, err := oktell.AsSendMessageRequest(req)
		if err != nil {
			return oktell.RefusedSaying(10021, "malformed request: "+err.Error())
		}
		return eng.SendMessage(ctx, strings.TrimSpace(m.UserID), m.Text)
	}
	return oktell.RefusedSaying(10107, fmt.Sprintf("method %q not found", method))
}

// Serve accepts connections on ln and serves each with its own engine from newEngine,
// logging connections to log, until ctx ends.
func Serve(ctx context.Context, ln net.Listener, newEngine func() Engine, log io.Writer) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			peer := conn.RemoteAddr().String()
			fmt.Fprintf(log, "okdash sim: %s connected: a new shift starts\n", peer)
			err := ServeConn(ctx, conn, newEngine())
			if err != nil {
				fmt.Fprintf(log, "okdash sim: %s disconnected: %v\n", peer, err)
			} else {
				fmt.Fprintf(log, "okdash sim: %s disconnected\n", peer)
			}
		}()
	}
}
