package stimulus

import (
	"fmt"
	"testing"
)

// BenchmarkDraw measures one Draw per set at a small, middle and the largest
// numerosity. Control1 at N = 30 is the slow case: its density window passes
// about 2 % of configurations, so ~50 configurations are placed per image.
func BenchmarkDraw(b *testing.B) {
	for _, s := range allSets {
		for _, n := range []int{1, 12, 30} {
			b.Run(fmt.Sprintf("%s/n=%d", s, n), func(b *testing.B) {
				g := New(1)
				img := NewImage()
				b.ReportAllocs()
				attempts := 0
				for b.Loop() {
					if _, err := g.Draw(s, n, img); err != nil {
						b.Fatal(err)
					}
					attempts += g.attempts
				}
				b.ReportMetric(float64(attempts)/float64(b.N), "attempts/op")
			})
		}
	}
}

// BenchmarkDrawAll is one image of every set at every numerosity (64 images), the
// unit of a stimulus sweep.
func BenchmarkDrawAll(b *testing.B) {
	g := New(1)
	img := NewImage()
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range allSets {
			for _, n := range Numerosities {
				if _, err := g.Draw(s, n, img); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/64, "ns/image")
}
