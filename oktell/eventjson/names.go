package eventjson

import (
	"strconv"

	"github.com/okdash/okdash/oktell"
)

// keyNamer names the keys of one props object: a key's first occurrence keeps it, the
// n-th is "key#n", or the next number free when a real key took that name ("a#2" before
// the second "a"). Each key remembers where its numbering stopped, so that a document of
// hostile keys ("a#2" ... "a#34001", then 34,000 "a") costs time linear in its keys.
type keyNamer struct {
	seen   map[string]int // how often each name was met or given
	next   map[string]int // per key, the number its next repeat starts from
	probes int            // names tried, for the test that counts work
}

func newKeyNamer() *keyNamer {
	return &keyNamer{seen: map[string]int{}, next: map[string]int{}}
}

func (k *keyNamer) name(key string) string {
	k.seen[key]++
	n := k.seen[key]
	if n == 1 {
		return key
	}
	// Every name from the count up to where the numbering stopped is taken already.
	n = max(n, k.next[key])
	name := key + "#" + strconv.Itoa(n)
	for k.probes++; k.seen[name] > 0; k.probes++ {
		n++
		name = key + "#" + strconv.Itoa(n)
	}
	k.next[key] = n + 1
	k.seen[name]++
	return name
}

// repeatScan is how many properties are checked for a repeated key pair by pair before
// a map is used.
const repeatScan = 16

// keysRepeat reports whether a key occurs twice in ps: when none does, every key is its
// own name and no keyNamer (and no map) is needed, the common case.
func keysRepeat(ps []oktell.Property) bool {
	if len(ps) <= repeatScan {
		for i := 1; i < len(ps); i++ {
			for j := range i {
				if ps[i].Key == ps[j].Key {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(ps))
	for i := range ps {
		if _, ok := seen[ps[i].Key]; ok {
			return true
		}
		seen[ps[i].Key] = struct{}{}
	}
	return false
}
