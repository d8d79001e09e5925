package defaultmodel

import (
	_ "embed"
	"fmt"

	"github.com/numsense/numsense/model"
)

//go:generate go run ../../cmd/numsense calibrate --seed 1 --images 30 -o default.nsm

//go:embed default.nsm
var data []byte

// Seed and Images are the calibrate arguments default.nsm was made with (see
// the go:generate line and doc.go).
const (
	Seed   = 1
	Images = 30
)

// Bytes returns the embedded model file (do not modify it).
func Bytes() []byte { return data }

// Load decodes the embedded model: the int8 network of Seed with its
// number-unit map and decoders. Every call returns a new *model.File.
func Load() (*model.File, error) {
	f, err := model.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("defaultmodel: embedded default.nsm: %w", err)
	}
	return f, nil
}
