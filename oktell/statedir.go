package oktell

import (
	"fmt"
	"os"
	"path/filepath"
)

// StateDir is where okdash keeps what it must remember between runs (the WebSocket
// session ids, the operator's shifts): $XDG_STATE_HOME/okdash, else
// ~/.local/state/okdash (the XDG base directory default). It does not create it.
func StateDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "okdash"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no state directory: set XDG_STATE_HOME or HOME: %w", err)
	}
	return filepath.Join(home, ".local", "state", "okdash"), nil
}
