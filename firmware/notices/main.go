// Command notices writes the Debian copyright file (machine-readable format 1.0) of a
// numsense binary: numsense's own notice, then one paragraph for the Go distribution and
// one for every Go module linked into the binary, with the copyright lines and the
// licence texts copied from that module's own files.
//
//	go run ./firmware/notices [-o FILE] BINARY
//
// The module list comes from the build information the Go linker writes into every
// binary (what `go version -m BINARY` prints), so it is the list of exactly what was
// compiled in, for any GOARCH; the texts come from the module cache (`go env
// GOMODCACHE`), which holds every module the build used, and the Go distribution's
// LICENSE from GOROOT. Nothing is written by hand, so the file cannot fall behind
// go.mod.
//
// Each licence file (LICENSE, LICENCE, COPYING and their variants at a module's top
// level) is identified by its wording (see licences). Texts that every Debian system
// has in /usr/share/common-licenses (Apache-2.0, GPL-2, MPL-2.0) are referred to there
// instead of being copied; anything after the Apache terms in such a file (bundled
// third-party notices) and every NOTICE file are kept as comments. A licence file that
// matches no known wording is an error naming the module and the file: the package
// is not built with a notice missing.
package main

import (
	"bytes"
	"debug/buildinfo"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"unicode/utf8"
)

// BinaryPath is where the package installs the binary the notices are for.
const BinaryPath = "/usr/bin/numsense"

func main() {
	modcache := flag.String("gomodcache", "", "Go module cache (default: `go env GOMODCACHE`)")
	goroot := flag.String("goroot", "", "Go distribution the binary was built with (default: `go env GOROOT`)")
	root := flag.String("root", ".", "numsense source tree: its LICENSE or COPYING, if any, covers numsense's own code")
	out := flag.String("o", "", "output file (default: standard output)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: notices [flags] BINARY\n\n"+
			"Writes the Debian copyright file of a numsense binary: its own notice and those of\n"+
			"the Go distribution and of every Go module linked into it.\n\nFlags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *modcache, *goroot, *root, *out); err != nil {
		fmt.Fprintf(os.Stderr, "notices: %v\n", err)
		os.Exit(1)
	}
}

func run(binary, modcache, goroot, root, out string) error {
	bi, err := buildinfo.ReadFile(binary)
	if err != nil {
		return fmt.Errorf("%s: no Go build information: %w", binary, err)
	}
	if modcache == "" {
		if modcache, err = goEnv("GOMODCACHE"); err != nil {
			return err
		}
	}
	if goroot == "" {
		if goroot, err = goEnv("GOROOT"); err != nil {
			return err
		}
	}
	text, err := Render(bi, modcache, goroot, root)
	if err != nil {
		return err
	}
	if out == "" {
		_, err = os.Stdout.Write(text)
		return err
	}
	return writeFile(out, text)
}

func goEnv(key string) (string, error) {
	b, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w (pass -%s)", key, err, strings.ToLower(key))
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", fmt.Errorf("go env %s is empty (pass -%s)", key, strings.ToLower(key))
	}
	return v, nil
}

