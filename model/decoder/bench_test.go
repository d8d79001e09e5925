package decoder

import (
	"fmt"
	"testing"

	"github.com/numsense/numsense/model/defaultmodel"
)

// BenchmarkDecode times one Decode per frame: the two decoders of the embedded
// default model (their real unit count) on responses drawn from a simulated
// population of the same size, and both decoders fitted on a 64-unit simulation.
func BenchmarkDecode(b *testing.B) {
	f, err := defaultmodel.Load()
	if err != nil {
		b.Fatal(err)
	}
	type bench struct {
		name string
		d    Decoder
	}
	var cases []bench
	for _, sec := range []string{"decoder.likelihood", "decoder.readout"} {
		data, ok := f.Sections[sec]
		if !ok {
			b.Fatalf("default model has no section %q", sec)
		}
		d, err := Unmarshal(data)
		if err != nil {
			b.Fatalf("section %q: %v", sec, err)
		}
		cases = append(cases, bench{"default/" + d.Name(), d})
	}
	p := newPopulation(64, 5)
	train, held := p.draw(20), p.draw(10)
	tun, err := TuningFrom(levels, train)
	if err != nil {
		b.Fatal(err)
	}
	lik, err := NewLikelihood(tun, 0.1)
	if err != nil {
		b.Fatal(err)
	}
	if err := lik.FitTau(held); err != nil {
		b.Fatal(err)
	}
	ro, err := NewReadout(train, held, 1e-2)
	if err != nil {
		b.Fatal(err)
	}
	cases = append(cases, bench{"sim64/likelihood", lik}, bench{"sim64/readout", ro})
	for _, c := range cases {
		k := units(c.d)
		r := newPopulation(k, 9).sample(12).R
		b.Run(fmt.Sprintf("%s/units=%d", c.name, k), func(b *testing.B) {
			b.ReportAllocs()
			var e Estimate
			for i := 0; i < b.N; i++ {
				e = c.d.Decode(r)
			}
			if !(e.Lo <= e.Value && e.Value <= e.Hi) {
				b.Fatalf("estimate %+v: interval does not hold the value", e)
			}
		})
	}
}

func units(d Decoder) int {
	switch d := d.(type) {
	case *Likelihood:
		return d.Units()
	case *Readout:
		return d.k
	}
	panic(fmt.Sprintf("unknown decoder %T", d))
}
