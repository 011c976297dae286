// Package oktell reads and writes the documents of Oktell's service-event channel
// (the UTF-16 XML that the client library raises on OnCommunicate) and declares the
// Session interface through which okdash reaches Oktell. It holds no terminal code.
package oktell

import (
	"strconv"
	"strings"
)

// EventType is the numeric id of a service event (protocol.md 1.2).
type EventType int

// The 40 service events of the vendor's page.
const (
	ShutdownRequested EventType = 101
	RestartRequested  EventType = 102
	ConnectionLost    EventType = 103

	UserStateChanged     EventType = 111
	Notify               EventType = 112
	VoiceMail            EventType = 113
	UserMessage          EventType = 114
	PersonalStateChanged EventType = 115

	TMInterfaceConfirm EventType = 121
	TMInterfaceReserve EventType = 122
	TMInterfaceClose   EventType = 123

	HALSrvRegSuccess   EventType = 201
	HALSrvRegTimeout   EventType = 202
	HALDeviceFound     EventType = 203
	HALDeviceLost      EventType = 204
	HALLightenKey      EventType = 211
	HALHeadsetParams   EventType = 212
	HALClearNFieldNow  EventType = 213
	HALClearNFieldNext EventType = 214

	CommutationStarted EventType = 231
	CommutationStopped EventType = 232
	FaxStarted         EventType = 233
	FaxStopped         EventType = 234
	FaxFilesReceived   EventType = 235
	RingStarted        EventType = 236
	RingFinished       EventType = 237
	ACMStarted         EventType = 238
	ACMFinished        EventType = 239
	FlashHoldAction    EventType = 240
	ChainStateChange   EventType = 241
	LineStateChange    EventType = 242
	CallDetected       EventType = 243

	ConferenceListChanged            EventType = 261
	ConferenceCompositionChanged     EventType = 262
	ConferenceCompetitorStateChanged EventType = 263
	ConferenceEntranceRequest        EventType = 264
	ConferenceEntranceDenied         EventType = 265
	ConferenceEntrancePermitted      EventType = 266
	ConferenceNotifyInvite           EventType = 267
	ConferenceUserStateChanged       EventType = 268
)

var eventNames = map[EventType]string{
	ShutdownRequested: "ShutdownRequested", RestartRequested: "RestartRequested", ConnectionLost: "ConnectionLost",
	UserStateChanged: "UserStateChanged", Notify: "Notify", VoiceMail: "VoiceMail", UserMessage: "UserMessage",
	PersonalStateChanged: "PersonalStateChanged",
	TMInterfaceConfirm:   "TMInterfaceConfirm", TMInterfaceReserve: "TMInterfaceReserve", TMInterfaceClose: "TMInterfaceClose",
	HALSrvRegSuccess: "HALSrvRegSuccess", HALSrvRegTimeout: "HALSrvRegTimeout", HALDeviceFound: "HALDeviceFound",
	HALDeviceLost: "HALDeviceLost", HALLightenKey: "HALLightenKey", HALHeadsetParams: "HALHeadsetParams",
	HALClearNFieldNow: "HALClearNFieldNow", HALClearNFieldNext: "HALClearNFieldNext",
	CommutationStarted: "CommutationStarted", CommutationStopped: "CommutationStopped", FaxStarted: "FaxStarted",
	FaxStopped: "FaxStopped", FaxFilesReceived: "FaxFilesReceived", RingStarted: "RingStarted",
	RingFinished: "RingFinished", ACMStarted: "ACMStarted", ACMFinished: "ACMFinished",
	FlashHoldAction: "FlashHoldAction", ChainStateChange: "ChainStateChange", LineStateChange: "LineStateChange",
	CallDetected:          "CallDetected",
	ConferenceListChanged: "ConferenceListChanged", ConferenceCompositionChanged: "ConferenceCompositionChanged",
	ConferenceCompetitorStateChanged: "ConferenceCompetitorStateChanged",
	ConferenceEntranceRequest:        "ConferenceEntranceRequest", ConferenceEntranceDenied: "ConferenceEntranceDenied",
	ConferenceEntrancePermitted: "ConferenceEntrancePermitted", ConferenceNotifyInvite: "ConferenceNotifyInvite",
	ConferenceUserStateChanged: "ConferenceUserStateChanged",
}

var eventsByLowerName = func() map[string]EventType {
	m := make(map[string]EventType, len(eventNames))
	for t, n := range eventNames {
		m[strings.ToLower(n)] = t
	}
	return m
}()

