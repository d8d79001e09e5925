package display

import (
	"image"
	"math"
	"time"
)

// pns are the preferred numerosities of Kim et al. (2021).
var pns = []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}

// tuning returns the activity of number units tuned to pns for a stimulus of
// n items: Gaussian tuning on a log scale, as in the paper's figures.
func tuning(n float64) []float64 {
	a := make([]float64, len(pns))
	for i, p := range pns {
		d := math.Log2(float64(p)) - math.Log2(n)
		a[i] = 0.15 + 0.8*math.Exp(-d*d/(2*0.35*0.35))
	}
	return a
}

// discs draws n filled discs of radius rad on a 227x227 black image.
func discs(n int, rad int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, 227, 227))
	for i := 0; i < n; i++ {
		cx := 30 + (i*53)%170
		cy := 30 + (i*37+(i/3)*29)%170
		for y := cy - rad; y <= cy+rad; y++ {
			for x := cx - rad; x <= cx+rad; x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= rad*rad && x >= 0 && y >= 0 && x < 227 && y < 227 {
					img.Pix[y*img.Stride+x] = 0xFF
				}
			}
		}
	}
	return img
}

var sampleTime = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// sample returns a representative reading in state st.
func sample(st State) Reading {
	r := Reading{State: st, Time: sampleTime, Numerosities: pns}
	switch st {
	case Estimating:
		r.Value, r.Lo, r.Hi = 12.3, 9, 15
		r.Activity = tuning(12)
		r.Silhouette = discs(12, 9)
	case Unstable:
		r.Value, r.Lo, r.Hi = 7.6, 5, 11
		r.Activity = tuning(7.6)
		r.Silhouette = discs(8, 11)
	}
	return r
}

var allStates = []State{Starting, Estimating, Unstable, Empty, CameraLost, Stopped}
