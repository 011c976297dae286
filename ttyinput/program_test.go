package ttyinput_test

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/stretchr/testify/require"

	"github.com/okdash/okdash/ttyinput"
)

// The reply of issue 11: 139 letters, 258 bytes, the "у" of "прокрутку" at bytes 255-256.
const reply = "Здравствуйте! Очередь разобрала и клиенту перезвонила, жду ответа второй линии техподдержки и потом сразу зайду помочь проверить прокрутку."

// paste is the paste: "a" and 300 Cyrillic letters, 601 bytes.
var paste = "a" + strings.Repeat("абвгдеёжзи", 30)

// keysTyped writes down every key a program gets: text as it is, other keys as <name>.
// Ctrl+C ends the program.
type keysTyped struct{ got *strings.Builder }

func (m keysTyped) Init() tea.Cmd { return nil }

func (m keysTyped) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	switch {
	case k.Type == tea.KeyCtrlC:
		return m, tea.Quit
	case k.Type == tea.KeyRunes && k.Paste:
		m.got.WriteString("<paste " + string(k.Runes) + ">")
	case k.Type == tea.KeyRunes && !k.Alt, k.Type == tea.KeySpace:
		m.got.WriteString(string(k.Runes))
	default:
		m.got.WriteString("<" + k.String() + ">")
	}
	return m, nil
}

func (m keysTyped) View() string { return "" }

// chunks is a terminal that hands out at most size bytes a read.
type chunks struct {
	data []byte
	size int
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.size)], c.data)
	c.data = c.data[n:]
	return n, nil
}

// typeInto runs a real program on in and returns the keys it got.
func typeInto(t *testing.T, in io.Reader) string {
	t.Helper()
	m := keysTyped{got: &strings.Builder{}}
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		p.Kill()
		t.Fatalf("the program did not get to Ctrl+C; it got %q", m.got.String())
	}
	return m.got.String()
}

func TestProgramGetsEveryLetterOneByteAtATime(t *testing.T) {
	typed := reply + paste + "\x03"
	got := typeInto(t, ttyinput.New(&chunks{data: []byte(typed), size: 1}))
	require.Equal(t, reply+paste, got)
}

// Bubble Tea reads 256 bytes at a time: the reply and the paste are cut inside a letter.
func TestProgramGetsEveryLetterIn256ByteReads(t *testing.T) {
	for _, typed := range []string{reply, paste, strings.Repeat(reply+" ", 40)} {
		got := typeInto(t, ttyinput.New(&chunks{data: []byte(typed + "\x03"), size: 256}))
		require.Equal(t, typed, got)
	}
	got := typeInto(t, ttyinput.New(&chunks{data: []byte("\x1b[200~" + paste + "\x1b[201~\x03"), size: 256}))
	require.Equal(t, "<paste "+paste+">", got)
}

// Keys cut by a full read still arrive as keys, and a bracketed paste cut anywhere
// arrives whole, as one paste.
func TestProgramGetsKeysAndPastesCutAtEveryByte(t *testing.T) {
	for _, key := range []struct{ seq, name string }{
		{"\x1b[A", "<up>"}, {"\x1b[6~", "<pgdown>"}, {"\x1b[1;5C", "<ctrl+right>"}, {"\x1bOP", "<f1>"},
		{"\x1b\x1b[B", "<alt+down>"}, {"\x1bд", "<alt+д>"}, {"\x1b[200~вставка, и ещё\x1b[201~", "<paste вставка, и ещё>"},
	} {
		for k := 1; k < len(key.seq); k++ {
			before := strings.Repeat("я", (256-k)/2) + strings.Repeat("a", k%2) // 256-k bytes
			typed := before + key.seq + "ok\x03"
			got := typeInto(t, ttyinput.New(&chunks{data: []byte(typed), size: 256}))
			require.Equal(t, before+key.name+"ok", got, "%q cut after %d bytes", key.seq, k)
		}
	}
}

// pipeTerminal is a terminal the test types into: the program reads the pipe.
func pipeTerminal(t *testing.T) (*os.File, *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// escSeen tells the test when the program got Esc.
type escSeen struct{ esc chan struct{} }

func (m escSeen) Init() tea.Cmd { return nil }
func (m escSeen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEscape {
		close(m.esc)
	}
	return m, nil
}
func (m escSeen) View() string { return "" }

// A lone Esc reaches the program with nothing typed after it; and the program, when
// it quits, stops reading the terminal (a read left behind would eat the next key:
// the shell's, or the program's own after a restart).
func TestProgramGetsALoneEscAndStopsReadingOnQuit(t *testing.T) {
	r, w := pipeTerminal(t)
	m := escSeen{esc: make(chan struct{})}
	p := tea.NewProgram(m, tea.WithInput(ttyinput.New(r)), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	_, err := w.Write([]byte("\x1b"))
	require.NoError(t, err)
	select {
	case <-m.esc:
	case <-time.After(20 * time.Second):
		t.Fatal("Esc did not arrive on its own")
	}
	p.Quit()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("the program did not quit")
	}

	_, err = w.Write([]byte("q"))
	require.NoError(t, err)
	next := make(chan string, 1)
	go func() {
		buf := make([]byte, 8)
		n, _ := r.Read(buf)
		next <- string(buf[:n])
	}()
	select {
	case got := <-next:
		require.Equal(t, "q", got)
	case <-time.After(10 * time.Second):
		t.Fatal("the key typed after quitting was taken by the program's reader")
	}
}
