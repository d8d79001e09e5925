package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/numsense/numsense/model/lab/experiment"
	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
)

func pm(m MeanSD, pct bool) string {
	k := 1.0
	u := ""
	if pct {
		k, u = 100, " %"
	}
	if math.IsNaN(m.Mean) {
		return "n/a"
	}
	if math.IsNaN(m.SD) {
		return fmt.Sprintf("%.3g%s (one network)", k*m.Mean, u)
	}
	return fmt.Sprintf("%.3g ± %.2g%s", k*m.Mean, k*m.SD, u)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// pv formats a p value with its relation: "= 0.012", "< 1e-15" (below the
// precision of the tests' tails), " n/a".
func pv(p float64) string {
	if math.IsNaN(p) {
		return " n/a"
	}
	if p < 1e-15 {
		return "< 1e-15"
	}
	return fmt.Sprintf("= %.2g", p)
}

// command is the canonical command line of a run with o (the same for one run
// and for merged shards).
func (o Options) command() string {
	c := fmt.Sprintf("numsense reproduce --networks %d --images %d --area-images %d --float-images %d --calib-images %d --pairs %d --reps %d --seed %d",
		o.Networks, o.Images, o.AreaImages, o.FloatImages, orDefault(o.CalibImages, experiment.DefaultCalibImages),
		orDefault(o.Task.PairsPerSample, 100), orDefault(o.Task.Reps, 10), o.Seed)
	if o.Dice != "" {
		c += " --dice " + o.Dice
	}
	if o.Monkey != "" {
		c += " --monkey " + o.Monkey
	}
	return c
}

// markdown writes report.md.
func (s *Summary) markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	s.mdHeader(w)
	s.mdFindings(w)
	s.mdSections(w)
	return b.String()
}

type writef = func(format string, args ...any)

func (s *Summary) mdHeader(w writef) {
	a, o := s.Agg, s.Options
	w("# Number sense in untrained AlexNet: reproduction report\n\n")
	w("Command: `%s`\n\n", o.command())
	w("%d network(s), seeds %d..%d; %d images per numerosity and set in each draw (T selects, V validates); "+
		"%d images per (numerosity, area level) of the area-varying set; comparison tasks with %d pairs per sample numerosity and %d unit draws. Computing time %s.\n\n",
		o.Networks, o.Seed, o.Seed+uint64(o.Networks)-1, o.Images, o.AreaImages, orDefault(o.Task.PairsPerSample, 100), orDefault(o.Task.Reps, 10), s.Elapsed.Round(1e9))
	if a.PerRepetition {
		w("With fewer than %d networks the task p values are computed over the unit draws (repetitions) of all networks, or over pooled trials at distance 2, not over networks.\n\n", MinNetworksForTests)
	}
	w("Paper scale is 100 networks and 50 images (`numsense reproduce --networks 100 --images 50 --area-images 50`, in shards: docs/cluster.md). Seeds of every stream are in networks.csv.\n\n")
	w("**Two draws.** Kim's procedure chooses each unit's preferred numerosity (PN) by the argmax of its mean responses and then plots and fits those same means (the *T draw* column): " +
		"the chosen level is high partly because of noise, so every curve gets a peak at its PN. The *cross-validated* column keeps the PN chosen on T and measures the curves, fits, widths and shapes on the independent V draw. " +
		"Only the V column can confirm a claim; the T column is kept to show Kim's procedure as published.\n\n")
}

