package shift

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/okdash/okdash/internal/privatefile"
	"github.com/okdash/okdash/oktell"
)

// Limits on what a shift file may hold; a file beyond them is not a shift okdash wrote.
const (
	MaxFileSize = 64 << 10 // bytes of one file: a day's figures take about 3 KiB
	maxCount    = 1_000_000
	maxKeyText  = 4096 // bytes of the source and login kept in a file
	// Retention is how many days of files of one source and login are kept; older ones
	// are removed when a shift starts, so the directory does not grow without end.
	Retention = 92
	// MaxKeys is how many SSH keys okdash serve keeps shifts for: with --demo-open
	// anyone may connect with a new key each time.
	MaxKeys = 1000
)

// fileVersion is the version of the file format this okdash writes and reads.
const fileVersion = 1

// Key says whose shift a file holds: the source (as --source names it) and the login.
type Key struct {
	Source string
	Login  string
}

// Store keeps shifts in Dir, one file per source, login and day, readable by the user
// only (0600, directory 0700): a shift tells when the operator took breaks.
type Store struct {
	Dir string
}

// ForKey is the store of the shifts of one SSH key of okdash serve, under the server's
// state directory: root/serve/key-HASH. It refuses a new key once MaxKeys keys have one,
// so that a room of open-door visitors with throwaway keys cannot fill the disk.
func ForKey(root, fingerprint string, maxKeys int) (Store, error) {
	sum := sha256.Sum256([]byte(fingerprint))
	base := filepath.Join(root, "serve")
	dir := filepath.Join(base, "key-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(dir); err == nil {
		return Store{Dir: dir}, nil
	}
	if entries, err := os.ReadDir(base); err == nil && len(entries) >= maxKeys {
		return Store{}, &oktell.ReasonError{Why: oktell.Because(oktell.ReasonShiftTooManyKeys, base, strconv.Itoa(len(entries)), fingerprint)}
	}
	return Store{Dir: dir}, nil
}

