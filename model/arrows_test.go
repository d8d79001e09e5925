package model

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The module's import graph, read from the source files of the whole repository
// (every build tag, test files apart), keyed by directory relative to the root.
type importGraph struct {
	code, tests map[string][]string // module-relative dirs or external import paths
}

const modulePath = "github.com/numsense/numsense"

func readImportGraph(t *testing.T, root string) importGraph {
	t.Helper()
	g := importGraph{code: map[string][]string{}, tests: map[string][]string{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		rel = filepath.ToSlash(rel)
		m := g.code
		if strings.HasSuffix(name, "_test.go") {
			m = g.tests
		}
		if _, ok := m[rel]; !ok {
			m[rel] = nil // a package with no imports of interest is still a package
		}
		for _, s := range f.Imports {
			ip, _ := strconv.Unquote(s.Path.Value)
			if ip == modulePath || strings.HasPrefix(ip, modulePath+"/") {
				ip = strings.TrimPrefix(strings.TrimPrefix(ip, modulePath), "/")
			} else if !strings.Contains(strings.Split(ip, "/")[0], ".") {
				continue // the standard library
			}
			if !slices.Contains(m[rel], ip) {
				m[rel] = append(m[rel], ip)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.code) < 10 {
		t.Fatalf("read only %d packages under %s", len(g.code), root)
	}
	return g
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// runtime reports whether p is part of what runs on the Pi: model/ without its lab.
func isRuntime(p string) bool { return under(p, "model") && !under(p, "model/lab") }

// closure is every import reachable from p through the module's own packages.
func (g importGraph) closure(p string) map[string]bool {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(p string) {
		for _, q := range g.code[p] {
			if !seen[q] {
				seen[q] = true
				visit(q)
			}
		}
	}
	visit(p)
	return seen
}

// TestDependencyArrows holds the house's rules: the runtime never imports the
// laboratory (not even in its tests), camera and display never import each other,
// nothing imports cmd, and the Go API and the per-frame path pull in none of the
// laboratory's heavy dependencies (tensors, linear algebra, plotting).
func TestDependencyArrows(t *testing.T) {
	g := readImportGraph(t, "..")
	for _, m := range []map[string][]string{g.code, g.tests} {
		for p, imps := range m {
			for _, q := range imps {
				switch {
				case isRuntime(p) && under(q, "model/lab"):
					t.Errorf("runtime package %s imports the laboratory (%s)", p, q)
				case under(p, "camera") && under(q, "display"), under(p, "display") && under(q, "camera"):
					t.Errorf("%s imports %s: camera and display never import each other", p, q)
				case under(q, "cmd") && !under(p, "cmd"):
					t.Errorf("%s imports %s: nothing outside cmd imports it", p, q)
				}
			}
		}
	}
	heavy := []string{"gorgonia.org/", "gonum.org/", "github.com/apache/arrow", "github.com/prometheus/"}
	for _, p := range []string{"model", "model/estimate", "model/population", "model/kernel", "model/decoder", "model/unitmap", "camera", "camera/frontend"} {
		if _, ok := g.code[p]; !ok {
			t.Errorf("package %s not found", p)
			continue
		}
		for q := range g.closure(p) {
			for _, h := range heavy {
				if strings.HasPrefix(q, h) {
					t.Errorf("%s depends on %s (a laboratory or service dependency)", p, q)
				}
			}
		}
	}
}

// The rules above would pass vacuously on a wrong root: check that they see the
// arrows that do exist.
func TestDependencyArrowsSeeTheTree(t *testing.T) {
	g := readImportGraph(t, "..")
	if !slices.Contains(g.code["model/estimate"], "model") || !g.closure("cmd/numsense")["model/lab/experiment"] {
		t.Fatalf("import graph misses known arrows: estimate -> %v", g.code["model/estimate"])
	}
	if _, err := os.Stat(filepath.Join("..", "go.mod")); err != nil {
		t.Fatal("the repository root is not the model directory's parent")
	}
}