func (s *Summary) mdFindings(w writef) {
	a := s.Agg
	c := a.CV
	w("## Findings beside the papers\n\n")
	w("The papers' own numbers were not available to us (docs/protocol.md §12): the first column is qualitative. Spread is ± sd over networks. " +
		"A \"met\" is decided by a test on the cross-validated data only.\n\n")
	w("| finding (Kim 2021 / Nasr 2019) | T draw (Kim's procedure) | cross-validated (PN from T, tested on V) | met |\n|---|---|---|---|\n")
	w("| number-selective units exist in untrained networks (Kim: roughly 10 %% of relu5, unverified) | %s of relu5 units (non-selective %s, constant %s) | numerosity effect replicates on V (one-way ANOVA p < %.2g) for %s of them; p %s against the rate %.2g | %s |\n",
		pm(a.SelectiveFraction, true), pm(a.NonSelFraction, true), pm(a.ConstantFraction, true), c.Alpha, pm(c.Replicated, true), pv(c.ReplicatedP), c.Alpha, yes(a.AllSelected && c.ReplicatedP < 0.05))
	w("| units are tuned: their response peaks at the PN | every PN class peaks at its PN (by construction of the argmax) | shapes on V: tuned %s, decreasing %s, increasing %s, unclassified %s; tuned among inner-PN units p %s against the test's false-positive rate %.2g; without a test, %s of inner-PN units respond more at their PN than at 1 and 30 | %s |\n",
		pm(c.Tuned, true), pm(c.Decreasing, true), pm(c.Increasing, true), pm(c.Unclassified, true), pv(c.TunedP), c.Alpha, pm(c.PeakInner, true), yes(c.TunedP < 0.05))
	w("| curves of the larger PNs fall to the right of their PN | fall from PN to 30, PN 12-24: %s | %s; p %s (> 0) | %s |\n",
		pm(c.FallMidT, false), pm(c.FallMidV, false), pv(c.FallMidP), yes(c.FallMidP < 0.05 && c.FallMidV.Mean > MinFall))
	w("| PN stability between independent draws | — | %s of selective units keep their PN; permutation chance %s (not 1/16: most PNs sit at the ends); p %s | %s |\n",
		pm(a.StabilitySame, true), pm(c.StabilityChance, true), pv(c.StabilityP), yes(c.StabilityP < 0.05))
	s.mdWeberRows(w)
	small, large := pnShare(a.PNDist, 1, 2), pnShare(a.PNDist, 26, 30)
	w("| PN distribution resembles monkey PFC neurons (monkeys: PN 1-2 %.0f %%, PN 26-30 %.0f %%) | PN 1-2: %.0f %%, PN 26-30: %.0f %% of selective units | units that fall with N (prefer the small end) %s against units that rise (prefer the large end) %s | %s |\n",
		100*monkeyShare(s.Monkey, 1, 2), 100*monkeyShare(s.Monkey, 26, 30), 100*small, 100*large, pm(c.Decreasing, true), pm(c.Increasing, true),
		yes(c.Decreasing.Mean > c.Increasing.Mean))
	s.mdFig5Rows(w)
	s.mdTaskRows(w)
	if fc := s.Nets[0].Float; fc != nil {
		w("| (port) int8 selection agrees with float32 | Jaccard %.3f, PN identical for %.1f %% of common units (%d images per cell, network 0) | — | %s |\n",
			fc.Jaccard, 100*fc.PNAgreement, fc.Images, yes(fc.Jaccard >= 0.8 && fc.PNAgreement >= 0.9))
	}
	w("\n")
}