// writeFile writes data to path through a new file in the same directory, created
// with mode 0666 so that the umask decides the permissions, and renamed over path.
func writeFile(path string, data []byte) error {
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// A licence is a licence text recognised by its wording.
type licence struct {
	name string // the copyright-format short name
	// all are phrases that must all occur in the text, after lower-casing and
	// collapsing white space
	all []string
	// none are phrases that must not occur (they tell a variant apart)
	none []string
	// common is the text's file in /usr/share/common-licenses, or "" to copy it
	common string
}

// licences are the licence wordings this program knows, tried in order.
var licences = []licence{
	{name: "Apache-2.0", all: []string{"apache license", "version 2.0, january 2004"}, common: "/usr/share/common-licenses/Apache-2.0"},
	{name: "MPL-2.0", all: []string{"mozilla public license version 2.0"}, common: "/usr/share/common-licenses/MPL-2.0"},
	{name: "Expat", all: []string{"permission is hereby granted, free of charge", "the above copyright notice and this permission notice shall be included"}},
	{name: "BSD-3-clause", all: []string{"redistribution and use in source and binary forms", "neither the name"}},
	{name: "BSD-2-clause", all: []string{"redistribution and use in source and binary forms"}, none: []string{"neither the name", "advertising"}},
	{name: "ISC", all: []string{"permission to use, copy, modify, and/or distribute this software for any purpose"}},
	{name: "CC-BY-4.0", all: []string{"creative commons attribution 4.0 international"}},
	{name: "OFL-1.1", all: []string{"sil open font license", "version 1.1"}},
	{name: "FTL", all: []string{"the freetype project license"}},
}

// special lists the modules whose top-level files do not state their licence in a
// recognisable way, with the files that do and the licence they grant.
var special = map[string]struct {
	files   []string
	license string
}{
	// LICENSE offers a choice and points to the texts in licenses/.
	"github.com/golang/freetype": {[]string{"LICENSE", "licenses/ftl.txt"}, "FTL or GPL-2+"},
}

// standalone are the licences referred to in /usr/share/common-licenses, with the
// paragraph that says so.
var standalone = map[string]string{
	"Apache-2.0": "On Debian systems the full text of the Apache License, Version 2.0, is in\n/usr/share/common-licenses/Apache-2.0.",
	"MPL-2.0":    "On Debian systems the full text of the Mozilla Public License, Version 2.0,\nis in /usr/share/common-licenses/MPL-2.0.",
	"GPL-2+": "This program is free software; you can redistribute it and/or modify it under\n" +
		"the terms of the GNU General Public License as published by the Free Software\n" +
		"Foundation; either version 2 of the License, or (at your option) any later\nversion.\n\n" +
		"On Debian systems the full text of the GNU General Public License version 2 is\nin /usr/share/common-licenses/GPL-2.",
}

func normalise(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func identify(text string) (licence, bool) {
	n := normalise(text)
	for _, l := range licences {
		ok := true
		for _, p := range l.all {
			ok = ok && strings.Contains(n, p)
		}
		for _, p := range l.none {
			ok = ok && !strings.Contains(n, p)
		}
		if ok {
			return l, true
		}
	}
	return licence{}, false
}

var (
	licenceFile = regexp.MustCompile(`(?i)^(licen[cs]e|copying)([-._].*)?$`)
	noticeFile  = regexp.MustCompile(`(?i)^notice([-._].*)?$`)
	// copyrightLine is a copyright statement: "Copyright (c) 2009 ...", "Copyright ©2013
	// ...", "Copyright 2010 ...", "© 2020 ..."; not "Copyright Holder(s) ..." or the
	// Apache appendix's "Copyright [yyyy] [name of copyright owner]".
	copyrightLine = regexp.MustCompile(`^(Copyright\s*(©|\([cC]\))|Copyright\s+[0-9<]|©\s*[0-9])`)
	// apacheEnd ends the Apache 2.0 text, appendix included.
	apacheEnd = regexp.MustCompile(`(?s)END OF TERMS AND CONDITIONS.*?limitations under the License\.`)
)

// A paragraph is one Files paragraph of the copyright file.
type paragraph struct {
	files     string
	copyright []string
	license   string // short name or expression
	text      string // the licence texts copied, "" when standalone paragraphs cover it
	comment   []string
}

// Render returns the copyright file of the binary described by bi.
func Render(bi *debug.BuildInfo, modcache, goroot, root string) ([]byte, error) {
	own, err := ownParagraph(root)
	if err != nil {
		return nil, err
	}
	paras := []paragraph{own}

	if v, err := os.ReadFile(filepath.Join(goroot, "VERSION")); err == nil {
		if got := strings.TrimSpace(strings.SplitN(string(v), "\n", 2)[0]); got != bi.GoVersion {
			return nil, fmt.Errorf("the binary was built with %s, but %s holds %s: pass the -goroot it was built with",
				bi.GoVersion, goroot, got)
		}
	}
	std, err := moduleParagraph("golang.org/toolchain", goroot, []string{"LICENSE"}, "")
	if err != nil {
		return nil, fmt.Errorf("the Go distribution (%s): %w", goroot, err)
	}
	std.comment = append([]string{fmt.Sprintf("The Go distribution %s: its standard library and runtime are linked into %s.", bi.GoVersion, BinaryPath)}, std.comment...)
	paras = append(paras, std)

	for _, dep := range bi.Deps {
		m := dep
		if dep.Replace != nil {
			m = dep.Replace
		}
		if m.Version == "" {
			return nil, fmt.Errorf("module %s is replaced by the directory %s: only module-cache modules are supported", dep.Path, m.Path)
		}
		dir, err := cacheDir(modcache, m.Path, m.Version)
		if err != nil {
			return nil, err
		}
		var files []string
		license := ""
		if s, ok := special[m.Path]; ok {
			files, license = s.files, s.license
		} else if files, err = licenceFiles(dir); err != nil {
			return nil, fmt.Errorf("module %s %s: %w", m.Path, m.Version, err)
		}
		p, err := moduleParagraph(m.Path, dir, files, license)
		if err != nil {
			return nil, fmt.Errorf("module %s %s: %w", m.Path, m.Version, err)
		}
		p.comment = append([]string{fmt.Sprintf("Go module %s %s, linked into %s.", m.Path, m.Version, BinaryPath)}, p.comment...)
		paras = append(paras, p)
	}

	var b bytes.Buffer
	b.WriteString("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n")
	b.WriteString("Upstream-Name: numsense\n")
	b.WriteString("Source: https://github.com/numsense/numsense\n")
	field(&b, "Comment", "\n"+BinaryPath+" is a statically linked Go program. Besides numsense's own\n"+
		"code it holds the Go standard library and the Go modules listed below (the\n"+
		"list `go version -m "+BinaryPath+"` prints). The Files paragraphs after the\n"+
		"first name them by module path (golang.org/toolchain is the Go distribution);\n"+
		"their copyright lines and licence texts are copied from each module's files.")
	used := map[string]bool{}
	for _, p := range paras {
		b.WriteString("\n")
		field(&b, "Files", p.files)
		b.WriteString("Copyright: " + strings.Join(p.copyright, "\n ") + "\n")
		if p.text == "" {
			b.WriteString("License: " + p.license + "\n")
		} else {
			field(&b, "License", p.license+"\n"+p.text)
		}
		if len(p.comment) > 0 {
			field(&b, "Comment", strings.Join(p.comment, "\n"))
		}
		for name := range standalone {
			if regexp.MustCompile(`(^|[ (])` + regexp.QuoteMeta(name) + `($|[ )])`).MatchString(p.license) {
				used[name] = true
			}
		}
	}
	var names []string
	for name := range used {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b.WriteString("\n")
		field(&b, "License", name+"\n"+standalone[name])
	}
	return b.Bytes(), nil
}

// field writes a copyright-format field: the first line after the name, the others
// indented by one space, empty lines as " .".
func field(b *bytes.Buffer, name, value string) {
	lines := strings.Split(strings.TrimRight(value, "\n"), "\n")
	b.WriteString(name + ":")
	if lines[0] != "" {
		b.WriteString(" " + strings.TrimRight(lines[0], " \t"))
	}
	b.WriteString("\n")
	for _, l := range lines[1:] {
		l = strings.TrimRight(strings.ReplaceAll(l, "\f", ""), " \t\r")
		if strings.TrimSpace(l) == "" {
			b.WriteString(" .\n")
			continue
		}
		if strings.TrimSpace(l) == "." {
			l = " ." // a lone dot would read as an empty line
		}
		b.WriteString(" " + l + "\n")
	}
}

// ownParagraph is the paragraph of numsense's own code.
func ownParagraph(root string) (paragraph, error) {
	p := paragraph{files: "*"}
	files, err := licenceFiles(root)
	if err != nil || len(files) == 0 {
		p.copyright = []string{"the numsense authors"}
		p.license = "UNSTATED"
		p.text = "The numsense source tree holds no LICENSE file: no licence has been stated\n" +
			"for numsense's own code."
		return p, nil
	}
	q, err := moduleParagraph("*", root, files, "")
	if err != nil {
		return p, fmt.Errorf("numsense's own licence: %w", err)
	}
	if len(q.copyright) == 0 || strings.HasPrefix(q.copyright[0], "the authors of") {
		q.copyright = []string{"the numsense authors"}
	}
	return q, nil
}

// cacheDir is the directory of module path@version in the module cache, where
// upper-case letters are written as "!" and the lower-case letter.
func cacheDir(modcache, path, version string) (string, error) {
	esc := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if 'A' <= r && r <= 'Z' {
				b.WriteByte('!')
				r += 'a' - 'A'
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	dir := filepath.Join(modcache, filepath.FromSlash(esc(path)+"@"+esc(version)))
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("module %s %s is not in the module cache %s (run go mod download)", path, version, modcache)
	}
	return dir, nil
}

// licenceFiles lists the licence and notice files at the top of dir.
func licenceFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && (licenceFile.MatchString(e.Name()) || noticeFile.MatchString(e.Name())) {
			files = append(files, e.Name())
		}
	}
	if len(files) == 0 {
		return nil, errors.New("no LICENSE, LICENCE or COPYING file")
	}
	return files, nil
}

