package numunits

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/numsense/numsense/model/rng"
)

// Numerosities are the 16 numerosity levels of Kim et al. 2021, in order of
// their index.
var Numerosities = []int{1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}

// DefaultAlpha is the significance threshold of the paper's unit selection.
const DefaultAlpha = 0.01

// Selection is the classification of every unit of a layer.
type Selection struct {
	Alpha float64
	// Selective lists number-selective units, ascending:
	// p_N < Alpha && p_set > Alpha && p_int > Alpha.
	Selective []int
	// NonSelective lists the "non-selective" control units as coded by the
	// authors (set-selective units): p_N > Alpha && p_set < Alpha && p_int > Alpha.
	NonSelective []int
	// Constant counts units with identical responses to every image (NaN p
	// values); they are in neither list.
	Constant int
	// PN is every unit's preferred numerosity index (argmax over numerosities
	// of the mean response over all images, first index on ties); -1 for
	// constant units.
	PN []int
}

// Select classifies the units of r with threshold alpha (DefaultAlpha if alpha
// <= 0). NaN p values fail every comparison, so constant units fall in neither
// class.
func (r *Result) Select(alpha float64) Selection {
	if alpha <= 0 {
		alpha = DefaultAlpha
	}
	s := Selection{Alpha: alpha, PN: make([]int, r.Units)}
	for u := 0; u < r.Units; u++ {
		if r.Constant[u] {
			s.Constant++
			s.PN[u] = -1
			continue
		}
		s.PN[u] = argmax(r.Mean[u*r.Levels : (u+1)*r.Levels])
		pn, ps, pi := r.PA[u], r.PB[u], r.PAB[u]
		switch {
		case pn < alpha && ps > alpha && pi > alpha:
			s.Selective = append(s.Selective, u)
		case pn > alpha && ps < alpha && pi > alpha:
			s.NonSelective = append(s.NonSelective, u)
		}
	}
	return s
}

// argmax returns the index of the largest value, the first one on ties. NaN
// values are never chosen unless all are NaN (then 0).
func argmax(v []float64) int {
	best := 0
	for i := 1; i < len(v); i++ {
		if v[i] > v[best] || math.IsNaN(v[best]) {
			best = i
		}
	}
	return best
}

// PNDistribution returns, for levels numerosity indices, the fraction of the
// given units whose PN (indexed by unit) is each index. With no units every
// fraction is NaN.
func PNDistribution(pn []int, units []int, levels int) []float64 {
	d := make([]float64, levels)
	n := 0
	for _, u := range units {
		if p := pn[u]; p >= 0 && p < levels {
			d[p]++
			n++
		}
	}
	for i := range d {
		d[i] /= float64(n)
	}
	return d
}

// MeanAccumulator accumulates per-numerosity mean responses of all units over
// a validation draw (V), where only the argmax is needed, not an ANOVA. It does
// not allocate per image.
type MeanAccumulator struct {
	levels, units int
	count         []int
	sum           []float64 // numIdx*units + unit
}

// NewMeanAccumulator returns an empty accumulator.
func NewMeanAccumulator(levels, units int) *MeanAccumulator {
	return &MeanAccumulator{levels: levels, units: units, count: make([]int, levels), sum: make([]float64, levels*units)}
}

// Add accumulates one image of numerosity index numIdx.
func (m *MeanAccumulator) Add(numIdx int, resp []float32) error {
	if numIdx < 0 || numIdx >= m.levels || len(resp) != m.units {
		return fmt.Errorf("numunits: MeanAccumulator.Add(numIdx %d, %d responses): want index in [0,%d) and %d responses", numIdx, len(resp), m.levels, m.units)
	}
	m.count[numIdx]++
	s := m.sum[numIdx*m.units : (numIdx+1)*m.units]
	for u, r := range resp {
		s[u] += float64(r)
	}
	return nil
}

// PN returns the argmax numerosity index of the mean response of each listed
// unit (first on ties), in the order of units.
func (m *MeanAccumulator) PN(units []int) []int {
	out := make([]int, len(units))
	v := make([]float64, m.levels)
	for k, u := range units {
		for i := range v {
			v[i] = m.sum[i*m.units+u] / float64(m.count[i])
		}
		out[k] = argmax(v)
	}
	return out
}

// Means returns every unit's mean response per numerosity index, unit-major
// (levels values per unit): the layout of Result.Mean.
func (m *MeanAccumulator) Means() []float64 {
	out := make([]float64, m.units*m.levels)
	for i := 0; i < m.levels; i++ {
		inv := 1 / float64(m.count[i])
		for u, s := range m.sum[i*m.units : (i+1)*m.units] {
			out[u*m.levels+i] = s * inv
		}
	}
	return out
}

