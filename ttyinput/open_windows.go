package ttyinput

import (
	"fmt"
	"os"
)

func openTTY() (*os.File, error) {
	f, err := os.OpenFile("CONIN$", os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("the console cannot be opened: %w", err)
	}
	return f, nil
}
