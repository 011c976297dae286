package ws

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/okdash/okdash/internal/privatefile"
	"github.com/okdash/okdash/oktell"
)

// Store keeps the server's session id between runs, keyed by server and login, so
// that a later start (or a reconnect) logs in without the password.
type Store interface {
	// Load returns the stored session id, or "" when there is none.
	Load(server, login string) (string, error)
	// Save stores a session id.
	Save(server, login, sessionID string) error
	// Delete forgets the session id (the server no longer knows it).
	Delete(server, login string) error
}

// StateDir is where okdash keeps state: oktell.StateDir, shared with the shift files.
func StateDir() (string, error) { return oktell.StateDir() }

// FileStore keeps each session id in its own file under Dir, readable by the user
// only (0600, directory 0700): a session id lets anyone who has it act as the user.
type FileStore struct {
	Dir string
}

type storedSession struct {
	Server    string    `json:"server"`
	Login     string    `json:"login"`
	SessionID string    `json:"sessionid"`
	Saved     time.Time `json:"saved"`
}

// Path is the file that holds the session of server and login. The name is a hash
// so that any login and host are safe as a file name; the content names both.
func (s FileStore) Path(server, login string) string {
	sum := sha256.Sum256([]byte(storeKey(server, login)))
	return filepath.Join(s.Dir, "ws-session-"+hex.EncodeToString(sum[:8])+".json")
}

// Load implements Store.
func (s FileStore) Load(server, login string) (string, error) {
	p := s.Path(server, login)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var ss storedSession
	if err := json.Unmarshal(b, &ss); err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	// A hash collision or a hand-edited file must not hand one user's session to another.
	if !strings.EqualFold(ss.Server, server) || ss.Login != login {
		return "", nil
	}
	return ss.SessionID, nil
}

// Save implements Store: a private file written whole (privatefile.Write), so
// that a crash never leaves half a file.
func (s FileStore) Save(server, login, sessionID string) error {
	b, err := json.MarshalIndent(storedSession{Server: server, Login: login, SessionID: sessionID, Saved: time.Now().UTC()}, "", "  ")
	if err != nil {
		return err
	}
	return privatefile.Write(s.Path(server, login), append(b, '\n'))
}

// Delete implements Store.
func (s FileStore) Delete(server, login string) error {
	err := os.Remove(s.Path(server, login))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// MemStore is a Store in memory, for tests and for --no-save style use.
type MemStore struct {
	mu sync.Mutex
	m  map[string]string
}

// storeKey is what a session is stored under: the server, in any case, and the login.
func storeKey(server, login string) string { return strings.ToLower(server) + "\x00" + login }

// Load implements Store.
func (s *MemStore) Load(server, login string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[storeKey(server, login)], nil
}

// Save implements Store.
func (s *MemStore) Save(server, login, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[storeKey(server, login)] = id
	return nil
}

// Delete implements Store.
func (s *MemStore) Delete(server, login string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, storeKey(server, login))
	return nil
}
