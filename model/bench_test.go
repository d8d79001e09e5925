package model

import (
	"fmt"
	"runtime"
	"testing"
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
