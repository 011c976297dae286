package sshserve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

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
// when the file does not exist yet (and its directories, mode 0700, when they do not
// either), so clients see the same host key after a restart.
// created reports whether the key was generated. As sshd, it refuses a key that its
// group or other users may read or write: whoever can read it can pose as this server.
func LoadHostKey(path string) (signer gossh.Signer, created bool, err error) {
	data, err := readPrivateKey(path)
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

// readPrivateKey reads a private key file that only its owner may read.
func readPrivateKey(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("permissions %04o are too open: other users of this machine could read the server's private key and pose as this server; run chmod 600 %s", perm, path)
	}
	return os.ReadFile(path)
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
	// A directory that is not there yet is made as private as the key (--host-key DIR/KEY).
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
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
	Comment     string            // usually user@host: shown in the log (cleaned, bounded)
	Options     map[string]string // okdash-* options, without the prefix
	Line        int
}

// KeyCheck checks the okdash-* options of one line beyond their names (that a speed is
// a number, that a source exists, ...); its error is reported with the file and line.
type KeyCheck func(*AuthorizedKey) error

// LineError is a problem on one line of an authorized keys file.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// KeyFile is an OpenSSH authorized_keys file whose lines may carry okdash-* options.
// It is read again at every login and used when its content changed (not its time or
// size: cp -p keeps both), so a trainer can add or remove a key without restarting the
// server. New content that does not check is reported once and not used.
type KeyFile struct {
	path    string
	allowed map[string]bool // okdash-* option names accepted (without the prefix)
	check   KeyCheck

	mu      sync.Mutex
	log     *slog.Logger
	keys    map[string]*AuthorizedKey // by string(key.Marshal())
	content []byte                    // what keys was read from
	problem string                    // the last problem logged, so that it is logged once
}

