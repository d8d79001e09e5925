// Package population reads the number units of several untrained networks at once,
// each on several exact views of the silhouette, and averages each unit's response
// over the views: a larger population of number units than one network has, with
// less of the noise that comes from where the objects happen to fall on the
// network's convolution grid.
//
// A View is a transform that keeps the number of objects exactly (a mirror image,
// quarter turns, a shift by a few pixels; see View). A Reader runs every network on
// every view (one pass each), gathers each network's number units (model/unitmap)
// and returns their responses averaged over the views, network 0's units first: the
// vector a population's decoder (model/decoder) reads. Networks and views come from
// the model file (sections "units", "units.1", ... and "views"; see
// docs/model-format.md and model/estimate).
//
// The passes share the threads: several model.Engine run at the same time, each on
// its share of the cores (see Reader). Read allocates nothing.
package population
