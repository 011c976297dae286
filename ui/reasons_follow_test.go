package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/okdash/okdash/oktell"
	"github.com/okdash/okdash/oktell/clocktest"
	okfeed "github.com/okdash/okdash/oktell/feed"
	"github.com/okdash/okdash/oktell/replay"
)

// A problem in a followed log's later file names that file ("file 2: rotated at ...")
// in okdash's own words: the Russian screen says them in Russian (the review saw
// "CommonLog.txt (file 2: rotated at 12:00:01): байт 34: пропущен ..."), and the
// English stays what `okdash decode` and the logs print.
func TestFollowedFileSpeaksRussian(t *testing.T) {
	ru := newPrinter(language.Russian)
	path := filepath.Join(t.TempDir(), "CommonLog.txt")
	heading := "24.11.2026 12:00:00.000 xmlevent\r\n"
	doc := `<oktellcommapper version="80710"><data><event id="111" name="userstatechanged">` +
		`<property_simple key="newstate" value="1" name="usReady" /></event></data></oktellcommapper>` + "\r\n"
	require.NoError(t, os.WriteFile(path, []byte(heading+doc), 0o644))
	clock := clocktest.New(t0)
	s, err := replay.Follow(context.Background(), path, 0, replay.Options{Clock: clock})
	require.NoError(t, err)
	defer s.Close()
	upToDate := func(u oktell.Update) bool {
		if u.Status == nil || u.Status.Why.Code != oktell.ReasonFollowNote {
			return false
		}
		in, _ := u.Status.Why.Args[1].(oktell.Reason)
		return in.Code == oktell.ReasonUpToDate
	}
	require.NoError(t, clocktest.Drive(clock, s.Updates(), 5*time.Second, upToDate))
	require.True(t, clock.WaitPending(1, 5*time.Second), "the follower waits at the end of the file")

	require.NoError(t, os.Rename(path, path+".1"))
	broken := `<oktellcommapper version="80710"><data><event name="x"></data></oktellcommapper>` + "\r\n"
	require.NoError(t, os.WriteFile(path, []byte(heading+broken+heading+doc), 0o644))
	var problem error
	require.NoError(t, clocktest.Drive(clock, s.Updates(), 5*time.Second, func(u oktell.Update) bool {
		if u.Status != nil {
			said := strings.ReplaceAll(sayStatus(ru, u.Status), path, "PATH")
			assert.Empty(t, englishLeft(strings.ReplaceAll(said, "PATH", "")), "%q", said)
		}
		problem = u.Err
		return u.Err != nil
	}))
	var ie *okfeed.InputError
	require.True(t, errors.As(problem, &ie), "%v", problem)
	at := clock.Now().Format("15:04:05")
	said := sayError(ru, problem)
	assert.True(t, strings.HasPrefix(said, path+" (файл 2: после ротации в "+at+"): байт 34: пропущен испорченный документ, ошибка на байте 89: "), "%q", said)
	assert.True(t, strings.HasPrefix(problem.Error(), path+" (file 2: rotated at "+at+"): byte 34: skipped a malformed document, the mistake at byte 89: "), "%q", problem.Error())
}
