// Package defaultmodel embeds the calibrated model numsense runs with when no
// --model is given: a population of three int8 networks (AlexNet conv1-5,
// untrained He-normal weights, grey input folded into conv1; network 0 of seed 1,
// networks 1 and 2 of seeds derived from it), each network's number-unit map and
// both decoders over the units of all three, as written by numsense calibrate.
//
// How default.nsm was made (go generate ./model/defaultmodel reproduces it; the
// same bytes on every machine, since weights, stimuli, quantisation and fits are
// pure functions of the seed):
//
//	cd model/defaultmodel
//	go run ../../cmd/numsense calibrate --seed 1 --images 30 --networks 3 --views id \
//	    --train-views id,m,r90,r180,r270,m.r90,m.r180,m.r270 -o default.nsm
//
// (it needs nothing outside the repository; --dice DIR with the dice set of
// docs/data.md would only add the photos' figures to the calibration record:
// photos never choose or fit anything)
//
//   - networks: floatnet.New(seed), seed 1 and experiment.NetworkSeed(1, k) for
//     k = 1, 2, each quantised by floatnet.Quantize on the same 16 dot images of
//     experiment.CalibrationImages (seed experiment.Derive(1, 1)); the count does
//     not depend on --images, so the int8 networks depend on the seed only. The
//     file stores each network's seed and a checksum instead of its weights, which
//     Load draws again (docs/model-format.md);
//   - unit selection, per network: 30 images per numerosity and set (1,440 images,
//     draw T, the same for all three) through the int8 network, two-way ANOVA on
//     relu5 (p_N < 0.01, p_set > 0.01, p_int > 0.01): 4,786, 4,268 and 4,099 of the
//     43,264 units, 13,153 in all;
//   - decoders: both fitted on T only, over the units of all three networks, each T
//     image also under the 8 views of the square's symmetry group (9,216 samples;
//     every 5th image of a cell held out for the likelihood temperature, the
//     readout's ridge penalty and interval), and compared on an independent draw V
//     of 1,440 images; the readout had the lower median relative error and is
//     section "decoder". The "calibration" section records seeds, sizes and the
//     metrics, including both decoders on 270 scenes of our own renderers through
//     the camera front end, which also set the interval widths of camera pictures
//     (6 synthetic camera scenes per count 1-30, 3 with the default layout and 3
//     with varied ones, and 90 photo-realistic scenes of camera/scene with counts
//     1-30, seed experiment.Derive(1, 8)+2, not the bench set's), and on the 250
//     dice photos (recorded only: photos never choose or fit anything);
//   - unit classes (section "unit-classes"): network 0's selective units grouped by
//     their cross-validated tuning shape (PN from T, tested on V).
//
// The estimate runs the three networks on the silhouette alone (3 network passes:
// 10.6 ms projected on a Pi 5, 45.8 ms on a Pi 4; docs/performance.md 5.4).
// Generation takes about 2.5 minutes on an idle 2-core x86 host (8 on a loaded one)
// and 1.3 GB; the file is about 4.3 MB.
// model/lab/experiment's TestRegenerate regenerates network 0 at a reduced size and
// checks that the network is bit for bit the same and that the selected units
// agree.
package defaultmodel
