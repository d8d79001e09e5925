// Package stimulus draws the binary dot images of Kim et al. 2021 ("Visual number sense
// in untrained deep neural networks", Sci. Adv. 7: eabd6127), following the rules of
// the authors' generators (Stimulus_generation_Nasr.m, Stimulus_generation_Zorzi2.m)
// as written down in docs/protocol.md §4.
//
// Canvas and pixels:
//
//   - 227x227 pixels, white items (255) on black (0), no anti-aliasing.
//   - Coordinates are 1-based, x = column 1..227, y = row 1..227; pixel (x, y) is
//     Pix[(y-1)*Stride + (x-1)] of the image.Gray.
//   - Centres are integers: x and y independently ceil(r) + U_int{1..227-2*ceil(r)},
//     so an item never reaches row/column 1 or 227 (for non-integer r).
//   - A pixel belongs to a disc when sqrt(dx²+dy²) <= r (sqrt is correctly rounded,
//     so the test is the same bit for bit on every architecture).
//   - Radii are 7 + 0.7·N(0,1).
//
// The four sets:
//
//	Standard   one attempt = new radius + new centre; accepted when the centre
//	           distance d > r_new + r_j for every placed dot j.
//	Control1   all N radii drawn first, scaled so Σπr² = 1200 px²; dot i is retried
//	           (new centre, same radius) until d > r_i + r_j; then the mean pairwise
//	           centre distance must lie in the open interval (90, 100) px, else all
//	           dots are placed again with the same radii (skipped for N = 1).
//	Control2   a regular pentagon hull (circumradius 110, centre (114, 114), rotated
//	           U_int{1..180}°); one attempt = new radius + new centre, accepted when
//	           the centre is inside or on the pentagon and d > √2·(r_new + r_j).
//	           After placement each item gets a shape from u ~ U(0,1): u > 0.75
//	           square |dx|,|dy| <= r; 0.5 < u < 0.75 disc; 0.25 < u < 0.5 ellipse
//	           dx²/r² + dy²/(r/2)² < 1; otherwise (including u = 0.25, 0.5, 0.75) an
//	           equilateral triangle with vertices at r, rotated U_int{1..180}°,
//	           boundary included.
//	AreaVarying  8 total-area levels A_k = 120πk px² (k = 1..8, after Stoianov &
//	           Zorzi 2012); radii scaled to Σπr² = A_k and placed as Control1
//	           without the density check.
//
// The order of the random draws follows the MATLAB code (radius, then x, then y per
// attempt; hull angle before placement; shapes after placement), although MATLAB's
// own streams cannot be reproduced. All randomness comes from model/rng, and every
// product that decides a pixel is rounded explicitly, so one seed gives the same
// bytes on amd64, arm64 and 32-bit arm. Sines and cosines are only ever needed at
// whole degrees (hull and triangle rotations are U_int{1..180}° plus multiples of
// 72° or 120°); they come from a small portable series (trig.go), not math.Sin.
//
// Where the MATLAB code would loop forever, the generator gives up with an error
// after a bounded number of attempts (see the limits in generator.go; they are
// far above what the documented acceptance rates need). A radius <= 0 (a normal
// deviate below -10, probability ~1e-23) is redrawn instead of looping.
//
// Rule consequences worth knowing:
//
//   - The standard and area rules keep closed discs disjoint (d > r_i + r_j), but
//     two discs whose gap is below √2 px can still produce 4- or 8-adjacent pixels,
//     so counting connected white components may give fewer than N. The same holds
//     for Control2 (a square reaches r√2 from its centre, exactly the √2 spacing).
//     Control1 uses the same rule as Standard. Measured over all 16 numerosities,
//     about one image in five of the Standard, Control1 and AreaVarying sets has at
//     least two 8-connected items (none seen in Control2, where it needs two squares
//     at a near-diagonal offset). Tests check that any merged pair of items is
//     geometrically that close; a pixel-counting reader of these images should not
//     expect exactly N components.
//   - Info.TotalArea is the count of white pixels, which differs from the nominal
//     Σπr² by the lattice rounding of each disc (Gauss circle problem); the nominal
//     value is in Info.NominalArea. For Control1 the count stays within a few
//     percent of 1200 (measured sd 8-15 px per image, no bias); a single disc of
//     radius r can miss πr² by at most π(√2·r + 1/2).
//
// Cost (amd64, shared 2-core host, 0 allocations per Draw): 3-40 µs per image for
// Standard, Control2 and AreaVarying; Control1 at N = 30 takes ~0.2-0.3 ms because
// only ~2 % of its configurations pass the density window (7 % at N = 2, 12-17 % at
// N = 4-8, 6-9 % at N = 16), as the protocol's simulation found.
package stimulus
