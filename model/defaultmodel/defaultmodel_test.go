package defaultmodel

import (
	"math"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/floatnet"
	"github.com/numsense/numsense/model/unitmap"
)

func load(t *testing.T) (*model.File, *unitmap.Map) {
	t.Helper()
	f, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var m unitmap.Map
	if err := m.UnmarshalBinary(f.Sections[estimate.SectionUnits]); err != nil {
		t.Fatalf("section units: %v", err)
	}
	return f, &m
}

func TestEmbedded(t *testing.T) {
	f, m := load(t)
	if f.Seed != Seed || f.Q.Seed != Seed {
		t.Fatalf("embedded model: seed %d/%d, want %d", f.Seed, f.Q.Seed, Seed)
	}
	if n := len(f.Networks()); n != Networks {
		t.Fatalf("embedded model: %d networks, want %d", n, Networks)
	}
	for k, q := range f.Networks() {
		if !q.FromSeed {
			t.Errorf("network %d: weights stored, want them drawn from the seed (a smaller file)", k)
		}
		if _, ok := f.Sections[estimate.SectionUnitsOf(k)]; !ok {
			t.Errorf("network %d has no number units", k)
		}
	}
	if _, ok := f.Sections[estimate.SectionViews]; ok != (Views != "id") {
		t.Errorf("section views present %v with views %q", ok, Views)
	}
	if len(m.Units) < 1000 || m.LayerUnits != model.Relu5Units {
		t.Fatalf("unit map: %d units of %d", len(m.Units), m.LayerUnits)
	}
	for _, s := range []string{estimate.SectionDecoder, estimate.SectionLikelihood, estimate.SectionReadout} {
		if _, err := decoder.Unmarshal(f.Sections[s]); err != nil {
			t.Fatalf("section %s: %v", s, err)
		}
	}
	c, err := unitmap.UnmarshalClasses(f.Sections[estimate.SectionClasses], m)
	if err != nil || len(c.Classes) == 0 {
		t.Fatalf("section %s: %v (want the cross-validated unit classes)", estimate.SectionClasses, err)
	}
	if _, err := estimate.FromFile(f); err != nil {
		t.Fatal(err)
	}
	if len(Bytes()) > 6<<20 {
		t.Errorf("default.nsm is %d bytes; keep it under 6 MB", len(Bytes()))
	}
}

// TestWeights checks the embedded int8 weights of every network bit for bit
// against the float network of its seed, quantised by the documented rule (per
// output channel, scale = max|w|/127 in float32, q = round(w/scale)): it needs no
// forward pass, so it also runs under emulation (network 0 only, under -short).
func TestWeights(t *testing.T) {
	f, _ := load(t)
	nets := f.Networks()
	if testing.Short() {
		nets = nets[:1]
	}
	for _, q := range nets {
		checkWeights(t, q)
	}
}

func checkWeights(t *testing.T, q *model.QNet) {
	net := floatnet.New(q.Seed)
	for li, l := range model.Arch {
		c := &q.Conv[li]
		kd := l.KDim()
		for o := 0; o < l.Out; o++ {
			row := floatnet.Floats(net.W[li])[o*kd : (o+1)*kd]
			var m float32
			for _, v := range row {
				m = max(m, float32(math.Abs(float64(v))))
			}
			s := m / 127
			if c.WScale[o] != s {
				t.Fatalf("%s channel %d: scale %g, want %g", l.Name, o, c.WScale[o], s)
			}
			for k, v := range row {
				q := int8(max(-127, min(127, math.Round(float64(v/s)))))
				if c.W[o*kd+k] != q {
					t.Fatalf("%s channel %d weight %d: %d, want %d", l.Name, o, k, c.W[o*kd+k], q)
				}
			}
			if li == model.Conv1 {
				want := int32(math.Round(float64(floatnet.Floats(net.B[li])[o]) / float64(float64(c.InScale)*float64(s))))
				if c.Bias[o] != want {
					t.Fatalf("conv1 channel %d: bias %d, want %d", o, c.Bias[o], want)
				}
			} else if c.Bias[o] != 0 {
				t.Fatalf("%s channel %d: bias %d, want 0 (zero biases)", l.Name, o, c.Bias[o])
			}
		}
	}
}
