package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/experiment/experimenttest"
)

func standIn() experiment.Network { return experimenttest.New() }

// TestReproduceCommand runs numsense reproduce at a tiny size (the real
// network on the host, the stand-in under -short) and checks the report files.
func TestReproduceCommand(t *testing.T) {
	args := []string{"--networks", "1", "--images", "2", "--area-images", "1", "--float-images", "0", "--calib-images", "2", "--pairs", "10", "--reps", "1", "--summation-trials", "1"}
	if testing.Short() {
		reproduceNetwork = standIn
		defer func() { reproduceNetwork = nil }()
	}
	out := filepath.Join(t.TempDir(), "rep")
	var so, se bytes.Buffer
	if err := cmdReproduce(append(args, "-o", out), &so, &se); err != nil {
		t.Fatalf("reproduce: %v\n%s", err, se.String())
	}
	for _, name := range []string{"report.md", "results.json", "stimuli.png", "pn_distribution.png", "tuning_linear.png", "tuning_log.png",
		"tuning_v_linear.png", "tuning_v_log.png", "sigma_linear.png", "sigma_log.png", "sigma_v_linear.png", "sigma_v_log.png",
		"shapes.png", "fall_right.png", "summation_model.png", "backtracking.png",
		"comparison_distance.png", "congruency.png", "networks.csv", "pn_sigma.csv", "shapes.csv", "backtracking.csv", "decoders.csv"} {
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
	for _, k := range []string{"selective_fraction", "r2_log", "r2_lin", "sigma_lin_slope", "sigma_log_slope", "comparison_accuracy", "comparison_selective",
		"comparison_nonselective", "comparison_pixels", "incongruent_accuracy", "incongruent_by_cue", "decoders",
		"tuned_fraction", "increasing_fraction", "decreasing_fraction", "pn_stability_chance", "v_fall_right", "summation_r2", "cv", "fig5"} {
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

// TestReproduceShards runs 3 shards of a 3-network run at the same time (each in
// its own goroutine with its own network), merges their part files and compares
// every file of the merged report byte for byte with one run of all networks,
// timing fields aside.
func TestReproduceShards(t *testing.T) {
	reproduceNetwork = standIn
	defer func() { reproduceNetwork = nil }()
	args := []string{"--networks", "3", "--images", "2", "--area-images", "1", "--float-images", "0", "--calib-images", "2",
		"--pairs", "8", "--reps", "1", "--summation-trials", "1", "--seed", "4"}
	dir := t.TempDir()
	var so, se bytes.Buffer
	one := filepath.Join(dir, "one")
	if err := cmdReproduce(append(args, "-o", one), &so, &se); err != nil {
		t.Fatalf("one run: %v\n%s", err, se.String())
	}
	parts := make([]string, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range parts {
		parts[i] = filepath.Join(dir, fmt.Sprintf("part%d", i))
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var so, se bytes.Buffer
			errs[i] = cmdReproduce(append(args, "--shard", fmt.Sprintf("%d/3", i), "-o", parts[i]), &so, &se)
		}(i)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(dir, "merged")
	// Parts in any order.
	if err := cmdReproduce([]string{"merge", parts[2], parts[0], parts[1], "-o", merged}, &so, &se); err != nil {
		t.Fatalf("merge: %v", err)
	}
	a, b := reportFiles(t, one), reportFiles(t, merged)
	if len(a) != len(b) || len(a) < 20 {
		t.Fatalf("one run wrote %d files, the merge %d", len(a), len(b))
	}
	for name, x := range a {
		if !bytes.Equal(x, b[name]) {
			t.Errorf("%s differs between one run and the merged shards", name)
		}
	}
	// Refusals: a missing shard, a shard twice, a file that is not a part.
	if err := cmdReproduce([]string{"merge", parts[0], parts[1], "-o", filepath.Join(dir, "m2")}, &so, &se); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("two of three shards: %v", err)
	}
	if err := cmdReproduce([]string{"merge", parts[0], parts[0], parts[1], "-o", filepath.Join(dir, "m3")}, &so, &se); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a shard twice: %v", err)
	}
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cmdReproduce([]string{"merge", other, "-o", filepath.Join(dir, "m4")}, &so, &se); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("a non-part file: %v", err)
	}
	if err := cmdReproduce(append(args, "--shard", "0/3", "-o", other), &so, &se); err == nil || !strings.Contains(err.Error(), "not a part") {
		t.Errorf("overwriting a non-part file: %v", err)
	}
	if b, _ := os.ReadFile(other); string(b) != "mine" {
		t.Error("notes.txt was overwritten")
	}
}

var timing = regexp.MustCompile(`Computing time [^.]*\.`)

// reportFiles reads every file of a report with its timing fields blanked:
// elapsed_seconds in results.json, the seconds column of networks.csv, the
// computing time in report.md.
func reportFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		switch e.Name() {
		case "results.json":
			var r map[string]any
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatal(err)
			}
			delete(r, "elapsed_seconds")
			b, _ = json.Marshal(r)
		case "networks.csv":
			lines := strings.Split(string(b), "\n")
			for i, l := range lines {
				if k := strings.LastIndex(l, ","); k >= 0 {
					lines[i] = l[:k]
				}
			}
			b = []byte(strings.Join(lines, "\n"))
		case "report.md":
			b = timing.ReplaceAll(b, []byte("Computing time X."))
		}
		out[e.Name()] = b
	}
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("files: %v", names)
	return out
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
