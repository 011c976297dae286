package shift

import (
	"os"
	"testing"
)

// FuzzLoad: any bytes in a shift file are read as a shift or refused with a FileError,
// never a panic; what is read is written back and read again the same.
func FuzzLoad(f *testing.F) {
	k := Key{"ws://oktell:4066", "ivanov"}
	dir := f.TempDir()
	st := Store{Dir: dir}
	sv := sample()
	if err := st.Save(k, sv, sv.Watched); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(st.Path(k, day10))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"okdash":"shift","version":1}`))
	f.Add([]byte(`{"okdash":"shift","version":1,"source":"ws://oktell:4066","login":"ivanov","date":"2026-03-10","hours_ms":[[1e30]]}`))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		st := Store{Dir: dir}
		if err := os.WriteFile(st.Path(k, day10), b, 0o600); err != nil {
			t.Fatal(err)
		}
		sv, ok, err := st.Load(k, day10, msk)
		if err != nil {
			if _, isFile := err.(*FileError); !isFile {
				t.Fatalf("not a FileError: %T %v", err, err)
			}
			return
		}
		if !ok {
			t.Fatal("a file that is there read as none")
		}
		if err := st.Save(k, sv, sv.Watched); err != nil {
			t.Fatal(err)
		}
		again, ok, err := st.Load(k, day10, msk)
		if err != nil || !ok {
			t.Fatalf("written back, then refused: %v", err)
		}
		if again.Time != sv.Time || again.Hours != sv.Hours || again.Calls != sv.Calls || again.Breaks != sv.Breaks {
			t.Fatalf("not the same after a round trip:\n%+v\n%+v", sv, again)
		}
	})
}
