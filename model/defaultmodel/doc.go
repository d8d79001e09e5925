// Package defaultmodel embeds the calibrated model numsense runs with when no
// --model is given: the int8 network of seed 1 (AlexNet conv1-5, untrained
// He-normal weights, grey input folded into conv1), its number-unit map and both
// decoders, as written by numsense calibrate.
//
// How default.nsm was made (go generate ./model/defaultmodel reproduces it; the
// same bytes on every machine, since weights, stimuli and quantisation are pure
// functions of the seed):
//
//	cd model/defaultmodel
//	go run ../../cmd/numsense calibrate --seed 1 --images 30 -o default.nsm
//
// (the embedded file was made with --dice DIR naming the full dice set of
// docs/data.md as well, which only adds the photos' figures to the calibration
// record: photos never choose or fit anything)
//
//   - network: floatnet.New(1), quantised by floatnet.Quantize on the 16 dot images of
//     experiment.CalibrationImages (one per numerosity, the three sets in turn,
//     seed experiment.Derive(1, 1)); the count does not depend on --images, so the
//     int8 weights and scales depend on the seed only;
//   - unit selection: 30 images per numerosity and set (1,440 images, draw T) through
//     the int8 network, two-way ANOVA on relu5 (p_N < 0.01, p_set > 0.01,
//     p_int > 0.01), about 11 % of the 43,264 units selected;
//   - decoders: both fitted on T only (every 5th image of a cell held out for the
//     likelihood temperature and the readout's interval width) and compared on an
//     independent draw V of 1,440 images; the readout had the lower median relative
//     error (0.12 against 0.38) and is section "decoder". The "calibration" section
//     records seeds, sizes and the metrics, including both decoders on 270 scenes of
//     our own renderers through the camera front end, which also set the interval
//     widths (6 synthetic camera scenes per count 1-30, 3 with the default layout and
//     3 with varied ones, and 90 photo-realistic scenes of camera/scene with counts
//     1-30, seed experiment.Derive(1, 8)+2, not the bench set's), and on the 250 dice
//     photos (median relative error 0.24 readout, 0.25 likelihood; 73 % and 89 % of
//     the true counts inside the 68 % interval). The widening lowers the likelihood
//     decoder's temperature to a tenth of the stimuli's, which costs it accuracy on
//     held-out stimuli (0.38, against 0.18 before the photo-realistic scenes took
//     part); the readout's point estimates are untouched (its half-width is 0.57 on
//     the log2 axis).
//
// 30 images per cell (the paper uses 50) keeps generation near one and a half
// minutes on a 2-core host and the file under 4 MB; the test regenerates the model
// at a reduced size and checks that the network is bit for bit the same and that
// the selected units agree.
package defaultmodel
