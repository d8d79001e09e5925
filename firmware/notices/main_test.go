package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// Licence texts for the tests: enough of each wording for identify.
const (
	expatText = `Copyright (c) 2016 Pat Example

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software. The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.
.
THE SOFTWARE IS PROVIDED "AS IS".`
	bsd3Text = `Copyright ©2013 The Example Authors. All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:
    * Neither the name of the project nor the names of its authors may be used.`
	oflText    = "Copyright (c) 2012 Font Foundry, Inc.\n\nThis Font Software is licensed under the SIL Open Font License,\nVersion 1.1."
	apacheText = `                                 Apache License
                           Version 2.0, January 2004

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION
   (c) You must retain, in the Source form of any Derivative Works
   END OF TERMS AND CONDITIONS

   APPENDIX: How to apply the Apache License to your work.
      Copyright [yyyy] [name of copyright owner]
   limitations under the License.

This product bundles parts of zlib:
Copyright 1995 Jean-loup Gailly`
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixture makes a Go distribution and a module cache.
func fixture(t *testing.T) (goroot, modcache string) {
	goroot, modcache = t.TempDir(), t.TempDir()
	write(t, filepath.Join(goroot, "VERSION"), "go1.99.1\ntime 2025-12-01T00:00:00Z\n")
	write(t, filepath.Join(goroot, "LICENSE"), strings.Replace(bsd3Text, "The Example Authors", "The Go Authors", 1))
	write(t, filepath.Join(modcache, "example.com/!mixed!case@v1.0.0/LICENSE"), expatText)
	write(t, filepath.Join(modcache, "example.com/fonts@v0.5.0/LICENSE"), bsd3Text)
	write(t, filepath.Join(modcache, "example.com/fonts@v0.5.0/LICENSE-SIL"), oflText)
	write(t, filepath.Join(modcache, "example.com/fonts@v0.5.0/README"), "not a licence")
	write(t, filepath.Join(modcache, "example.com/apache@v0.1.0/LICENSE.txt"), apacheText)
	write(t, filepath.Join(modcache, "example.com/apache@v0.1.0/NOTICE"), "Example server\nCopyright 2015 The Example Authors")
	write(t, filepath.Join(modcache, "example.com/anon@v1.0.0/LICENSE"), strings.SplitN(apacheText, "\n\nThis product", 2)[0])
	write(t, filepath.Join(modcache, "example.com/anon@v1.0.0/AUTHORS"), "Pat\n")
	write(t, filepath.Join(modcache, "example.com/fork@v2.0.0/COPYING"), expatText)
	return goroot, modcache
}

func info(deps ...*debug.Module) *debug.BuildInfo {
	return &debug.BuildInfo{GoVersion: "go1.99.1", Path: "github.com/numsense/numsense/cmd/numsense", Deps: deps}
}

// paragraphs splits a copyright file and checks its syntax: fields, continuation
// lines that start with a space and are never empty, single blank lines between
// paragraphs, no trailing white space.
func paragraphs(t *testing.T, text string) []map[string]string {
	t.Helper()
	if !strings.HasSuffix(text, "\n") || strings.Contains(text, "\n\n\n") {
		t.Error("paragraphs are not separated by single blank lines")
	}
	var out []map[string]string
	for i, para := range strings.Split(strings.TrimSuffix(text, "\n"), "\n\n") {
		p := map[string]string{}
		key := ""
		for _, l := range strings.Split(para, "\n") {
			switch {
			case l != strings.TrimRight(l, " \t"):
				t.Errorf("paragraph %d: trailing white space in %q", i, l)
			case strings.HasPrefix(l, " "):
				if key == "" || strings.TrimSpace(l) == "" {
					t.Errorf("paragraph %d: stray continuation line %q", i, l)
				}
				p[key] += "\n" + l[1:]
			default:
				k, v, ok := strings.Cut(l, ":")
				if !ok || strings.ContainsAny(k, " \t") {
					t.Errorf("paragraph %d: %q is not a field", i, l)
				}
				key = k
				p[k] = strings.TrimPrefix(v, " ")
			}
		}
		out = append(out, p)
	}
	return out
}

func find(ps []map[string]string, key, value string) map[string]string {
	for _, p := range ps {
		if p[key] == value {
			return p
		}
	}
	return nil
}

func TestRender(t *testing.T) {
	goroot, modcache := fixture(t)
	text, err := Render(info(
		&debug.Module{Path: "example.com/MixedCase", Version: "v1.0.0"},
		&debug.Module{Path: "example.com/fonts", Version: "v0.5.0"},
		&debug.Module{Path: "example.com/apache", Version: "v0.1.0"},
		&debug.Module{Path: "example.com/anon", Version: "v1.0.0"},
		&debug.Module{Path: "example.com/orig", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v2.0.0"}},
	), modcache, goroot, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ps := paragraphs(t, string(text))
	if !strings.HasPrefix(ps[0]["Format"], "https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/") {
		t.Errorf("header paragraph %v", ps[0])
	}
	for _, tc := range []struct {
		files, copyright, license string
		text, comment             []string // lines the License text and the Comment must hold
	}{
		{"*", "the numsense authors", "UNSTATED\nThe numsense source tree holds no LICENSE file", nil, nil},
		{"golang.org/toolchain/*", "Copyright ©2013 The Go Authors. All rights reserved.", "BSD-3-clause", []string{"Neither the name"}, []string{"go1.99.1"}},
		{"example.com/MixedCase/*", "Copyright (c) 2016 Pat Example", "Expat", []string{"Permission is hereby granted", " .", "THE SOFTWARE"}, []string{"example.com/MixedCase v1.0.0"}},
		{"example.com/fonts/*", "Copyright ©2013 The Example Authors. All rights reserved.\nCopyright (c) 2012 Font Foundry, Inc.",
			"BSD-3-clause and OFL-1.1", []string{"Neither the name", "SIL Open Font License"}, nil},
		{"example.com/apache/*", "Copyright 1995 Jean-loup Gailly\nCopyright 2015 The Example Authors", "Apache-2.0", nil,
			[]string{"This product bundles parts of zlib:", "Its NOTICE file:", "Example server"}},
		{"example.com/anon/*", "the authors of example.com/anon, as listed in its AUTHORS file (its licence files state no copyright line)", "Apache-2.0", nil, nil},
		{"example.com/fork/*", "Copyright (c) 2016 Pat Example", "Expat", []string{"Permission"}, []string{"example.com/fork v2.0.0"}},
	} {
		p := find(ps, "Files", tc.files)
		if p == nil {
			t.Errorf("no Files: %s paragraph", tc.files)
			continue
		}
		if p["Copyright"] != tc.copyright {
			t.Errorf("%s: Copyright %q, want %q", tc.files, p["Copyright"], tc.copyright)
		}
		name, licenceText, _ := strings.Cut(p["License"], "\n")
		if !strings.HasPrefix(p["License"], tc.license) || (tc.text == nil) != (licenceText == "") && tc.files != "*" {
			t.Errorf("%s: License %q, want %q (with a text: %v)", tc.files, name, tc.license, tc.text != nil)
		}
		for _, s := range tc.text {
			if !strings.Contains(p["License"], s) {
				t.Errorf("%s: the licence text lacks %q", tc.files, s)
			}
		}
		for _, s := range tc.comment {
			if !strings.Contains(p["Comment"], s) {
				t.Errorf("%s: the comment lacks %q:\n%s", tc.files, s, p["Comment"])
			}
		}
	}
	// The Apache text itself is referred to, once, not copied.
	if strings.Count(string(text), "TERMS AND CONDITIONS FOR USE") != 0 {
		t.Error("the Apache licence text was copied")
	}
	if p := find(ps, "License", "Apache-2.0\nOn Debian systems the full text of the Apache License, Version 2.0, is in\n/usr/share/common-licenses/Apache-2.0."); p == nil || len(p) != 1 {
		t.Errorf("no standalone Apache-2.0 paragraph:\n%s", text)
	}
	if strings.Contains(string(text), "License: GPL-2+") {
		t.Error("a standalone GPL-2+ paragraph though no module uses it")
	}
}

func TestRenderOwnLicence(t *testing.T) {
	goroot, modcache := fixture(t)
	root := t.TempDir()
	write(t, filepath.Join(root, "LICENSE"), strings.Replace(expatText, "Pat Example", "the numsense authors", 1))
	text, err := Render(info(), modcache, goroot, root)
	if err != nil {
		t.Fatal(err)
	}
	p := find(paragraphs(t, string(text)), "Files", "*")
	if p == nil || p["Copyright"] != "Copyright (c) 2016 the numsense authors" || !strings.HasPrefix(p["License"], "Expat\n") {
		t.Errorf("numsense's own paragraph with a LICENSE: %v", p)
	}
}

func TestRenderErrors(t *testing.T) {
	goroot, modcache := fixture(t)
	write(t, filepath.Join(modcache, "example.com/odd@v1.0.0/LICENSE"), "You may do as you please, on Tuesdays.")
	write(t, filepath.Join(modcache, "example.com/bare@v1.0.0/README"), "no licence here")
	for _, tc := range []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{info(&debug.Module{Path: "example.com/odd", Version: "v1.0.0"}), "module example.com/odd v1.0.0: LICENSE: a licence this program does not know"},
		{info(&debug.Module{Path: "example.com/bare", Version: "v1.0.0"}), "module example.com/bare v1.0.0: no LICENSE"},
		{info(&debug.Module{Path: "example.com/gone", Version: "v1.0.0"}), "module example.com/gone v1.0.0 is not in the module cache"},
		{info(&debug.Module{Path: "example.com/x", Version: "v1.0.0", Replace: &debug.Module{Path: "../x"}}), "replaced by the directory ../x"},
		{&debug.BuildInfo{GoVersion: "go1.98.0"}, "built with go1.98.0"},
	} {
		if _, err := Render(tc.bi, modcache, goroot, t.TempDir()); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Render: %v; want an error containing %q", err, tc.want)
		}
	}
}

// Every module the Pi binary links has a licence this program reads: found here
// rather than when make deb runs.
func TestPiModules(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH: the Pi binary's modules were not listed")
	}
	env := func(key string) string {
		out, err := exec.Command(goCmd, "env", key).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", key, err)
		}
		return strings.TrimSpace(string(out))
	}
	cmd := exec.Command(goCmd, "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}", "../../cmd/numsense")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/numsense: %v", err)
	}
	bi := &debug.BuildInfo{GoVersion: runtime.Version()}
	seen := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(l); len(f) == 2 && !seen[f[0]] {
			seen[f[0]] = true
			bi.Deps = append(bi.Deps, &debug.Module{Path: f[0], Version: f[1]})
		}
	}
	if len(bi.Deps) == 0 {
		t.Fatal("go list found no modules")
	}
	text, err := Render(bi, env("GOMODCACHE"), env("GOROOT"), "../..")
	if err != nil {
		t.Fatal(err)
	}
	ps := paragraphs(t, string(text))
	for _, m := range bi.Deps {
		if find(ps, "Files", m.Path+"/*") == nil {
			t.Errorf("no paragraph for %s", m.Path)
		}
	}
	t.Logf("%d modules, %d bytes", len(bi.Deps), len(text))
}
