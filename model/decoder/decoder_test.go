package decoder

import (
	"math"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

var levels = []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}

// population simulates number units with Gaussian tuning on the log2 axis (σ = 0.6
// octaves, as in the papers' log-scale fits), preferred numerosities spread over the
// levels, and response noise proportional to the mean plus a floor.
type population struct {
	pn    []float64
	noise float64
	r     *rng.Rand
}

func newPopulation(units int, seed uint64) *population {
	p := &population{r: rng.New(seed), noise: 0.25}
	for u := 0; u < units; u++ {
		p.pn = append(p.pn, math.Log2(float64(levels[u%len(levels)])))
	}
	return p
}

func (p *population) sample(n int) Sample {
	x := math.Log2(float64(n))
	r := make([]float32, len(p.pn))
	for u, c := range p.pn {
		m := math.Exp(-(x-c)*(x-c)/(2*0.6*0.6)) + 0.1
		r[u] = float32(math.Max(0, m+p.noise*(0.3+m)*p.r.Normal()))
	}
	return Sample{N: n, R: r}
}

func (p *population) draw(perLevel int) []Sample {
	var s []Sample
	for i := 0; i < perLevel; i++ {
		for _, n := range levels {
			s = append(s, p.sample(n))
		}
	}
	return s
}

func fitBoth(t *testing.T, units int) (Decoder, Decoder, []Sample) {
	p := newPopulation(units, 3)
	train, held, test := p.draw(30), p.draw(20), p.draw(20)
	tun, err := TuningFrom(levels, train)
	if err != nil {
		t.Fatal(err)
	}
	lik, err := NewLikelihood(tun, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if err := lik.FitTau(held); err != nil {
		t.Fatal(err)
	}
	ro, err := NewReadout(train, held, 1e-2)
	if err != nil {
		t.Fatal(err)
	}
	return lik, ro, test
}

func TestDecodersRecoverNumerosity(t *testing.T) {
	lik, ro, test := fitBoth(t, 64)
	for _, d := range []Decoder{lik, ro} {
		cov, med := Coverage(d, test)
		t.Logf("%s: coverage %.2f, median |rel err| %.3f", d.Name(), cov, med)
		if med > 0.2 {
			t.Errorf("%s: median relative error %.3f > 0.2", d.Name(), med)
		}
		if cov < 0.5 || cov > 0.9 {
			t.Errorf("%s: 68%% interval covers %.2f of held-out samples", d.Name(), cov)
		}
	}
}

// TestIntervalWidensWithNumber checks the Weber-Fechner property: the interval's width
// grows with the number it is about.
func TestIntervalWidensWithNumber(t *testing.T) {
	lik, ro, _ := fitBoth(t, 64)
	p := newPopulation(64, 99)
	for _, d := range []Decoder{lik, ro} {
		width := func(n int) float64 {
			w := 0.0
			for i := 0; i < 40; i++ {
				e := d.Decode(p.sample(n).R)
				w += e.Hi - e.Lo
			}
			return w / 40
		}
		w2, w20 := width(2), width(20)
		if !(w20 > 2*w2) {
			t.Errorf("%s: interval width %.2f at 2, %.2f at 20: does not widen with the number", d.Name(), w2, w20)
		}
		e := d.Decode(p.sample(12).R)
		if !(e.Lo <= e.Value && e.Value <= e.Hi && e.Lo >= 1 && e.Hi <= MaxN) {
			t.Errorf("%s: malformed estimate %+v", d.Name(), e)
		}
	}
}

func TestDecodeDoesNotAllocate(t *testing.T) {
	lik, ro, test := fitBoth(t, 32)
	for _, d := range []Decoder{lik, ro} {
		r := test[0].R
		if a := testing.AllocsPerRun(100, func() { d.Decode(r) }); a != 0 {
			t.Errorf("%s: Decode allocates %.0f times", d.Name(), a)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	lik, ro, test := fitBoth(t, 32)
	for _, d := range []Decoder{lik, ro} {
		b, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		d2, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		for _, s := range test[:20] {
			// The likelihood decoder stores its tuning as float32: equal to ~1e-6.
			if a, b := d.Decode(s.R), d2.Decode(s.R); math.Abs(a.Value-b.Value) > 1e-5*a.Value || math.Abs(a.Lo-b.Lo) > 1e-5*a.Lo || math.Abs(a.Hi-b.Hi) > 1e-5*a.Hi {
				t.Fatalf("%s: decoded %+v before, %+v after a round trip", d.Name(), a, b)
			}
		}
		for _, cut := range []int{0, 3, 6, 10, len(b) / 2, len(b) - 1} {
			if _, err := Unmarshal(b[:cut]); err == nil {
				t.Errorf("%s: truncated to %d bytes decoded without error", d.Name(), cut)
			}
		}
		c := d.Clone()
		if c.Decode(test[1].R) != d.Decode(test[1].R) {
			t.Errorf("%s: clone decodes differently", d.Name())
		}
	}
}

func TestTuningFromRejectsBadSamples(t *testing.T) {
	if _, err := TuningFrom(levels, nil); err == nil {
		t.Error("no samples accepted")
	}
	if _, err := TuningFrom(levels, []Sample{{N: 3, R: []float32{1}}}); err == nil {
		t.Error("numerosity 3 is not a level, yet accepted")
	}
}

func FuzzUnmarshal(f *testing.F) {
	p := newPopulation(4, 1)
	train, held := p.draw(3), p.draw(3)
	tun, _ := TuningFrom(levels, train)
	lik, _ := NewLikelihood(tun, 0.1)
	ro, _ := NewReadout(train, held, 0.1)
	for _, d := range []Decoder{lik, ro} {
		b, _ := d.MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte("NSDC\x01\x01\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Unmarshal(b)
		if err == nil {
			d.Decode(make([]float32, 1<<17))
		}
	})
}

// Two interval widths: Decode gives the camera pictures' (Sigma, Tau), the copy
// of ForSilhouettes the held-out stimuli's; both survive MarshalBinary, and a
// version 1 section (one width) reads with both the same.
func TestTwoIntervals(t *testing.T) {
	lik, ro, test := fitBoth(t, 32)
	r, l := ro.(*Readout), lik.(*Likelihood)
	if r.Sigma != r.SigmaStimuli || l.Tau != l.TauStimuli {
		t.Fatalf("fitted decoders: sigma %g/%g, tau %g/%g", r.Sigma, r.SigmaStimuli, l.Tau, l.TauStimuli)
	}
	r.SigmaStimuli /= 2
	l.TauStimuli = 1 // sharper than the fitted (small) temperature
	for _, d := range []Decoder{r, l} {
		wide, narrow := d.Decode(test[7].R), d.ForSilhouettes().Decode(test[7].R)
		// (the readout's point estimate does not depend on the width; the
		// likelihood's posterior median does on its temperature)
		if (d.Name() == "readout" && narrow.Value != wide.Value) || !(wide.Hi-wide.Lo > narrow.Hi-narrow.Lo) {
			t.Errorf("%s: camera interval %+v, silhouettes' %+v", d.Name(), wide, narrow)
		}
		b, _ := d.MarshalBinary()
		back, err := Unmarshal(b)
		if err != nil {
			t.Fatal(err)
		}
		// (the likelihood stores its tuning as float32: equal to a few ulps)
		if e := back.Decode(test[7].R); !sameEst(e, wide) {
			t.Errorf("%s after a round trip: %+v, want %+v", d.Name(), e, wide)
		}
		if e := back.ForSilhouettes().Decode(test[7].R); !sameEst(e, narrow) {
			t.Errorf("%s after a round trip, for silhouettes: %+v, want %+v", d.Name(), e, narrow)
		}
		// Version 1: drop the second width (the 8 bytes after the first) and the
		// version byte.
		at := 6 + 4 + 8 // readout: units, intercept, then Sigma
		if d.Name() == "likelihood" {
			at = 6 + 4 + 4 + 4*len(levels) // units, levels, the levels, then Tau
		}
		v1 := append(append([]byte(nil), b[:at+8]...), b[at+16:]...)
		v1[5] = 1
		old, err := Unmarshal(v1)
		if err != nil {
			t.Fatalf("%s version 1: %v", d.Name(), err)
		}
		if e := old.ForSilhouettes().Decode(test[7].R); !sameEst(e, wide) {
			t.Errorf("%s version 1 for silhouettes: %+v, want the one width %+v", d.Name(), e, wide)
		}
	}
	if _, err := Unmarshal(append([]byte("NSDC\x02\x03"), make([]byte, 40)...)); err == nil {
		t.Error("version 3 accepted")
	}
}

func sameEst(a, b Estimate) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-6*math.Abs(y) }
	return near(a.Value, b.Value) && near(a.Lo, b.Lo) && near(a.Hi, b.Hi)
}
