package bench

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/numsense/numsense/model/accuracy"
)

// Group holds the figures of the labelled frames that share one value of a label:
// a column of counts.csv beyond file and count whose values are not all numbers
// (numsense scenes writes kind, table, layout, size and array).
type Group struct {
	Label            string   `json:"label"`
	Value            string   `json:"value"`
	Frames           int      `json:"frames"`
	MedianAbsRelErr  *float64 `json:"median_abs_rel_error"`
	IntervalCoverage *float64 `json:"interval_coverage"`
	LogBias          *float64 `json:"log_bias"`
	EmptyWithObjects *float64 `json:"empty_with_objects"`
}

// emptyShare is the share of rows with objects (true count >= 1) that came out
// empty; NaN when there are none.
func emptyShare(rows []Row) float64 {
	n, e := 0, 0
	for _, r := range rows {
		if r.True >= 1 {
			n++
			if r.State == "empty" {
				e++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(e) / float64(n)
}

// groups breaks the labelled rows down by every label column, columns in name
// order, values in order (numbers by value).
func groups(rows []Row) []Group {
	by := map[string]map[string][]Row{}
	numeric := map[string]bool{}
	for _, r := range rows {
		if r.True < 1 {
			continue
		}
		for k, v := range r.Labels {
			if by[k] == nil {
				by[k] = map[string][]Row{}
				numeric[k] = true
			}
			by[k][v] = append(by[k][v], r)
			if _, err := strconv.ParseFloat(v, 64); err != nil && v != "" {
				numeric[k] = false
			}
		}
	}
	var labels []string
	for k := range by {
		if !numeric[k] {
			labels = append(labels, k)
		}
	}
	sort.Strings(labels)
	var out []Group
	for _, k := range labels {
		var vals []string
		for v := range by[k] {
			vals = append(vals, v)
		}
		sort.Slice(vals, func(i, j int) bool { return lessValue(vals[i], vals[j]) })
		for _, v := range vals {
			rs := by[k][v]
			f := accuracy.Of(samples(rs))
			out = append(out, Group{Label: k, Value: v, Frames: len(rs), MedianAbsRelErr: finite(f.MedianRelErr),
				IntervalCoverage: finite(f.Coverage), LogBias: finite(f.LogBias), EmptyWithObjects: finite(emptyShare(rs))})
		}
	}
	return out
}

// lessValue orders label values: by their leading number when both have one
// ("2-5%" before "10-25%"), else as text.
func lessValue(a, b string) bool {
	na, oka := leadingNumber(a)
	nb, okb := leadingNumber(b)
	if oka && okb && na != nb {
		return na < nb
	}
	return a < b
}

func leadingNumber(s string) (float64, bool) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	return v, err == nil
}

// printGroups writes the figures per label value.
func printGroups(w io.Writer, gs []Group) {
	f := func(p *float64, scale float64, format string) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf(format, *p*scale)
	}
	last := ""
	for _, g := range gs {
		if g.Label != last {
			fmt.Fprintf(w, "by %-12s %6s %10s %8s %9s %7s\n", g.Label+":", "frames", "med |rel|", "inside", "log bias", "empty")
			last = g.Label
		}
		fmt.Fprintf(w, "   %-12s %6d %10s %8s %9s %7s\n", g.Value, g.Frames, f(g.MedianAbsRelErr, 1, "%.3f"),
			f(g.IntervalCoverage, 100, "%.0f%%"), f(g.LogBias, 1, "%+.3f"), f(g.EmptyWithObjects, 100, "%.1f%%"))
	}
}
