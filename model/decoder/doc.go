// Package decoder turns the responses of number-selective units into an estimate of
// numerosity with its uncertainty.
//
// A decoder is fitted on calibration stimuli only (dot images with known numerosity,
// never on labelled photos) and then reads one response vector per frame: the relu5
// responses of the selected units, in the order of the number-unit map.
//
// Two decoders are implemented and compared on held-out stimuli and on real photos
// (numsense reproduce, numsense bench):
//
//   - Likelihood: each unit's response to numerosity n is modelled as Gaussian with the
//     mean and standard deviation measured at the 16 calibration numerosities,
//     interpolated linearly on the log2 axis between them. The log-likelihoods of the
//     units are summed, multiplied by a temperature τ (units are far from independent,
//     so the raw sum is overconfident) and turned into a posterior over a fine grid of
//     the log2 axis from 1 to 30, under a prior flat in log n (scale-invariant). The estimate is the posterior median; the interval runs from the
//     16th to the 84th percentile (68 %). τ is fitted on held-out calibration stimuli so
//     that 68 % of their numerosities fall inside their intervals.
//   - Readout: a ridge regression from the standardised responses to log2 n, with the
//     interval ±s on the log2 axis, s the residual standard deviation on held-out
//     stimuli.
//
// Both intervals are symmetric on a logarithmic axis, so on the linear axis they widen
// in proportion to the number, as the Weber-Fechner law says they should.
//
// Decode allocates nothing: every buffer is sized when the decoder is made.
package decoder