// OpenKeyFile reads the authorized keys file at path. allowed names the okdash-*
// options a line may carry (without the prefix); any other okdash-* option is an error.
// check, if not nil, checks each line's options; the file must pass it now and at every
// reload. Errors name the file and the line: "PATH:LINE: ...".
func OpenKeyFile(path string, allowed []string, check KeyCheck) (*KeyFile, error) {
	kf := &KeyFile{path: path, allowed: map[string]bool{}, check: check, log: slog.New(slog.DiscardHandler)}
	for _, a := range allowed {
		kf.allowed[a] = true
	}
	data, err := readKeys(path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	if kf.keys, err = kf.parse(data); err != nil {
		return nil, err
	}
	kf.content = data
	return kf, nil
}

// Path is the file's name.
func (kf *KeyFile) Path() string { return kf.path }

// setLog sends the reload reports to log.
func (kf *KeyFile) setLog(log *slog.Logger) {
	kf.mu.Lock()
	defer kf.mu.Unlock()
	kf.log = log
}

// Len is the number of keys.
func (kf *KeyFile) Len() int {
	kf.mu.Lock()
	defer kf.mu.Unlock()
	return len(kf.keys)
}

// Lookup returns the line of key, or nil when the key is not authorized. It reads the
// file first and takes its content when it changed and checks; otherwise the last good
// content answers, and the problem goes to the log, once.
func (kf *KeyFile) Lookup(key gossh.PublicKey) *AuthorizedKey {
	kf.refresh()
	return kf.find(key)
}

// find answers from the content in use, without reading the file.
func (kf *KeyFile) find(key gossh.PublicKey) *AuthorizedKey {
	kf.mu.Lock()
	defer kf.mu.Unlock()
	return kf.keys[string(key.Marshal())]
}

// readKeys reads the file as text: PowerShell's "echo >" writes UTF-16.
func readKeys(path string) ([]byte, error) {
	text, err := textfile.Read(path, 16<<20)
	return []byte(text), err
}

func (kf *KeyFile) refresh() {
	data, err := readKeys(kf.path)
	kf.mu.Lock()
	defer kf.mu.Unlock()
	if err == nil && bytes.Equal(data, kf.content) {
		kf.problem = ""
		return
	}
	var keys map[string]*AuthorizedKey
	if err != nil {
		err = fmt.Errorf("authorized keys: %w", err)
	} else {
		keys, err = kf.parse(data)
	}
	if err != nil {
		if err.Error() != kf.problem {
			kf.problem = err.Error()
			kf.log.Error("authorized keys not reloaded; still using the previous keys", "err", err)
		}
		return
	}
	kf.keys, kf.content, kf.problem = keys, data, ""
	kf.log.Info("authorized keys reloaded", "file", kf.path, "keys", len(keys))
	if len(keys) == 0 {
		kf.log.Warn("the authorized keys file holds no key: nobody can log in", "file", kf.path)
	}
}

// parse reads and checks the whole file; an error names the file and the line.
func (kf *KeyFile) parse(data []byte) (map[string]*AuthorizedKey, error) {
	keys, err := ParseAuthorizedKeys(data, kf.allowed)
	if err == nil && kf.check != nil {
		for _, k := range keys {
			if cerr := kf.check(k); cerr != nil {
				err = &LineError{Line: k.Line, Err: cerr}
				break
			}
		}
	}
	if le := (*LineError)(nil); errors.As(err, &le) {
		return nil, fmt.Errorf("%s:%d: %w", kf.path, le.Line, le.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kf.path, err)
	}
	m := make(map[string]*AuthorizedKey, len(keys))
	for _, k := range keys {
		m[string(k.Key.Marshal())] = k
	}
	return m, nil
}

// ParseAuthorizedKeys parses an authorized_keys file. Unlike sshd, which skips lines
// it cannot read, it fails on the first bad line (a *LineError), because a silently
// skipped line is a trainee who cannot log in and nobody knows why.
func ParseAuthorizedKeys(data []byte, allowed map[string]bool) ([]*AuthorizedKey, error) {
	var out []*AuthorizedKey
	seen := map[string]int{}
	for n, line := range bytes.Split(data, []byte("\n")) {
		lineNo := n + 1
		fail := func(format string, args ...any) ([]*AuthorizedKey, error) {
			return nil, &LineError{Line: lineNo, Err: fmt.Errorf(format, args...)}
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, opts, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return fail("not a public key line: %v", err)
		}
		if first := line[:bytes.IndexAny(line, " \t")]; string(first) != key.Type() {
			// An options field: as sshd, no empty option (a stray or trailing comma).
			for _, o := range splitOptions(optionsField(line)) {
				if o == "" {
					return fail("empty option (a stray comma in %s); remove the comma", optionsField(line))
				}
			}
		}
		ak := &AuthorizedKey{Key: key, Fingerprint: gossh.FingerprintSHA256(key), Comment: cleanField(comment, maxComment), Options: map[string]string{}, Line: lineNo}
		for _, o := range opts {
			name, value, hasValue := strings.Cut(o, "=")
			lname := strings.ToLower(name)
			switch {
			case strings.HasPrefix(lname, OptionPrefix):
				short := lname[len(OptionPrefix):]
				if !allowed[short] {
					return fail("unknown option %s (okdash knows %s)", name, optionList(allowed))
				}
				if !hasValue {
					return fail("option %s needs a value, as in %s=\"...\"", name, name)
				}
				v, err := unquoteOption(value)
				if err != nil {
					return fail("option %s: %v", name, err)
				}
				if _, dup := ak.Options[short]; dup {
					return fail("option %s is given twice", name)
				}
				ak.Options[short] = v
			case harmlessOptions[lname]:
			default:
				// from=, command=, expiry-time= ... would be security promises okdash does not keep.
				return fail("option %s is not supported by okdash serve; remove it or use a separate file", name)
			}
		}
		if prev, dup := seen[string(key.Marshal())]; dup {
			return fail("key %s is already on line %d", ak.Fingerprint, prev)
		}
		seen[string(key.Marshal())] = lineNo
		out = append(out, ak)
	}
	return out, nil
}

// optionsField is the options of an authorized_keys line: up to the first space or tab
// outside double quotes.
func optionsField(line []byte) string {
	inQuote := false
	for i, b := range line {
		switch {
		case b == '"' && (i == 0 || line[i-1] != '\\'):
			inQuote = !inQuote
		case !inQuote && (b == ' ' || b == '\t'):
			return string(line[:i])
		}
	}
	return string(line)
}

// splitOptions splits an options field at the commas outside double quotes.
func splitOptions(field string) []string {
	var out []string
	inQuote, start := false, 0
	for i := 0; i < len(field); i++ {
		switch {
		case field[i] == '"' && (i == 0 || field[i-1] != '\\'):
			inQuote = !inQuote
		case field[i] == ',' && !inQuote:
			out = append(out, field[start:i])
			start = i + 1
		}
	}
	return append(out, field[start:])
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
