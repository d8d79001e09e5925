package report

import (
	"strconv"

	"github.com/numsense/numsense/model/lab/numunits"
	"github.com/numsense/numsense/model/lab/stimulus"
)

// tables returns every CSV table of the report by file name.
func (s *Summary) tables() map[string][][]string {
	a := s.Agg
	t := map[string][][]string{
		"networks.csv":              s.networksTable(),
		"pn_sigma.csv":              s.pnSigmaTable(),
		"tuning_curves.csv":         curvesTable(a.Curves),
		"tuning_curves_v.csv":       curvesTable(a.CV.CurvesV),
		"tuning_curves_tuned_w.csv": curvesTable(a.CV.CurvesTunedW),
		"gauss_fits.csv":            s.fitsTable(func(n NetSummary) []numunits.CurveFit { return n.Fits }),
		"gauss_fits_v.csv": s.fitsTable(func(n NetSummary) []numunits.CurveFit {
			if n.CV == nil {
				return nil
			}
			return n.CV.FitsV
		}),
		"gauss_fits_tuned_w.csv": s.fitsTable(func(n NetSummary) []numunits.CurveFit {
			if n.CV == nil {
				return nil
			}
			return n.CV.FitsTunedW
		}),
		"shapes.csv":    shapesTable(a),
		"summation.csv": summationTable(a),
	}
	if a.Fig5 != nil {
		t["backtracking.csv"] = backtrackTable(a.Fig5)
	}
	if len(a.Distances) > 0 {
		t["comparison_distance.csv"] = distanceTable(a)
	}
	if len(a.Cues) > 0 {
		t["congruency.csv"] = congruencyTable(a)
	}
	if s.Decoders != nil {
		t["decoders.csv"] = s.decodersTable()
	}
	if len(s.Photos) > 0 {
		t["dice_estimates.csv"] = s.photosTable()
	}
	if fc := s.Nets[0].Float; fc != nil {
		t["int8_float.csv"] = [][]string{{"images_per_cell", "int8_selected", "float_selected", "both", "jaccard", "pn_agreement", "relu5_corr"},
			{strconv.Itoa(fc.Images), strconv.Itoa(fc.Int8Selected), strconv.Itoa(fc.FloatSelected), strconv.Itoa(fc.Both), f(fc.Jaccard), f(fc.PNAgreement), f(fc.Relu5Corr)}}
	}
	if len(s.Population) > 0 {
		rows := [][]string{{"set", "networks", "views", "passes", "samples", "median_rel_error", "weber_fraction", "log_bias", "coverage_68"}}
		for _, p := range s.Population {
			rows = append(rows, []string{p.Set, strconv.Itoa(p.Networks), p.Views, strconv.Itoa(p.Passes), strconv.Itoa(p.Samples),
				f(p.MedRelErr), f(p.WeberFraction), f(p.LogBias), f(p.Coverage)})
		}
		t["population.csv"] = rows
	}
	return t
}

func taskCell(r *numunits.TaskResult) string {
	if r == nil {
		return "NaN"
	}
	return f(r.Mean)
}

// networksTable has one row per network: seeds, selection, shapes, tasks, time.
func (s *Summary) networksTable() [][]string {
	rows := [][]string{{"network", "net_seed", "stim_seed", "selected", "non_selective", "constant", "selective_fraction",
		"r2_lin_mean", "r2_log_mean", "pn_stability_same", "pn_stability_chance",
		"tuned", "increasing", "decreasing", "unclassified", "tuned_p",
		"comparison_selective", "comparison_nonselective", "comparison_pixels",
		"incongruent_area", "incongruent_density", "incongruent_size", "seconds"}}
	for _, n := range s.Nets {
		row := []string{strconv.Itoa(n.Index), strconv.FormatUint(n.Seeds.Net, 10), strconv.FormatUint(n.Seeds.Stim, 10),
			strconv.Itoa(n.Selected), strconv.Itoa(n.NonSelective), strconv.Itoa(n.Constant), f(n.SelectiveFraction),
			f(n.Weber.R2LinMean), f(n.Weber.R2LogMean), f(n.Stability.Same), f(n.Stability.Chance)}
		if c := n.CV; c != nil {
			row = append(row, strconv.Itoa(c.Counts.Tuned), strconv.Itoa(c.Counts.Increasing), strconv.Itoa(c.Counts.Decreasing),
				strconv.Itoa(c.Counts.Unclassified), f(c.TunedP))
		} else {
			row = append(row, "0", "0", "0", "0", "NaN")
		}
		if n.Tasks != nil {
			row = append(row, taskCell(n.Tasks.Selective), taskCell(n.Tasks.NonSelective), taskCell(n.Tasks.Pixels))
			for i := 0; i < 3; i++ {
				if i < len(n.Tasks.Congruency) {
					row = append(row, taskCell(n.Tasks.Congruency[i].Selective))
				} else {
					row = append(row, "NaN")
				}
			}
		} else {
			row = append(row, "NaN", "NaN", "NaN", "NaN", "NaN", "NaN")
		}
		rows = append(rows, append(row, f(n.Seconds)))
	}
	return rows
}

