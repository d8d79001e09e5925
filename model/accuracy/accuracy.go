// Package accuracy defines, once for the whole project, the figures by which
// estimates are judged against true counts: numsense bench, numsense calibrate
// and numsense reproduce all report these and only these.
//
// For an estimate v with 68 % interval [lo, hi] of a true count n >= 1:
//
//   - relative error |v - n| / n; its median and mean over the samples;
//   - coverage: the share of samples with lo <= n <= hi (a tolerance of 1e-9 for
//     intervals computed in floating point);
//   - log ratio ln(v / n), with an estimate below 0.5 (an empty verdict) counted as
//     0.5 so that it stays finite; the log bias is its mean and the Weber fraction
//     its sample standard deviation: the noise of a scale-invariant estimator
//     v = n exp(N(bias, w^2)), comparable with the Weber fractions of people and
//     animals estimating without counting.
//
// Samples without truth (n < 1) are left out of every figure.
package accuracy

import (
	"math"
	"slices"
)

// Sample is one estimate of a labelled picture.
type Sample struct {
	True     int     // the true count (< 1: unknown)
	Estimate float64 // the decoded value
	Lo, Hi   float64 // its 68 % interval
}

// RelErr is |estimate - n| / n.
func RelErr(estimate float64, n int) float64 {
	return math.Abs(estimate-float64(n)) / float64(n)
}

// Inside reports whether n lies in [lo, hi].
func Inside(n int, lo, hi float64) bool {
	return float64(n) >= lo-1e-9 && float64(n) <= hi+1e-9
}

// LogRatio is ln(estimate / n), an estimate below 0.5 counting as 0.5.
func LogRatio(estimate float64, n int) float64 {
	return math.Log(math.Max(estimate, 0.5) / float64(n))
}

// Figures summarise the labelled samples of a set. Every figure is NaN when there
// are no labelled samples (and the Weber fraction with fewer than two).
type Figures struct {
	Labelled      int     `json:"labelled"`
	MedianRelErr  float64 `json:"median_abs_rel_error"`
	MeanRelErr    float64 `json:"mean_abs_rel_error"`
	Coverage      float64 `json:"interval_coverage"`
	LogBias       float64 `json:"log_bias"`
	WeberFraction float64 `json:"weber_fraction"`
}

// Of computes the figures of the labelled samples.
func Of(samples []Sample) Figures {
	var rel, logs []float64
	in := 0
	for _, s := range samples {
		if s.True < 1 {
			continue
		}
		rel = append(rel, RelErr(s.Estimate, s.True))
		logs = append(logs, LogRatio(s.Estimate, s.True))
		if Inside(s.True, s.Lo, s.Hi) {
			in++
		}
	}
	f := Figures{Labelled: len(rel), MedianRelErr: Median(rel), MeanRelErr: Mean(rel),
		LogBias: Mean(logs), WeberFraction: SD(logs), Coverage: math.NaN()}
	if len(rel) > 0 {
		f.Coverage = float64(in) / float64(len(rel))
	}
	return f
}

// Median is the median of x (the mean of the two middle values for an even
// count), NaN for none. x is not modified.
func Median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	c := slices.Clone(x)
	slices.Sort(c)
	n := len(c)
	if n%2 == 1 {
		return c[n/2]
	}
	return (c[n/2-1] + c[n/2]) / 2
}

// Quantile is the nearest-rank q-quantile of x (0 < q <= 1), NaN for none.
func Quantile(x []float64, q float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	c := slices.Clone(x)
	slices.Sort(c)
	i := int(math.Ceil(q*float64(len(c)))) - 1
	return c[max(0, min(i, len(c)-1))]
}

// Mean is the arithmetic mean of x, NaN for none.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// SD is the sample standard deviation of x (denominator n-1), NaN for fewer than two.
func SD(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	m := Mean(x)
	ss := 0.0
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return math.Sqrt(ss / float64(len(x)-1))
}

// Pearson is the correlation coefficient of a and b (the same length), NaN when
// either is constant. It sums in float64.
func Pearson(a, b []float32) float64 {
	var ma, mb float64
	for i := range a {
		ma += float64(a[i])
		mb += float64(b[i])
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		x, y := float64(a[i])-ma, float64(b[i])-mb
		sab += x * y
		saa += x * x
		sbb += y * y
	}
	if saa == 0 || sbb == 0 {
		return math.NaN()
	}
	return sab / math.Sqrt(saa*sbb)
}
