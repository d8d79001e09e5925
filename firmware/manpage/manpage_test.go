package manpage

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"-o FILE", `\-o FILE`},
		{"run --help for more", `run \-\-help for more`},
		{"(--zoom=false: off)", `(\-\-zoom=false: off)`},
		{"--calib-images 16", `\-\-calib\-images 16`},
		{"int8-vs-float32 and conv1-5", "int8-vs-float32 and conv1-5"},
		{`a\b`, `a\eb`},
		{"[-n N]", `[\-n N]`},
	} {
		if got := escape(tc.in); got != tc.want {
			t.Errorf("escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := line(".hidden request"); got != `\&.hidden request` {
		t.Errorf("a leading dot is not guarded: %q", got)
	}
	if got := line("'quoted"); got != `\&'quoted` {
		t.Errorf("a leading quote is not guarded: %q", got)
	}
	if got := quote(`say "hi"`); got != `"say \(dqhi\(dq"` {
		t.Errorf("quote = %q", got)
	}
}

const help = `Usage: numsense thing [flags] DIR

Does the thing to every file
in DIR. A line that starts with a dot:
.like this one, and a backslash \n.

Columns:
  first    the first one
  second   the second one

Aligned  text   stays
         as it is.

Flags:
  -calib-images int
    	images to calibrate on (default 16)
  -o string
    	output directory
    	(replaced only when complete)
  -q	quiet
`

func TestRender(t *testing.T) {
	var b bytes.Buffer
	err := Render(&b, Page{Name: "numsense", Section: "1", Date: "2025-12-03", Source: "numsense 1.0",
		Manual: "User Commands", Summary: "counts about",
		Sections: []Section{{Title: "Commands", Subsections: []Section{{Title: "numsense thing", Text: help}}}}})
	if err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		".TH \"NUMSENSE\" \"1\" \"2025-12-03\" \"numsense 1.0\" \"User Commands\"\n",
		".SH NAME\nnumsense \\- counts about\n",
		".SH \"COMMANDS\"\n.SS \"numsense thing\"\n",
		".PP\n.nf\nUsage: numsense thing [flags] DIR\n.fi\n",
		// filled text, the dot guarded, the backslash escaped
		".PP\nDoes the thing to every file\nin DIR. A line that starts with a dot:\n\\&.like this one, and a backslash \\en.\n",
		// a command list
		".PP\nColumns:\n.TP 8\n.B first\nthe first one\n.TP 8\n.B second\nthe second one\n",
		// columns kept as they are
		".nf\nAligned  text   stays\n         as it is.\n.fi\n",
		// flags
		".PP\nFlags:\n.TP\n\\fB\\-calib\\-images\\fR \\fIint\\fR\nimages to calibrate on (default 16)\n",
		".TP\n\\fB\\-o\\fR \\fIstring\\fR\noutput directory\n(replaced only when complete)\n",
		".TP\n\\fB\\-q\\fR\nquiet\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks\n%s\n---- page:\n%s", want, page)
		}
	}

	if groff, err := exec.LookPath("groff"); err == nil {
		cmd := exec.Command(groff, "-man", "-ww", "-z")
		cmd.Stdin = strings.NewReader(page)
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("groff -man -ww: %v\n%s", err, out)
		}
		// What a reader sees: the text as written, the dot line included.
		cmd = exec.Command(groff, "-man", "-Tascii", "-P-cbou", "-rLL=200n")
		cmd.Stdin = strings.NewReader(page)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{".like this one, and a backslash \\n.", "-calib-images int", "as it is."} {
			if !strings.Contains(string(out), want) {
				t.Errorf("groff's output lacks %q:\n%s", want, out)
			}
		}
	} else {
		t.Log("groff is not installed: the page was not rendered")
	}

	if err := Render(&b, Page{Name: "x"}); err == nil {
		t.Error("a page without a section and summary rendered")
	}
}
