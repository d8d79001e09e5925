package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/defaultmodel"
)

// TestModelNewMatchesEmbedded: model new --seed 1 gives bit for bit the network of
// the embedded (calibrated) seed-1 model, and model info describes it.
func TestModelNewMatchesEmbedded(t *testing.T) {
	var so, se bytes.Buffer
	if testing.Short() {
		// Under emulation the 16 float calibration passes of model new take minutes:
		// check the description of the embedded model and the error path only.
		if code := runMain([]string{"model", "info"}, &so, &se); code != 0 || !strings.Contains(so.String(), "number units:") {
			t.Errorf("model info (embedded): exit %d\n%s", code, so.String())
		}
		if code := runMain([]string{"model", "info", filepath.Join(t.TempDir(), "nope.nsm")}, &so, &se); code != 1 || !strings.Contains(se.String(), "nope.nsm") {
			t.Errorf("missing file: exit %d, %s", code, se.String())
		}
		return
	}
	p := filepath.Join(t.TempDir(), "m.nsm")
	if code := runMain([]string{"model", "new", "--seed", "1", "-o", p}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	got, err := model.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	want, err := defaultmodel.Load()
	if err != nil {
		t.Fatal(err)
	}
	for li := 0; li < model.NumConv; li++ {
		a, b := got.Q.Conv[li], want.Q.Conv[li]
		if !bytes.Equal(i8(a.W), i8(b.W)) || a.OutScale != b.OutScale || a.InScale != b.InScale {
			t.Fatalf("conv%d differs from the embedded seed-1 network", li+1)
		}
	}
	so.Reset()
	if code := runMain([]string{"model", "info", p}, &so, &se); code != 0 || !strings.Contains(so.String(), "no number-unit map") || !strings.Contains(so.String(), "595") {
		t.Errorf("model info: exit %d\n%s", code, so.String())
	}
	so.Reset()
	if code := runMain([]string{"model", "info"}, &so, &se); code != 0 || !strings.Contains(so.String(), "number units:") {
		t.Errorf("model info (embedded): exit %d\n%s", code, so.String())
	}
	se.Reset()
	if code := runMain([]string{"model", "info", filepath.Join(t.TempDir(), "nope.nsm")}, &so, &se); code != 1 || !strings.Contains(se.String(), "nope.nsm") {
		t.Errorf("missing file: exit %d, %s", code, se.String())
	}
}

func i8(v []int8) []byte {
	b := make([]byte, len(v))
	for i, x := range v {
		b[i] = byte(x)
	}
	return b
}
