package report

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/model/lab/experiment"
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

// checkRun checks the aggregate and the files of a run of 3 stand-in networks
// with seed 4 (TestShardsMergeToOneRun makes it).
func checkRun(t *testing.T, s *Summary, dir string) {
	t.Helper()
	a, k := s.Agg, len(s.Nets)
	if k < 2 || a.Networks != k || !a.AllSelected || !a.PerRepetition || a.SelectiveFraction.N != k {
		t.Fatalf("aggregate %+v", a)
	}
	for _, d := range a.Distances {
		if d%2 != 0 || d < 2 {
			t.Fatalf("distance %d in the distance effect, want even d >= 2", d)
		}
	}
	if s.Nets[0].Seeds.Net != 4 || s.Nets[1].Seeds.Net != 5 || s.Nets[0].Seeds.Stim != experiment.Derive(4, 1000) {
		t.Errorf("seeds %+v %+v", s.Nets[0].Seeds, s.Nets[1].Seeds)
	}
	// The population study: 1, 2, ... k networks under every view set, on held-out
	// stimuli (shardOptions leaves out the scenes).
	if len(s.Population) != k*len(StudyViewSets) {
		t.Errorf("population study: %d points, want %d", len(s.Population), k*len(StudyViewSets))
	}
	for _, name := range []string{"report.md", "results.json", "networks.csv", "comparison_distance.png", "shapes.png", "backtracking.png", "population_weber.png", "population.csv"} {
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
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".partial-*")); len(left) != 0 {
		t.Errorf("temporary directories left: %v", left)
	}
}
