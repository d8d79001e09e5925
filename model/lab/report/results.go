package report

import (
	"strconv"

	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
)

// results is results.json: the headline numbers. Keys without a draw in their
// name keep their meaning of earlier reports (Kim's procedure on the T draw);
// the cross-validated figures are under tuned_fraction ..., v_*, cv and fig5.
func (s *Summary) results() map[string]any {
	a := s.Agg
	o := s.Options
	r := map[string]any{
		"networks": o.Networks, "images": o.Images, "area_images": o.AreaImages, "seed": o.Seed,
		"elapsed_seconds":             s.Elapsed.Seconds(),
		"selective_fraction":          msJSON(a.SelectiveFraction),
		"nonselective_fraction":       msJSON(a.NonSelFraction),
		"constant_fraction":           msJSON(a.ConstantFraction),
		"all_networks_have_selective": a.AllSelected,
		"pn_stability_same":           msJSON(a.StabilitySame),
	}
	for k, v := range weberJSON(a.Weber) {
		r[k] = v // Kim's T-draw figures, under their old names
	}
	s.crossValidatedResults(r)
	s.fig5Results(r)
	s.taskResults(r)
	if fc := s.Nets[0].Float; fc != nil {
		r["int8_float_jaccard"] = num(fc.Jaccard)
		r["int8_float_pn_agreement"] = num(fc.PNAgreement)
		r["int8_float_relu5_corr"] = num(fc.Relu5Corr)
		r["int8_float_images_per_cell"] = fc.Images
	}
	if d := s.Decoders; d != nil {
		r["decoders"] = map[string]any{"held_out_stimuli": d.Stimuli, "dice": d.Dice, "chosen": d.Chosen, "reason": d.Reason}
	}
	if len(s.Population) > 0 {
		pts := make([]map[string]any, len(s.Population))
		for i, p := range s.Population {
			pts[i] = map[string]any{"set": p.Set, "networks": p.Networks, "views": p.Views, "passes": p.Passes, "samples": p.Samples,
				"median_rel_error": num(p.MedRelErr), "weber_fraction": num(p.WeberFraction), "log_bias": num(p.LogBias), "coverage_68": num(p.Coverage)}
		}
		r["population"] = pts
		r["human_weber_range"] = []float64{HumanWeberLow, HumanWeberHigh}
	}
	return r
}

// weberJSON names the figures of a Weber-Fechner summary.
func weberJSON(w numunits.Weber) map[string]any {
	return map[string]any{
		"r2_lin":                   map[string]any{"mean": num(w.R2LinMean), "sd": num(w.R2LinSD)},
		"r2_log":                   map[string]any{"mean": num(w.R2LogMean), "sd": num(w.R2LogSD)},
		"r2_log_gt_lin_paired_t_p": num(w.PairedTP),
		"r2_log_gt_lin_signrank_p": num(w.SignRankP),
		"sigma_lin_slope":          num(w.LineLin.Slope),
		"sigma_lin_slope_p":        num(w.LineLin.P),
		"sigma_lin_r":              num(w.LineLin.R),
		"sigma_log_slope":          num(w.LineLog.Slope),
		"sigma_log_slope_p":        num(w.LineLog.P),
		"sigma_log_r":              num(w.LineLog.R),
		"pn_classes":               w.LineLin.N, // PN levels with a fit (the regression's points)
	}
}

// byPN maps numerosity (as a string) to v[p].
func byPN(v []MeanSD) map[string]any {
	m := map[string]any{}
	for p, n := range stimulus.Numerosities {
		m[strconv.Itoa(n)] = msJSON(v[p])
	}
	return m
}

func floats(v []float64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = num(x)
	}
	return out
}

