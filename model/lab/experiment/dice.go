package experiment

import (
	"fmt"
	_ "image/jpeg" // photos
	_ "image/png"
	"path/filepath"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/camera/frontend"
	"github.com/numsense/numsense/model/accuracy"
	"github.com/numsense/numsense/model/decoder"
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
// still scene), the network(s) (rd) and every decoder. It returns each decoder's
// coverage and median relative error, and every estimate. Photos whose front
// end finds nothing (an empty scene) are decoded all the same.
func EvalDice(dir string, rd UnitReader, ds []decoder.Decoder, prog *Progress) ([]DecoderEval, []PhotoEstimate, error) {
	rows, err := camera.ReadCounts(filepath.Join(dir, camera.CountsFile))
	if err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("experiment: %s: no photos listed", filepath.Join(dir, camera.CountsFile))
	}
	fe := frontend.New(nil)
	var frame camera.Frame
	var est []PhotoEstimate
	perDecoder := make([][]accuracy.Sample, len(ds))
	for _, row := range rows {
		img, err := camera.ReadImage(row.Path)
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
		r, err := rd.Read(res.Image)
		if err != nil {
			return nil, nil, fmt.Errorf("experiment: %s: %w", row.Path, err)
		}
		for i, d := range ds {
			e := d.Decode(r)
			est = append(est, PhotoEstimate{File: row.File, Count: row.Count, Decoder: d.Name(), Estimate: e})
			perDecoder[i] = append(perDecoder[i], accuracy.Sample{True: row.Count, Estimate: e.Value, Lo: e.Lo, Hi: e.Hi})
		}
		prog.Add(rd.Passes())
	}
	out := make([]DecoderEval, len(ds))
	for i, d := range ds {
		out[i] = evalOf(d.Name(), accuracy.Of(perDecoder[i]))
	}
	return out, est, nil
}
