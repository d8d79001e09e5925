// Package model is numsense's network: the untrained AlexNet conv1..conv5 of Kim et
// al. 2021 (He-normal weights, zero biases), its float32 reference forward pass, the
// quantised int8 engine that runs it on a Raspberry Pi, and the model file.
//
// # Architecture
//
// BVLC AlexNet conv1..conv5 with its channel grouping, 227x227 input, grey input
// folded into conv1 (below). Each conv is followed by ReLU; conv1 and conv2 by LRN
// and max-pool 3x3/2.
//
//	layer  input        output       kernel        groups  fan-in  MACs          weights
//	conv1  227x227x1    55x55x96     11x11 /4 p0   1       363     35,138,400    11,616
//	norm1  LRN across channels, n=5, alpha=1e-4, beta=0.75, k=1; pool1 -> 27x27x96
//	conv2  27x27x96     27x27x256    5x5 /1 p2     2       1200    223,948,800   307,200
//	norm2  LRN as norm1; pool2 -> 13x13x256
//	conv3  13x13x256    13x13x384    3x3 /1 p1     1       2304    149,520,384   884,736
//	conv4  13x13x384    13x13x384    3x3 /1 p1     2       1728    112,140,288   663,552  -> relu4 (64,896 units)
//	conv5  13x13x384    13x13x256    3x3 /1 p1     2       1728    74,760,192    442,368  -> relu5 (43,264 units)
//	total                                                          595,508,064   2,309,472
//
// (With an RGB conv1 the network has 665.8 M MACs and 2,332,704 weights.) Group g of
// a grouped conv maps input channels [g*In/2, (g+1)*In/2) to output channels
// [g*Out/2, (g+1)*Out/2). LRN: y_c = x_c / (k + alpha/n * sum_{c'=c-2..c+2} x_c'^2)^beta,
// channels outside the tensor counting 0.
//
// # Units
//
// Activations are stored CHW: relu5 unit index u = c*169 + y*13 + x (c channel
// 0..255, y row 0..12, x column 0..12), relu4 likewise with 384 channels. MATLAB
// (Kim's code) flattens column-major, row fastest: its 1-based index is
// m = y + 13*x + 169*c + 1, so u = c*169 + y*13 + x with y = (m-1) mod 13,
// x = ((m-1) div 13) mod 13, c = (m-1) div 169.
//
// # Input and the grey fold
//
// A frame is a *image.Gray of 227x227 pixels p in 0..255 (binary stimuli are 0/255,
// as Kim's 0/1 stimuli times 255). Kim copies the image into 3 channels and subtracts
// MATLAB's ImageNet mean image. This package uses the documented per-channel
// approximation instead (R 122.679, G 116.669, B 104.007, the Caffe ILSVRC-2012
// channel means): a choice that shifts unit selection slightly. Because conv1 has
// no padding, the 3-channel conv of a grey image equals a 1-channel conv with
// W'_f = sum_c W_f[c] and bias b'_f = -sum_c m_c * sum_ij W_f[c,i,j], exactly; the
// weights are drawn with 3 channels (fan-in 363) and then folded, and
// (*Net).ForwardRGB keeps the unfolded path so a test can prove the fold.
//
// # Initialisation
//
// NewNet(seed) draws every weight from one model/rng stream in the order layer,
// output channel, input channel (of the group), ky, kx, as std*Normal() with
// std = sqrt(2/fan_in), and rounds it to float32; biases are 0. No math function
// with architecture-specific assembly feeds the weights, and products are rounded
// explicitly (float64(a*b)) so no FMA fusion changes a bit: one seed gives the same
// network on amd64, arm64 and arm.
//
// # Float reference
//
// Net.Forward is plain im2col and dot-product loops, every product rounded to
// float32 before it is summed in a fixed order, LRN in float64 with
// d^0.75 = sqrt(d)*sqrt(sqrt(d)); so it too gives the same bits everywhere, and so
// does Quantize, which is calibrated on it.
//
// # int8 engine
//
// TFLite-style int8 (docs/int8.md §1): per-output-channel symmetric weights
// in [-127, 127], int32 biases, int8 activations real = scale*(q - zp) with one scale
// per tensor; all ReLU outputs have zp = -128. The input maps exactly to q = p - 128
// (scale 1, zp -128) and the channel means sit in the conv1 bias. Zero points are
// folded into the bias (bias' = q_b - zp_x*sum_k q_w) and padded taps hold zp_x.
// Each conv is kernel.Im2col into a preallocated [pixels][Kpad] buffer, kernel.Gemm
// (the only multiply) and kernel.Requantize per output channel with fused ReLU;
// grouped convs are two GEMMs. Max-pool (kernel.MaxPool) runs on the codes (exact). LRN is integer-only: with
// u = q + 128 and S the window's sum of u^2, a table of fixed-point factors indexed
// by S (exact below 1024, then 512 buckets per octave) gives the output code
// (kernel.LRN).
//
// Calibration: each activation range is [0, hi] with hi the 99.99th percentile of
// the positive float activations of that tensor over the calibration images
// (CalibPercentile); the max is more sensitive to single outliers. On the standard
// dot set this keeps the int8 relu5 within Pearson r > 0.999 of the float reference
// per image (TestFidelity; the target is 0.99).
//
// An Engine splits every stage over a pool of worker goroutines started once, with
// every buffer preallocated: Run allocates nothing. conv1 and conv2 are split by
// output pixels (conv2, with an even number of workers, first by group), LRN with
// the pool after it by channels, conv3 by output channels and conv4-5 by group,
// then pixels, so that each worker writes whole blocks and, with two workers, reads
// mostly what it wrote itself; stages hand over through a spin-then-sleep barrier,
// skipped where a worker's next stage needs only its own output (see plan and joins
// in engine.go). An Engine is not safe for concurrent use; several Engines
// may share a QNet.
//
// # Model file
//
// Save/Load/Encode/Decode write and read a versioned, self-describing binary file
// (docs/model-format.md): magic, version, architecture id, seed, the int8 network,
// tagged opaque sections for other packages, SHA-256.
package model
