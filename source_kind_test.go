package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Every check of a --source value reads its kind from sourceKindOf: one grammar.
func TestSourceKindOf(t *testing.T) {
	for src, want := range map[string]sourceKind{
		"": sourceDemo, "demo": sourceDemo, "-": sourceStdin,
		"file:a.log": sourceFile, "file:": sourceFile, "follow:/var/log/okt.log": sourceFollow,
		"bridge:tcp://10.0.0.15:7766": sourceBridge, "bridge:exec:bridge.ps1": sourceBridge,
		"ws://h:4066": sourceWS, "wss://h:4066": sourceWS,
		"ws:h:4066": sourceUnknown, "demo:shift.txt": sourceUnknown, "Demo": sourceUnknown, "bogus:x": sourceUnknown,
	} {
		require.Equal(t, want, sourceKindOf(src), src)
		require.Equal(t, want == sourceUnknown, checkSourceValue(src) != nil, src)
	}
}