// pnSigmaTable: PN distribution and sigmas per numerosity beside the monkeys'.
func (s *Summary) pnSigmaTable() [][]string {
	a := s.Agg
	rows := [][]string{{"numerosity", "pn_fraction_mean", "pn_fraction_sd", "monkey_pn_fraction", "sigma_lin", "sigma_log",
		"sigma_lin_v", "sigma_log_v", "sigma_lin_tuned_w", "sigma_log_tuned_w", "monkey_sigma_lin", "monkey_sigma_log"}}
	for i, n := range stimulus.Numerosities {
		mk := []string{"", "", ""}
		for _, r := range s.Monkey {
			if r.N == n {
				mk = []string{f(r.PNFraction), f(r.SigmaLin), f(r.SigmaLog)}
			}
		}
		v, w := a.CV.WeberV, a.CV.WeberTunedW
		rows = append(rows, []string{strconv.Itoa(n), f(a.PNDist[i].Mean), f(a.PNDist[i].SD), mk[0], f(a.Weber.SigmaLin[i]), f(a.Weber.SigmaLog[i]),
			f(v.SigmaLin[i]), f(v.SigmaLog[i]), f(w.SigmaLin[i]), f(w.SigmaLog[i]), mk[1], mk[2]})
	}
	return rows
}

// curvesTable: one row per PN class, one column per numerosity.
func curvesTable(curves [][]float64) [][]string {
	nums := stimulus.Numerosities
	head := []string{"pn"}
	for _, n := range nums {
		head = append(head, "n"+strconv.Itoa(n))
	}
	rows := [][]string{head}
	for p, c := range curves {
		r := []string{strconv.Itoa(nums[p])}
		for _, v := range c {
			r = append(r, f(v))
		}
		rows = append(rows, r)
	}
	return rows
}

// fitsTable lists the Gaussian fits get returns of every network.
func (s *Summary) fitsTable(get func(NetSummary) []numunits.CurveFit) [][]string {
	nums := stimulus.Numerosities
	rows := [][]string{{"network", "pn", "a_lin", "b_lin", "c_lin", "sigma_lin", "r2_lin", "at_bound_lin", "a_log", "b_log", "c_log", "sigma_log", "r2_log", "at_bound_log"}}
	for _, n := range s.Nets {
		for _, ft := range get(n) {
			rows = append(rows, []string{strconv.Itoa(n.Index), strconv.Itoa(nums[ft.PN]),
				f(ft.Lin.A), f(ft.Lin.B), f(ft.Lin.C), f(ft.Lin.Sigma), f(ft.Lin.R2), strconv.FormatBool(ft.Lin.AtBound),
				f(ft.Log.A), f(ft.Log.B), f(ft.Log.C), f(ft.Log.Sigma), f(ft.Log.R2), strconv.FormatBool(ft.Log.AtBound)})
		}
	}
	return rows
}

