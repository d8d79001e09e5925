// Package numunits finds number-selective units in a layer's responses and
// analyses them as Kim et al. 2021 (Science Advances 7: eabd6127) did for the
// relu5 layer of an untrained AlexNet; docs/protocol.md §5-8, §10 and
// §13 are the specification. It is pure statistics on
// response arrays: the caller runs the network.
//
// Workflow:
//
//  1. Selection pass (streaming). For every image of the T draw call
//     ANOVA.Add (or AddInt8 for the int8 engine's codes) with its stimulus set
//     and numerosity index; ANOVA.Result gives the two-way ANOVA of every unit
//     (numerosity 16 levels x set 3 levels x n replicates, balanced); Result.Select
//     classifies units; NewUnitMap keeps what a decoder needs.
//  2. Storage pass. Run the images again and keep only the selected and
//     non-selective units (Responses.AppendLayer), for the T and V draws and
//     the area-varying set; binary pixels go into Pixels.
//  3. Analyses: PN distribution and stability (MeanAccumulator over V,
//     PNStability with its permutation chance), tuning curves and Gaussian fits
//     (TuningCurves, FitTuningCurves with Kim's or range bounds, Inside,
//     WeberFechner, FallRight, DistanceCurves), the comparison task (Compare,
//     ComparePixels; with TaskOpts.PN also the correct- versus error-trial
//     tuning), the congruency test (Congruency, CongruencyPixels), the
//     float/int8 selection overlap (Overlap), compared with the monkey data
//     (LoadMonkey). Statistical tests: RankSum, SignRank, PairedT, FitLine,
//     CorrP, BinomUpper.
//  4. Cross-validation: the PN is chosen on the selection draw T, and a
//     figure that is to confirm tuning is measured on the independent draw V
//     (ClassifyShapes: tuned, decreasing or increasing by a stated test on V;
//     NewClasses for the model file). Measured on T, every PN class peaks at its
//     PN by construction of the argmax, so a T-draw curve cannot tell a tuned
//     unit from a ramp.
//  5. Kim's Fig. 5: monotonic units on the area-varying set
//     (MonotonicAccumulator, Stoianov & Zorzi criteria), backtracking through a
//     convolution's weights (Conv, Backtrack, UnitDrives, RegressR2) and the
//     summation model (RunSummationModel, CurveR2).
//
// ANOVA (MATLAB anova2 with n replicates): SS_A = b n sum_i (ybar_i. - ybar)^2,
// SS_B = a n sum_j (ybar_.j - ybar)^2, SS_AB = n sum_ij (ybar_ij - ybar_i. -
// ybar_.j + ybar)^2, SS_E = sum_ijk (y_ijk - ybar_ij)^2, with dfs a-1, b-1,
// (a-1)(b-1), ab(n-1) (15, 2, 30, 2352 in the paper) and p the upper tail of
// F(df, df_E). Cells keep Welford running means and squared deviations in
// float64, so large responses with a small variance lose no precision, and
// memory does not grow with n. The p value is the regularized incomplete beta
// I_{d2/(d2+d1 F)}(d2/2, d1/2), computed directly (not as 1 - CDF) so small p
// keep their relative precision. Computing F and exact p of all three terms for
// 43,264 units takes about 0.08 s on one 2-core amd64 host, so no fast-reject
// shortcut is needed.
//
// Choices where the paper is silent or ambiguous (docs/protocol.md §13):
//   - "Non-selective" units are the set-selective units as coded by the authors
//     (p_N > 0.01, p_set < 0.01, p_int > 0.01), not all other units.
//   - Constant units (dead ReLUs, or int8 outputs that never change) get NaN p
//     values and belong to neither class; percentages are the caller's over all
//     units.
//   - PN is the argmax of the mean over all sets and images, first index on ties.
//   - The per-numerosity SD of the unit map is the sample SD of all Sets*n
//     responses at that numerosity (sets pooled, denominator Sets*n-1).
//   - Gaussian fits: Levenberg-Marquardt with steps projected onto the bounds,
//     from a = 1, b = x at the peak, c = x range/4. KimBounds are the authors'
//     (a in [0,1.5], b in [0,30], c in [1e-6,100] on both axes, which lets a
//     log-axis centre leave the tested range); RangeBounds keep the centre
//     inside the tested range of each axis.
//   - Shape test (ClassifyShapes): one-sided Welch t-tests of the V mean at the
//     T-draw PN against the V means at both ends, both p < alpha, for tuned;
//     else a t-test of the V slope on log2 N for decreasing or increasing.
//   - Rank-sum tests use the normal approximation with tie and continuity
//     corrections; signed-rank tests are exact up to 25 non-zero differences.
//   - Classifier: model/svm, hinge loss with lambda = 1/n, dual coordinate
//     descent on internally centred features (deterministic for a seed).
//   - Comparison task: pairs depend only on (Seed, repetition), so selective,
//     non-selective and pixel runs with the same seed see the same trials; each
//     repetition draws new pairs and a new unit sample.
//   - Congruency: a pair whose cue is undefined (mean inter-dot distance of a
//     one-dot image) is neither congruent nor incongruent and is dropped.
//   - The pixel control uses the sample image only, as coded; its majority-
//     answer baseline is 76.7 % (PriorBaseline), not 50 %.
package numunits
