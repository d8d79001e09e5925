// Package frontend turns camera frames into the 227x227 binary image (objects 255 on
// background 0) that the number network reads, and reports the scene state.
//
// It prepares the picture only: it never counts, separates into a list or measures
// single objects; the number must come from the network's number-selective units.
// Every step is a per-pixel or neighbourhood operation with fixed parameters, but
// for the zoom (step 6), which looks at two properties of the whole foreground: its
// bounding box and its mean depth.
//
// Pipeline (FrontEnd.Process, no allocation once the frame geometry is known):
//
//  1. Region of interest (Opts.ROI), then area-averaging resize to a working picture
//     whose long side is Opts.Work (340 by default, 1.5x the output, so that gaps
//     between neighbouring objects survive). Luma is read straight from the frame
//     (YUYV even bytes, I420 Y plane, Gray; RGBA converted per row); chroma (YUYV odd
//     bytes on every other row, I420 planes, RGBA) is resampled alongside, at half
//     the working size (colour only has to mark coloured areas), when
//     Opts.ChromaGain > 0. Weights are fixed-point, so no division per pixel.
//     Aspect is kept by letterboxing, not cropping: a crop would cut objects at the
//     edges and change the number in view; the bands are background (0), exactly
//     what an empty table gives.
//  2. Background: per Cell x Cell block (Cell/2 on the half-size colour planes) the
//     median of each plane (sampled), each
//     block replaced by the median of its 3x3 neighbourhood (a block full of objects
//     takes its neighbours' level), interpolated bilinearly. It follows lighting
//     gradients and slow lighting changes, not objects.
//  3. Foreground: deviation from the background in both directions (dark objects on
//     light tables and light on dark). Darkening is weighted by Opts.Shadow (40%):
//     soft shadows only darken, and far less than dark objects. Colour deviation
//     (|dCb|+|dCr|, weight ChromaGain) shows yellow or pale coloured objects on a
//     white table where their luma hardly differs. Threshold: Otsu on the deviation
//     histogram clamped to [MinContrast, MaxThreshold] (55), so an empty table stays
//     empty. Dark spots (a pixel more than Opts.Spot below the mean of its 5x5
//     neighbourhood: the pips of a white die on a white tray) are added.
//  4. Clean-up (morphology on the mask packed one bit per pixel, 64 pixels per
//     word: dilation is OR and erosion AND of shifted words and rows): closing
//     (radius 3: joins the outline and pips of a pale die), filling holes no larger
//     than a block (not the inside of a dark tray frame; the background reaching
//     the border is found by row sweeps that fill whole runs at once with a carry
//     through an addition, then each enclosed hole is flooded to see its size),
//     opening (specks), a 1-pixel erosion (blur halo). Optional (Opts.Split, off):
//     erosion to break narrow necks, then topology-preserving regrowth.
//  5. Separation and cleaning (Opts.Core > 0, on by default): the 3-4 chamfer
//     distance to the background (two raster passes); markers are its h-maxima (a
//     local maximum at least Core = 2 pixels deep that cannot reach a deeper point
//     without the distance dipping by more than Opts.Dip, one pixel); a watershed
//     floods the mask from the markers, deepest first (bucket queue), and clears a
//     one-pixel line where two floods meet, so touching objects whose outline has a
//     waist come apart. Then three cleaning rules, none of which counts or measures
//     objects: foreground that no marker reaches (thinner than 2 x Core) is
//     dropped, as an opening by reconstruction would drop it; regions holding a
//     straight horizontal or vertical run longer than Opts.Line (60%) of the
//     picture's short side are dropped (the sides of a tray, a table edge); regions
//     reaching the outer two pixels of the picture are dropped (whatever the region
//     of interest cuts: a tray's rim, a hand coming in, an object half in view).
//  6. The working mask is area-averaged to the output size; an output pixel is set
//     when at least Opts.Cover (80%) of it is foreground, which keeps narrow gaps
//     between neighbours (and the watershed lines) open.
//
// State: Unstable when more than Opts.MotionThreshold of the working pixels changed
// by more than Opts.MotionDelta grey levels since the previous frame (a hand placing
// objects, also over an empty table); otherwise Empty when the foreground fraction
// is under Opts.EmptyFraction, Stable when not. The first frame after New or Reset
// reports no motion.
//
// Measured on the development machine (2 cores shared with up to 7 other jobs,
// load 7-10): BenchmarkFrontEndYUYV640x480 uses 2.4-3.3 ms of CPU per frame
// (cpu-ms/frame: CPU time of the locked benchmark thread over 1000 frames; median of
// six runs about 2.9 ms; the figure moves with what runs on the sibling hardware
// thread, the same binary gave 2.4 and 4.0 ms minutes apart), 0 allocations. The
// separation step costs about 0.4 ms of it; the packed morphology and hole
// filling, the half-size colour planes and the branch-free deviation paid for it.
// On the 250 dice photographs of ../shared/data/dice (one fixed region of interest
// leaving out the tray's rail) the silhouette component count is within +-15% of
// the truth for 91.2% of the photos (target 90%), the same on amd64, arm64 and
// armv7. The remaining failures are mostly touching dice whose joint outline has no
// waist (side by side, or pressed together in the big clusters of 22-25): the
// distance map has a single ridge there and no front end that only segments can
// tell them apart. Synthetic scenes: one object with its soft shadow can come apart
// from the shadow. The whole pipeline (numsense bench on the same photos, whole
// frames, no region of interest): before the tray clean-up median |rel err| 0.32,
// 28% inside the interval; after it 0.28 and 33%, with the estimates low (log bias
// -0.25: the dice came out 3 pixels in radius); with the zoom 0.18 (bias -0.06) on
// the same decoder, and 0.19, 72% inside, bias -0.02 once the decoders' intervals
// were set on the mixed synthetic scenes (model/experiment.SceneSamples).
package frontend
