package ui

import "github.com/okdash/okdash/oktell"

// Sanitize makes text from the wire safe for one line of the screen (see oktell.CleanLine).
// Everything from a session passes through it on its way into the model.
func Sanitize(s string) string { return oktell.CleanLine(s) }

// SanitizeText is Sanitize for message bodies: line breaks are kept as '\n'.
func SanitizeText(s string) string { return oktell.CleanText(s) }