// mdWeberRows: log against linear fits and the width regressions, on T (Kim),
// on V (all PN classes) and for the units that tested tuned on V, measured on
// the area-varying set (the test of the claim: the only curves that are both
// tuned and measured on data that chose nothing).
func (s *Summary) mdWeberRows(w writef) {
	a := s.Agg
	c := a.CV
	t, v, tw := a.Weber, c.WeberV, c.WeberTunedW
	// Testable only with tuned units beyond the shape test's false positives
	// (at the rate alpha, ramps pass it) in enough PN classes.
	enough := tw.LineLin.N >= 5 && c.TunedP < 0.05
	w("| tuning fits better on a log axis (Weber-Fechner) | R² log %.3f vs linear %.3f, p %s (Kim's bounds: the log-axis centre may leave the range) | V, all PN classes (centres kept in the range): R² log %.3f vs linear %.3f, p %s, but %d of %d fits put a centre on the end of the range (ramps); units tuned on V, on the area-varying set: R² log %s vs linear %s, p %s (%d PN classes) | %s |\n",
		t.R2LogMean, t.R2LinMean, pv(t.PairedTP), v.R2LogMean, v.R2LinMean, pv(v.PairedTP), c.Fits-c.Inside, c.Fits,
		fnum(tw.R2LogMean), fnum(tw.R2LinMean), pv(tw.PairedTP), len(tw.SigmaLin)-countNaN(tw.SigmaLin),
		metIf(enough, tw.R2LogMean > tw.R2LinMean && tw.PairedTP < 0.05))
	w("| tuning width grows with PN on a linear axis | slope %.3f, p %s | V, all classes: slope %.3f, p %s; tuned units on the area-varying set: slope %s, p %s | %s |\n",
		t.LineLin.Slope, pv(t.LineLin.P), v.LineLin.Slope, pv(v.LineLin.P), fnum(tw.LineLin.Slope), pv(tw.LineLin.P), metIf(enough, tw.LineLin.Slope > 0 && tw.LineLin.P < 0.05))
	w("| ... and stays flat on a log axis | slope %.4f, p %s | V, all classes: slope %.4f, p %s; tuned units on the area-varying set: slope %s, p %s | %s |\n",
		t.LineLog.Slope, pv(t.LineLog.P), v.LineLog.Slope, pv(v.LineLog.P), fnum(tw.LineLog.Slope), pv(tw.LineLog.P), metIf(enough, !(tw.LineLog.P < 0.05)))
}

func countNaN(v []float64) int {
	n := 0
	for _, x := range v {
		if math.IsNaN(x) {
			n++
		}
	}
	return n
}

func (s *Summary) mdFig5Rows(w writef) {
	a := s.Agg
	f := a.Fig5
	if f == nil {
		w("| monotonic relu4 units, backtracking and summation (Kim Fig. 5) | not run (needs the area-varying set and relu4) | — | — |\n")
	} else {
		w("| monotonic units in relu4 (area-varying set, Stoianov & Zorzi criteria) | increasing %s, decreasing %s of relu4 (relu5: %s, %s) | same class on the area-varying V draw: relu4 %s, relu5 %s | %s |\n",
			pm(f.Relu4Inc, true), pm(f.Relu4Dec, true), pm(f.Relu5Inc, true), pm(f.Relu5Dec, true), pm(f.Relu4Agree, true), pm(f.Relu5Agree, true),
			yes(f.Relu4Inc.Mean+f.Relu4Dec.Mean > 0 && f.Relu4Agree.Mean > 0.5))
		w("| selective relu5 units draw on decreasing relu4 units for small PNs, increasing ones for large PNs | W_dec - W_inc at PN 4: %s (p %s), at PN 24: %s (p %s); shuffled kernels p %s and p %s | by shape on V: decreasing units %s, tuned %s, increasing %s; decreasing > increasing p %s | %s |\n",
			pmE(f.DecMinusInc[indexOf(stimulus.Numerosities, 4)]), pv(f.P4), pmE(f.DecMinusInc[indexOf(stimulus.Numerosities, 24)]), pv(f.P24), pv(f.P4Shuffled), pv(f.P24Shuffled),
			pmE(f.ByShape[numunits.Decreasing]), pmE(f.ByShape[numunits.Tuned]), pmE(f.ByShape[numunits.Increasing]), pv(f.DecVsIncP), yes(f.DecVsIncP < 0.05))
		w("| tuned curves are sums of decreasing and increasing units (summation model) | — | each unit's V curve against the summed drive of its monotonic relu4 inputs through conv5's weights (their T-draw means): correlation %s (shuffled kernels %s, p %s); fitted with free weights on the decreasing and the increasing drive R² %s (shuffled %s) | %s |\n",
			pmPooled(f.CorrSumAll), pmPooled(f.CorrSumShuffledAll), pv(f.SumOverShuffledP), pmPooled(f.R2MonoAll), pmPooled(f.R2MonoShuffledAll),
			yes(f.SumOverShuffledP < 0.05 && f.CorrSumAll.Mean-f.CorrSumShuffledAll.Mean > MinCorrGain))
	}
	w("| Kim's summation model (60 + 60 monotonic curves, random weights, ReLU) reproduces the curves | model PN 1-2: %.0f %%, 26-30: %.0f %% of responsive neurons | R² of the model's PN-class curves against the networks' V curves: %s (summation_r2) | %s |\n",
		100*pnShareF(a.Model.PNDist, 1, 2), 100*pnShareF(a.Model.PNDist, 26, 30), fnum(a.SummationR2), yes(a.SummationR2 > MinModelR2))
}

