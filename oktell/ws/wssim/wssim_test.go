package wssim

import (
	"strings"
	"testing"

	"github.com/okdash/okdash/oktell"
)

func TestParseUsers(t *testing.T) {
	us, err := ParseUsers(strings.NewReader("# login password line name\n\nivanova  Пароль 305  Иванова Мария Петровна\npetrov pw -\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].Name != "Иванова Мария Петровна" || us[0].Line != "305" || us[0].Password != "Пароль" ||
		us[1].Line != "" || us[1].Name != "petrov" {
		t.Fatalf("%+v", us)
	}
	for _, c := range []struct{ in, want string }{
		{"a b\n", "line 1: want LOGIN PASSWORD LINE"},
		{"a b 1\n# x\na c 2\n", "line 3: login \"a\" already given on line 1"},
		{"# only comments\n", "no users"},
		{"a 密码 1\n", "line 1: password character 1"},
	} {
		if _, err := ParseUsers(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}

func TestNewStates(t *testing.T) {
	s := New([]User{{Login: "a", Password: "x", Line: "1"}, {Login: "b", Password: "x"}})
	if st, _ := s.State("a"); st != oktell.UserOff {
		t.Fatalf("a user with a line starts away, got %v", st)
	}
	if st, _ := s.State("b"); st != oktell.UserWOphone {
		t.Fatalf("a user without a line starts without phone, got %v", st)
	}
	if d := New(nil).Users(); len(d) != 1 || d[0] != "demo" {
		t.Fatalf("default users %v", d)
	}
}

func TestCommands(t *testing.T) {
	s := New(nil)
	for _, c := range []struct{ in, want string }{
		{"help", "commands:"},
		{"state demo ready redirect", "usReady, redirect true"},
		{"state demo 7", "usWOphone"},
		{"state demo usLunch", "usLunch"},
		{"users", "demo"},
		{"drop", "dropped 0"},
		{"restart", "forgot every session"},
		{"stall on", "stall on"},
		{"stall off", "stall off"},
		{"multipart 100", "over 100 bytes"},
		{"multipart off", "multipart off"},
		{"refuse 50093 Already logged in", "error 50093 Already logged in"},
		{"refuse starting", "Service not available"},
		{"refuse off", "accepted"},
		{"redirect on", "redirect on"},
	} {
		out, err := s.Command(c.in)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("%q: %q %v, want %q", c.in, out, err, c.want)
		}
	}
	if st, red := s.State("demo"); st != oktell.UserLunch || red {
		t.Fatalf("state after commands: %v %v", st, red)
	}
	for _, in := range []string{"nope", "state demo", "state nobody ready", "state demo flying", "stall maybe", "multipart -1", "refuse x"} {
		if _, err := s.Command(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if out, err := s.Command("   "); out != "" || err != nil {
		t.Errorf("blank line: %q %v", out, err)
	}
}
