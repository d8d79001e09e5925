package report

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/numsense/numsense/model/atomicfile"
	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/experiment/experimenttest"
	"github.com/numsense/numsense/model/lab/numunits"
)

func TestMeanSD(t *testing.T) {
	m := meanSD([]float64{1, math.NaN(), 3})
	if m.Mean != 2 || math.Abs(m.SD-math.Sqrt2) > 1e-12 || m.N != 2 {
		t.Fatalf("meanSD = %+v, want mean 2, sd sqrt 2, n 2", m)
	}
	if m := meanSD([]float64{5}); m.Mean != 5 || !math.IsNaN(m.SD) {
		t.Fatalf("one value: %+v", m)
	}
	if m := meanSD(nil); !math.IsNaN(m.Mean) {
		t.Fatalf("no value: %+v", m)
	}
}

func TestBinomUpper(t *testing.T) {
	if p := binomUpper(50, 100); p < 0.4 || p > 0.6 {
		t.Errorf("50 of 100: p = %g, want about 0.5", p)
	}
	if p := binomUpper(70, 100); p > 1e-4 {
		t.Errorf("70 of 100: p = %g, want < 1e-4", p)
	}
	if !math.IsNaN(binomUpper(0, 0)) {
		t.Error("no trials must give NaN")
	}
}

// TestRunStandIn runs two stand-in networks end to end and checks the aggregate
// and the files; a directory that is not numsense's output is refused before any
// work starts.
func TestRunStandIn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rep")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "old.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := Options{Networks: 2, Images: 2, AreaImages: 1, Seed: 5, Network: experimenttest.New(),
		Task: numunits.TaskOpts{PairsPerSample: 8, Reps: 1}}
	sets := 2 // held-out stimuli and scenes
	if testing.Short() {
		o.StudyScenes, sets = -1, 1 // the front end takes long under emulation
		old := experiment.ReadoutLambdas
		experiment.ReadoutLambdas = []float64{1}
		defer func() { experiment.ReadoutLambdas = old }()
	}
	t0 := time.Now()
	if _, err := Run(o, dir); !errors.Is(err, atomicfile.ErrNotOurs) {
		t.Fatalf("a directory holding old.txt: %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "old.txt")); string(b) != "keep" {
		t.Fatal("old.txt was lost")
	}
	t.Logf("refused in %v", time.Since(t0))
	os.Remove(filepath.Join(dir, "old.txt"))
	s, err := Run(o, dir)
	if err != nil {
		t.Fatal(err)
	}
	a := s.Agg
	if a.Networks != 2 || !a.AllSelected || !a.PerRepetition || a.SelectiveFraction.N != 2 {
		t.Fatalf("aggregate %+v", a)
	}
	for _, d := range a.Distances {
		if d%2 != 0 || d < 2 {
			t.Fatalf("distance %d in the distance effect, want even d >= 2", d)
		}
	}
	if s.Nets[0].Seeds.Net != 5 || s.Nets[1].Seeds.Net != 6 || s.Nets[0].Seeds.Stim != experiment.Derive(5, 1000) {
		t.Errorf("seeds %+v %+v", s.Nets[0].Seeds, s.Nets[1].Seeds)
	}
	if len(s.Population) != sets*2*len(StudyViewSets) { // 1 and 2 networks
		t.Errorf("population study: %d points", len(s.Population))
	}
	for _, name := range []string{"report.md", "results.json", "networks.csv", "comparison_distance.png", "population_weber.png", "population.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if !strings.Contains(string(md), "A larger population") || !strings.Contains(string(md), "Guillaume & Van Rinsveld") {
		t.Error("report.md has no population study")
	}
	if !strings.Contains(string(md), "Nieder & Merten 2007") || len(s.Monkey) != 16 {
		t.Errorf("report.md does not draw the embedded monkey reference (%d rows)", len(s.Monkey))
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".rep.partial-*")); len(left) != 0 {
		t.Errorf("temporary directories left: %v", left)
	}
}
