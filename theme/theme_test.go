package theme

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/shift"
)

func TestIconsDefaultByTerm(t *testing.T) {
	for term, want := range map[string]string{"linux": "ascii", "dumb": "ascii", "xterm-256color": "unicode", "": "unicode", "screen": "unicode"} {
		got, err := Icons("", term)
		require.NoError(t, err)
		assert.Equal(t, want, got.Name, term)
	}
	got, err := Icons("unicode", "linux")
	require.NoError(t, err)
	assert.Equal(t, "unicode", got.Name, "the flag wins over TERM")
	_, err = Icons("emoji", "")
	assert.ErrorContains(t, err, `--icons "emoji"`)
}

// Every glyph is one cell, so layouts measured once hold on every terminal; and every
// state and notification type has its own glyph.
func TestIconSetsComplete(t *testing.T) {
	for _, set := range []IconSet{Unicode(), ASCII()} {
		seen := map[string]oktell.UserState{}
		for _, s := range []oktell.UserState{0, 1, 2, 3, 5, 6, 7} {
			g := set.StateGlyph(s)
			assert.Equal(t, 1, ansi.StringWidth(g), "%s %s", set.Name, s)
			_, dup := seen[g]
			assert.False(t, dup, "%s: %s shares its glyph", set.Name, s)
			seen[g] = s
		}
		tseen := map[string]bool{}
		for _, n := range oktell.NotifyTypes() {
			g := set.ToastGlyph(n)
			assert.Equal(t, 1, ansi.StringWidth(g), "%s %s", set.Name, n)
			assert.False(t, tseen[g], "%s: %s shares its glyph", set.Name, n)
			tseen[g] = true
		}
		for _, g := range []string{set.Redirect, set.VoiceMail, set.Pending, set.Stale, set.Selected, set.Saved, set.Rule, set.Ellipsis,
			set.Ringing, set.Dialing, set.Talking, set.OnHold, set.Queue} {
			assert.Equal(t, 1, ansi.StringWidth(g), "%s %q", set.Name, g)
		}
	}
	for _, set := range []IconSet{Unicode(), ASCII()} {
		seen := map[string]shift.Bucket{}
		for b := shift.Bucket(0); b < shift.NumBuckets; b++ {
			g := set.ShiftFill[b]
			assert.Equal(t, 1, ansi.StringWidth(g), "%s %s", set.Name, b)
			other, dup := seen[g]
			assert.False(t, dup, "%s: %s shares its fill with %s", set.Name, b, other)
			seen[g] = b
		}
		for _, g := range []string{set.NotWatched, set.Now} {
			assert.Equal(t, 1, ansi.StringWidth(g), "%s %q", set.Name, g)
		}
	}
	ascii := ASCII()
	for _, g := range append(ascii.ShiftFill[:], ascii.NotWatched, ascii.Now) {
		assert.Len(t, g, 1, "%q is ASCII", g)
		assert.Less(t, rune(g[0]), rune(128))
	}
	for _, r := range ASCII().Toasts {
		for _, c := range r {
			assert.Less(t, c, rune(128))
		}
	}
}

func TestNoColorDropsEveryEscape(t *testing.T) {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.TrueColor)
	th := New(r, Options{NoColor: true})
	for _, st := range []lipgloss.Style{th.StateBadge(oktell.UserReady, false), th.StateText(oktell.UserLunch, false), th.StateCount(oktell.UserOff), th.ToastMark(oktell.NltColor, 0xFF123456), th.Banner, th.Sender, th.ShiftBar(shift.Break),
		th.Blink, th.CallRinging, th.CallTalking, th.CallHold, th.CallDialing, th.Queue, th.QueueLong} {
		assert.Equal(t, "x", st.Render("x"))
	}
}

// A ringing call blinks where the terminal has colour at all (SGR 5), on every profile;
// the other call states never blink.
func TestRingingBlinks(t *testing.T) {
	for _, p := range []termenv.Profile{termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(p)
		th := New(r, Options{})
		assert.True(t, blinks(th.CallRinging.Render("x")), "profile %v", p)
		assert.True(t, blinks(th.Blink.Render("x")), "profile %v", p)
		for _, st := range []lipgloss.Style{th.CallTalking, th.CallHold, th.CallDialing, th.Queue} {
			assert.False(t, blinks(st.Render("x")), "profile %v", p)
		}
	}
}

