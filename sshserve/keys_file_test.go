package sshserve

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/text/encoding/unicode"
)

// PowerShell's `echo KEY > authorized_keys` writes UTF-16 with a BOM: read it as text.
func TestKeyFileInUTF16(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	sshPub, err := gossh.NewPublicKey(pub)
	require.NoError(t, err)
	line := "okdash-lang=ru " + string(gossh.MarshalAuthorizedKey(sshPub))
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(line))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "authorized_keys")
	require.NoError(t, os.WriteFile(path, b, 0o600))

	kf, err := OpenKeyFile(path, []string{"lang"}, nil)
	require.NoError(t, err)
	k := kf.Lookup(sshPub)
	require.NotNil(t, k)
	assert.Equal(t, "ru", k.Options["lang"])
}
