package shift

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/oktell"
)

var day10 = Date{2026, 3, 10}

func TestPathIsSafeForAnyLogin(t *testing.T) {
	st := Store{Dir: t.TempDir()}
	name := regexp.MustCompile(`^shift-([a-z0-9]+(-[a-z0-9]+)*-)?[0-9a-f]{16}-2026-03-10\.json$`)
	seen := map[string]Key{}
	for _, k := range []Key{
		{"ws://oktell:4066", "ivanov"}, {"ws://oktell:4066", "../x"}, {"ws://oktell:4066", "../../etc/passwd"},
		{"ws://oktell:4066", "a/b\\c"}, {"ws://oktell:4066", ".."}, {"ws://oktell:4066", "x\x00y"},
		{"ws://oktell:4066", "Иванов"}, {"ws://oktell:4066", strings.Repeat("long", 100)},
		{"demo", ""}, {"bridge:exec:/usr/bin/bridge --x", ""}, {"WS://OKTELL:4066", "ivanov"},
	} {
		p := st.Path(k, day10)
		assert.Equal(t, st.Dir, filepath.Dir(p), "%q stays in the directory", k.Login)
		assert.Regexp(t, name, filepath.Base(p), "%+v", k)
		if other, dup := seen[p]; dup {
			t.Errorf("%+v and %+v share %s", k, other, p)
		}
		seen[p] = k
	}
	assert.Contains(t, st.Path(Key{"ws://h", "../x"}, day10), "shift-x-")
	assert.Contains(t, st.Path(Key{"demo", ""}, day10), "shift-demo-")
}

func sample() Saved {
	var sv Saved
	sv.Date = day10
	sv.Start = time.Date(2026, 3, 10, 9, 0, 0, 0, msk)
	sv.Watched = time.Date(2026, 3, 10, 12, 10, 0, 0, msk)
	sv.Hours[9][Ready] = m(60)
	sv.Hours[10][Ready] = m(45)
	sv.Hours[10][Break] = m(15)
	sv.Hours[11][Busy] = m(60)
	sv.Hours[12][Break] = m(10)
	for h := range sv.Hours {
		for b, d := range sv.Hours[h] {
			sv.Time[b] += d
		}
	}
	sv.Breaks, sv.Longest, sv.Calls, sv.Talk, sv.Received, sv.Sent = 2, m(15), 7, m(42), 3, 1
	sv.State, sv.Known, sv.BreakOpen, sv.BreakLen = oktell.UserLunch, true, true, m(10)
	sv.CallLive, sv.CallKey = true, 0xdeadbeef12345678
	sv.Seen = []uint64{1, 2, 0xffffffffffffffff}
	return sv
}

func TestSaveAndLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "okdash")
	st := Store{Dir: dir}
	k := Key{"ws://oktell:4066", "ivanov"}
	sv := sample()
	require.NoError(t, st.Save(k, sv, sv.Watched))

	fi, err := os.Stat(st.Path(k, day10))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), ".shift-"), "no temporary file left: %s", e.Name())
	}

	got, ok, err := st.Load(k, day10, msk)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, sv.Figures.Time, got.Time)
	assert.Equal(t, sv.Figures.Hours, got.Hours)
	assert.True(t, sv.Start.Equal(got.Start))
	assert.True(t, sv.Watched.Equal(got.Watched))
	got.Start, got.Watched = sv.Start, sv.Watched
	assert.Equal(t, sv, got)

	_, ok, err = st.Load(k, Date{2026, 3, 11}, msk)
	assert.NoError(t, err)
	assert.False(t, ok, "no file for another day")
	_, ok, err = st.Load(Key{"ws://oktell:4066", "petrov"}, day10, msk)
	assert.NoError(t, err)
	assert.False(t, ok, "no file for another login")
}