// MinFall is how far (on the 0..1 scale of the curves) the V-draw curves of PN
// 12-24 must fall from their PN to 30, on average, for them to count as tuned.
const MinFall = 0.05

// MinCorrGain is how much higher the correlation of the curves with their
// inputs' summed drive must be through the real weights than through shuffled
// kernels for the summation claim to count as met: a significant but smaller
// gain says the particular weights hardly matter.
const MinCorrGain = 0.1

// MinModelR2 is the R² above which Kim's summation model counts as reproducing
// the networks' V-draw curves.
const MinModelR2 = 0.5

func (s *Summary) mdTaskRows(w writef) {
	a := s.Agg
	if a.CompSel.N > 0 {
		w("| selective units support numerosity comparison, better than non-selective units | — | trained on T pairs, tested on V pairs: selective %s, non-selective %s, pixels %s (prior-only baseline %.1f %%); selective > non-selective p %s | %s |\n",
			pm(a.CompSel, true), pm(a.CompNon, true), pm(a.CompPix, true), 100*a.Prior, pv(a.SelOverNonP), yes(a.CompSel.Mean > a.CompNon.Mean && a.SelOverNonP < 0.05))
		w("| numerical distance effect | — | accuracy vs distance slope %.4f per unit, p %s | %s |\n",
			a.DistLineSel.Slope, pv(a.DistLineSel.P), yes(a.DistLineSel.Slope > 0 && a.DistLineSel.P < 0.05))
	}
	for i, c := range a.Cues {
		w("| abstract number: above chance on %s-incongruent trials | — | selective %s (p %s), non-selective %s | %s |\n",
			c, pm(a.IncongSel[i], true), pv(a.IncongSelP[i]), pm(a.IncongNon[i], true), yes(a.IncongSel[i].Mean > 0.5 && a.IncongSelP[i] < 0.05))
	}
}

