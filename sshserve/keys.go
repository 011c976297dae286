package sshserve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/okdash/okdash/internal/textfile"
)

// OptionPrefix starts the authorized_keys options that okdash reads, as in
// okdash-source="bridge:tcp://10.1.2.3:7766". Client.Options holds them without it.
const OptionPrefix = "okdash-"

// harmlessOptions are OpenSSH authorized_keys options that restrict what okdash serve
// never offers anyway (forwarding, X11, rc files), so a file shared with sshd may keep them.
var harmlessOptions = map[string]bool{
	"restrict": true, "no-port-forwarding": true, "no-agent-forwarding": true,
	"no-x11-forwarding": true, "no-user-rc": true, "pty": true,
}

// LoadHostKey reads the host key at path, or generates an ed25519 key there (mode 0600)
// when the file does not exist yet, so clients see the same host key after a restart.
// created reports whether the key was generated.
func LoadHostKey(path string) (signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = generateHostKey(path)
		created = err == nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, created, nil
}

func generateHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "okdash serve host key")
	if err != nil {
		return nil, err
	}
	data := pem.EncodeToMemory(block)
	// O_EXCL: two servers started at once must not overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return data, nil
}

// AuthorizedKey is one line of the authorized keys file.
type AuthorizedKey struct {
	Key         gossh.PublicKey
	Fingerprint string            // SHA256:...
	Comment     string            // usually user@host: shown in the log
	Options     map[string]string // okdash-* options, without the prefix
	Line        int
}

// KeyFile is an OpenSSH authorized_keys file whose lines may carry okdash-* options.
// It is read again when its modification time or size changes, so a trainer can add
// a trainee's key without restarting the server.
type KeyFile struct {
	path    string
	allowed map[string]bool // okdash-* option names accepted (without the prefix)

	mu      sync.Mutex
	keys    map[string]*AuthorizedKey // by string(key.Marshal())
	modTime time.Time
	size    int64
}

// OpenKeyFile reads the authorized keys file at path. allowed names the okdash-*
// options a line may carry (without the prefix); any other okdash-* option is an error.
func OpenKeyFile(path string, allowed []string) (*KeyFile, error) {
	kf := &KeyFile{path: path, allowed: map[string]bool{}}
	for _, a := range allowed {
		kf.allowed[a] = true
	}
	if err := kf.reload(); err != nil {
		return nil, err
	}
	return kf, nil
}

// Len is the number of keys.
func (kf *KeyFile) Len() int {
	kf.mu.Lock()
	defer kf.mu.Unlock()
	return len(kf.keys)
}

// Lookup returns the line of key, or nil when the key is not authorized. It re-reads
// the file first when it changed; if the new content is broken, the error is returned
// along with the answer from the last good content.
func (kf *KeyFile) Lookup(key gossh.PublicKey) (*AuthorizedKey, error) {
	err := kf.reloadIfChanged()
	kf.mu.Lock()
	defer kf.mu.Unlock()
	return kf.keys[string(key.Marshal())], err
}

func (kf *KeyFile) reloadIfChanged() error {
	st, err := os.Stat(kf.path)
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	kf.mu.Lock()
	same := st.ModTime().Equal(kf.modTime) && st.Size() == kf.size
	kf.mu.Unlock()
	if same {
		return nil
	}
	return kf.reload()
}

func (kf *KeyFile) reload() error {
	st, err := os.Stat(kf.path)
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	text, err := textfile.Read(kf.path, 16<<20) // PowerShell's "echo >" writes UTF-16
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	keys, err := ParseAuthorizedKeys([]byte(text), kf.allowed)
	if err != nil {
		return fmt.Errorf("authorized keys %s: %w", kf.path, err)
	}
	m := make(map[string]*AuthorizedKey, len(keys))
	for _, k := range keys {
		m[string(k.Key.Marshal())] = k
	}
	kf.mu.Lock()
	kf.keys, kf.modTime, kf.size = m, st.ModTime(), st.Size()
	kf.mu.Unlock()
	return nil
}

// ParseAuthorizedKeys parses an authorized_keys file. Unlike sshd, which skips lines
// it cannot read, it fails on the first bad line with its number, because a silently
// skipped line is a trainee who cannot log in and nobody knows why.
func ParseAuthorizedKeys(data []byte, allowed map[string]bool) ([]*AuthorizedKey, error) {
	var out []*AuthorizedKey
	seen := map[string]int{}
	for n, line := range bytes.Split(data, []byte("\n")) {
		lineNo := n + 1
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, opts, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: not a public key line: %v", lineNo, err)
		}
		ak := &AuthorizedKey{Key: key, Fingerprint: gossh.FingerprintSHA256(key), Comment: comment, Options: map[string]string{}, Line: lineNo}
		for _, o := range opts {
			name, value, hasValue := strings.Cut(o, "=")
			lname := strings.ToLower(name)
			switch {
			case strings.HasPrefix(lname, OptionPrefix):
				short := lname[len(OptionPrefix):]
				if !allowed[short] {
					return nil, fmt.Errorf("line %d: unknown option %s (okdash knows %s)", lineNo, name, optionList(allowed))
				}
				if !hasValue {
					return nil, fmt.Errorf("line %d: option %s needs a value, as in %s=\"...\"", lineNo, name, name)
				}
				v, err := unquoteOption(value)
				if err != nil {
					return nil, fmt.Errorf("line %d: option %s: %v", lineNo, name, err)
				}
				ak.Options[short] = v
			case harmlessOptions[lname]:
			default:
				// from=, command=, expiry-time= ... would be security promises okdash does not keep.
				return nil, fmt.Errorf("line %d: option %s is not supported by okdash serve; remove it or use a separate file", lineNo, name)
			}
		}
		if prev, dup := seen[string(key.Marshal())]; dup {
			return nil, fmt.Errorf("line %d: key %s is already on line %d", lineNo, ak.Fingerprint, prev)
		}
		seen[string(key.Marshal())] = lineNo
		out = append(out, ak)
	}
	return out, nil
}

func optionList(allowed map[string]bool) string {
	if len(allowed) == 0 {
		return "none"
	}
	var names []string
	for a := range allowed {
		names = append(names, OptionPrefix+a)
	}
	sort.Strings(names) // a stable message
	return strings.Join(names, ", ")
}

// unquoteOption undoes sshd's option quoting: "..." with \" for a quote inside.
func unquoteOption(v string) (string, error) {
	if !strings.HasPrefix(v, `"`) {
		return v, nil
	}
	if len(v) < 2 || !strings.HasSuffix(v, `"`) {
		return "", errors.New("unterminated quote")
	}
	return strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`), nil
}
