package display

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestTerminalGolden(t *testing.T) {
	for _, st := range allStates {
		var b bytes.Buffer
		term := NewTerminal(&b, TerminalOpts{Now: func() time.Time { return sampleTime }})
		term.plain = false // render the full screen into the buffer
		if err := term.Show(sample(st)); err != nil {
			t.Fatal(err)
		}
		txt := term.Text()
		name := "terminal_" + strings.ReplaceAll(st.String(), " ", "_") + ".txt"
		golden(t, name, []byte(txt))
		lines := strings.Split(strings.TrimSuffix(txt, "\n"), "\n")
		if len(lines) != 24 {
			t.Fatalf("%s: %d lines, want 24", name, len(lines))
		}
		for i, l := range lines {
			if n := utf8.RuneCountInString(l); n > 79 {
				t.Errorf("%s line %d is %d columns", name, i, n)
			}
		}
		out := b.String()
		if !strings.HasPrefix(out, "\x1b[?25l\x1b[2J\x1b[H") || strings.Count(out, "\r\n") != 23 {
			t.Errorf("%s: escape framing wrong: %q", name, out[:20])
		}
	}
}
