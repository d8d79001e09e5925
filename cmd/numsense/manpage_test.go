package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/numsense/numsense/firmware/manpage"
)

func TestManPage(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1764749640")
	old := version
	defer func() { version = old }()
	version = "1.2.0"
	code, page, se := run(t, "help", "--man")
	if code != 0 {
		t.Fatalf("help --man: exit %d: %s", code, se)
	}
	if !strings.HasPrefix(page, ".\\\"") || !strings.Contains(page, "\n.TH \"NUMSENSE\" \"1\" \"2025-12-03\" \"numsense 1.2.0\" \"User Commands\"\n") {
		t.Errorf("the page's title line lacks the SOURCE_DATE_EPOCH date or the version:\n%.300s", page)
	}
	if !strings.Contains(page, ".SH NAME\nnumsense \\- a visual number sense for the Raspberry Pi\n") {
		t.Error("NAME is not numsense \\- the usage's summary")
	}

	// Every command and every subcommand with a --help of its own has a
	// subsection, and every flag any of them prints is in the page.
	want := []string{"model new", "model info", "model export", "display test"}
	for _, c := range commands {
		want = append(want, c.name)
	}
	flagLine := regexp.MustCompile(`(?m)^  -([A-Za-z0-9-]+)`)
	for _, name := range want {
		if !strings.Contains(page, "\n.SS \"numsense "+name+"\"\n") {
			t.Errorf("no subsection for numsense %s", name)
		}
		help, err := helpText(name)
		if err != nil {
			t.Fatalf("numsense %s --help: %v", name, err)
		}
		for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
			if !strings.Contains(page, "\n.TP\n\\fB"+strings.ReplaceAll("-"+m[1], "-", `\-`)+"\\fR") {
				t.Errorf("numsense %s: flag -%s is not in the page", name, m[1])
			}
		}
	}
	// config default --help prints its help, not the configuration.
	if i := strings.Index(page, ".SS \"numsense config default\""); i >= 0 && strings.Contains(page[i:min(len(page), i+400)], "[camera]") {
		t.Error("config default's subsection holds the configuration, not help")
	}

	// groff reads it without a warning.
	if groff, err := exec.LookPath("groff"); err == nil {
		cmd := exec.Command(groff, "-man", "-ww", "-z", "-K", "utf8")
		cmd.Stdin = strings.NewReader(page)
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("groff -man -ww: %v\n%s", err, out)
		}
	} else {
		t.Log("groff is not installed: the page was not run through it")
	}

	if err := manpage.Render(&bytes.Buffer{}, manpage.Page{}); err == nil {
		t.Error("an empty page rendered")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if code, _, se := run(t, "help", "--man"); code != 1 || !strings.Contains(se, "SOURCE_DATE_EPOCH") {
		t.Errorf("help --man with a bad SOURCE_DATE_EPOCH: exit %d, %q", code, se)
	}
}
