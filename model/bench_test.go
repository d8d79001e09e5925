package model

import (
	"fmt"
	"runtime"
	"sort"
	"testing"

	"github.com/numsense/numsense/model/kernel"
)

func benchThreads() []int {
	if n := runtime.GOMAXPROCS(0); n > 1 {
		return []int{1, n}
	}
	return []int{1}
}

// BenchmarkLayer times each conv stage alone (im2col, kernel.Gemm, requantisation)
// and reports MAC/s.
func BenchmarkLayer(b *testing.B) {
	q := testQNet(b)
	img := localDots(31, 12)
	stages := [NumConv]int{stConv1, stConv2, stConv3, stConv4, stConv5}
	for _, th := range benchThreads() {
		for li, l := range Arch {
			b.Run(fmt.Sprintf("%s/threads=%d", l.Name, th), func(b *testing.B) {
				e := NewEngine(q, th)
				defer e.Close()
				if err := e.Run(img); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					e.runStage(stages[li])
				}
				b.ReportMetric(float64(l.MACs())*float64(b.N)/b.Elapsed().Seconds(), "MAC/s")
			})
		}
	}
}

// BenchmarkEngineFrame times a whole int8 frame (conv1..relu5).
func BenchmarkEngineFrame(b *testing.B) {
	q := testQNet(b)
	img := localDots(32, 12)
	for _, th := range benchThreads() {
		b.Run(fmt.Sprintf("threads=%d", th), func(b *testing.B) {
			e := NewEngine(q, th)
			defer e.Close()
			e.Run(img)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := e.Run(img); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(TotalMACs())*float64(b.N)/b.Elapsed().Seconds(), "MAC/s")
		})
	}
}

// BenchmarkStage times the non-conv stages (integer LRN with the int8 max-pool after
// it) on 1 thread and on all of them, as in a frame (docs/performance.md 3.5).
func BenchmarkStage(b *testing.B) {
	q := testQNet(b)
	img := localDots(34, 12)
	for _, th := range benchThreads() {
		for _, s := range []struct {
			name string
			st   int
		}{{"normpool1", stNormPool1}, {"normpool2", stNormPool2}} {
			b.Run(fmt.Sprintf("%s/threads=%d", s.name, th), func(b *testing.B) {
				e := NewEngine(q, th)
				defer e.Close()
				e.Run(img)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					e.runStage(s.st)
				}
			})
		}
	}
}

// gemms runs the GEMMs of the last frame again, exactly as Engine.conv calls
// kernel.Gemm for a 1-thread engine (same operands and output buffers), and nothing
// else.
func (e *Engine) gemms() {
	for li := range Arch {
		l, c := &Arch[li], &e.q.Conv[li]
		sh := e.share[li][0]
		kp, n, og := kernel.PadK(l.KDim()), sh.j1-sh.j0, l.OutPerGroup()
		for g := sh.o0 / og; g*og < sh.o1; g++ {
			lo, hi := max(sh.o0, g*og), min(sh.o1, (g+1)*og)
			kernel.Gemm(hi-lo, n, kp, c.a[lo*kp:hi*kp], e.col[li][0][:n*kp], c.bias[lo:hi], e.acc[0][(lo-sh.o0)*n:], n)
		}
	}
}

// BenchmarkFrameOverGemm times, on one locked thread and by its CPU time, whole
// frames and the same frames' GEMMs alone, alternately, and reports the medians of
// both and of their ratio per iteration (frame/gemm: x86_frame_over_gemm in
// .ci/bench, target <= 1.3; medians, because on a shared machine a time slice of
// another process can land in either half). Sub-benchmarks: the default Gemm and,
// where it is not the default, avx2 (kernel.Use), each with the default stage
// implementation and with the portable one ("go"); the names say which ran, and
// with -v the log line lists the CPU's SIMD features.
func BenchmarkFrameOverGemm(b *testing.B) {
	q := testQNet(b)
	img := localDots(35, 12)
	defGemm, defStages := kernel.Name(), kernel.StageName()
	defer kernel.Use(defGemm)
	defer kernel.UseStages(defStages)
	gemms := []string{defGemm}
	for _, im := range kernel.Impls() {
		if im.Name == "avx2" && defGemm != "avx2" {
			gemms = append(gemms, "avx2")
		}
	}
	stages := []string{defStages}
	if defStages != "go" {
		stages = append(stages, "go")
	}
	b.Logf("cpu: %s", cpuFeatures())
	for _, g := range gemms {
		for _, st := range stages {
			b.Run("gemm="+g+"/stages="+st, func(b *testing.B) {
				if err := kernel.Use(g); err != nil {
					b.Fatal(err)
				}
				if err := kernel.UseStages(st); err != nil {
					b.Fatal(err)
				}
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				e := NewEngine(q, 1)
				defer e.Close()
				if err := e.Run(img); err != nil {
					b.Fatal(err)
				}
				frame, gemm, ratio := make([]float64, b.N), make([]float64, b.N), make([]float64, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := threadCPU()
					if err := e.Run(img); err != nil {
						b.Fatal(err)
					}
					t1 := threadCPU()
					e.gemms()
					frame[i], gemm[i] = t1-t0, threadCPU()-t1
					if gemm[i] > 0 {
						ratio[i] = frame[i] / gemm[i]
					}
				}
				b.StopTimer()
				if median(gemm) > 0 {
					b.ReportMetric(median(frame)*1e3, "frame-cpu-ms")
					b.ReportMetric(median(gemm)*1e3, "gemm-cpu-ms")
					b.ReportMetric(median(ratio), "frame/gemm")
				}
			})
		}
	}
}

// median returns the median of x (which it sorts).
func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	sort.Float64s(x)
	if n := len(x); n%2 == 0 {
		return (x[n/2-1] + x[n/2]) / 2
	}
	return x[len(x)/2]
}