// Stability compares the PN of units on the selection draw T with their argmax
// on an independent validation draw V.
type Stability struct {
	Units int
	// Same is the fraction of units with identical PN on T and V.
	Same float64
	// Corr is the Pearson correlation of PN_T and PN_V (numerosity values).
	Corr float64
	// MeanAbsDiff and MeanAbsDiffShuffled are the mean |PN_T - PN_V| (in
	// numerosity units) for the true pairing and for PN_V randomly permuted.
	MeanAbsDiff, MeanAbsDiffShuffled float64
	// P is the left-tailed rank-sum p value of |ΔPN| (true) < |ΔPN| (shuffled).
	P float64
	// Chance is the fraction of identical PNs expected when the V PNs are
	// randomly permuted among the units: the exact mean of the permutation
	// distribution, sum_i nT(i)*nV(i)/n^2, which the PN distributions set (with
	// most units at the two ends it is far above 1/levels). ChanceP is the
	// permutation p value of Same (StabilityPermutations permutations; the
	// share of them, counting the observed pairing, with at least as many
	// identical PNs).
	Chance, ChanceP float64
	// Hist is the levels x levels count of (PN_T, PN_V) index pairs, row-major.
	Hist []int
}

// PNStability compares pnT and pnV (numerosity indices of the same units, in
// the same order) with numerosity values nums; r permutes the shuffled control.
func PNStability(pnT, pnV []int, nums []int, r *rng.Rand) (Stability, error) {
	if len(pnT) != len(pnV) || len(pnT) < 2 {
		return Stability{}, fmt.Errorf("numunits: PNStability: %d and %d PNs, want equal lengths >= 2", len(pnT), len(pnV))
	}
	L := len(nums)
	st := Stability{Units: len(pnT), Hist: make([]int, L*L)}
	x := make([]float64, len(pnT))
	y := make([]float64, len(pnT))
	for k := range pnT {
		if pnT[k] < 0 || pnT[k] >= L || pnV[k] < 0 || pnV[k] >= L {
			return Stability{}, fmt.Errorf("numunits: PNStability: unit %d has PN indices %d, %d outside [0,%d)", k, pnT[k], pnV[k], L)
		}
		x[k], y[k] = float64(nums[pnT[k]]), float64(nums[pnV[k]])
		st.Hist[pnT[k]*L+pnV[k]]++
		if pnT[k] == pnV[k] {
			st.Same++
		}
	}
	st.Same /= float64(len(pnT))
	st.Corr = stat.Correlation(x, y, nil)
	perm := r.Perm(len(y))
	d := make([]float64, len(x))
	ds := make([]float64, len(x))
	for k := range x {
		d[k] = math.Abs(x[k] - y[k])
		ds[k] = math.Abs(x[k] - y[perm[k]])
	}
	st.MeanAbsDiff = stat.Mean(d, nil)
	st.MeanAbsDiffShuffled = stat.Mean(ds, nil)
	st.P = RankSum(d, ds, Less)
	st.Chance, st.ChanceP = stabilityChance(pnT, pnV, L, st.Same, r)
	return st, nil
}

// StabilityPermutations is the number of permutations behind Stability.ChanceP.
const StabilityPermutations = 1000

// stabilityChance returns the exact permutation mean of the fraction of
// identical PNs and the permutation p value of the observed fraction same.
func stabilityChance(pnT, pnV []int, levels int, same float64, r *rng.Rand) (float64, float64) {
	n := len(pnT)
	cT, cV := make([]float64, levels), make([]float64, levels)
	for k := range pnT {
		cT[pnT[k]]++
		cV[pnV[k]]++
	}
	chance := 0.0
	for i := range cT {
		chance += cT[i] * cV[i]
	}
	chance /= float64(n) * float64(n)
	obs := int(math.Round(same * float64(n)))
	perm := append([]int(nil), pnV...)
	ge := 1 // the observed pairing counts as one of the permutations
	for k := 0; k < StabilityPermutations; k++ {
		r.Shuffle(n, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		c := 0
		for j := range pnT {
			if pnT[j] == perm[j] {
				c++
			}
		}
		if c >= obs {
			ge++
		}
	}
	return chance, float64(ge) / float64(StabilityPermutations+1)
}

// Overlap compares two ascending unit lists (for example the float and the
// int8 selections, docs/protocol.md §13.3): the number of common units and
// the Jaccard index |a ∩ b| / |a ∪ b| (NaN when both are empty).
func Overlap(a, b []int) (common int, jaccard float64) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - common
	if union == 0 {
		return 0, math.NaN()
	}
	return common, float64(common) / float64(union)
}