func (s *Summary) mdSections(w writef) {
	a, o := s.Agg, s.Options
	c := a.CV
	w("## Stimuli\n\n![stimuli](stimuli.png)\n\nRows: standard, control 1 (equal total area and density), control 2 (pentagon hull, mixed shapes), area-varying. Columns: 1, 4, 8, 16, 24, 30 items.\n\n")
	w("## Preferred numerosities\n\n![PN distribution](pn_distribution.png)\n\n")
	if o.Monkey != "" {
		w("Red: the monkey reference read from %s.\n\n", o.Monkey)
	} else {
		w("Red: the monkey prefrontal neurons of Nieder & Merten 2007 (as distributed with the Kim code; docs/protocol.md §10).\n\n")
	}
	w("PN stability (PN on T = argmax on V): %s of selective units the same, against %s expected by chance from the two PN distributions alone (permutation).\n\n",
		pm(a.StabilitySame, true), pm(c.StabilityChance, true))
	w("## Cross-validated shapes\n\n![shapes](shapes.png)\n![fall](fall_right.png)\n\n")
	w("Each selective unit keeps the PN chosen on T and is tested on V (alpha %.2g): **tuned** when its V response at an inner PN exceeds its V responses at 1 and at 30 "+
		"(two one-sided Welch t-tests, both p < alpha; a monotonic unit passes with probability at most alpha), else **decreasing** or **increasing** by the sign of its V slope on log2 N "+
		"(t-test, p < alpha), else unclassified. The fall is the class curve's value at its PN minus its value at 30 (each curve min-max rescaled as in Kim's figure).\n\n", c.Alpha)
	w("## Tuning curves\n\nT draw, Kim's procedure (PN chosen on the data shown):\n\n![linear](tuning_linear.png)\n![log](tuning_log.png)\n\n")
	w("V draw, cross-validated (PN from T):\n\n![linear V](tuning_v_linear.png)\n![log V](tuning_v_log.png)\n\n")
	w("Each curve is the average of one PN class, min-max rescaled, then averaged over networks.\n\n")
	w("## Weber-Fechner\n\nT draw, Kim's procedure and bounds:\n\n![sigma linear](sigma_linear.png)\n![sigma log](sigma_log.png)\n\n")
	w("V draw, every PN class (PN from T; %d of %d fits put a centre on the end of the tested range: ramps, whose width is not a tuning width):\n\n![sigma linear V](sigma_v_linear.png)\n![sigma log V](sigma_v_log.png)\n\n", c.Fits-c.Inside, c.Fits)
	w("The units that tested tuned on V, measured on the area-varying set (both its draws; a third sample that neither chose their PN nor tested their shape). %s of them still respond more at their PN than at 1 and at 30 there.\n\n"+
		"![tuned linear](tuning_tuned_linear.png)\n![tuned log](tuning_tuned_log.png)\n![sigma tuned linear](sigma_tuned_linear.png)\n![sigma tuned log](sigma_tuned_log.png)\n\n", pm(c.PeakW, true))
	w("Gaussian fits by bounded Levenberg-Marquardt. Kim's bounds (Weberlaw.m) put the centre in [0, 30] on both axes, so on the log2 axis a ramp's centre can run to 2^30; "+
		"the cross-validated fits keep the centre inside the tested range of each axis (1..30, 0..log2 30) and the width below the same multiple of the range. "+
		"T-draw curves fitted within those range bounds: R² log %.3f vs linear %.3f, sigma slopes %.3f (linear axis) and %.4f (log axis). "+
		"Sigma is averaged over networks per PN and regressed on PN (x = N on both axes, as the authors' code).\n\n",
		c.WeberTRange.R2LogMean, c.WeberTRange.R2LinMean, c.WeberTRange.LineLin.Slope, c.WeberTRange.LineLog.Slope)
	s.mdFig5Section(w)
	s.mdTaskSections(w)
	w("## Files\n\nresults.json (headline numbers), networks.csv, pn_sigma.csv, tuning_curves.csv (T), tuning_curves_v.csv (V), tuning_curves_tuned_w.csv (units tuned on V, area-varying set), gauss_fits.csv (T, Kim's bounds), gauss_fits_v.csv and gauss_fits_tuned_w.csv (range bounds), shapes.csv, backtracking.csv, summation.csv, comparison_distance.csv, congruency.csv, decoders.csv, int8_float.csv, population.csv (and dice_estimates.csv with --dice).\n")
}

