package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/numsense/numsense/firmware"
	"github.com/numsense/numsense/firmware/manpage"
)

// writeManPage writes numsense(1), made from the texts the commands print for --help
// (the hidden "numsense help --man"; make man and make deb run it). Its date is
// SOURCE_DATE_EPOCH's when that is set, so the same commit gives the same page.
func writeManPage(w io.Writer) error {
	var top bytes.Buffer
	usage(&top)
	head, rest, _ := strings.Cut(top.String(), "\n")
	_, summary, ok := strings.Cut(head, ": ")
	if !ok {
		return fmt.Errorf("man page: the usage line %q has no summary", head)
	}
	date, err := manDate()
	if err != nil {
		return err
	}
	page := manpage.Page{
		Name: "numsense", Section: "1", Date: date, Source: "numsense " + versionShort(),
		Manual: "User Commands", Summary: summary,
		Sections: []manpage.Section{{Title: "Description", Text: rest}},
	}

	cmds := append([]command(nil), commands...)
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	var subs []manpage.Section
	for _, c := range cmds {
		help, err := helpText(c.name)
		if err != nil {
			return fmt.Errorf("man page: numsense %s --help: %w", c.name, err)
		}
		subs = append(subs, manpage.Section{Title: "numsense " + c.name, Text: help})
		// Subcommands named in the command's help ("numsense model new ...") that
		// have a --help of their own.
		seen := map[string]bool{}
		re := regexp.MustCompile(`numsense ` + regexp.QuoteMeta(c.name) + ` ([a-z][a-z0-9]*)\b`)
		for _, m := range re.FindAllStringSubmatch(help, -1) {
			name := c.name + " " + m[1]
			if seen[name] {
				continue
			}
			seen[name] = true
			if sub, err := helpText(name); err == nil && strings.HasPrefix(sub, "Usage: numsense "+name) {
				subs = append(subs, manpage.Section{Title: "numsense " + name, Text: sub})
			}
		}
	}
	page.Sections = append(page.Sections,
		manpage.Section{Title: "Commands", Subsections: subs},
		manpage.Section{Title: "Files", Text: "Paths as the Debian package installs them:\n" +
			"  " + firmware.ConfigPath + "  the settings numsense run reads (numsense config default prints them)\n" +
			"  " + firmware.UnitPath + "  the systemd service that runs numsense run at boot\n" +
			"  " + firmware.BinaryPath + "  the program\n"},
		manpage.Section{Title: "See also", Text: "systemctl(1), journalctl(1), i2cdetect(8); " +
			"/usr/share/doc/numsense/README on a Pi with the package installed."},
	)
	return manpage.Render(w, page)
}

// helpText is what "numsense NAME --help" prints (NAME may be "command subcommand"),
// standard output and error together.
func helpText(name string) (string, error) {
	args := append(strings.Fields(name), "--help")
	c := lookup(args[0])
	if c == nil {
		return "", fmt.Errorf("no command %q", args[0])
	}
	var out bytes.Buffer
	if err := c.run(args[1:], &out, &out); err != nil && !errors.Is(err, flag.ErrHelp) {
		return "", err
	}
	return strings.TrimSpace(out.String()) + "\n", nil
}

// manDate is the page's date: SOURCE_DATE_EPOCH's day (UTC), or none without it.
func manDate() (string, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return "", nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return "", fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", s)
	}
	return time.Unix(sec, 0).UTC().Format("2006-01-02"), nil
}