func TestSaveReplacesWhole(t *testing.T) {
	st := Store{Dir: t.TempDir()}
	k := Key{"demo", ""}
	sv := sample()
	require.NoError(t, st.Save(k, sv, sv.Watched))
	sv.Calls = 8
	require.NoError(t, st.Save(k, sv, sv.Watched))
	got, _, err := st.Load(k, day10, msk)
	require.NoError(t, err)
	assert.Equal(t, 8, got.Calls)

	// A file left by someone else with open permissions is replaced by a private one.
	require.NoError(t, os.Chmod(st.Path(k, day10), 0o644))
	require.NoError(t, st.Save(k, sv, sv.Watched))
	fi, err := os.Stat(st.Path(k, day10))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

func TestSaveFailureLeavesTheOldFile(t *testing.T) {
	st := Store{Dir: t.TempDir()}
	k := Key{"demo", ""}
	sv := sample()
	require.NoError(t, st.Save(k, sv, sv.Watched))
	before, err := os.ReadFile(st.Path(k, day10))
	require.NoError(t, err)
	// The new file cannot be put in place: the name is taken by a directory elsewhere
	// in the path. Simplest reliable failure, also as root: the directory is replaced
	// by a file.
	other := Store{Dir: filepath.Join(st.Dir, "sub")}
	require.NoError(t, os.WriteFile(other.Dir, []byte("x"), 0o600))
	assert.Error(t, other.Save(k, sv, sv.Watched))
	after, err := os.ReadFile(st.Path(k, day10))
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

// writeFile writes a shift file for day10 of k after edit has changed its JSON.
func writeFile(t *testing.T, st Store, k Key, edit func(map[string]any)) string {
	t.Helper()
	sv := sample()
	require.NoError(t, st.Save(k, sv, sv.Watched))
	p := st.Path(k, day10)
	if edit == nil {
		return p
	}
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	var j map[string]any
	require.NoError(t, json.Unmarshal(b, &j))
	edit(j)
	b, err = json.Marshal(j)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}

func TestLoadRefusesWhatItCannotUse(t *testing.T) {
	k := Key{"ws://oktell:4066", "ivanov"}
	for _, tc := range []struct {
		name string
		raw  string // the whole file, when set
		edit func(map[string]any)
		want string
	}{
		{name: "not JSON", raw: "{\"okdash\": \"shift\",\n oops}", want: "byte 22: invalid character 'o'"},
		{name: "cut short", raw: `{"okdash": "shift", "vers`, want: "unexpected end of JSON input"},
		{name: "empty", raw: "", want: "unexpected end of JSON input"},
		{name: "too large", raw: `{"okdash":"shift","x":"` + strings.Repeat("a", MaxFileSize) + `"}`, want: "larger than 64 KiB"},
		{name: "a field of the wrong type", edit: func(j map[string]any) { j["calls"] = "many" }, want: "field calls: a JSON string, want int"},
		{name: "another program's file", edit: func(j map[string]any) { j["okdash"] = "ws-session" }, want: `not a shift file (okdash: "ws-session")`},
		{name: "a newer okdash", edit: func(j map[string]any) { j["version"] = 2 }, want: "version 2; this okdash reads version 1"},
		{name: "someone else's shift", edit: func(j map[string]any) { j["login"] = "petrov" }, want: `the shift of "petrov" at "ws://oktell:4066" on 2026-03-10, not of "ivanov"`},
		{name: "another day", edit: func(j map[string]any) { j["date"] = "2026-03-09" }, want: "on 2026-03-09, not of"},
		{name: "a negative time", edit: func(j map[string]any) { j["hours_ms"].([]any)[3].([]any)[1] = -5 }, want: "field hours_ms[3][1]: -5 is not a time within an hour"},
		{name: "an hour of three hours", edit: func(j map[string]any) { j["hours_ms"].([]any)[3].([]any)[0] = 3 * 3600_000 }, want: "field hours_ms[3][0]: 10800000"},
		{name: "rows missing", edit: func(j map[string]any) { j["hours_ms"] = j["hours_ms"].([]any)[:5] }, want: "field hours_ms: 5 rows, want 24"},
		{name: "a column missing", edit: func(j map[string]any) {
			r := j["hours_ms"].([]any)
			r[7] = r[7].([]any)[:3]
		}, want: "field hours_ms[7]: 3 columns, want 9"},
		{name: "an unknown bucket", edit: func(j map[string]any) { j["buckets"].([]any)[2] = "lunch" }, want: `field buckets[2]: "lunch" is not a bucket`},
		{name: "watched before start", edit: func(j map[string]any) { j["watched"] = "2026-03-10T08:00:00+03:00" }, want: "field watched: 2026-03-10T08:00:00+03:00 is before start"},
		{name: "times of another year", edit: func(j map[string]any) {
			j["start"], j["watched"] = "2020-03-10T08:00:00+03:00", "2020-03-10T09:00:00+03:00"
		}, want: "is not on 2026-03-10"},
		{name: "a count out of range", edit: func(j map[string]any) { j["breaks"] = -1 }, want: "field breaks: -1 is out of range"},
		{name: "a talk of days", edit: func(j map[string]any) { j["talk_ms"] = 100 * 3600_000 }, want: "field talk_ms: 360000000 is not a time within a day"},
		{name: "a bad hash", edit: func(j map[string]any) { j["seen"] = []any{"zz"} }, want: `field seen[0]: "zz" is not a hash`},
		{name: "too many hashes", edit: func(j map[string]any) {
			var s []any
			for range seenSize + 1 {
				s = append(s, "1")
			}
			j["seen"] = s
		}, want: "field seen: 65 entries, at most 64"},
		{name: "escapes in a foreign login are not shown raw", edit: func(j map[string]any) { j["login"] = "\x1b[31mred" }, want: `the shift of "red"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := Store{Dir: t.TempDir()}
			p := st.Path(k, day10)
			if tc.edit != nil {
				writeFile(t, st, k, tc.edit)
			} else {
				require.NoError(t, os.WriteFile(p, []byte(tc.raw), 0o600))
			}
			_, ok, err := st.Load(k, day10, msk)
			require.Error(t, err)
			assert.False(t, ok)
			var fe *FileError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, p, fe.Path)
			assert.True(t, strings.HasPrefix(err.Error(), p+": "), "names the file: %v", err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "\x1b")
		})
	}
}

func TestLoadRefusesADirectory(t *testing.T) {
	st := Store{Dir: t.TempDir()}
	k := Key{"demo", ""}
	require.NoError(t, os.Mkdir(st.Path(k, day10), 0o700))
	_, _, err := st.Load(k, day10, msk)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a regular file")
}

func TestSetAside(t *testing.T) {
	st := Store{Dir: t.TempDir()}
	k := Key{"demo", ""}
	p := writeFile(t, st, k, nil)
	bad, err := SetAside(p)
	require.NoError(t, err)
	assert.Equal(t, p+".bad", bad)
	assert.NoFileExists(t, p)
	assert.FileExists(t, bad)
}

func TestPrune(t *testing.T) {
	st := Store{Dir: t.TempDir()}
	k, other := Key{"demo", ""}, Key{"ws://h", "ivanov"}
	touch := func(k Key, d Date, suffix string) string {
		p := st.Path(k, d) + suffix
		require.NoError(t, os.WriteFile(p, []byte("{}"), 0o600))
		return p
	}
	today := Date{2026, 6, 30}
	old := touch(k, Date{2026, 3, 29}, "") // 93 days before
	oldBad := touch(k, Date{2026, 1, 1}, ".bad")
	kept := touch(k, Date{2026, 3, 30}, "")   // 92 days before: kept
	recent := touch(k, Date{2026, 6, 29}, "") // yesterday
	others := touch(other, Date{2025, 1, 1}, "")
	stranger := filepath.Join(st.Dir, "notes.txt")
	require.NoError(t, os.WriteFile(stranger, nil, 0o600))
	release, err := st.Lock(k)
	require.NoError(t, err)
	defer release()

	require.NoError(t, st.Prune(k, today, Retention))
	assert.NoFileExists(t, old)
	assert.NoFileExists(t, oldBad)
	for _, p := range []string{kept, recent, others, stranger, filepath.Join(st.Dir, stem(k)+".lock")} {
		assert.FileExists(t, p)
	}
	assert.NoError(t, Store{Dir: filepath.Join(st.Dir, "none")}.Prune(k, today, Retention), "no directory, nothing to prune")
}

func TestLockIsExclusive(t *testing.T) {
	if _, err := (Store{Dir: t.TempDir()}).Lock(Key{}); err != nil {
		t.Fatal(err)
	}
	st := Store{Dir: t.TempDir()}
	k := Key{"ws://h", "ivanov"}
	release, err := st.Lock(k)
	require.NoError(t, err)
	_, err = st.Lock(k)
	if err == nil {
		t.Skip("no advisory locks on this system")
	}
	assert.ErrorIs(t, err, ErrLocked)
	assert.Contains(t, err.Error(), st.Dir)
	other, err := st.Lock(Key{"ws://h", "petrov"})
	require.NoError(t, err, "another login's shift is not locked")
	other()
	release()
	again, err := st.Lock(k)
	require.NoError(t, err, "free again once released")
	again()
}

func TestForKeyBoundsTheKeys(t *testing.T) {
	root := t.TempDir()
	var dirs []string
	for i, fp := range []string{"SHA256:a", "SHA256:b", "SHA256:c"} {
		st, err := ForKey(root, fp, 3)
		require.NoError(t, err, "key %d", i)
		require.NoError(t, st.Save(Key{"demo", ""}, sample(), time.Now()))
		dirs = append(dirs, st.Dir)
	}
	assert.Equal(t, filepath.Join(root, "serve"), filepath.Dir(dirs[0]))
	assert.NotEqual(t, dirs[0], dirs[1])
	again, err := ForKey(root, "SHA256:a", 3)
	require.NoError(t, err, "a key that has a directory keeps it")
	assert.Equal(t, dirs[0], again.Dir)
	_, err = ForKey(root, "SHA256:d/../../x", 3)
	require.Error(t, err, "a fourth key is refused")
	assert.Contains(t, err.Error(), "holds the shifts of 3 keys already")
	entries, _ := os.ReadDir(filepath.Join(root, "serve"))
	assert.Len(t, entries, 3)
}
