package experiment

import (
	"fmt"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/frontend"
	"github.com/numsense/numsense/model/decoder"
	"github.com/numsense/numsense/model/unitmap"
)

// PhotoEstimate is one decoder's estimate for one labelled photo.
type PhotoEstimate struct {
	File    string
	Count   int
	Decoder string
	decoder.Estimate
}

// EvalDice runs the labelled photos of dir (a counts.csv beside the images)
// through the camera front end (default options; each photo on its own, as a
// still scene), the network and every decoder. It returns each decoder's
// coverage and median relative error, and every estimate. Photos whose front
// end finds nothing (an empty scene) are decoded all the same.
func EvalDice(dir string, net Network, m *unitmap.Map, ds []decoder.Decoder, prog *Progress) ([]DecoderEval, []PhotoEstimate, error) {
	rows, err := camera.ReadCounts(filepath.Join(dir, camera.CountsFile))
	if err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("experiment: %s: no photos listed", filepath.Join(dir, camera.CountsFile))
	}
	fe := frontend.New(nil)
	var frame camera.Frame
	r := make([]float32, len(m.Units))
	var est []PhotoEstimate
	errs := make([][]float64, len(ds))
	in := make([]int, len(ds))
	for _, row := range rows {
		img, err := decodeFile(row.Path)
		if err != nil {
			return nil, nil, err
		}
		frame.SetImage(img)
		frame.Name, frame.Count = row.File, row.Count
		fe.Reset()
		res, err := fe.Process(&frame)
		if err != nil {
			return nil, nil, fmt.Errorf("experiment: %s: %w", row.Path, err)
		}
		if err := net.Run(res.Image); err != nil {
			return nil, nil, fmt.Errorf("experiment: %s: %w", row.Path, err)
		}
		m.GatherInt8(net.Relu5(), net.Relu5Scale(), net.Relu5ZeroPoint(), r)
		for i, d := range ds {
			e := d.Decode(r)
			est = append(est, PhotoEstimate{File: row.File, Count: row.Count, Decoder: d.Name(), Estimate: e})
			if row.Count < 1 {
				continue
			}
			n := float64(row.Count)
			errs[i] = append(errs[i], math.Abs(e.Value-n)/n)
			if n >= e.Lo-1e-9 && n <= e.Hi+1e-9 {
				in[i]++
			}
		}
		prog.Add(1)
	}
	out := make([]DecoderEval, len(ds))
	for i, d := range ds {
		out[i] = DecoderEval{Decoder: d.Name(), Samples: len(errs[i]), Coverage: math.NaN(), MedRelErr: math.NaN()}
		if len(errs[i]) > 0 {
			out[i].Coverage = float64(in[i]) / float64(len(errs[i]))
			out[i].MedRelErr = median(errs[i])
		}
	}
	return out, est, nil
}

func decodeFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("experiment: %w", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("experiment: decode %s: %w", path, err)
	}
	return img, nil
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
