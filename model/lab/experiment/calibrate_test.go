package experiment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/lab/experiment/experimenttest"
	"github.com/numsense/numsense/model/lab/stimulus"
	"github.com/numsense/numsense/model/population"
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

// standIn is the stand-in network of the calibration tests: under -short
// (emulation) the sparse one, with one unit in 8 alive, which makes the network
// and the analysis 8 times cheaper and keeps every stage.
func standIn() *experimenttest.StandIn {
	if testing.Short() {
		return experimenttest.NewSparse(8)
	}
	return experimenttest.New()
}

// quickFits fits the readout with one ridge penalty under -short: four fits of a
// few thousand units take half a minute under emulation, and the stand-in tests
// do not test the choice.
func quickFits(t *testing.T) {
	if !testing.Short() {
		return
	}
	old := ReadoutLambdas
	ReadoutLambdas = []float64{1}
	t.Cleanup(func() { ReadoutLambdas = old })
}

func TestCalibrateFake(t *testing.T) {
	quickFits(t)
	photos := 42
	dice := diceDir(t)
	if testing.Short() {
		photos = 4
		dice = smallDice(t, photos)
	}
	images, scenes := 5, DefaultScenesPerCount
	if testing.Short() {
		// Under emulation: one scene per count (default layout) of counts 1-4 and
		// 2 photo-realistic scenes; rendering them is most of the test's time there.
		images, scenes = 3, 1
		sceneCounts = 4
		defer func() { sceneCounts = sceneMaxCount }()
	}
	o := CalibrateOpts{Seed: 3, Images: images, Scenes: scenes, Network: standIn(), Dice: dice, Command: "test"}
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
	if n, want := info.Scenes[1].Samples, sceneCounts*scenes+PhotoScenes(scenes); n < want*5/6 || n > want {
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

// A population of two networks seen through two views, trained on three views:
// both networks select their units on the same stimuli, the decoders read the
// units of both, training views add every T image's responses under each view as
// samples of their own (held-out images excepted), the held-out images and the V
// draw are read averaged over the views as numsense run reads them; the file holds
// each network's map, the views and a record of every network; the progress total
// is the work done (no scenes here, where an empty one adds no work: TestCalibrateFake
// has them).
func TestCalibratePopulationFake(t *testing.T) {
	quickFits(t)
	views, _ := population.ParseViews("id,m")
	train, _ := population.ParseViews("id,m,r180")
	var buf bytes.Buffer
	images := 5
	if testing.Short() {
		images = 3 // then the last image of a cell is the held-out one
	}
	o := CalibrateOpts{Seed: 3, Images: images, Networks: 2, Views: views, TrainViews: train, Network: standIn(), Scenes: -1, Command: "test"}
	L := 16 * 3
	held := L * max(1, images/5)
	if w := CalibrationWork(o, 0); w != 2*Work(o.config(0))+2*2*(L*images-held)+2*2*(held+L*images) {
		t.Errorf("work %d", w)
	}
	o.Progress = NewProgress(&buf, "test", CalibrationWork(o, 0))
	f, info, res, err := Calibrate(o)
	if err != nil {
		t.Fatal(err)
	}
	if done, total := o.Progress.Done(), o.Progress.Total(); done != total {
		t.Errorf("progress: %d of %d", done, total)
	}
	if info.FitSamples != 3*(res.T.Len()-held) || info.HeldOutSamples != held || info.Stimuli[1].Samples != res.V.Len() {
		t.Errorf("fit on %d samples, held out %d, V %d (T %d)", info.FitSamples, info.HeldOutSamples, info.Stimuli[1].Samples, res.T.Len())
	}
	var m0, m1 unitmap.Map
	if err := m0.UnmarshalBinary(f.Sections[SectionUnits]); err != nil {
		t.Fatal(err)
	}
	if err := m1.UnmarshalBinary(f.Sections["units.1"]); err != nil {
		t.Fatal(err)
	}
	d, err := decoder.Unmarshal(f.Sections[SectionDecoder])
	if err != nil {
		t.Fatal(err)
	}
	if d.Units() != len(m0.Units)+len(m1.Units) || info.Units != d.Units() || len(m0.Units) != len(res.Map.Units) {
		t.Errorf("decoder reads %d units; maps %d + %d, record %d", d.Units(), len(m0.Units), len(m1.Units), info.Units)
	}
	if len(f.Population) != 1 || len(info.Networks) != 2 || info.Networks[1].Seed != NetworkSeed(3, 1) || info.Networks[0].Seed != 3 ||
		info.Views != "id,m" || info.TrainViews != "id,m,r180" {
		t.Errorf("population record: %d more networks, %+v, views %q, training views %q", len(f.Population), info.Networks, info.Views, info.TrainViews)
	}
	if got, err := population.UnmarshalViews(f.Sections[SectionViews]); err != nil || population.Names(got) != "id,m" {
		t.Errorf("views section: %v %v", got, err)
	}
	if !slices.Contains(ReadoutLambdas, info.ReadoutLambda) || info.ReadoutSigmaStimuli <= 0 || info.ReadoutSigma != info.ReadoutSigmaStimuli {
		t.Errorf("readout: lambda %g, sigma %g (stimuli %g; without scenes the same)", info.ReadoutLambda, info.ReadoutSigma, info.ReadoutSigmaStimuli)
	}
	if NetworkSeed(3, 0) != 3 || NetworkSeed(3, 1) == NetworkSeed(3, 2) {
		t.Error("network seeds")
	}
	if _, _, _, err := Calibrate(CalibrateOpts{Networks: model.MaxNetworks + 1, Network: experimenttest.New()}); err == nil {
		t.Error("17 networks accepted")
	}
}

// The stand-in sequence of reads (netsReader) gives bit for bit what
// population.Reader gives on the same networks, units and views.
func TestNetsReaderMatchesPopulation(t *testing.T) {
	if testing.Short() {
		t.Skip("int8 frames take seconds under emulation; the host run checks this")
	}
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	var m unitmap.Map
	if err := m.UnmarshalBinary(f.Sections[SectionUnits]); err != nil {
		t.Fatal(err)
	}
	views, _ := population.ParseViews("id,r90,m.y+3")
	pr, err := population.New([]population.Member{{Net: f.Q, Units: &m}, {Net: f.Q, Units: &m}}, views, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	e := model.NewEngine(f.Q, 1)
	defer e.Close()
	nr := &netsReader{nets: []Network{e, e}, maps: []*unitmap.Map{&m, &m}, views: views}
	img := stimulus.NewImage()
	if _, err := stimulus.New(5).Draw(stimulus.Standard, 9, img); err != nil {
		t.Fatal(err)
	}
	a, err := pr.Read(img)
	if err != nil {
		t.Fatal(err)
	}
	b, err := nr.Read(img)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || nr.Passes() != pr.Passes() {
		t.Fatalf("%d vs %d units, %d vs %d passes", len(a), len(b), pr.Passes(), nr.Passes())
	}
	for u := range a {
		if a[u] != b[u] {
			t.Fatalf("unit %d: %g from population.Reader, %g from netsReader", u, a[u], b[u])
		}
	}
}
