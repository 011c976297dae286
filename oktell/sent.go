package oktell

import (
	"strconv"
	"strings"
)

// SentAttr is the root attribute that marks a document of a recording as one the operator
// sent (value "request") or its outcome ("outcome"), not one received. The documents are
// bridge queries and query results (protocol.md 1.6), which hold no event: a reader that
// knows nothing of SentAttr delivers nothing for them.
const SentAttr = "okdash-sent"

// Methods of the bridge a recording names requests by.
const (
	MethodSetUserState = "SetUserState"
	MethodSendMessage  = "Messaging_SendMessage"
)

// SentDocument is the document a recording keeps for s: a query holding the request, or,
// for an outcome, a query result (resultcode 0 when accepted, else 1 with the reason: its
// English in "error" for a person reading the file, its code in "reason" for a replay).
func SentDocument(s Sent) *Document {
	method := s.Method
	if method == "" {
		switch s.Kind {
		case SentState:
			method = MethodSetUserState
		case SentMessage:
			method = MethodSendMessage
		}
	}
	var d *Document
	switch {
	case s.Answered:
		code, text := 0, ""
		var props []Property
		if !s.Why.IsZero() {
			code, text, props = 1, s.Why.String(), ReasonProp(sentReasonProp, s.Why)
		}
		d = QueryResultDocument(method, s.ID, code, text, props)
		d.Attrs = NewAttrs(Attr{Name: SentAttr, Value: "outcome"})
		return d
	case s.Kind == SentState:
		req := SetUserStateRequest(s.State, s.Redirect)
		if s.BreakReason != "" {
			req.Props = append(req.Props, SimpleProp("lunchreasonid", s.BreakReason, ""))
		}
		d = Query(method, s.ID, req)
	case s.Kind == SentMessage:
		d = Query(method, s.ID, SendMessageRequest(s.To, s.Text, ""))
	default:
		d = Query(method, s.ID, nil)
	}
	d.Attrs = NewAttrs(Attr{Name: SentAttr, Value: "request"})
	return d
}

// AsSent reads a document made by SentDocument; ok is false for any other document.
func AsSent(d *Document) (s Sent, ok bool) {
	if d == nil {
		return Sent{}, false
	}
	mark, _ := d.Attrs.Get(SentAttr)
	switch mark {
	case "outcome":
		r, ok := AsQueryResult(d)
		if !ok {
			return Sent{}, false
		}
		s = Sent{Kind: sentKind(r.Method), Method: r.Method, ID: r.ID, Answered: true}
		if r.ResultCode != 0 {
			s.Why = outcomeWhy(r)
		}
		return s, true
	case "request":
		method, id, req, ok := AsQuery(d)
		if !ok {
			return Sent{}, false
		}
		s = Sent{Kind: sentKind(method), Method: method, ID: id}
		switch s.Kind {
		case SentState:
			st, red, err := AsSetUserStateRequest(req)
			if err != nil {
				return Sent{}, false
			}
			s.State, s.Redirect = st, red
			ev := Event{Props: req.Props}
			s.BreakReason = ev.text("lunchreasonid")
		case SentMessage:
			m, err := AsSendMessageRequest(req)
			if err != nil {
				return Sent{}, false
			}
			s.To, s.Text = m.UserID, m.Text
		}
		return s, true
	}
	return Sent{}, false
}

// sentReasonProp is the outcome's property holding its reason's code (EncodeReason).
const sentReasonProp = "reason"

// outcomeWhy is the reason of a refused outcome: its code when the recording kept one;
// an older recording kept only the English okdash wrote, read here, once, into a code
// where it is one okdash declares, else quoted.
func outcomeWhy(r QueryResult) Reason {
	if why, ok := r.ReasonIn(sentReasonProp); ok {
		return why
	}
	text := CleanLine(r.Error)
	const byServer = "refused by the server"
	switch {
	case text == "":
		return Because(ReasonRefusedByServer, Because(ReasonServerErrorCode, strconv.Itoa(r.ResultCode)))
	case text == byServer:
		return Because(ReasonRefusedByServer, Because(ReasonNoReasonGiven))
	case strings.HasPrefix(text, byServer+": "):
		return Because(ReasonRefusedByServer, ReasonFromEnglish(strings.TrimPrefix(text, byServer+": ")))
	case strings.Contains(text, "context deadline exceeded"), strings.HasPrefix(text, ErrTimeout.Error()),
		strings.Contains(text, ": no answer from the server in "): // the bridge's, a source's own, the WebSocket's
		return Because(ReasonTimedOut)
	}
	return ReasonFromEnglish(text)
}

func sentKind(method string) SentKind {
	switch {
	case strings.EqualFold(method, MethodSetUserState):
		return SentState
	case strings.EqualFold(method, MethodSendMessage):
		return SentMessage
	}
	return SentOther
}
