// Package experiment runs the number-unit experiment of Kim et al. 2021 on one
// untrained network and fits the decoders the device uses.
//
// One Run (Config) does, in order:
//
//  1. draws the network (model.NewNet) and quantises it to int8 on 16 dot images
//     (CalibrationImages), unless a quantised network is given;
//  2. draw T: Images images per numerosity (16 levels) and set (standard, control 1,
//     control 2) through the int8 engine; a streaming two-way ANOVA over the 43,264
//     relu5 units; the int8 codes are kept (Images x 48 x 43 KB: 104 MB at the
//     paper's 50) for the second pass;
//  3. selection (p_N < 0.01, p_set > 0.01, p_int > 0.01; constant units excluded), PN,
//     PN-averaged tuning curves, Gaussian fits on linear and log2 axes, Weber-Fechner
//     lines;
//  4. optionally the float32 reference on the first FloatImages images of every T
//     cell, several images at once, and the int8-vs-float selection agreement on
//     those same images;
//  5. draw V (independent seed): PN stability and the responses the comparison task
//     is tested on;
//  6. cross-validation: the PN classes' curves, Gaussian fits and Weber-Fechner lines
//     on V with the PN from T, each selective unit's shape tested on V (tuned,
//     decreasing, increasing) and the unit classes of the model file;
//  7. the area-varying set (T and V draws, AreaImages per numerosity and area level),
//     with every relu4 and relu5 unit regressed on log area and log N when the
//     network exposes relu4; the units that tested tuned on V are measured there
//     too (a third sample), for the Weber-Fechner analysis of tuned units;
//  8. Kim's Fig. 5 (when relu4 and conv5's weights are known): monotonic relu4 and
//     relu5 units, backtracking of the selective units through conv5's weights and
//     the summation fits of their V curves by their inputs' drives;
//  9. optionally the comparison task (selective, non-selective, pixels) and the
//     congruent/incongruent test per cue (area, density, size) with the linear SVM.
//
// Only the responses of the selective and non-selective units are stored per image
// (numunits.Responses), never the whole layer beyond step 2.
//
// Seeds: everything derives from Config.NetSeed and Config.StimSeed through Derive
// (a splitmix64 finaliser over stream numbers); Result.Seeds lists them. Each cell of
// a draw has its own generator, so the first k images of a cell do not depend on
// Images.
//
// Cost on the 2-core amd64 host: 15 ms per int8 frame (the engine uses both
// cores), about 0.6 s of CPU per float32 frame, a few seconds per SVM repetition
// at 100 pairs per sample numerosity. Progress counts work in int8 frames; Work
// gives the total for a Config so several runs can share one bar.
//
// Calibrate builds a model file from a Run: the unit map (section "units"), the
// unit classes ("unit-classes"), both decoders fitted on T only
// ("decoder.likelihood", "decoder.readout"), the chosen one ("decoder": lower median
// relative error on V; near ties within 10 % broken by the coverage nearer 68 %, never
// by photos), and a JSON "calibration" section. For a population
// (CalibrateOpts.Networks, Views) it runs every network on the same stimuli, fits the
// decoders over the units of all of them (JointSamples) and reads scenes and photos
// through model/population as numsense run does (UnitReader). EvalDice runs labelled
// photos through the camera front end, the network(s) and the decoders.
package experiment
