package experiment

import (
	"bytes"
	"math"
	"testing"

	"github.com/numsense/numsense/model/population"
)

// The population study on the stand-in network: a point for every (networks,
// views, set), in that order within each set; the stand-in's units are cleanly
// tuned, so every point reads the dot stimuli well; the progress total is the
// work done.
func TestPopulationStudy(t *testing.T) {
	quickFits(t)
	// Two networks: the stand-in answers the same whatever its seed, so one run
	// serves as both (the study reads them as two).
	r, err := Run(Config{NetSeed: 1, StimSeed: 3, Images: 3, AreaImages: -1, Network: standIn()})
	if err != nil {
		t.Fatal(err)
	}
	results := []*Result{r, r}
	id, _ := population.ParseViews("id")
	two, _ := population.ParseViews("id,r90")
	train, _ := population.ParseViews("id,m")
	photos, sets := 3, 3
	var buf bytes.Buffer
	o := StudyOpts{Seed: 5, Images: 3, TrainViews: train, ViewSets: [][]population.View{id, two}, Scenes: 1, Dice: smallDice(t, photos), Network: standIn()}
	if testing.Short() { // the front end takes long under emulation: dot stimuli only
		o.Scenes, o.Dice, photos, sets = 0, "", 0, 1
	}
	o.Progress = NewProgress(&buf, "study", StudyWork(o, len(results), photos))
	pts, err := PopulationStudy(results, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != sets*2*2 {
		t.Fatalf("%d points, want %d", len(pts), sets*2*2)
	}
	if d, tot := o.Progress.Done(), o.Progress.Total(); d > tot || d < tot-2*2*(sceneMaxCount+PhotoScenes(1)) {
		t.Errorf("progress %d of %d", d, tot) // (an empty scene is no work)
	}
	for i, p := range pts {
		want := []string{StudyStimuli, StudyScenes, StudyDice}[i/4]
		if p.Set != want || p.Networks != 1+i/2%2 || p.Passes != p.Networks*(1+i%2) {
			t.Errorf("point %d: %+v", i, p)
		}
		if p.Set == StudyStimuli && (p.MedRelErr > 0.25 || math.IsNaN(p.Coverage) || p.Samples != 48*3) {
			t.Errorf("stand-in on held-out stimuli: %+v", p)
		}
		if p.Set != StudyStimuli && !math.IsNaN(p.Coverage) {
			t.Errorf("%s: coverage %v, want none (camera intervals are set on scenes)", p.Set, p.Coverage)
		}
	}
	if sets == 3 && pts[len(pts)-1].Samples != photos {
		t.Errorf("dice: %d photos", pts[len(pts)-1].Samples)
	}
}