// moduleParagraph reads the licence and notice files of one module. license, when
// not "", is the licence the files grant (for the modules in special); otherwise each
// licence file must be identified.
func moduleParagraph(name, dir string, files []string, license string) (paragraph, error) {
	p := paragraph{files: name + "/*"}
	if name == "*" {
		p.files = "*"
	}
	var names, texts []string
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			return p, err
		}
		text := strings.Trim(strings.ReplaceAll(utf8Text(b), "\r\n", "\n"), "\n")
		for _, c := range copyrights(text) {
			if !slices.Contains(p.copyright, c) {
				p.copyright = append(p.copyright, c)
			}
		}
		if noticeFile.MatchString(filepath.Base(f)) {
			p.comment = append(p.comment, "", "Its "+f+" file:", "", text)
			continue
		}
		if license != "" {
			texts = append(texts, text)
			continue
		}
		l, ok := identify(text)
		if !ok {
			return p, fmt.Errorf("%s: a licence this program does not know (add it to licences or special in firmware/notices)", f)
		}
		if !slices.Contains(names, l.name) {
			names = append(names, l.name)
		}
		if l.common == "" {
			texts = append(texts, text)
			continue
		}
		// A text found in common-licenses is referred to there; what follows the
		// Apache terms (notices of bundled code) is kept.
		if loc := apacheEnd.FindStringIndex(text); l.name == "Apache-2.0" && loc != nil {
			if rest := strings.TrimSpace(text[loc[1]:]); rest != "" {
				p.comment = append(p.comment, "", "After the licence terms its "+f+" adds:", "", rest)
			}
		}
	}
	if license == "" {
		license = strings.Join(names, " and ")
	}
	p.license = license
	p.text = strings.Join(texts, "\n\n")
	if len(p.copyright) == 0 {
		who := "the authors of " + name
		if _, err := os.Stat(filepath.Join(dir, "AUTHORS")); err == nil {
			who += ", as listed in its AUTHORS file"
		}
		p.copyright = []string{who + " (its licence files state no copyright line)"}
	}
	// Only texts without a common-licenses copy are kept, but a module whose only
	// licence is in common-licenses needs none.
	if p.text != "" && onlyStandalone(license) {
		p.text = ""
	}
	return p, nil
}

// utf8Text returns b as UTF-8: as it is when it is valid UTF-8, else read as
// ISO-8859-1 (the older licence files that are not UTF-8, such as FreeType's "©").
func utf8Text(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// copyrights returns the copyright statements of a text, one a line; a statement
// whose line ends in "by" goes on with the next line ("Copyright 1996-2002 by" and
// the names below it).
func copyrights(text string) []string {
	lines := strings.Split(text, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		l := strings.Join(strings.Fields(lines[i]), " ")
		if !copyrightLine.MatchString(l) {
			continue
		}
		if strings.HasSuffix(l, " by") && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			i++
			l += " " + strings.Join(strings.Fields(lines[i]), " ")
		}
		out = append(out, l)
	}
	return out
}

// onlyStandalone reports whether every licence of the expression has a standalone
// paragraph.
func onlyStandalone(expr string) bool {
	for _, n := range strings.FieldsFunc(expr, func(r rune) bool { return r == ' ' || r == '(' || r == ')' }) {
		if n == "and" || n == "or" {
			continue
		}
		if _, ok := standalone[n]; !ok {
			return false
		}
	}
	return true
}
