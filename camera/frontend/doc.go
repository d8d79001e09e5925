// Package frontend turns camera frames into the 227x227 binary image (objects 255 on
// background 0) that the number network reads, and reports the scene state.
//
// It prepares the picture only: it never counts, measures or rescales objects; the
// number must come from the network's number-selective units. Every step is a
// per-pixel or neighbourhood operation with fixed parameters.
//
// Pipeline (FrontEnd.Process, no allocation once the frame geometry is known):
//
//  1. Region of interest (Opts.ROI), then area-averaging resize to a working picture
//     whose long side is Opts.Work (340 by default, 1.5x the output, so that gaps
//     between neighbouring objects survive). Luma is read straight from the frame
//     (YUYV even bytes, I420 Y plane, Gray; RGBA converted per row); chroma (YUYV odd
//     bytes on every other row, I420 planes, RGBA) is resampled alongside when
//     Opts.ChromaGain > 0. Weights are fixed-point, so no division per pixel.
//     Aspect is kept by letterboxing, not cropping: a crop would cut objects at the
//     edges and change the number in view; the bands are background (0), exactly
//     what an empty table gives.
//  2. Background: per Cell x Cell block the median of each plane (sampled), each
//     block replaced by the median of its 3x3 neighbourhood (a block full of objects
//     takes its neighbours' level), interpolated bilinearly. It follows lighting
//     gradients and slow lighting changes, not objects.
//  3. Foreground: deviation from the background in both directions (dark objects on
//     light tables and light on dark). Darkening is weighted by Opts.Shadow (40%):
//     soft shadows only darken, and far less than dark objects. Colour deviation
//     (|dCb|+|dCr|, weight ChromaGain) shows yellow or pale coloured objects on a
//     white table where their luma hardly differs. Threshold: Otsu on the deviation
//     histogram clamped to [MinContrast, MaxThreshold] (45), so an empty table stays
//     empty. Dark spots (a pixel more than Opts.Spot below the mean of its 5x5
//     neighbourhood: the pips of a white die on a white tray) are added.
//  4. Clean-up: closing (joins the outline and pips of a pale die), filling holes no
//     larger than a block (not the inside of a dark tray frame), opening (specks), a
//     final 1-pixel erosion (blur halo). Morphology runs on 8 pixels per 64-bit word
//     (mask bytes are 0/255, so dilation is OR and erosion AND of shifted rows).
//     Optional (Opts.Split, off by default): erosion to break narrow necks between
//     touching objects, then regrowth inside the mask only through pixels whose
//     foreground neighbours form one group, so pieces are never rejoined (72% instead
//     of 70.8% on the dice photos, for about 2 ms more per frame).
//  5. The working mask is area-averaged to the output size; an output pixel is set
//     when at least Opts.Cover (80%) of it is foreground, which keeps narrow gaps
//     between neighbours open.
//
// State: Empty when the foreground fraction is under Opts.EmptyFraction; Unstable
// when more than Opts.MotionThreshold of the working pixels changed by more than
// Opts.MotionDelta grey levels since the previous frame (a hand placing objects);
// Stable otherwise. The first frame after New or Reset reports no motion.
//
// Measured on the development machine (2 shared cores): BenchmarkFrontEndYUYV640x480
// uses about 3.0 ms of CPU per frame (user time over 1000 frames; wall time under
// the load of other jobs was 4-5.5 ms), 0 allocations. On the 250 dice photographs
// of ../shared/data/dice (one fixed region of interest leaving out the tray's rail)
// the silhouette component count is within ±15% of the truth for 70.8% of the
// photos; the target is 90%. The failures: touching dice merge (about half),
// white dice on the white tray break up or vanish, and the shots of a dark-framed
// tray show the frame as objects. Synthetic scenes with separated objects segment
// exactly.
package frontend