// shapesTable: per T-draw PN, the V-draw shapes (networks pooled) and the fall of
// the curves on T and V.
func shapesTable(a Aggregate) [][]string {
	rows := [][]string{{"pn", "decreasing", "tuned", "increasing", "unclassified", "fall_right_t_mean", "fall_right_t_sd", "fall_right_v_mean", "fall_right_v_sd"}}
	for p, n := range stimulus.Numerosities {
		c := a.CV.ShapeByPN[p]
		rows = append(rows, []string{strconv.Itoa(n), strconv.Itoa(c[numunits.Decreasing]), strconv.Itoa(c[numunits.Tuned]),
			strconv.Itoa(c[numunits.Increasing]), strconv.Itoa(c[numunits.Unclassified]),
			f(a.CV.FallRightT[p].Mean), f(a.CV.FallRightT[p].SD), f(a.CV.FallRightV[p].Mean), f(a.CV.FallRightV[p].SD)})
	}
	return rows
}

// backtrackTable: W_dec - W_inc per T-draw PN, real and shuffled.
func backtrackTable(b *Fig5Aggregate) [][]string {
	rows := [][]string{{"pn", "dec_minus_inc_mean", "dec_minus_inc_sd", "shuffled_mean", "shuffled_sd", "networks"}}
	for p, n := range stimulus.Numerosities {
		rows = append(rows, []string{strconv.Itoa(n), f(b.DecMinusInc[p].Mean), f(b.DecMinusInc[p].SD),
			f(b.Shuffled[p].Mean), f(b.Shuffled[p].SD), strconv.Itoa(b.DecMinusInc[p].N)})
	}
	return rows
}

// summationTable: Kim's summation model per PN beside the networks.
func summationTable(a Aggregate) [][]string {
	rows := [][]string{{"pn", "model_pn_fraction", "network_pn_fraction", "model_dec_minus_inc", "model_curve_r2_vs_network_v"}}
	for p, n := range stimulus.Numerosities {
		rows = append(rows, []string{strconv.Itoa(n), f(a.Model.PNDist[p]), f(a.PNDist[p].Mean), f(a.Model.DecMinusInc[p]), f(a.ModelR2[p])})
	}
	return rows
}

func distanceTable(a Aggregate) [][]string {
	d := [][]string{{"distance", "selective_mean", "selective_sd", "nonselective_mean", "nonselective_sd", "pixels_mean", "pixels_sd"}}
	for i, x := range a.Distances {
		d = append(d, []string{strconv.Itoa(x), f(a.DistSel[i].Mean), f(a.DistSel[i].SD), f(a.DistNon[i].Mean), f(a.DistNon[i].SD), f(a.DistPix[i].Mean), f(a.DistPix[i].SD)})
	}
	return d
}

func congruencyTable(a Aggregate) [][]string {
	c := [][]string{{"cue", "selective_mean", "selective_sd", "nonselective_mean", "nonselective_sd", "selective_p_above_chance"}}
	for i, cue := range a.Cues {
		c = append(c, []string{cue, f(a.IncongSel[i].Mean), f(a.IncongSel[i].SD), f(a.IncongNon[i].Mean), f(a.IncongNon[i].SD), f(a.IncongSelP[i])})
	}
	return append(c, []string{"pixels(area)", f(a.IncongPix.Mean), f(a.IncongPix.SD), "", "", ""})
}

func (s *Summary) decodersTable() [][]string {
	d := s.Decoders
	rows := [][]string{{"set", "decoder", "samples", "coverage_68", "median_rel_error"}}
	for _, e := range d.Stimuli {
		rows = append(rows, []string{"held-out stimuli (V)", e.Decoder, strconv.Itoa(e.Samples), f(e.Coverage), f(e.MedRelErr)})
	}
	for _, e := range d.Dice {
		rows = append(rows, []string{"dice photos", e.Decoder, strconv.Itoa(e.Samples), f(e.Coverage), f(e.MedRelErr)})
	}
	return rows
}

func (s *Summary) photosTable() [][]string {
	rows := [][]string{{"file", "count", "decoder", "estimate", "lo", "hi"}}
	for _, p := range s.Photos {
		rows = append(rows, []string{p.File, strconv.Itoa(p.Count), p.Decoder, f(p.Value), f(p.Lo), f(p.Hi)})
	}
	return rows
}
