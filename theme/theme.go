// Package theme holds okdash's palette, styles and icon sets. Every style is built from
// a *lipgloss.Renderer handed in, so that each SSH session renders for its own terminal.
package theme

// STUB (skeleton): the dashboard work fills this package.