func (s *Summary) mdFig5Section(w writef) {
	a := s.Agg
	w("## Monotonic units and the summation model (Kim Fig. 5)\n\n")
	if f := a.Fig5; f != nil {
		w("![backtracking](backtracking.png)\n\n")
		w("relu4 and relu5 units are regressed on log total area and log N over the area-varying T draw (responses and regressors mapped onto [0, 1]); a unit is monotonic when R² > %.1f and |beta_area| < %.1f. "+
			"Each selective relu5 unit is followed back through conv5's real grouped wiring (3x3 x 192 inputs of its group, not the authors' duplicated kernel) to those relu4 units, and the mean weights from decreasing and from increasing inputs are compared. "+
			"The control permutes each kernel's weights. Tests %s.\n\n",
			numunits.MonotonicMinR2, numunits.MonotonicMaxArea, map[bool]string{true: "over the pooled units (fewer than 6 networks)", false: "over networks"}[f.PerUnit])
		w("Summation (mean ± sd over units, by shape on V): correlation of each unit's V curve with the summed drive of its monotonic inputs through the real weights and through shuffled kernels, " +
			"R² of a fit with free weights on the decreasing and the increasing drive (three parameters for 16 points), and the correlation with the drive of all its inputs (its mean pre-activation):\n\n" +
			"| shape | corr., monotonic drive | shuffled kernels | R², two free weights | shuffled | corr., all inputs |\n|---|---|---|---|---|---|\n")
		for _, sh := range numunits.Shapes {
			w("| %s (%d units) | %s | %s | %s | %s | %s |\n", sh, f.CorrSum[sh].N, pmPooled(f.CorrSum[sh]), pmPooled(f.CorrSumShuffled[sh]), pmPooled(f.R2Mono[sh]), pmPooled(f.R2MonoShuffled[sh]), pmPooled(f.CorrAll[sh]))
		}
		w("\nThe free-weight fit fits any smooth monotonic curve about as well through shuffled kernels; only the fixed-weight correlations say whether the real wiring predicts the curves, including which way they go.\n\n")
	} else {
		w("Not run: it needs the area-varying set and a network that exposes relu4.\n\n")
	}
	m := a.Model
	w("![summation model](summation_model.png)\n\n")
	w("Kim's summation model (docs/protocol.md §9): %d trials of %d neurons, each ReLU(sum of %d decreasing and %d increasing Gaussian curves on the log2 axis with weights N(0, %.4g²)); %.1f %% of the neurons are silent. "+
		"Its PN classes' curves against the networks' V-draw curves: R² %s on average (summation.csv per PN). Width regressions of the model's curves: slope %.3f on the linear axis, %.4f on the log axis.\n\n",
		m.Opts.Trials, m.Opts.Neurons, m.Opts.Dec, m.Opts.Inc, m.Opts.WeightSD, 100*m.Silent, fnum(a.SummationR2), m.Weber.LineLin.Slope, m.Weber.LineLog.Slope)
}

func (s *Summary) mdTaskSections(w writef) {
	a := s.Agg
	if a.CompSel.N > 0 {
		w("## Numerosity comparison\n\n![distance](comparison_distance.png)\n\n")
		w("Linear SVM (hinge loss, λ = 1/n, dual coordinate descent) on [sample; test] responses of %d random units, trained on T pairs, tested on V pairs. "+
			"The pixel control sees the sample image only: the sample numerosity alone gives %.1f %% (majority answer), so pixels are not anchored at 50 %%. "+
			"Selective units at distance 2 above chance: p %s.\n\n", s.Nets[0].Tasks.Units, 100*a.Prior, pv(a.D2P))
	}
	if len(a.Cues) > 0 {
		w("## Congruent / incongruent trials\n\n![congruency](congruency.png)\n\n")
		w("Trained on congruent area-varying T pairs, tested on incongruent V pairs (chance 50 %%). Pixels: %s (area cue).\n\n", pm(a.IncongPix, true))
	}
	if fc := s.Nets[0].Float; fc != nil {
		w("## int8 engine against the float32 reference\n\n")
		w("The first %d images of every T cell of network 0 through both: %d units selected by int8, %d by float32, %d by both (Jaccard %.3f); "+
			"PN identical for %.1f %% of the common units; mean correlation of the relu5 vectors %.5f.\n\n",
			fc.Images, fc.Int8Selected, fc.FloatSelected, fc.Both, fc.Jaccard, 100*fc.PNAgreement, fc.Relu5Corr)
	}
	if d := s.Decoders; d != nil {
		w("## Decoders (network 0)\n\n")
		w("Both fitted on T only (%d images; %d held out within T for the temperature / interval width).\n\n", d.FitSamples, d.HeldOutSamples)
		w("| data | decoder | samples | 68 %% coverage | median relative error |\n|---|---|---|---|---|\n")
		for _, e := range d.Stimuli {
			w("| held-out stimuli (V) | %s | %d | %.3f | %.3f |\n", e.Decoder, e.Samples, e.Coverage, e.MedRelErr)
		}
		for _, e := range d.Dice {
			w("| dice photos | %s | %d | %.3f | %.3f |\n", e.Decoder, e.Samples, e.Coverage, e.MedRelErr)
		}
		w("\nChosen by the calibrate rule: **%s** (%s).\n\n", d.Chosen, d.Reason)
	}
	if len(s.Population) > 0 {
		s.populationMarkdown(w)
	}
}