// stem is the part of the file names of k's shifts before the date: "shift-SLUG-HASH".
// The hash makes any source and login safe as a name; the slug, letters and digits of
// the login (else the source) only, helps a person find their file.
func stem(k Key) string {
	sum := sha256.Sum256([]byte(k.Source + "\x00" + k.Login))
	name := k.Login
	if name == "" {
		name = k.Source
		if i := strings.Index(name, ":"); i >= 0 {
			name = name[:i]
		}
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if b.Len() >= 24 {
			break
		}
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	s := "shift-"
	if b.Len() > 0 {
		s += b.String() + "-"
	}
	return s + hex.EncodeToString(sum[:8])
}

// Path is the file of k's shift on day d.
func (s Store) Path(k Key, d Date) string {
	return filepath.Join(s.Dir, stem(k)+"-"+d.String()+".json")
}

// FileError is a shift file okdash cannot use: Path, and what is wrong with it.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }

func (e *FileError) Unwrap() error { return e.Err }

// file is the JSON of a shift file.
type file struct {
	Okdash     string    `json:"okdash"`
	Version    int       `json:"version"`
	Source     string    `json:"source"`
	Login      string    `json:"login"`
	Date       string    `json:"date"`
	Zone       string    `json:"zone"` // for a person reading the file: the day's midnight is the zone's
	Saved      time.Time `json:"saved"`
	Start      time.Time `json:"start"`
	Watched    time.Time `json:"watched"`
	State      int       `json:"state"`
	StateKnown bool      `json:"state_known"`
	BreakOpen  bool      `json:"break_open"`
	BreakLenMS int64     `json:"break_len_ms"`
	CallLive   bool      `json:"call_live"`
	CallKey    string    `json:"call_key,omitempty"`
	Breaks     int       `json:"breaks"`
	LongestMS  int64     `json:"longest_break_ms"`
	Calls      int       `json:"calls"`
	TalkMS     int64     `json:"talk_ms"`
	Received   int       `json:"messages_received"`
	Sent       int       `json:"messages_sent"`
	// Buckets names the columns of Hours; the time in each is the sum of its column.
	Buckets []string  `json:"buckets"`
	HoursMS [][]int64 `json:"hours_ms"`
	Seen    []string  `json:"seen,omitempty"`
}

var fileBuckets = [NumBuckets]string{"ready", "break", "away", "busy", "reserved", "no_phone", "disconnected", "unknown", "not_watched"}

func ms(d time.Duration) int64 { return d.Milliseconds() }

func fromMS(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// Save writes sv as k's shift of its day: a temporary file with mode 0600 renamed over
// the old one, so that a crash never leaves half a file.
func (s Store) Save(k Key, sv Saved, now time.Time) error {
	f := file{
		Okdash: "shift", Version: fileVersion,
		Source: oktell.Clip(k.Source, maxKeyText), Login: oktell.Clip(k.Login, maxKeyText),
		Date: sv.Date.String(), Zone: sv.Start.Format("MST -07:00"), Saved: now,
		Start: sv.Start, Watched: sv.Watched,
		State: int(sv.State), StateKnown: sv.Known,
		BreakOpen: sv.BreakOpen, BreakLenMS: ms(sv.BreakLen),
		CallLive: sv.CallLive,
		Breaks:   sv.Breaks, LongestMS: ms(sv.Longest), Calls: sv.Calls, TalkMS: ms(sv.Talk),
		Received: sv.Received, Sent: sv.Sent,
		Buckets: fileBuckets[:], HoursMS: make([][]int64, 24),
	}
	if sv.CallLive {
		f.CallKey = strconv.FormatUint(sv.CallKey, 16)
	}
	for h := range sv.Hours {
		row := make([]int64, NumBuckets)
		for b, d := range sv.Hours[h] {
			row[b] = ms(d)
		}
		f.HoursMS[h] = row
	}
	for _, h := range sv.Seen {
		f.Seen = append(f.Seen, strconv.FormatUint(h, 16))
	}
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	return privatefile.Write(s.Path(k, sv.Date), append(b, '\n'))
}

// Load reads k's shift of day d. ok is false when there is none. A file that cannot be
// used (too large, not JSON, another okdash's version, someone else's shift, figures
// that cannot be) is a *FileError naming the file and what is wrong; the file is left
// as it is (see SetAside).
func (s Store) Load(k Key, d Date, zone *time.Location) (sv Saved, ok bool, err error) {
	p := s.Path(k, d)
	fail := func(format string, args ...any) (Saved, bool, error) {
		return Saved{}, false, &FileError{Path: p, Err: fmt.Errorf(format, args...)}
	}
	fh, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Saved{}, false, nil
	}
	if err != nil {
		return Saved{}, false, &FileError{Path: p, Err: err}
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err == nil && !fi.Mode().IsRegular() {
		return fail("not a regular file")
	}
	b, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return Saved{}, false, &FileError{Path: p, Err: err}
	}
	if len(b) > MaxFileSize {
		return fail("larger than %d KiB: not a shift file okdash wrote", MaxFileSize>>10)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fail("byte %d: %v", se.Offset, se)
		case errors.As(err, &te):
			return fail("byte %d: field %s: a JSON %s, want %s", te.Offset, te.Field, te.Value, te.Type)
		}
		return fail("%v", err)
	}
	switch {
	case f.Okdash != "shift":
		return fail("not a shift file (okdash: %q)", f.Okdash)
	case f.Version != fileVersion:
		return fail("version %d; this okdash reads version %d", f.Version, fileVersion)
	case f.Source != oktell.Clip(k.Source, maxKeyText) || f.Login != oktell.Clip(k.Login, maxKeyText) || f.Date != d.String():
		return fail("the shift of %q at %q on %s, not of %q at %q on %s", oktell.CleanLine(f.Login), oktell.CleanLine(f.Source), oktell.CleanLine(f.Date), k.Login, k.Source, d)
	}
	sv.Date = d
	if zone == nil {
		zone = time.Local
	}
	sv.Start, sv.Watched = f.Start.In(zone), f.Watched.In(zone)
	if f.Start.IsZero() || f.Watched.Before(f.Start) {
		return fail("field watched: %s is before start %s", f.Watched.Format(time.RFC3339), f.Start.Format(time.RFC3339))
	}
	day0 := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, zone)
	if f.Start.Before(day0.Add(-26*time.Hour)) || f.Watched.After(day0.Add(50*time.Hour)) {
		return fail("fields start and watched: %s to %s is not on %s", f.Start.Format(time.RFC3339), f.Watched.Format(time.RFC3339), d)
	}
	sv.State, sv.Known = oktell.UserState(f.State), f.StateKnown
	sv.BreakOpen, sv.CallLive = f.BreakOpen, f.CallLive
	durs := []struct {
		name string
		v    int64
		to   *time.Duration
	}{{"break_len_ms", f.BreakLenMS, &sv.BreakLen}, {"longest_break_ms", f.LongestMS, &sv.Longest}, {"talk_ms", f.TalkMS, &sv.Talk}}
	for _, x := range durs {
		if x.v < 0 || fromMS(x.v) > 26*time.Hour {
			return fail("field %s: %d is not a time within a day", x.name, x.v)
		}
		*x.to = fromMS(x.v)
	}
	counts := []struct {
		name string
		v    int
		to   *int
	}{{"breaks", f.Breaks, &sv.Breaks}, {"calls", f.Calls, &sv.Calls}, {"messages_received", f.Received, &sv.Received}, {"messages_sent", f.Sent, &sv.Sent}}
	for _, x := range counts {
		if x.v < 0 || x.v > maxCount {
			return fail("field %s: %d is out of range", x.name, x.v)
		}
		*x.to = x.v
	}
	if f.CallKey != "" {
		if sv.CallKey, err = strconv.ParseUint(f.CallKey, 16, 64); err != nil {
			return fail("field call_key: %q is not a hash", oktell.CleanLine(f.CallKey))
		}
	}
	col := make([]int, len(f.Buckets))
	for i, name := range f.Buckets {
		col[i] = -1
		for b, n := range fileBuckets {
			if n == name {
				col[i] = b
			}
		}
		if col[i] < 0 {
			return fail("field buckets[%d]: %q is not a bucket this okdash knows", i, oktell.CleanLine(name))
		}
	}
	if len(f.HoursMS) != 24 {
		return fail("field hours_ms: %d rows, want 24", len(f.HoursMS))
	}
	for h, row := range f.HoursMS {
		if len(row) != len(col) {
			return fail("field hours_ms[%d]: %d columns, want %d (one per bucket)", h, len(row), len(col))
		}
		for i, v := range row {
			if v < 0 || fromMS(v) > 2*time.Hour { // the repeated hour of a clock change holds two
				return fail("field hours_ms[%d][%d]: %d is not a time within an hour", h, i, v)
			}
			sv.Hours[h][col[i]] += fromMS(v)
			sv.Time[col[i]] += fromMS(v)
		}
	}
	if len(f.Seen) > seenSize {
		return fail("field seen: %d entries, at most %d", len(f.Seen), seenSize)
	}
	for i, x := range f.Seen {
		h, err := strconv.ParseUint(x, 16, 64)
		if err != nil {
			return fail("field seen[%d]: %q is not a hash", i, oktell.CleanLine(x))
		}
		sv.Seen = append(sv.Seen, h)
	}
	return sv, true, nil
}

