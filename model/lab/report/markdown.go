package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/numsense/numsense/model/lab/experiment"
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

func pv(p float64) string {
	if math.IsNaN(p) {
		return "n/a"
	}
	return fmt.Sprintf("%.2g", p)
}

// markdown writes report.md.
func (s *Summary) markdown() string {
	a := s.Agg
	o := s.Options
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Number sense in untrained AlexNet: reproduction report\n\n")
	if o.Command != "" {
		w("Command: `%s`\n\n", o.Command)
	}
	w("%d network(s), seeds %d..%d; %d images per numerosity and set in each draw (T selects, V validates); "+
		"%d images per (numerosity, area level) of the area-varying set; comparison tasks with %d pairs per sample numerosity and %d unit draws. Took %s.\n\n",
		o.Networks, o.Seed, o.Seed+uint64(o.Networks)-1, o.Images, o.AreaImages, orDefault(o.Task.PairsPerSample, 100), orDefault(o.Task.Reps, 10), s.Elapsed.Round(1e9))
	if a.PerRepetition {
		w("With fewer than %d networks the task p values are computed over the unit draws (repetitions) of all networks, or over pooled trials at distance 2, not over networks.\n\n", MinNetworksForTests)
	}
	w("Paper scale is 100 networks and 50 images (`numsense reproduce --networks 100 --images 50`). Seeds of every stream are in networks.csv.\n\n")

	w("## Findings beside the papers\n\n")
	w("The papers' own numbers were not available to us (docs/protocol.md §12): the left column is qualitative. Spread is ± sd over networks.\n\n")
	w("| finding (Kim 2021 / Nasr 2019) | ours | target met |\n|---|---|---|\n")
	w("| number-selective units exist in untrained networks (Kim: roughly 10 %% of relu5, unverified) | %s of relu5 units; non-selective (set-selective) %s; constant %s | %s (every network) |\n",
		pm(a.SelectiveFraction, true), pm(a.NonSelFraction, true), pm(a.ConstantFraction, true), yes(a.AllSelected))
	w("| tuning fits better on a log axis (Weber-Fechner) | R² log %.3f ± %.2f vs linear %.3f ± %.2f; paired t p = %s | %s |\n",
		a.Weber.R2LogMean, a.Weber.R2LogSD, a.Weber.R2LinMean, a.Weber.R2LinSD, pv(a.Weber.PairedTP), yes(a.Weber.R2LogMean > a.Weber.R2LinMean && a.Weber.PairedTP < 0.05))
	w("| tuning width grows with PN on a linear axis | slope %.3f per unit N, r %.2f, p = %s | %s |\n",
		a.Weber.LineLin.Slope, a.Weber.LineLin.R, pv(a.Weber.LineLin.P), yes(a.Weber.LineLin.Slope > 0 && a.Weber.LineLin.P < 0.05))
	w("| ... and stays flat on a log axis | slope %.4f, r %.2f, p = %s | %s |\n",
		a.Weber.LineLog.Slope, a.Weber.LineLog.R, pv(a.Weber.LineLog.P), yes(!(a.Weber.LineLog.P < 0.05) || math.Abs(a.Weber.LineLog.Slope) < 0.01))
	w("| PN distribution resembles monkey PFC neurons (peaks at the ends) | see pn_distribution.png | qualitative |\n")
	if a.CompSel.N > 0 {
		w("| selective units support numerosity comparison, better than non-selective units | selective %s, non-selective %s, pixels %s (prior-only baseline %.1f %%); selective > non-selective p = %s | %s |\n",
			pm(a.CompSel, true), pm(a.CompNon, true), pm(a.CompPix, true), 100*a.Prior, pv(a.SelOverNonP), yes(a.CompSel.Mean > a.CompNon.Mean))
		w("| numerical distance effect | accuracy vs distance slope %.4f per unit, p = %s | %s |\n",
			a.DistLineSel.Slope, pv(a.DistLineSel.P), yes(a.DistLineSel.Slope > 0 && a.DistLineSel.P < 0.05))
	}
	for i, c := range a.Cues {
		w("| abstract number: above chance on %s-incongruent trials | selective %s (p = %s), non-selective %s | %s |\n",
			c, pm(a.IncongSel[i], true), pv(a.IncongSelP[i]), pm(a.IncongNon[i], true), yes(a.IncongSel[i].Mean > 0.5 && a.IncongSelP[i] < 0.05))
	}
	if fc := s.Nets[0].Float; fc != nil {
		w("| (port) int8 selection agrees with float32 | Jaccard %.3f, PN identical for %.1f %% of common units (%d images per cell, network 0) | %s |\n",
			fc.Jaccard, 100*fc.PNAgreement, fc.Images, yes(fc.Jaccard >= 0.8 && fc.PNAgreement >= 0.9))
	}
	w("| summation model of monotonic relu4 units (Kim Fig. 5) | not reproduced here | — |\n\n")

	w("## Stimuli\n\n![stimuli](stimuli.png)\n\nRows: standard, control 1 (equal total area and density), control 2 (pentagon hull, mixed shapes), area-varying. Columns: 1, 4, 8, 16, 24, 30 items.\n\n")

	w("## Preferred numerosities\n\n![PN distribution](pn_distribution.png)\n\n")
	if s.Options.Monkey != "" {
		w("Red: the monkey reference read from %s.\n\n", s.Options.Monkey)
	} else {
		w("Red: the monkey prefrontal neurons of Nieder & Merten 2007 (as distributed with the Kim code; docs/protocol.md §10).\n\n")
	}
	w("PN stability (PN on T = argmax on V): %s of selective units the same.\n\n", pm(a.StabilitySame, true))

	w("## Tuning curves\n\n![linear](tuning_linear.png)\n![log](tuning_log.png)\n\n")
	w("Each curve is the average of one PN class, min-max rescaled, then averaged over networks.\n\n")
	w("## Weber-Fechner\n\n![sigma linear](sigma_linear.png)\n![sigma log](sigma_log.png)\n\n")
	w("Gaussian fits (bounded Levenberg-Marquardt, bounds of Weberlaw.m) of every PN-averaged curve of every network; sigma averaged over networks per PN, regression against PN (x = N on both axes, as the authors' code).\n\n")
	if a.CompSel.N > 0 {
		w("## Numerosity comparison\n\n![distance](comparison_distance.png)\n\n")
		w("Linear SVM (hinge loss, λ = 1/n, dual coordinate descent) on [sample; test] responses of %d random units, trained on T pairs, tested on V pairs. "+
			"The pixel control sees the sample image only: the sample numerosity alone gives %.1f %% (majority answer), so pixels are not anchored at 50 %%. "+
			"Selective units at distance 2 above chance: p = %s.\n\n", s.Nets[0].Tasks.Units, 100*a.Prior, pv(a.D2P))
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
	w("## Files\n\nresults.json (headline numbers), networks.csv, pn_sigma.csv, tuning_curves.csv, gauss_fits.csv, comparison_distance.csv, congruency.csv, decoders.csv, int8_float.csv, population.csv (and dice_estimates.csv with --dice).\n")
	return b.String()
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
