package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/experiment/experimenttest"
	"github.com/numsense/numsense/model/unitmap"
)

// repoRoot is the directory holding go.mod.
func repoRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

// fewDice writes a counts.csv naming the first k photos of the repository's dice
// subset (camera/testdata/dice) into a temporary directory.
func fewDice(t *testing.T, k int) string {
	src := filepath.Join(repoRoot(t), "camera", "testdata", "dice")
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

// TestCalibrateCommand runs numsense calibrate on the embedded model's network
// (the real int8 engine on the host; the stand-in network under -short) and
// checks the model file it writes.
func TestCalibrateCommand(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.nsm")
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	f.Population = nil // network 0 alone (its units, section "units", stay; TestCalibratePopulation has the three)
	if err := model.Save(base, f); err != nil {
		t.Fatal(err)
	}
	scenes := "6"
	if testing.Short() {
		// Under emulation: a sparse stand-in network and no scenes (rendering them
		// takes most of a minute there; model/lab/experiment tests the widening).
		calibrateNetwork = experimenttest.NewSparse(8)
		defer func() { calibrateNetwork = nil }()
		scenes = "0"
	}
	out := filepath.Join(dir, "out.nsm")
	var so, se bytes.Buffer
	err = cmdCalibrate([]string{"--model", base, "--images", "3", "--scenes", scenes, "--train-views", "id,m", "--dice", fewDice(t, 3), "-o", out}, &so, &se)
	if err != nil {
		t.Fatalf("calibrate: %v\n%s", err, se.String())
	}
	if !strings.Contains(so.String(), "number-selective units") || !strings.Contains(se.String(), "done") {
		t.Errorf("output %q, progress %q", so.String(), se.String())
	}
	f, err = model.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{experiment.SectionUnits, experiment.SectionDecoder, experiment.SectionLikelihood, experiment.SectionReadout, experiment.SectionCalibration, experiment.SectionClasses} {
		if len(f.Sections[s]) == 0 {
			t.Fatalf("section %q missing", s)
		}
	}
	var m unitmap.Map
	if err := m.UnmarshalBinary(f.Sections[experiment.SectionUnits]); err != nil || len(m.Units) == 0 {
		t.Fatalf("units: %v (%d units)", err, len(m.Units))
	}
	if _, err := decoder.Unmarshal(f.Sections[experiment.SectionDecoder]); err != nil {
		t.Fatal(err)
	}
	// The unit classes fit the new unit map, and the runtime reads them.
	if _, err := unitmap.UnmarshalClasses(f.Sections[experiment.SectionClasses], &m); err != nil {
		t.Fatalf("unit classes: %v", err)
	}
	if em, err := estimate.FromFile(f); err != nil || em.Classes == nil {
		t.Fatalf("estimate.FromFile on the calibrated model: %v", err)
	}
	var info experiment.CalibrationInfo
	if err := json.Unmarshal(f.Sections[experiment.SectionCalibration], &info); err != nil {
		t.Fatal(err)
	}
	if info.ImagesPerCell != 3 || info.Selected != len(m.Units) || len(info.Dice) != 2 || info.Dice[0].Samples != 3 || !strings.Contains(info.Command, "--images 3") {
		t.Errorf("calibration record %+v", info)
	}
	if f.Seed != defaultmodel.Seed {
		t.Errorf("seed %d, want the base model's %d", f.Seed, defaultmodel.Seed)
	}
	if _, stale := f.Sections["units.1"]; stale || len(f.Population) != 0 {
		t.Errorf("one network: %d more networks, a section units.1 %v (the base model's sections of networks it no longer has must go)", len(f.Population), stale)
	}
}

func TestCalibrateFlags(t *testing.T) {
	var so, se bytes.Buffer
	if err := cmdCalibrate([]string{"--images", "3"}, &so, &se); !errors.Is(err, errUsage) {
		t.Errorf("no -o: %v, want usage error", err)
	}
	if err := cmdCalibrate([]string{"--images", "1", "-o", "x"}, &so, &se); err == nil || !strings.Contains(err.Error(), "--images") {
		t.Errorf("--images 1: %v", err)
	}
	if err := cmdCalibrate([]string{"--model", filepath.Join(t.TempDir(), "missing.nsm"), "-o", "x"}, &so, &se); err == nil || !strings.Contains(err.Error(), "missing.nsm") {
		t.Errorf("missing model: %v", err)
	}
	for _, bad := range [][]string{{"--networks", "0"}, {"--networks", "17"}, {"--views", "r45"}, {"--views", "m,m"}} {
		if err := cmdCalibrate(append(bad, "-o", "x"), &so, &se); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: %v", bad, err)
		}
	}
	base := filepath.Join(t.TempDir(), "base.nsm")
	if err := os.WriteFile(base, defaultmodel.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cmdCalibrate([]string{"--model", base, "--networks", "2", "-o", "x"}, &so, &se); err == nil || !strings.Contains(err.Error(), "holds 3 networks") {
		t.Errorf("--networks 2 with the embedded model of three networks: %v", err)
	}
}

// TestCalibratePopulation recalibrates the embedded population of three networks
// seen through two views, on the stand-in network: the file keeps the three
// networks, and model info lists them.
func TestCalibratePopulation(t *testing.T) {
	if testing.Short() {
		t.Skip("minutes under emulation (180 synthetic scenes through the front end for 6 passes each); model/lab/experiment's TestCalibratePopulationFake has the population")
	}
	calibrateNetwork = experimenttest.New()
	defer func() { calibrateNetwork = nil }()
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	base, out := filepath.Join(dir, "base.nsm"), filepath.Join(dir, "out.nsm")
	if err := os.WriteFile(base, defaultmodel.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var so, se bytes.Buffer
	if err := cmdCalibrate([]string{"--model", base, "--images", "3", "--views", "id,r90", "--train-views", "id", "-o", out}, &so, &se); err != nil {
		t.Fatalf("calibrate: %v\n%s", err, se.String())
	}
	if !strings.Contains(so.String(), "population: 3 networks") {
		t.Errorf("output %q", so.String())
	}
	h, err := model.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	seed2 := f.Population[1].Seed
	if len(h.Population) != 2 || h.Population[1].Seed != seed2 || len(h.Sections["units.2"]) == 0 || string(h.Sections["views"]) != `["id","r90"]` {
		t.Fatalf("population file: %d more networks, %s", len(h.Population), h.Info())
	}
	so.Reset()
	if code := runMain([]string{"model", "info", out}, &so, &se); code != 0 || !strings.Contains(so.String(), fmt.Sprintf("network 2: seed %d", seed2)) ||
		!strings.Contains(so.String(), "network 2 number units") || !strings.Contains(so.String(), "2 views (id,r90)") {
		t.Errorf("model info: exit %d\n%s", code, so.String())
	}
}
