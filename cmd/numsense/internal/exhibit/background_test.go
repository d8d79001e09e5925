package exhibit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/frontend"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
)

// TestRunKeepsLearnedTable: a camera over an empty table learns it, the exhibit
// writes it into the state directory, and the next start reads it back.
func TestRunKeepsLearnedTable(t *testing.T) {
	f, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	m, err := estimate.FromFile(f)
	if err != nil {
		t.Fatal(err)
	}
	e, err := estimate.New(m, estimate.Options{FrontEnd: &frontend.Opts{Learn: frontend.Learn{Frames: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	path := filepath.Join(t.TempDir(), BackgroundFile)
	for run := 0; run < 2; run++ {
		src := camera.NewSynthetic(&camera.Opts{Width: 320, Height: 240,
			Synthetic: camera.SyntheticOpts{Seed: 5, Counts: []int{0}, Every: 1000, Hand: -1}})
		var log syncBuf
		err := Run(context.Background(), Options{Estimator: e, Source: src, Display: &recDisplay{},
			Frames: 6, Log: &log, Background: path})
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(path)
		if err != nil || st.Size() < 320*240 {
			t.Fatalf("run %d: the learned table was not kept: %v\n%s", run, err, log.String())
		}
		if want := "learned table read"; run == 1 && !strings.Contains(log.String(), want) {
			t.Errorf("second run: no %q in the log:\n%s", want, log.String())
		}
	}
	// A damaged file is reported and learned anew, not fatal.
	os.WriteFile(path, []byte("rubbish"), 0o644)
	var log syncBuf
	src := camera.NewSynthetic(&camera.Opts{Width: 320, Height: 240, Synthetic: camera.SyntheticOpts{Seed: 5, Counts: []int{0}, Hand: -1}})
	if err := Run(context.Background(), Options{Estimator: e, Source: src, Display: &recDisplay{}, Frames: 6, Log: &log, Background: path}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "learning it again") {
		t.Errorf("a damaged file was not reported:\n%s", log.String())
	}
	if b, _ := os.ReadFile(path); len(b) < 320*240 {
		t.Error("the damaged file was not replaced by the table learned anew")
	}
}
