package web

import "time"

func testEstimate() *Estimate {
	act := []float64{0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.8, 0.6, 0.4, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1}
	return &Estimate{Time: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), State: "estimating", Value: 11.6, Shown: 12, Lo: 9.1, Hi: 15.2,
		Fused: 3, TrueCount: 12, Latency: 31 * time.Millisecond, Activity: act, ClassActivity: act[:5]}
}