// metIf is yes(ok), or "not testable" when the data cannot test the claim.
func metIf(testable, ok bool) string {
	if !testable {
		return "not testable (too few tuned units beyond the test's false positives)"
	}
	return yes(ok)
}

func fnum(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.3g", v)
}

// pmE is a mean ± sd in exponent form (small weights).
func pmE(m MeanSD) string { return pmFormat(m, "%.2e", "%.1e") }

// pmPooled is a mean ± sd over pooled units.
func pmPooled(m MeanSD) string { return pmFormat(m, "%.2f", "%.2f") }

// pmFormat writes m's mean and sd with their formats ("n/a" without a mean, the
// mean alone without an sd).
func pmFormat(m MeanSD, mean, sd string) string {
	if math.IsNaN(m.Mean) {
		return "n/a"
	}
	if math.IsNaN(m.SD) {
		return fmt.Sprintf(mean, m.Mean)
	}
	return fmt.Sprintf(mean+" ± "+sd, m.Mean, m.SD)
}

// pnShare sums the mean PN fractions of numerosities lo..hi.
func pnShare(d []MeanSD, lo, hi int) float64 { return pnShareF(means(d), lo, hi) }

func pnShareF(d []float64, lo, hi int) float64 {
	s := 0.0
	for i, n := range stimulus.Numerosities {
		if n >= lo && n <= hi && !math.IsNaN(d[i]) {
			s += d[i]
		}
	}
	return s
}

func monkeyShare(m []numunits.MonkeyRow, lo, hi int) float64 {
	s := 0.0
	for _, r := range m {
		if r.N >= lo && r.N <= hi {
			s += r.PNFraction
		}
	}
	return s
}

func orDefault(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// populationMarkdown writes the population study's section.
func (s *Summary) populationMarkdown(w func(string, ...any)) {
	o := s.Options
	maxK := 0
	for _, p := range s.Population {
		maxK = max(maxK, p.Networks)
	}
	w("## A larger population: networks and views\n\n![Weber fraction](population_weber.png)\n![median relative error](population_error.png)\n\n")
	w("The first 1..%d networks of this run read together, each with the number units it selected on its own T draw; their responses "+
		"averaged over exact views of the silhouette (m: mirror image, r90: quarter turn; docs/science.md). The readout is fitted as "+
		"`numsense calibrate` fits it, on a new training draw (%d images per numerosity and set, each also under the views %s) with its "+
		"ridge penalty and interval set on that draw's held-out images, and tested on another new draw of dot stimuli, %d synthetic "+
		"camera scenes per count", maxK, min(o.Images, MaxStudyImages), StudyTrainViews, experiment.DefaultScenesPerCount)
	if o.Dice != "" {
		w(" and the dice photos")
	}
	w(" (through the camera front end). Passes: network runs per estimate (networks x views).\n\n")
	w("| pictures | networks | views | passes | median relative error | Weber fraction | log bias |\n|---|---|---|---|---|---|---|\n")
	for _, p := range s.Population {
		w("| %s | %d | %s | %d | %.3f | %.3f | %+.3f |\n", p.Set, p.Networks, p.Views, p.Passes, p.MedRelErr, p.WeberFraction, p.LogBias)
	}
	w("\nThe shaded band is the range of adult human Weber fractions for dot arrays, about %.2f-%.2f (Pica et al. 2004 and Piazza et al. 2004: "+
		"about 0.17; Halberda et al. 2012: precision improving into the thirties, with large differences between people; Guillaume & "+
		"Van Rinsveld 2018: from below 0.10 to above 0.60 across 68 studies, depending on how the arrays were made). Those come from "+
		"comparison tasks; ours is the scatter of estimates, sd of ln(estimate / true), the same quantity under the log-Gaussian model "+
		"those papers fit.\n\n", HumanWeberLow, HumanWeberHigh)
}
