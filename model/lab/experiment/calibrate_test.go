package experiment

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/lab/experiment/experimenttest"
	"github.com/numsense/numsense/model/unitmap"
)

// diceDir is the repository's subset of the dice photographs (42 photos with
// counts.csv: camera/testdata/dice).
func diceDir(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "camera", "testdata", "dice")
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

// smallDice writes a counts.csv naming the first k dice photos (by absolute
// path) into a temporary directory.
func smallDice(t *testing.T, k int) string {
	src := diceDir(t)
	rows, err := camera.ReadCounts(filepath.Join(src, camera.CountsFile))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	csv := "file,count\n"
	for _, r := range rows[:k] {
		csv += fmt.Sprintf("%s,%d\n", r.Path, r.Count)
	}
	if err := os.WriteFile(filepath.Join(dir, camera.CountsFile), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCalibrateFake(t *testing.T) {
	photos := 42
	dice := diceDir(t)
	if testing.Short() {
		photos = 4
		dice = smallDice(t, photos)
	}
	images, scenes := 5, DefaultScenesPerCount
	if testing.Short() {
		images, scenes = 3, 1 // one scene per count (default layout) under emulation
	}
	o := CalibrateOpts{Seed: 3, Images: images, Scenes: scenes, Network: experimenttest.New(), Dice: dice, Command: "test"}
	f, info, res, err := Calibrate(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{SectionUnits, SectionDecoder, SectionLikelihood, SectionReadout, SectionCalibration} {
		if len(f.Sections[s]) == 0 {
			t.Errorf("section %q missing", s)
		}
	}
	var m unitmap.Map
	if err := m.UnmarshalBinary(f.Sections[SectionUnits]); err != nil || len(m.Units) != len(res.Sel.Selective) {
		t.Fatalf("units section: %v, %d units", err, len(m.Units))
	}
	d, err := decoder.Unmarshal(f.Sections[SectionDecoder])
	if err != nil || d.Name() != info.Chosen {
		t.Fatalf("decoder section: %v (name %q, chosen %q)", err, d.Name(), info.Chosen)
	}
	checkClassesSection(t, f.Sections[SectionClasses], &m, res)
	var back CalibrationInfo
	if err := json.Unmarshal(f.Sections[SectionCalibration], &back); err != nil {
		t.Fatalf("calibration section is not JSON: %v", err)
	}
	if back.Selected != len(m.Units) || back.ImagesPerCell != images || back.Seeds.T == 0 || back.Reason == "" || len(back.Dice) != 2 ||
		back.Shapes == nil || back.Shapes.Tuned != res.CV.Counts.Tuned {
		t.Errorf("calibration section incomplete: %s", f.Sections[SectionCalibration])
	}
	t.Logf("%s", f.Sections[SectionCalibration])
	// The stand-in's number units are cleanly tuned: both decoders must read
	// held-out stimuli well.
	for _, e := range info.Stimuli {
		if e.MedRelErr > 0.25 || e.Samples != res.V.Len() {
			t.Errorf("decoder %s on held-out stimuli: %+v", e.Decoder, e)
		}
	}
	if info.FitSamples+info.HeldOutSamples != res.T.Len() || info.HeldOutSamples == 0 {
		t.Errorf("fit %d + held out %d != %d T images", info.FitSamples, info.HeldOutSamples, res.T.Len())
	}
	// Widening on the synthetic scenes (default and varied layouts, photo-realistic): the readout's
	// interval holds at least 68 % of them afterwards (its half-width is their
	// 68.27th percentile, or the held-out value if that is wider), the likelihood's
	// about 68 %.
	if len(info.Scenes) != 2 || len(info.ScenesBefore) != 2 || info.ScenesPerCount != scenes {
		t.Fatalf("scene evaluations missing: %+v %+v", info.ScenesBefore, info.Scenes)
	}
	if n, want := info.Scenes[1].Samples, 30*scenes+PhotoScenes(scenes); n < want*5/6 || n > want {
		t.Errorf("%d scenes evaluated, want about %d", n, want)
	}
	if c := info.Scenes[1].Coverage; c < 0.66 || c < info.ScenesBefore[1].Coverage {
		t.Errorf("readout coverage on scenes %.3f after widening (%.3f before)", c, info.ScenesBefore[1].Coverage)
	}
	if info.Dice[0].Samples != photos {
		t.Errorf("dice evaluated on %d photos, want %d", info.Dice[0].Samples, photos)
	}
}

// checkClassesSection decodes the model file's unit classes against its unit map
// and checks them against the stand-in's construction: its number units with an
// inner PN are narrow log-Gaussians, so the tuned classes must hold most of them,
// each class at the PN of its units, with its V-draw curve peaking there.
func checkClassesSection(t *testing.T, data []byte, m *unitmap.Map, res *Result) {
	t.Helper()
	c, err := unitmap.UnmarshalClasses(data, m)
	if err != nil {
		t.Fatalf("unit-classes section: %v", err)
	}
	seen := map[int]bool{}
	tuned := 0
	for _, k := range c.Classes {
		for _, u := range k.Units {
			if seen[u] {
				t.Fatalf("unit %d in two classes", u)
			}
			seen[u] = true
			if k.Shape == unitmap.Tuned && m.Units[u].PN != k.PN {
				t.Fatalf("unit %d (PN %d) in the tuned class of PN %d", u, m.Units[u].PN, k.PN)
			}
		}
		if k.Shape == unitmap.Tuned {
			tuned += len(k.Units)
			best := 0
			for i, v := range k.Curve {
				if v > k.Curve[best] {
					best = i
				}
			}
			if d := best - k.PN; len(k.Units) >= 5 && (d < -1 || d > 1) {
				t.Errorf("tuned class of PN %d peaks at level %d on V", k.PN, best)
			}
		}
	}
	if tuned != res.CV.Counts.Tuned || tuned < len(m.Units)/2 {
		t.Errorf("%d units in tuned classes (%d tested tuned, %d in the map)", tuned, res.CV.Counts.Tuned, len(m.Units))
	}
	t.Logf("%d classes; %d tuned units of %d", len(c.Classes), tuned, len(m.Units))
}

func TestChooseRule(t *testing.T) {
	d := &Decoders{Likelihood: &decoder.Likelihood{}, Readout: &decoder.Readout{}}
	d.Stimuli = []DecoderEval{{Decoder: "likelihood", MedRelErr: 0.2, Coverage: 0.5}, {Decoder: "readout", MedRelErr: 0.1, Coverage: 0.68}}
	d.choose()
	if d.Chosen != "readout" {
		t.Fatalf("chose %s with errors 0.2 vs 0.1", d.Chosen)
	}
	d.Stimuli[1].MedRelErr = 0.19 // near tie
	d.choose()
	if d.Chosen != "readout" {
		t.Fatalf("near tie: chose %s, want the coverage nearer 68 %%", d.Chosen)
	}
	// Photos never decide, whatever they say.
	d.SetDice([]DecoderEval{{Decoder: "likelihood", MedRelErr: 0.1}, {Decoder: "readout", MedRelErr: 0.4}})
	if d.Chosen != "readout" || d.Reason == "" {
		t.Fatalf("near tie with photos: chose %s (%s), want readout (photos must not decide)", d.Chosen, d.Reason)
	}
}