// SetAside moves a file okdash cannot use out of the way, to PATH.bad (replacing an
// older one), so that the shift starts afresh and the file can still be looked at.
func SetAside(path string) (string, error) {
	bad := path + ".bad"
	if err := os.Rename(path, bad); err != nil {
		return "", err
	}
	return bad, nil
}

// Prune removes k's files of days more than keep days before today.
func (s Store) Prune(k Key, today Date, keep int) error {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	prefix := stem(k) + "-"
	oldest := time.Date(today.Year, today.Month, today.Day-keep, 0, 0, 0, 0, time.UTC)
	var first error
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		rest := strings.TrimSuffix(strings.TrimSuffix(name[len(prefix):], ".bad"), ".json")
		d, err := ParseDate(rest)
		if err != nil {
			continue // not one of ours: the lock file, or a name okdash did not make
		}
		if time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Before(oldest) {
			if err := os.Remove(filepath.Join(s.Dir, name)); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// ErrLocked says another okdash is counting the same shift: this one counts it too but
// does not write the file, or the two would overwrite each other.
var ErrLocked = errors.New("another okdash keeps this shift")

// Lock takes the lock on k's shifts, held until release is called: one okdash at a
// time writes them. Where the system has no advisory locks, it always succeeds.
func (s Store) Lock(k Key) (release func(), err error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return nil, err
	}
	p := filepath.Join(s.Dir, stem(k)+".lock")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, ErrLocked) {
			return nil, &FileError{Path: p, Err: ErrLocked}
		}
		return nil, err
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}
