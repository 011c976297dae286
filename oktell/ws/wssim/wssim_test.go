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
		{"password demo Новый-1", "demo's password changed"},
	} {
		out, err := s.Command(c.in)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("%q: %q %v, want %q", c.in, out, err, c.want)
		}
	}
	if st, red := s.State("demo"); st != oktell.UserLunch || red {
		t.Fatalf("state after commands: %v %v", st, red)
	}
	for _, in := range []string{"nope", "state demo", "state nobody ready", "state demo flying", "stall maybe", "multipart -1", "refuse x",
		"password demo", "password nobody x", "password demo 密码"} {
		if _, err := s.Command(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if out, err := s.Command("   "); out != "" || err != nil {
		t.Errorf("blank line: %q %v", out, err)
	}
}

func TestParseUsersDepartments(t *testing.T) {
	us, err := ParseUsers(strings.NewReader("\uFEFFboss pw 100 Начальник\n[Поддержка]\nivanova pw 305 Иванова\n# a comment\n[ Продажи ]\npetrov pw 306 Петров [старший]\n[]\nnobody pw -\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, u := range us {
		got += u.Login + "=" + u.Department + "/" + u.Name + ";"
	}
	if want := "boss=/Начальник;ivanova=Поддержка/Иванова;petrov=Продажи/Петров [старший];nobody=/nobody;"; got != want {
		t.Fatalf("%s\nwant %s", got, want)
	}
	if _, err := ParseUsers(strings.NewReader("a b 1\n[Поддержка\n")); err == nil || !strings.Contains(err.Error(), "line 2: a department is written [NAME]") {
		t.Fatalf("unclosed department: %v", err)
	}
	// A login that starts with a bracket is still a user (old files stay valid).
	if us, err := ParseUsers(strings.NewReader("[x] pw 1 name\n")); err != nil || us[0].Login != "[x]" {
		t.Fatalf("%+v %v", us, err)
	}
}

func TestDeskCommands(t *testing.T) {
	us, _ := ParseUsers(strings.NewReader("demo demo 201 Demo\nivanova pw 305 Иванова\nnoline pw -\n"))
	s := New(us)
	for _, c := range []struct{ in, want string }{
		{"ring demo +74951234567 Иванов  Иван | Заказ 42", "demo's line rings: +74951234567 Иванов  Иван"},
		{"users", "ringing +74951234567 Иванов  Иван"},
		{"answer demo", "demo talks"},
		{"hold demo", "on hold"},
		{"users", "on hold +74951234567"},
		{"hold demo", "back from hold"},
		{"hangup demo", "demo's line is free"},
		{"queue add +79161112233 Кузьмина Анна", "1 waiting"},
		{"queue add 84950000000", "2 waiting"},
		{"queue remove 84950000000", "1 left the queue, 1 waiting"},
		{"queue clear", "queue cleared (1 callers)"},
		{"chat ivanova demo Зайди, пожалуйста", "ivanova wrote to demo"},
		{"notify demo Плановый перерыв", "notified demo"},
	} {
		out, err := s.Command(c.in)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("%q: %q %v, want %q", c.in, out, err, c.want)
		}
	}
	if st, _ := s.State("demo"); st != oktell.UserOff {
		t.Errorf("after the talk demo is %v, want away again", st)
	}
	for _, c := range []struct{ in, want string }{
		{"ring demo", "want ring LOGIN NUMBER"},
		{"ring nobody 1", `no user "nobody"`},
		{"ring noline 1", "noline has no phone line"},
		{"answer demo", "nothing rings"},
		{"hold demo", "no talk to hold"},
		{"hangup demo", "no call to hang up"},
		{"answer", "want answer LOGIN"},
		{"queue", "want queue add"},
		{"queue add", "want queue add NUMBER"},
		{"queue drop 1", `queue "drop"`},
		{"queue clear now", "takes no argument"},
		{"chat demo ivanova", "want chat FROM-LOGIN TO-LOGIN TEXT"},
		{"chat demo nobody hi", `no user "nobody"`},
		{"notify demo", "want notify LOGIN TEXT"},
	} {
		if _, err := s.Command(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
	s.Command("ring demo 1")
	if _, err := s.Command("ring demo 2"); err == nil || !strings.Contains(err.Error(), "line is ringing: hang up first") {
		t.Errorf("a second ring: %v", err)
	}
}
