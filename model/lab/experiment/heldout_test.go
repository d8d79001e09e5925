package experiment_test

import (
	"math"
	"sort"
	"testing"

	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/lab/stimulus"
)

func embeddedModel(t testing.TB) *estimate.Model {
	t.Helper()
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	m, err := estimate.FromFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSilhouetteOnHeldOutStimuli: through the estimate API, on dot stimuli the
// embedded model's decoder was not fitted on (a seed the calibration never used),
// estimates follow the number.
func TestSilhouetteOnHeldOutStimuli(t *testing.T) {
	e, err := estimate.New(embeddedModel(t), estimate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	g := stimulus.New(987654321)
	img := stimulus.NewImage()
	per, sets, nums := 3, stimulus.Sets, stimulus.Numerosities
	if testing.Short() {
		// Under emulation a frame takes seconds: one image each of 8 numerosities.
		per, sets, nums = 1, []stimulus.Set{stimulus.Standard}, []int{1, 2, 4, 8, 12, 18, 24, 30}
	}
	var rel []float64
	inside, total := 0, 0
	for _, s := range sets {
		for _, n := range nums {
			for i := 0; i < per; i++ {
				if _, err := g.Draw(s, n, img); err != nil {
					t.Fatal(err)
				}
				r, err := e.Silhouette(img)
				if err != nil {
					t.Fatal(err)
				}
				if !(r.Lo <= r.Value && r.Value <= r.Hi) {
					t.Fatalf("estimate %v outside its interval [%v, %v]", r.Value, r.Lo, r.Hi)
				}
				rel = append(rel, math.Abs(r.Value-float64(n))/float64(n))
				if float64(n) >= r.Lo && float64(n) <= r.Hi {
					inside++
				}
				total++
			}
		}
	}
	sort.Float64s(rel)
	med := rel[len(rel)/2]
	t.Logf("held-out stimuli: median |rel err| %.3f, %d of %d inside the 68%% interval", med, inside, total)
	if med > 0.25 {
		t.Errorf("median relative error %.3f on held-out stimuli", med)
	}
	if float64(inside) < 0.45*float64(total) {
		t.Errorf("only %d of %d inside the 68%% interval", inside, total)
	}
}
