// Package frontend turns camera frames into the 227x227 binary image (objects 255 on
// background 0) that the number network reads, and reports the scene state.
//
// It prepares the picture only: it never counts, measures or rescales objects; the
// number must come from the network's number-selective units.
//
// Pipeline (FrontEnd.Process, no allocation once the frame geometry is known):
//
//  1. Region of interest (Opts.ROI), then area-averaging resize to a working picture
//     whose long side is Opts.Work (340 by default, 1.5x the output, so that gaps
//     between neighbouring objects survive). Luma is read straight from the frame
//     (YUYV even bytes, I420 Y plane, Gray; RGBA converted per row); chroma (YUYV odd
//     bytes, I420 planes, RGBA) is resampled alongside when Opts.ChromaGain > 0.
//     Aspect is kept by letterboxing, not cropping: a crop would cut objects at the
//     edges and change the number in view; the bands are background (0), exactly
//     what an empty table gives.
//  2. Background: per Cell x Cell block the median (of every other pixel) of each
//     plane, each block replaced by the median of its 3x3 neighbourhood (a block full
//     of objects takes its neighbours' level), interpolated bilinearly. This follows
//     lighting gradients and slow lighting changes without following objects.
//  3. Foreground: deviation from the background, in both directions (dark objects on
//     light tables and light on dark). Darkening is weighted by Opts.Shadow (40%):
//     soft shadows only darken, and far less than dark objects do. Colour deviation
//     (|dCb|+|dCr|, weight ChromaGain) makes yellow or pale coloured objects visible
//     on a white table where their luma hardly differs. Threshold: Otsu on the
//     deviation histogram clamped to [MinContrast, MaxThreshold] (45 by default),
//     so an empty table (pure noise) stays empty.
//  4. Clean-up: closing (joins the outline and pips of a pale die), filling holes no
//     larger than a block (not the inside of a dark tray frame), opening (specks),
//     a final 1-pixel erosion (blur halo). Morphology runs on 8 pixels per 64-bit
//     word (mask bytes are 0/255, so dilation is OR and erosion AND of shifted rows).
//  5. The working mask is area-averaged to the output size and thresholded at half.
//
// State: Empty when the foreground fraction is under Opts.EmptyFraction; Unstable
// when more than Opts.MotionThreshold of the working pixels changed by more than
// Opts.MotionDelta grey levels since the previous frame (a hand placing objects);
// Stable otherwise. The first frame after New or Reset reports no motion.
//
// Measured (see the tests): 640x480 YUYV frames take about 3 ms of CPU per frame on
// the development machine (BenchmarkFrontEndYUYV640x480), 0 allocations. On the 250
// dice photographs of ../shared/data/dice the silhouette component count is within
// ±15% of the truth for about 57% of the photos (the target is 90%): touching dice
// merge and white dice on the white tray break up; synthetic scenes with separated
// objects segment correctly.
package frontend
