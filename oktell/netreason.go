package oktell

import (
	"errors"
	"io"
	"net"
	"syscall"
)

// NetReason says why a network link failed or ended, as a code when the cause is a
// known one (refused, no such host, cut), else the network's own words, quoted.
func NetReason(err error) Reason {
	var dns *net.DNSError
	switch {
	case err == nil:
		return Because(ReasonConnectionLost)
	case errors.Is(err, syscall.ECONNREFUSED):
		return Because(ReasonConnRefused)
	case errors.As(err, &dns) && dns.IsNotFound:
		return Because(ReasonNoSuchHost, CleanLine(dns.Name))
	case IsCut(err):
		return Because(ReasonConnectionCut)
	}
	return ReasonOf(err)
}

// IsCut says a connection ended without a close: a reset is a cut too, since a server
// that closes while requests are in flight resets.
func IsCut(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