// blinks says whether s turns blinking on: an SGR 5 that is not part of a colour.
func blinks(s string) bool {
	for _, seq := range regexp.MustCompile(`\x1b\[([0-9;]*)m`).FindAllStringSubmatch(s, -1) {
		ps := strings.Split(seq[1], ";")
		for i := 0; i < len(ps); i++ {
			switch ps[i] {
			case "38", "48", "58":
				if i+1 < len(ps) && ps[i+1] == "5" {
					i += 2
				} else if i+1 < len(ps) && ps[i+1] == "2" {
					i += 4
				}
			case "5":
				return true
			}
		}
	}
	return false
}

// Each profile gets its own refinement of a colour, from the renderer handed in.
func TestProfilesAndRenderer(t *testing.T) {
	for _, p := range []termenv.Profile{termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(p)
		out := New(r, Options{}).StateBadge(oktell.UserReady, false).Render("x")
		assert.Contains(t, out, "\x1b[", "profile %v", p)
	}
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI)
	assert.Contains(t, New(r, Options{}).StateBadge(oktell.UserReady, false).Render("x"), "102", "bright green background on 16 colours")
}

func TestStatesAndToastsHaveDistinctColours(t *testing.T) {
	for _, p := range []Palette{DarkPalette(), LightPalette()} {
		th := &Theme{P: p}
		seen := map[lipgloss.TerminalColor]oktell.NotifyType{}
		for _, n := range oktell.NotifyTypes() {
			if n == oktell.NltColor {
				continue
			}
			c := th.ToastColor(n, 0)
			_, dup := seen[c]
			assert.False(t, dup, "%s shares a colour", n)
			seen[c] = n
		}
	}
	assert.Equal(t, lipgloss.Color("#123456"), ARGB(0xFF123456))
	assert.Equal(t, lipgloss.Color("#000000"), onColor(0xFFFFFFFF))
	assert.Equal(t, lipgloss.Color("#FFFFFF"), onColor(0xFF000080))
}

// State is never told by colour alone, but on a 16-colour terminal two states that share
// a colour look the same at a glance: no two states may share one, in any palette and
// profile.
func TestStatesHaveDistinctColours(t *testing.T) {
	for name, p := range map[string]Palette{"dark": DarkPalette(), "light": LightPalette()} {
		states := map[string]lipgloss.TerminalColor{
			"ready": p.StateReady, "break": p.StateBreak, "away": p.StateAway, "busy": p.StateBusy,
			"reserved": p.StateReserved, "no phone": p.StateNoPhone, "offline": p.StateOffline,
		}
		for _, profile := range []string{"16", "256", "truecolor"} {
			seen := map[string]string{}
			for state, col := range states {
				cc, ok := col.(lipgloss.CompleteColor)
				if !ok {
					t.Fatalf("%s %s: not a CompleteColor", name, state)
				}
				v := map[string]string{"16": cc.ANSI, "256": cc.ANSI256, "truecolor": cc.TrueColor}[profile]
				if other, dup := seen[v]; dup {
					t.Errorf("%s palette, %s colours: %s and %s share %s", name, profile, state, other, v)
				}
				seen[v] = state
			}
		}
	}
}

// Every bucket of a state is drawn as that state is elsewhere (its colour, its glyph),
// and bucketState is shift.BucketOf the other way.
func TestShiftBucketsLookLikeTheirStates(t *testing.T) {
	th := New(lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.ANSI)), Options{})
	states := 0
	for b := range shift.NumBuckets {
		bk := shift.Bucket(b)
		s, ok := bucketState(bk)
		if !ok {
			continue
		}
		states++
		assert.Equal(t, bk, shift.BucketOf(s), "%s", bk)
		assert.Equal(t, th.StateColor(s), th.ShiftColor(bk), "%s", bk)
		assert.Equal(t, th.Icons.StateGlyph(s), th.Icons.ShiftGlyph(bk), "%s", bk)
	}
	assert.Equal(t, 7, states, "every state bucket but Unknown and NotWatched")
	assert.Equal(t, th.Icons.NotWatched, th.Icons.ShiftGlyph(shift.NotWatched))
	assert.Equal(t, th.Icons.Unknown, th.Icons.ShiftGlyph(shift.Unknown))
	assert.Equal(t, th.P.Border, th.ShiftColor(shift.NotWatched))
	assert.Equal(t, th.P.Muted, th.ShiftColor(shift.Unknown))
}
