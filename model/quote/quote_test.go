package quote

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestShort(t *testing.T) {
	if got := Short("a.png"); got != `"a.png"` {
		t.Errorf("Short(a.png) = %s", got)
	}
	long := strings.Repeat("\x00\xff", 100000)
	got := Short(long)
	if len(got) > 5*Max || !strings.HasSuffix(got, "... (200000 bytes)") {
		t.Errorf("Short of 200000 bytes is %d bytes: %.100s", len(got), got)
	}
	// A cut never splits a rune.
	s := strings.Repeat("é", 100)
	if got := Short(s); !utf8.ValidString(got) || strings.Contains(got, `\x`) {
		t.Errorf("Short split a rune: %s", got)
	}
}

func TestText(t *testing.T) {
	if got := Text("line 3: bad key"); got != "line 3: bad key" {
		t.Errorf("Text changed a short message: %q", got)
	}
	got := Text("key \x01\n" + strings.Repeat("x", 300000))
	if len(got) > 5*Max+32 || strings.ContainsAny(got, "\x01\n") || !strings.HasSuffix(got, "(300006 bytes)") {
		t.Errorf("Text: %d bytes: %.80q", len(got), got)
	}
	if got := Text("\xff\xfe ok"); !utf8.ValidString(got) {
		t.Errorf("Text kept invalid UTF-8: %q", got)
	}
}
