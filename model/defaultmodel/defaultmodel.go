package defaultmodel

import (
	_ "embed"
	"fmt"

	"github.com/numsense/numsense/model"
)

//go:generate go run ../../cmd/numsense calibrate --seed 1 --images 30 --networks 3 --views id --train-views id,m,r90,r180,r270,m.r90,m.r180,m.r270 -o default.nsm

//go:embed default.nsm
var data []byte

// Seed, Images, Networks, Views and TrainViews are the calibrate arguments
// default.nsm was made with (see the go:generate line and doc.go).
const (
	Seed       = 1
	Images     = 30
	Networks   = 3
	Views      = "id"
	TrainViews = "id,m,r90,r180,r270,m.r90,m.r180,m.r270"
)

// Bytes returns the embedded model file (do not modify it).
func Bytes() []byte { return data }

// Load decodes the embedded model: the population of int8 networks of Seed with
// their number-unit maps and decoders. Every call returns a new *model.File; the
// networks' weights are drawn from their seeds by the first (about 60 ms of one
// x86 core per network, all at once) and shared by the later ones, which must not
// change them.
func Load() (*model.File, error) {
	f, err := model.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("defaultmodel: embedded default.nsm: %w", err)
	}
	return f, nil
}
