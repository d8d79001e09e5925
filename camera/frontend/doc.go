// Package frontend turns camera frames into the 227x227 binary image (objects 255 on
// background 0) that the number network reads, and reports the scene state.
//
// It prepares the picture only: it segments, separates, rescales and cleans, and
// never counts objects nor measures single ones to decide the number; the number
// must come from the network's number-selective units. Where a step looks at a
// property of the picture (the view, the growth) it is a property of the whole
// foreground or of the table.
//
// Pipeline (FrontEnd.Process, no allocation once the frame geometry is known):
//
//  1. resize: the region of interest (Opts.ROI), area-averaged to a working picture
//     whose long side is Opts.Work (340 by default, 1.5x the output). Luma is read
//     straight from the frame (YUYV even bytes, I420 Y plane, Gray; RGBA converted
//     per row); chroma at half the working size when Opts.ChromaGain > 0. Fixed-point
//     weights, no division per pixel. Aspect is kept (the view below letterboxes).
//  2. motion: the share of working pixels changed since the previous frame.
//  3. background: what the empty table looks like, per plane; the decision chain:
//     a. a fixed camera's learned empty table (Opts.Learn, learn.go), when there is
//     one of this geometry: per pixel, the mean of the empty, still frames it was
//     learned from, scaled by the light level (the mode of frame / reference over
//     the picture, so that the table, the largest uniform part, sets it even under
//     a dense array), each pixel's own noise (twice its spread) not counted; it
//     follows slow drift and is learned again after a lasting change of the outer
//     band of the picture (another table, a moved camera);
//     b. else, for a single picture (background.go): block statistics (median and
//     luma quartiles of Cell x Cell blocks); table blocks: flat ones (interquartile
//     range within the table's own texture) joined with their like neighbours into
//     regions that reach the picture's edge or hold 15 % of the blocks (objects do
//     neither, and a dense array is not flat); a global model of the table from
//     those blocks alone: a quadratic surface when it fits them (light gradient,
//     vignetting), else their values spread to the others (two surfaces: a tray's
//     floor and the table around it); and the local block medians only where they
//     agree with that model (a block full of objects takes the model's value);
//     c. where no block is flat at all, each block's median smoothed by the median
//     of its 3x3 neighbourhood.
//  4. segment: deviation from the background, lighter or darker, in luma and
//     (weighted by ChromaGain) colour. A shadow darkens the table and keeps its hue:
//     darkening by at most MaxShadow (40 %) of the table whose colour lies between
//     the table's and the shadowed table's counts only Shadow (20 %); anything darker
//     or of another colour counts fully. The threshold follows the table's texture
//     (Texture x its blocks' median interquartile range, at least MinContrast 16, at
//     most MaxThreshold 55), raised to Otsu% (60 %) of Otsu's threshold on a single
//     picture. Small dark spots (pips of a pale die) are added (Opts.Spot).
//  5. cleanup (morphology on the mask packed one bit per pixel): closing (Close 3),
//     creases cut (Opts.Valley: foreground darker than both sides of a line two to
//     four pixels away, with objects on both sides reaching six pixels, darker across
//     but not along, not the dark body of a die between its white pips: the meeting
//     line of two touching objects), holes filled (small ones, and up to Hole percent
//     of the picture when they differ from the table or are compact: a coin's face
//     inside its rim, a pale die's face; not the table between round objects of a
//     grid, nor a tray's floor), the creases cleared, opening (specks), a one-pixel
//     erosion (blur halo).
//  6. separate (separate.go, as its stages): the 3-4 chamfer distance to the
//     background; its h-maxima as markers (Core, Dip); a watershed from them; then
//     regions removed: unreached foreground (thin structures), regions reaching the
//     picture's outer two pixels (whatever the region of interest cuts), and lines:
//     regions holding a horizontal or vertical run, over gaps of up to two pixels,
//     of thin foreground (within LineWidth/2 = 1.5 % of the short side of the
//     background) longer than Line (30 %) of the short side (a tray's side, a rail,
//     a table's edge; a row of objects is thick); a one-pixel line cleared where two
//     floods meet.
//  7. compose (compose.go): the view is the foreground's bounding box, centred,
//     scaled to fill Fill (90 %) of the silhouette along each axis, one axis at most
//     Aniso (3) times more than the other, at most MaxZoom (4) times the whole
//     picture's scale: objects gathered in part of the table are magnified, objects
//     spread over all of it shrunk a little. Each silhouette pixel takes the region
//     under it; on a half-size grid two distance transforms give the nearest region
//     and the nearest other one: separated regions keep Gap (10) pixels apart (2 x Gap
//     where they touched), and small objects grow until the foreground's mean radius
//     is Radius (6) pixels, never into each other.
//
// Why the view and the gaps: on ideal silhouettes of the photo-realistic scenes of
// camera/scene (the objects' exact outlines, one pixel apart), the embedded
// model's readout decoder errs by a median 0.59 with the whole picture letterboxed,
// 0.45 with the objects' box filling 90 % of the view, 0.20 with that and 10-pixel
// gaps, 0.19 with the box filled along each axis and small objects grown; shrinking
// the view until the objects come out as large as the calibration dots (radius 7)
// makes it 0.67: the network reads touching objects, and objects gathered in part of
// the view, as far fewer, but barely minds their size.
//
// State: Unstable when more than Opts.MotionThreshold of the working pixels changed
// by more than Opts.MotionDelta grey levels since the previous frame (a hand placing
// objects, also over an empty table); otherwise Empty when the foreground fraction
// is under Opts.EmptyFraction, Stable when not. The first frame after New, Reset or
// Forget reports no motion. A table is learned from Learn.Frames Empty frames in a
// row, so a start with objects already down keeps the single-picture chain until the
// table has been cleared once; a few wood tables whose planks' edges show as objects
// are never learned.
//
// Measured (see docs/science.md for the whole pipeline): with numsense bench on the
// 600 photo-realistic scenes of numsense scenes --seed 1, median |rel err| 0.57 with
// the front end tuned on the dice tray, 0.25 now; dense arrays 0.90 -> 0.23; frames
// with objects found empty 15.5 % -> 1.2 %. On the 250 dice photographs (whole
// frames) 0.19 before, 0.24 now with a single network (0.23 with the population of
// three): small counts on the busy board (rails, its holes, a tray's frame, the
// board's bolts) come out too high. The silhouette component count of the dice
// photos, with the region of interest the tests use, is within 15 % for 86 % of
// them (91 % when the front end was tuned on this tray alone).
//
// Speed (cpu-ms/frame: CPU time of the locked benchmark thread per frame, on the
// 2-core development machine shared with other jobs at a load of 8-9, an x86 with
// AVX-512 VNNI; the figures move with what runs on the sibling hardware thread):
// BenchmarkFrontEndYUYV640x480 (squares on a shaded table) 2.9 ms, 0 allocations
// (the front end tuned on the tray: 2.2-2.4 ms in the same conditions);
// BenchmarkFrontEndScene640x480 (a dense grid of touching dice and a grid of coins,
// photo-realistic) 5.3-5.7 ms, 0 allocations (the tray's front end: 3.6 ms, finding
// little of those objects). The 3 ms target holds for the first frame, not for
// dense arrays: separation (distance, markers, watershed, cut) and the creases cost
// in proportion to the foreground.
package frontend
