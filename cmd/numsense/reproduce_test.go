package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/model/lab/experiment/experimenttest"
)

// TestReproduceCommand runs numsense reproduce at a tiny size (the real
// network on the host, the stand-in under -short) and checks the report files.
func TestReproduceCommand(t *testing.T) {
	args := []string{"--networks", "1", "--images", "2", "--area-images", "1", "--float-images", "0", "--calib-images", "2", "--pairs", "10", "--reps", "1"}
	population := true
	if testing.Short() {
		reproduceNetwork = experimenttest.New()
		defer func() { reproduceNetwork = nil }()
		// The population study (model/lab/report tests it) takes minutes under
		// emulation: its synthetic scenes go through the front end.
		args, population = append(args, "--population", "0"), false
	}
	out := filepath.Join(t.TempDir(), "rep")
	var so, se bytes.Buffer
	if err := cmdReproduce(append(args, "-o", out), &so, &se); err != nil {
		t.Fatalf("reproduce: %v\n%s", err, se.String())
	}
	files := []string{"report.md", "results.json", "stimuli.png", "pn_distribution.png", "tuning_linear.png", "tuning_log.png",
		"sigma_linear.png", "sigma_log.png", "comparison_distance.png", "congruency.png", "networks.csv", "pn_sigma.csv", "decoders.csv"}
	keys := []string{"selective_fraction", "r2_log", "r2_lin", "sigma_lin_slope", "sigma_log_slope", "comparison_accuracy", "comparison_selective", "comparison_nonselective", "comparison_pixels", "incongruent_accuracy", "incongruent_by_cue", "decoders"}
	if population {
		files = append(files, "population_weber.png", "population_error.png", "population.csv")
		keys = append(keys, "population")
	}
	for _, name := range files {
		st, err := os.Stat(filepath.Join(out, name))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	for _, k := range keys {
		if _, ok := r[k]; !ok {
			t.Errorf("results.json lacks %q", k)
		}
	}
	if v, ok := r["incongruent_accuracy"].(float64); !ok || v <= 0 || v > 1 {
		t.Errorf("incongruent_accuracy %v, want a number in (0,1]", r["incongruent_accuracy"])
	}
	sf := r["selective_fraction"].(map[string]any)
	if m, ok := sf["mean"].(float64); !ok || m <= 0 || m >= 1 {
		t.Errorf("selective_fraction %v", sf)
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(md), "Findings beside the papers") || !strings.Contains(string(md), "monkey") {
		t.Errorf("report.md lacks the findings table or the monkey note")
	}
	// The temporary directory was renamed into place.
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".rep.partial-*")); len(left) != 0 {
		t.Errorf("temporary directories left behind: %v", left)
	}
}

func TestReproduceFlags(t *testing.T) {
	var so, se bytes.Buffer
	if err := cmdReproduce(nil, &so, &se); !errors.Is(err, errUsage) {
		t.Errorf("no -o: %v", err)
	}
	if err := cmdReproduce([]string{"--float-images", "1", "-o", "x"}, &so, &se); err == nil || !strings.Contains(err.Error(), "--float-images") {
		t.Errorf("--float-images 1: %v", err)
	}
	if err := cmdReproduce([]string{"--monkey", filepath.Join(t.TempDir(), "none.csv"), "--networks", "1", "--images", "2", "-o", filepath.Join(t.TempDir(), "r")}, &so, &se); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("missing monkey file: %v", err)
	}
}
