package numunits

import (
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// fillANOVA adds levels*sets*n images of synthetic ReLU-like responses.
func fillANOVA(tb testing.TB, levels, sets, n, units int) *ANOVA {
	tb.Helper()
	s, err := NewANOVA(levels, sets, units)
	if err != nil {
		tb.Fatal(err)
	}
	r := rng.New(7)
	resp := make([]float32, units)
	for i := 0; i < levels; i++ {
		for j := 0; j < sets; j++ {
			for k := 0; k < n; k++ {
				for u := range resp {
					v := float32(u%7) + float32(i*(u%3))*0.05 + float32(r.Normal())
					if u%11 == 0 {
						v = 0 // dead unit
					}
					resp[u] = max(v, 0)
				}
				if err := s.Add(j, i, resp); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	return s
}

// BenchmarkANOVAResult measures the ANOVA (SS, F and exact p of all three
// terms) at full size: 43,264 relu5 units, 16 numerosities x 3 sets x 50.
func BenchmarkANOVAResult(b *testing.B) {
	units, n := 43264, 50
	if testing.Short() {
		units, n = 2048, 4
	}
	s := fillANOVA(b, 16, 3, n, units)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/anova")
}

// BenchmarkANOVAAdd measures accumulating one image of 43,264 responses.
func BenchmarkANOVAAdd(b *testing.B) {
	s, _ := NewANOVA(16, 3, 43264)
	resp := make([]float32, 43264)
	for i := range resp {
		resp[i] = float32(i % 13)
	}
	b.ReportAllocs()
	b.SetBytes(int64(4 * len(resp)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.Add(i%3, (i/3)%16, resp)
	}
}

// BenchmarkANOVAAddInt8 is BenchmarkANOVAAdd for int8 codes.
func BenchmarkANOVAAddInt8(b *testing.B) {
	s, _ := NewANOVA(16, 3, 43264)
	q := make([]int8, 43264)
	for i := range q {
		q[i] = int8(i%200 - 100)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(q)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.AddInt8(i%3, (i/3)%16, q, 0.05, -128)
	}
}

// BenchmarkCompareTaskSize runs one repetition of the comparison task at the
// paper's size: 50 images per numerosity in T and V, 100 pairs per sample
// numerosity (1,600 pairs), 256 of 512 synthetic log-tuned units.
func BenchmarkCompareTaskSize(b *testing.B) {
	perN, pairs, pool, units := 50, 100, 512, 256
	if testing.Short() {
		perN, pairs, pool, units = 10, 20, 64, 32
	}
	r := rng.New(1)
	T := synthResponses(r, synthImages(r, perN), pool, 2, logTuned)
	V := synthResponses(r, synthImages(r, perN), pool, 2, logTuned)
	b.ReportAllocs()
	b.ResetTimer()
	var res *TaskResult
	for i := 0; i < b.N; i++ {
		var err error
		res, err = Compare(T, V, T.Units, Numerosities, TaskOpts{PairsPerSample: pairs, Units: units, Reps: 1, Seed: uint64(i)})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(res.Mean, "accuracy")
}
