package estimate

import (
	"fmt"
	"testing"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/model/internal/dots"
)

// BenchmarkEstimate is the whole estimate of the embedded model from a silhouette
// (every network of its population on every view, the units averaged, the
// decoder: Estimator.Silhouette), on one thread and on all cores; and a tracker's
// frame from a 640x480 YUYV camera frame, front end included. 0 allocations.
func BenchmarkEstimate(b *testing.B) {
	img := dots.Random(1, 12)
	for _, th := range []int{1, 0} {
		b.Run(fmt.Sprintf("silhouette/threads=%d", th), func(b *testing.B) {
			e, err := New(testModel(b), Options{Threads: th})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			if _, err := e.Silhouette(img); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := e.Silhouette(img); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("frame/threads=0", func(b *testing.B) {
		e, err := New(testModel(b), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close()
		tr, err := e.NewTracker(TrackerOpts{})
		if err != nil {
			b.Fatal(err)
		}
		defer tr.Close()
		src := camera.NewSynthetic(&camera.Opts{Width: 640, Height: 480, Synthetic: camera.SyntheticOpts{Seed: 1, Counts: []int{12}, Hand: -1}})
		defer src.Close()
		var f camera.Frame
		if err := src.Next(b.Context(), &f); err != nil {
			b.Fatal(err)
		}
		tr.Update(&f)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := tr.Update(&f); err != nil {
				b.Fatal(err)
			}
		}
	})
}