// EventTypes lists every known event type in ascending order of id.
func EventTypes() []EventType {
	out := make([]EventType, 0, len(eventNames))
	for t := range eventNames {
		out = append(out, t)
	}
	for i := 1; i < len(out); i++ { // tiny insertion sort: 40 items, no sort import
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Known reports whether t is one of the 40 documented event types.
func (t EventType) Known() bool { _, ok := eventNames[t]; return ok }

// String returns the canonical name ("UserStateChanged"), or "Event(999)" for an unknown id.
func (t EventType) String() string {
	if n, ok := eventNames[t]; ok {
		return n
	}
	return "Event(" + strconv.Itoa(int(t)) + ")"
}

// WireName is the lower-cased name the client library writes in the name attribute.
func (t EventType) WireName() string { return strings.ToLower(t.String()) }

// EventTypeByName resolves a name as written in a document ("usermessage"), ignoring case.
func EventTypeByName(name string) (EventType, bool) {
	if t, ok := eventsByLowerName[name]; ok { // as the library writes it
		return t, true
	}
	t, ok := eventsByLowerName[strings.ToLower(strings.TrimSpace(name))]
	return t, ok
}

// PropertyKind tells which element a property came from.
type PropertyKind uint8

const (
	// Simple is property_simple: key, value, name attributes.
	Simple PropertyKind = iota
	// CData is property_cdata (short form prc): key, optional value, text content.
	CData
)

// Property is one property_simple or property_cdata, with presence kept for each part,
// so that nothing that arrived is lost and an absent value differs from an empty one.
type Property struct {
	Key   string
	Value string
	Name  string
	Text  string
	// Attrs are the attributes the protocol does not know, in document order: nothing
	// that arrived is dropped, and Encode writes them back after the known ones.
	Attrs Attrs
	// The flags sit together at the end: 80 bytes a property instead of 104, which
	// the decoder allocates eight at a time for every Notify.
	Kind     PropertyKind
	HasValue bool
	HasName  bool
	HasText  bool
}

// PropertySet is a property_set (short form s): named properties and nested collections.
type PropertySet struct {
	Name        string
	HasName     bool
	ID          string
	HasID       bool
	Props       []Property
	Collections []Collection
	Attrs       Attrs // unknown attributes, in order
}

// Collection is a property_collection (short form c): a list of sets.
type Collection struct {
	Name     string
	HasName  bool
	Count    string
	HasCount bool
	Sets     []PropertySet
	Attrs    Attrs // unknown attributes, in order
}

// Event is one <event> element. Type is the resolved type: a known name wins over a
// mismatching id (the seed's UserMessage example carries id="112"); both are kept.
type Event struct {
	Type  EventType // resolved type
	ID    int       // the id as written; 0 with RawID "" when absent
	RawID string    // the id attribute as written
	Name  string    // the name attribute as written
	Props []Property
	Sets  []PropertySet // property sets nested in the event, kept though no known event has them
	// Collections nested straight in the event, kept though no known event has them.
	Collections []Collection
	Attrs       Attrs // unknown attributes (say a time stamp), in order
}

// NewEvent is an event of type t as the client library writes one: numbered and named
// as its type (RawID, Name), with props.
func NewEvent(t EventType, props ...Property) Event {
	return Event{Type: t, ID: int(t), RawID: strconv.Itoa(int(t)), Name: t.WireName(), Props: props}
}

// Prop returns the first property with the given key.
func (e *Event) Prop(key string) (Property, bool) {
	for _, p := range e.Props {
		if p.Key == key {
			return p, true
		}
	}
	return Property{}, false
}

// Document is one whole oktellcommapper / oktellxmlmapper document.
type Document struct {
	Root         string // "oktellcommapper" or "oktellxmlmapper"
	Version      string
	HasVersion   bool
	HasData      bool // false when property sets sit straight under the root
	DataName     string
	HasDataName  bool
	DataCount    string
	HasDataCount bool
	Events       []Event
	Sets         []PropertySet // property sets under data (queries, results) or the root
	Props        []Property    // properties directly under data, outside any event (SetUserState requests)
	Collections  []Collection  // collections directly under data or the root (no known document has them)
	Attrs        Attrs         // unknown attributes of the root, in order
	DataAttrs    Attrs         // unknown attributes of data, in order; only with HasData
}
