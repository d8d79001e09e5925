package kernel

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/numsense/numsense/model/rng"
)

// BenchmarkGemm runs every implementation on every AlexNet layer shape and reports
// MAC/s. The reference is left out on the full shapes (it is only there to be right).
func BenchmarkGemm(b *testing.B) {
	r := rng.New(5)
	for _, s := range alexShapes {
		a, bm, bias := operands(r, s.m, s.n, s.kp, s.kp)
		c := make([]int32, s.m*s.n)
		for _, im := range Impls() {
			if im.Name == "ref" {
				continue
			}
			b.Run(im.Name+"/"+s.name, func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ReportAllocs()
				t0 := threadCPU()
				for b.Loop() {
					im.Gemm(s.m, s.n, s.kp, a, bm, bias, c, s.n)
				}
				report(b, float64(s.m)*float64(s.n)*float64(s.kp), threadCPU()-t0)
			})
		}
	}
}

// BenchmarkGemmNetwork runs the GEMMs of one whole grey-input frame (conv2, conv4 and
// conv5 twice: two groups) and reports the time per frame and GMAC/s.
func BenchmarkGemmNetwork(b *testing.B) {
	r := rng.New(6)
	type prob struct {
		m, kp, n, times int
		a, b            []int8
		bias            []int32
		c               []int32
	}
	var ps []prob
	var macs float64
	for i, s := range alexShapes {
		times := 1
		if i == 1 || i >= 3 {
			times = 2
		}
		a, bm, bias := operands(r, s.m, s.n, s.kp, s.kp)
		ps = append(ps, prob{s.m, s.kp, s.n, times, a, bm, bias, make([]int32, s.m*s.n)})
		macs += float64(times * s.m * s.n * s.kp)
	}
	for _, im := range Impls() {
		if im.Name == "ref" {
			continue
		}
		b.Run(im.Name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ReportAllocs()
			t0 := threadCPU()
			for b.Loop() {
				for _, p := range ps {
					for t := 0; t < p.times; t++ {
						im.Gemm(p.m, p.n, p.kp, p.a, p.b, p.bias, p.c, p.n)
					}
				}
			}
			report(b, macs, threadCPU()-t0)
		})
	}
}

// report adds GMAC/s by wall time and, where the thread's CPU time is known, by CPU
// time (GMAC/s-cpu) and CPU ms per operation, which other processes disturb less.
func report(b *testing.B, macsPerOp, cpu float64) {
	ops := float64(b.N)
	b.ReportMetric(macsPerOp*ops/b.Elapsed().Seconds()/1e9, "GMAC/s")
	if cpu > 0 {
		b.ReportMetric(macsPerOp*ops/cpu/1e9, "GMAC/s-cpu")
		b.ReportMetric(cpu/ops*1e3, "cpu-ms/op")
	}
}

// BenchmarkRequantize requantises one conv1 channel (3025 values) with every
// implementation; a grey frame requantises about 650 k values.
func BenchmarkRequantize(b *testing.B) {
	r := rng.New(8)
	acc := make([]int32, 3025)
	for j := range acc {
		acc[j] = int32(r.IntRange(-1<<20, 1<<20))
	}
	out := make([]int8, len(acc))
	qm, shift := QuantizeMultiplier(0.00123)
	impls := requantImpls()
	impls["ref"] = RequantizeRef
	for name, f := range impls {
		b.Run(name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ReportAllocs()
			t0 := threadCPU()
			for b.Loop() {
				f(acc, qm, shift, -128, -128, out)
			}
			values := float64(b.N) * float64(len(acc))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/values, "ns/value")
			if cpu := threadCPU() - t0; cpu > 0 {
				b.ReportMetric(cpu*1e9/values, "cpu-ns/value")
			}
		})
	}
}

// BenchmarkStages runs every stage implementation on the shapes of one grey frame:
// LRN and max-pool after conv1 and conv2 (all channels), im2col of every conv group
// (all pixels). Figures by the thread's CPU time where known.
func BenchmarkStages(b *testing.B) {
	r := rng.New(11)
	type lrnShape struct {
		name     string
		c, plane int
	}
	shift := uint32(22)
	tab := make([]int32, LRNTabLen)
	for i := range tab {
		tab[i] = int32(r.IntN(1 << 20))
	}
	scratch := make([]uint32, LRNScratchLen)
	for _, im := range StageImpls() {
		if im.Name == "ref" {
			continue
		}
		for _, s := range []lrnShape{{"norm1", 96, 3025}, {"norm2", 256, 729}} {
			x := make([]int8, s.c*s.plane)
			codes(r, x)
			y := make([]int8, len(x))
			b.Run("lrn/"+im.Name+"/"+s.name, func(b *testing.B) {
				stageBench(b, float64(len(x)), func() { im.LRN(x, y, s.c, s.plane, 0, s.c, tab, shift, scratch) })
			})
		}
		for _, s := range []lrnShape{{"pool1", 96, 55}, {"pool2", 256, 27}} {
			x := make([]int8, s.c*s.plane*s.plane)
			codes(r, x)
			y := make([]int8, s.c*(PoolOut(s.plane)+4)*(PoolOut(s.plane)+4))
			b.Run("maxpool/"+im.Name+"/"+s.name, func(b *testing.B) {
				stageBench(b, float64(s.c*PoolOut(s.plane)*PoolOut(s.plane)), func() { im.MaxPool(x, s.plane, 0, s.c, y, 2) })
			})
		}
		for i, g := range im2colGeoms[:4] {
			xp := make([]int8, g.Channels*g.InSize*g.InSize+Im2colSlack)
			codes(r, xp)
			kp, p := PadK(g.KDim()), g.OutSize*g.OutSize
			col := make([]int8, p*kp)
			b.Run(fmt.Sprintf("im2col/%s/conv%d", im.Name, i+1), func(b *testing.B) {
				stageBench(b, float64(p*g.KDim()), func() { im.Im2col(xp, g, 0, p, col, kp) })
			})
		}
	}
}

// stageBench times f on a locked thread and reports nanoseconds per output value
// (by wall time and, where known, by CPU time).
func stageBench(b *testing.B, values float64, f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	t0 := threadCPU()
	for b.Loop() {
		f()
	}
	n := float64(b.N) * values
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/value")
	if cpu := threadCPU() - t0; cpu > 0 {
		b.ReportMetric(cpu*1e9/n, "cpu-ns/value")
		b.ReportMetric(cpu/float64(b.N)*1e3, "cpu-ms/op")
	}
}