func (s *Summary) crossValidatedResults(r map[string]any) {
	c := s.Agg.CV
	r["tuned_fraction"] = msJSON(c.Tuned)
	r["increasing_fraction"] = msJSON(c.Increasing)
	r["decreasing_fraction"] = msJSON(c.Decreasing)
	r["unclassified_fraction"] = msJSON(c.Unclassified)
	r["tuned_above_false_positive_p"] = num(c.TunedP)
	r["shape_test_alpha"] = c.Alpha
	r["v_replicated_fraction"] = msJSON(c.Replicated)
	r["v_replicated_p"] = num(c.ReplicatedP)
	r["t_fall_right_pn12_24"] = msJSON(c.FallMidT)
	r["v_fall_right_pn12_24"] = msJSON(c.FallMidV)
	r["v_fall_right_pn12_24_p"] = num(c.FallMidP)
	r["v_peak_fraction_inner_pn"] = msJSON(c.PeakInner)
	r["pn_stability_chance"] = msJSON(c.StabilityChance)
	r["pn_stability_above_chance_p"] = num(c.StabilityP)
	r["t_fall_right"] = byPN(c.FallRightT)
	r["v_fall_right"] = byPN(c.FallRightV)
	cv := weberJSON(c.WeberV)
	cv["fits"] = c.Fits
	cv["fits_inside_range"] = c.Inside
	r["cv"] = cv
	tw := weberJSON(c.WeberTunedW)
	tw["peak_fraction"] = msJSON(c.PeakW)
	r["tuned_on_area_set"] = tw
	r["t_range_bounds"] = weberJSON(c.WeberTRange)
	m := s.Agg.Model
	r["summation_r2"] = num(s.Agg.SummationR2)
	r["summation_model"] = map[string]any{
		"trials": m.Opts.Trials, "neurons": m.Opts.Neurons, "silent_fraction": m.Silent,
		"pn_fraction": floats(m.PNDist), "dec_minus_inc": floats(m.DecMinusInc), "curve_r2_vs_network_v": floats(s.Agg.ModelR2),
		"weber": weberJSON(m.Weber),
	}
}

func (s *Summary) fig5Results(r map[string]any) {
	f := s.Agg.Fig5
	if f == nil {
		return
	}
	shapes := func(v [4]MeanSD) map[string]any {
		m := map[string]any{}
		for _, sh := range numunits.Shapes {
			m[sh.String()] = msJSON(v[sh])
		}
		return m
	}
	r["fig5"] = map[string]any{
		"networks":                      f.Networks,
		"relu4_increasing_fraction":     msJSON(f.Relu4Inc),
		"relu4_decreasing_fraction":     msJSON(f.Relu4Dec),
		"relu5_increasing_fraction":     msJSON(f.Relu5Inc),
		"relu5_decreasing_fraction":     msJSON(f.Relu5Dec),
		"relu4_class_agreement_v":       msJSON(f.Relu4Agree),
		"relu5_class_agreement_v":       msJSON(f.Relu5Agree),
		"dec_minus_inc":                 byPN(f.DecMinusInc),
		"dec_minus_inc_shuffled":        byPN(f.Shuffled),
		"dec_minus_inc_pn4_p":           num(f.P4),
		"dec_minus_inc_pn24_p":          num(f.P24),
		"dec_minus_inc_shuffled_pn4_p":  num(f.P4Shuffled),
		"dec_minus_inc_shuffled_pn24_p": num(f.P24Shuffled),
		"tests_over_units":              f.PerUnit,
		"dec_minus_inc_by_v_shape":      shapes(f.ByShape),
		"dec_gt_inc_shape_p":            num(f.DecVsIncP),
		"summation_r2_network":          shapes(f.R2Mono),
		"summation_r2_network_shuffled": shapes(f.R2MonoShuffled),
		"summed_drive_corr":             shapes(f.CorrSum),
		"summed_drive_corr_shuffled":    shapes(f.CorrSumShuffled),
		"summed_drive_gt_shuffled_p":    num(f.SumOverShuffledP),
		"all_inputs_drive_corr":         shapes(f.CorrAll),
	}
}

func (s *Summary) taskResults(r map[string]any) {
	a := s.Agg
	r["comparison_prior_baseline"] = a.Prior
	r["comparison_distance_slope"] = num(a.DistLineSel.Slope)
	r["comparison_distance_slope_p"] = num(a.DistLineSel.P)
	r["comparison_d2_above_chance_p"] = num(a.D2P)
	r["comparison_sel_gt_nonsel_p"] = num(a.SelOverNonP)
	if a.CompSel.N > 0 {
		r["comparison_accuracy"] = map[string]any{"selective": msJSON(a.CompSel), "nonselective": msJSON(a.CompNon), "pixels": msJSON(a.CompPix)}
		r["comparison_selective"] = num(a.CompSel.Mean)
		r["comparison_nonselective"] = num(a.CompNon.Mean)
		r["comparison_pixels"] = num(a.CompPix.Mean)
	}
	if len(a.Cues) > 0 {
		inc := map[string]any{}
		for i, c := range a.Cues {
			inc[c] = map[string]any{"selective": msJSON(a.IncongSel[i]), "nonselective": msJSON(a.IncongNon[i]), "selective_p_above_chance": num(a.IncongSelP[i])}
		}
		inc["pixels_area"] = msJSON(a.IncongPix)
		r["incongruent_by_cue"] = inc
		// The headline: selective units on area-incongruent trials (the cue the
		// paper's pixel control is tested on), mean over networks.
		r["incongruent_accuracy"] = num(a.IncongSel[0].Mean)
		r["incongruent_accuracy_p"] = num(a.IncongSelP[0])
	}
}
