package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/experiment/experimenttest"
)

// sparseStandIn is a stand-in with one unit in 8 alive: the shard test only checks
// that merging changes nothing, for which a cheaper network will do.
func sparseStandIn() experiment.Network { return experimenttest.NewSparse(8) }

// TestReproduceCommand runs numsense reproduce at a tiny size (the real
// network on the host, a stand-in under -short) as one shard, merges it and
// checks the report files.
func TestReproduceCommand(t *testing.T) {
	args := []string{"--networks", "1", "--images", "2", "--area-images", "1", "--float-images", "0", "--calib-images", "2", "--pairs", "10", "--reps", "1", "--summation-trials", "1"}
	population := true
	if testing.Short() {
		reproduceNetwork = sparseStandIn
		defer func() { reproduceNetwork = nil }()
		// The population study (model/lab/report tests it) takes minutes under
		// emulation: its synthetic scenes go through the front end.
		args, population = append(args, "--population", "0"), false
	}
	// Through the cluster path: the only shard of one, then merge (the report
	// package tests that merged shards equal one run, byte for byte).
	dir := t.TempDir()
	out, part := filepath.Join(dir, "rep"), filepath.Join(dir, "part0")
	var so, se bytes.Buffer
	if err := cmdReproduce(append(args, "--shard", "0/1", "-o", part), &so, &se); err != nil {
		t.Fatalf("reproduce --shard: %v\n%s", err, se.String())
	}
	if err := cmdReproduce([]string{"merge", part, "-o", out}, &so, &se); err != nil {
		t.Fatalf("reproduce merge: %v", err)
	}
	if err := cmdReproduce([]string{"merge", filepath.Join(dir, "none"), "-o", filepath.Join(dir, "r2")}, &so, &se); err == nil || !strings.Contains(err.Error(), "none") {
		t.Errorf("merge of a missing part: %v", err)
	}
	files := []string{"report.md", "results.json", "stimuli.png", "pn_distribution.png", "tuning_linear.png", "tuning_log.png",
		"tuning_v_linear.png", "tuning_v_log.png", "sigma_linear.png", "sigma_log.png", "sigma_v_linear.png", "sigma_v_log.png",
		"shapes.png", "fall_right.png", "summation_model.png", "backtracking.png",
		"comparison_distance.png", "congruency.png", "networks.csv", "pn_sigma.csv", "shapes.csv", "backtracking.csv", "decoders.csv"}
	keys := []string{"selective_fraction", "r2_log", "r2_lin", "sigma_lin_slope", "sigma_log_slope", "comparison_accuracy", "comparison_selective",
		"comparison_nonselective", "comparison_pixels", "incongruent_accuracy", "incongruent_by_cue", "decoders",
		"tuned_fraction", "increasing_fraction", "decreasing_fraction", "pn_stability_chance", "v_fall_right", "summation_r2", "cv", "fig5"}
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
	if !strings.Contains(string(md), "Findings beside the papers") || !strings.Contains(string(md), "monkey") || !strings.Contains(string(md), "cross-validated") {
		t.Errorf("report.md lacks the findings table, the monkey note or the cross-validated column")
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
	for _, s := range []string{"3/3", "1", "a/b", "-1/2", "0/4"} {
		if err := cmdReproduce([]string{"--networks", "3", "--shard", s, "-o", "x"}, &so, &se); err == nil || !strings.Contains(err.Error(), "--shard") {
			t.Errorf("--shard %s: %v", s, err)
		}
	}
	if err := cmdReproduce([]string{"merge", "-o", "x"}, &so, &se); !errors.Is(err, errUsage) {
		t.Errorf("merge without parts: %v", err)
	}
	if err := cmdReproduce([]string{"--monkey", filepath.Join(t.TempDir(), "none.csv"), "--networks", "1", "--images", "2", "-o", filepath.Join(t.TempDir(), "r")}, &so, &se); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("missing monkey file: %v", err)
	}
}
