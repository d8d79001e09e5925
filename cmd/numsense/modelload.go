package main

import (
	"fmt"
	"image"

	"github.com/numsense/numsense/camera/frontend"
	"github.com/numsense/numsense/cmd/numsense/internal/config"
	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
)

// checkThreads validates a --threads flag with the bounds of model.threads.
func checkThreads(n int) error {
	if n < 0 || n > config.MaxThreads {
		return fmt.Errorf("--threads: %d is outside 0..%d", n, config.MaxThreads)
	}
	return nil
}

// loadModelFile reads path, or the embedded calibrated model when path is empty.
func loadModelFile(path string) (*model.File, error) {
	if path == "" {
		f, err := defaultmodel.Load()
		if err != nil {
			return nil, fmt.Errorf("embedded model: %w", err)
		}
		return f, nil
	}
	return model.Load(path)
}

// loadEstimatorOpts makes the pipeline of a model file (or the embedded model) with
// decoder dec ("" for the file's chosen one), the front end's region of interest
// (the zero ROI: the whole frame), its zoom (camera.zoom) on or off, and the empty,
// still frames after which a fixed camera learns the table (0: never).
func loadEstimatorOpts(path, dec string, threads int, roi config.ROI, zoom bool, learn int) (*estimate.Estimator, error) {
	f, err := loadModelFile(path)
	if err != nil {
		return nil, err
	}
	switch dec {
	case "", "likelihood", "readout":
	default:
		return nil, fmt.Errorf("--decoder: %q is not likelihood or readout", dec)
	}
	m, err := estimate.FromFileDecoder(f, dec)
	if err != nil {
		if path != "" {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return nil, err
	}
	fo := frontEndOpts(roi, zoom)
	fo.Learn.Frames = learn
	return estimate.New(m, estimate.Options{Threads: threads, FrontEnd: fo})
}

// frontEndOpts are the front end's options for a region of interest (the zero ROI:
// the whole frame) and the zoom (camera.zoom) on or off.
func frontEndOpts(roi config.ROI, zoom bool) *frontend.Opts {
	fo := &frontend.Opts{}
	if roi.W > 0 && roi.H > 0 {
		fo.ROI = image.Rect(roi.X, roi.Y, roi.X+roi.W, roi.Y+roi.H)
	}
	if !zoom {
		fo.Fill = -1
	}
	return fo
}
