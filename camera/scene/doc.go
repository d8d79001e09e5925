// Package scene renders photo-realistic table-top scenes with exact counts: the
// development set of the camera front end beside the dice photographs, written by
// numsense scenes as a bench set (images/NNNNN.jpg and counts.csv) and shown as a
// frame source by camera.Open("scenes:SEED").
//
// It is a test set, not a training set: nothing is fitted on it. (Only the decoders'
// interval widths are ever set on rendered scenes, and those come from
// camera.NewSynthetic, see model/lab/experiment.)
//
// # What a scene holds
//
// One kind of object per scene, the kinds taken in turn (Kinds): coins (metallic
// discs in copper, brass, nickel or gold, some bimetal, with a raised rim, embossed
// relief, a sheen and a glint towards the light), sweets (glossy round and oval
// sweets, lit as domes, with a highlight, some speckled or printed), dice (rounded
// cubes with pips, their sides showing as the camera sees them off-centre), leaves
// (lens-shaped, serrated and slightly irregular outlines with a midrib and veins)
// and blocks (wooden or toy blocks, 1:1 to 1:2.5, bevelled, some with studs or
// grain). Colours: one for all objects of a scene (45 %) or mixed.
//
// Tables (Table): wood (planks with seams and waved grain), paper (white or cream
// with fibres), cloth (a weave with folds), grey (laminate or concrete with
// specks) and dark (black or slate), turned at any angle.
//
// Counts are uniform in 1..40. Sizes (the objects' extent, diameter or long side)
// are spread evenly on a log scale over 2-25 % of the picture width, as far as the
// count and layout allow. Layouts (Layout): random (anywhere, gaps from touching to
// wide), cluster (in 30-75 % of each side, close together), grid (rows and columns,
// hexagonal for round objects half of the time, touching or spaced; 80 % of grids
// are dense arrays as large as the picture allows, mostly covering 40-70 % of it)
// and rows (lines of touching objects turning by right angles, like letters).
// Objects lie wholly inside the picture and none hides more than a tenth of
// another (the tests check it), so the count is exact.
//
// The picture: soft cast shadows away from the light (longer for taller objects)
// and contact shadows, a slight camera tilt (the far side up to 7 % smaller, a
// keystone), a brightness gradient, vignetting, the light's colour, defocus (0-2
// binomial passes), sensor noise (σ 1-5 levels, larger in bright parts) and JPEG
// compression at quality 60-95.
//
// # Reproducibility
//
// Scene i is a pure function of (Opts.Seed, i) and the picture size: its seed is
// rng.Derive(Seed, i), with one derived stream each for the plan, the look and the
// camera. Everything that decides a pixel is integer arithmetic (fixed point, an
// integer square root, hashed value noise, a parabolic sine, rotations as rational
// points of the circle), so the pixels are the same bits on amd64, arm64 and 32-bit
// arm (TestReproducible pins them; make check runs it under qemu). Compression is
// Go's image/jpeg, itself integer arithmetic.
//
// # The bench set
//
// counts.csv (Columns): file, count, then the labels numsense bench breaks its
// figures down by: kind, table, layout, size (2-5%, 5-10%, 10-25%), array ("dense"
// when objects cover at least DenseCover = 40 % of the picture, else "sparse");
// then the exact extent, cover and JPEG quality.
//
// Rendering a 640x480 scene takes 60-100 ms on one core of the development machine.
package scene
