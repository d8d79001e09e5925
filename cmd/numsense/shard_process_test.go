package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/numsense/numsense/model/lab/report"
)

// childEnv makes this test binary act as numsense (with the sparse stand-in network
// for reproduce) when it is started by TestShardsAsProcesses.
const childEnv = "NUMSENSE_TEST_AS_NUMSENSE"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		reproduceNetwork = sparseStandIn
		os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestShardsAsProcesses runs a 3-network reproduction as 3 separate processes
// (`numsense reproduce --shard i/3`, started at the same time, as a cluster's array
// job would), merges their parts with `numsense reproduce merge`, and compares the
// report byte for byte, timing fields aside, with one run of the same networks in
// one process. (Under emulation this test binary cannot start copies of itself
// without binfmt support; the host run of make check runs it.)
func TestShardsAsProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts copies of this test binary: it runs in the host run of make check (not -short)")
	}
	args := []string{"--networks", "3", "--images", "2", "--area-images", "1", "--float-images", "0", "--calib-images", "2",
		"--pairs", "4", "--reps", "1", "--summation-trials", "1", "--seed", "4", "--threads", "1"}
	dir := t.TempDir()
	run := func(a ...string) *exec.Cmd {
		c := exec.Command(os.Args[0], a...)
		c.Env = append(os.Environ(), childEnv+"=1")
		return c
	}
	var procs []*exec.Cmd
	var errs []*bytes.Buffer
	var parts []string
	for i := 0; i < 3; i++ {
		part := filepath.Join(dir, fmt.Sprintf("part%d", i))
		parts = append(parts, part)
		c := run(append(append([]string{"reproduce"}, args...), "--shard", fmt.Sprintf("%d/3", i), "-o", part)...)
		var e bytes.Buffer
		c.Stderr = &e
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		procs, errs = append(procs, c), append(errs, &e)
	}
	for i, c := range procs {
		if err := c.Wait(); err != nil {
			t.Fatalf("shard %d: %v\n%s", i, err, errs[i].String())
		}
	}
	merged, one := filepath.Join(dir, "merged"), filepath.Join(dir, "one")
	// Merge in another order than the shards' numbers.
	if out, err := run("reproduce", "merge", parts[2], parts[0], parts[1], "-o", merged).CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	if out, err := run(append(append([]string{"reproduce"}, args...), "-o", one)...).CombinedOutput(); err != nil {
		t.Fatalf("one run: %v\n%s", err, out)
	}
	entries, err := os.ReadDir(one)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, e := range entries {
		a, err1 := os.ReadFile(filepath.Join(one, e.Name()))
		b, err2 := os.ReadFile(filepath.Join(merged, e.Name()))
		if err1 != nil || err2 != nil {
			t.Errorf("%s: %v %v", e.Name(), err1, err2)
			continue
		}
		// Timing fields differ between runs by nature; everything else must not.
		if !bytes.Equal(report.WithoutTimings(e.Name(), a), report.WithoutTimings(e.Name(), b)) {
			t.Errorf("%s differs between the merged shards and one run", e.Name())
		}
		compared++
	}
	if compared < 10 {
		t.Fatalf("only %d files compared", compared)
	}
}
