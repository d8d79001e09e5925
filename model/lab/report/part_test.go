package report

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/numsense/numsense/model/atomicfile"
	"github.com/numsense/numsense/model/lab/experiment/experimenttest"
	"github.com/numsense/numsense/model/lab/numunits"
)

// shardOptions are the options of the shard tests: networks of a stand-in with
// one unit in 8 alive (merging must change nothing; a cheap network will do).
func shardOptions(networks int) Options {
	return Options{Networks: networks, Images: 2, AreaImages: 1, Seed: 4, SummationTrials: 1, StudyScenes: -1,
		Task: numunits.TaskOpts{PairsPerSample: 4, Reps: 1}, Network: experimenttest.NewSparse(8)}
}

// TestShardsMergeToOneRun runs 3 stand-in networks end to end (a directory that
// is not numsense's output is refused before any work starts), then the 3 shards
// of the same run at the same time, each in its own goroutine with its own
// network and state (as separate processes would), merges their part files in
// another order and compares every file of the report byte for byte with the one
// run, timing fields aside. Merge refuses incomplete or mixed sets of parts.
//
// Under -short (emulation) 2 networks in 2 shards: the work of 4 network runs
// instead of 6 (cmd/numsense's TestShardsAsProcesses runs 3 shards as processes).
func TestShardsMergeToOneRun(t *testing.T) {
	k := 3
	if testing.Short() {
		k = 2
	}
	dir := t.TempDir()
	one := filepath.Join(dir, "one")
	if err := os.MkdirAll(one, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(one, "old.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(shardOptions(k), one); !errors.Is(err, atomicfile.ErrNotOurs) {
		t.Fatalf("a directory holding old.txt: %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(one, "old.txt")); string(b) != "keep" {
		t.Fatal("old.txt was lost")
	}
	os.Remove(filepath.Join(one, "old.txt"))
	s, err := Run(shardOptions(k), one)
	if err != nil {
		t.Fatal(err)
	}
	checkRun(t, s, one)
	parts := make([]string, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i := range parts {
		parts[i] = filepath.Join(dir, fmt.Sprintf("part%d", i))
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = RunShard(shardOptions(k), i, k, parts[i])
		}(i)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(dir, "merged")
	reversed := slices.Clone(parts)
	slices.Reverse(reversed)
	if _, err := Merge(reversed, merged); err != nil {
		t.Fatal(err)
	}
	a, b := reportFiles(t, one), reportFiles(t, merged)
	if len(a) != len(b) || len(a) < 25 {
		t.Fatalf("one run wrote %d files, the merge %d", len(a), len(b))
	}
	for name, x := range a {
		if !bytes.Equal(x, b[name]) {
			t.Errorf("%s differs between one run and the merged shards", name)
		}
	}
	refusals := []struct {
		name  string
		parts []string
		want  string
	}{
		{"a missing shard", parts[:k-1], "missing"},
		{"a shard twice", append([]string{parts[0]}, parts[:k-1]...), "twice"},
	}
	for _, r := range refusals {
		if _, err := Merge(r.parts, filepath.Join(dir, "refused")); err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%s: %v", r.name, err)
		}
	}
	// A shard of a run with other options (here: another seed).
	raw, err := os.ReadFile(parts[k-1])
	if err != nil {
		t.Fatal(err)
	}
	var p Part
	if err := p.Decode(raw); err != nil {
		t.Fatal(err)
	}
	p.Params.Seed++
	if raw, err = p.Encode(); err != nil {
		t.Fatal(err)
	}
	odd := filepath.Join(dir, "odd")
	if err := os.WriteFile(odd, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(append(slices.Clone(parts[:k-1]), odd), filepath.Join(dir, "refused")); err == nil || !strings.Contains(err.Error(), "other options") {
		t.Errorf("parts of two runs: %v", err)
	}
}

// TestPartFiles: a part file round-trips exactly (NaN included); a file that is
// not a part is neither read nor overwritten.
func TestPartFiles(t *testing.T) {
	p := &Part{Version: partVersion, Shards: 1, Nets: []NetSummary{{Index: 0, PNDist: []float64{0.5, math.NaN()}}}}
	b, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var q Part
	if err := q.Decode(b); err != nil {
		t.Fatal(err)
	}
	if q.Nets[0].PNDist[0] != 0.5 || q.Nets[0].PNDist[1] == q.Nets[0].PNDist[1] {
		t.Errorf("round trip: %v", q.Nets[0].PNDist)
	}
	if err := q.Decode([]byte("hello")); !errors.Is(err, ErrNotPart) {
		t.Errorf("not a part: %v", err)
	}
	if err := q.Decode(b[:len(b)/2]); !errors.Is(err, ErrNotPart) {
		t.Errorf("a truncated part: %v", err)
	}
	dir := t.TempDir()
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge([]string{mine}, filepath.Join(dir, "r")); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("merging a file that is not a part: %v", err)
	}
	o := shardOptions(1)
	if _, err := RunShard(o, 0, 1, mine); err == nil || !strings.Contains(err.Error(), "not a part") {
		t.Errorf("a part over a file that is not one: %v", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "mine" {
		t.Error("notes.txt was overwritten")
	}
	if _, err := RunShard(o, 1, 1, filepath.Join(dir, "p")); err == nil {
		t.Error("shard 1 of 1 accepted")
	}
}

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
		out[e.Name()] = WithoutTimings(e.Name(), b)
	}
	return out
}
