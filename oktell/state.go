package oktell

import "strconv"

// UserState is the operator's state, the newstate of UserStateChanged (protocol.md 1.3).
type UserState int

// The documented user states. There is no 4.
const (
	UserDisconnected UserState = 0 // usDisconnected: no link to the server logic
	UserReady        UserState = 1 // usReady: present and ready
	UserLunch        UserState = 2 // usLunch: on a break
	UserOff          UserState = 3 // usOff: away (also set after an unanswered call)
	UserFullbusy     UserState = 5 // usFullbusy: busy with a task or a call
	UserReserved     UserState = 6 // usReserved: reserved by a task
	UserWOphone      UserState = 7 // usWOphone: registered, but no phone line
)

var userStateNames = map[UserState]string{
	UserDisconnected: "usDisconnected", UserReady: "usReady", UserLunch: "usLunch", UserOff: "usOff",
	UserFullbusy: "usFullbusy", UserReserved: "usReserved", UserWOphone: "usWOphone",
}

// Known reports whether s is a documented state.
func (s UserState) Known() bool { _, ok := userStateNames[s]; return ok }

// String returns the protocol name ("usReady"), or "UserState(4)" when unknown.
func (s UserState) String() string {
	if n, ok := userStateNames[s]; ok {
		return n
	}
	return "UserState(" + strconv.Itoa(int(s)) + ")"
}

// Requestable reports whether an operator may ask for s (ready, break, away).
func (s UserState) Requestable() bool { return s == UserReady || s == UserLunch || s == UserOff }

// UserStateByName resolves "usReady" and friends, ignoring case.
func UserStateByName(name string) (UserState, bool) {
	for s, n := range userStateNames {
		if equalFold(n, name) {
			return s, true
		}
	}
	return 0, false
}

// NotifyType is the type of a Notify event (protocol.md 1.4): flag values, one per notification.
type NotifyType int

// The documented notification types.
const (
	NltNone            NotifyType = 0x0
	NltControlEvent    NotifyType = 0x2
	NltPBXinfo         NotifyType = 0x8
	NltInformation     NotifyType = 0x10
	NltIncomingCall    NotifyType = 0x20
	NltTimer           NotifyType = 0x80
	NltCallbackOrder   NotifyType = 0x100
	NltApplication     NotifyType = 0x200
	NltApplicationWarn NotifyType = 0x400
	NltApplicationInfo NotifyType = 0x800
	NltApplicationErr  NotifyType = 0x1000
	NltColor           NotifyType = 0x40000
)

var notifyTypeNames = map[NotifyType]string{
	NltNone: "nltNone", NltControlEvent: "nltControlEvent", NltPBXinfo: "nltPBXinfo",
	NltInformation: "nltInformation", NltIncomingCall: "nltIncomingCall", NltTimer: "nltTimer",
	NltCallbackOrder: "nltCallbackOrder", NltApplication: "nltApplication",
	NltApplicationWarn: "nltApplicationWarn", NltApplicationInfo: "nltApplicationInfo",
	NltApplicationErr: "nltApplicationErr", NltColor: "nltColor",
}

// NotifyTypes lists the documented notification types in ascending order.
func NotifyTypes() []NotifyType {
	return []NotifyType{NltNone, NltControlEvent, NltPBXinfo, NltInformation, NltIncomingCall, NltTimer,
		NltCallbackOrder, NltApplication, NltApplicationWarn, NltApplicationInfo, NltApplicationErr, NltColor}
}

// Known reports whether t is a documented type.
func (t NotifyType) Known() bool { _, ok := notifyTypeNames[t]; return ok }

// String returns the protocol name ("nltPBXinfo"), or "NotifyType(0x4)" when unknown.
func (t NotifyType) String() string {
	if n, ok := notifyTypeNames[t]; ok {
		return n
	}
	return "NotifyType(0x" + strconv.FormatInt(int64(t), 16) + ")"
}

// NotifyTypeByName resolves "nltPBXinfo" and friends, ignoring case.
func NotifyTypeByName(name string) (NotifyType, bool) {
	for t, n := range notifyTypeNames {
		if equalFold(n, name) {
			return t, true
		}
	}
	return 0, false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
