package estimate

import (
	"image"
	"time"

	"github.com/numsense/numsense/camera"
)

// ImageSilhouette is Image, and also copies the silhouette the network saw (227x227,
// objects 255 on 0) into sil (if not nil), reusing its pixels; sil is left empty when
// the front end failed. For reports that show what went wrong.
func (e *Estimator) ImageSilhouette(img image.Image, sil *image.Gray) (Result, error) {
	p, err := e.get()
	if err != nil {
		return Result{}, err
	}
	defer e.put(p)
	p.frame.SetImage(img)
	p.frame.Time = time.Now()
	p.frame.Count, p.frame.Seq, p.frame.Name = -1, 0, ""
	return e.runSilhouette(p, &p.frame, sil)
}

// FrameSilhouette is Frame, and also copies the silhouette into sil as
// ImageSilhouette does.
func (e *Estimator) FrameSilhouette(f *camera.Frame, sil *image.Gray) (Result, error) {
	p, err := e.get()
	if err != nil {
		return Result{}, err
	}
	defer e.put(p)
	return e.runSilhouette(p, f, sil)
}

func (e *Estimator) runSilhouette(p *pipeline, f *camera.Frame, sil *image.Gray) (Result, error) {
	p.fe.Reset()
	var res Result
	err := e.run(p, f, &res)
	if sil == nil {
		res.Silhouette = nil // the pipeline goes back to the pool
		return res, err
	}
	sil.Pix, sil.Stride, sil.Rect = sil.Pix[:0], 0, image.Rectangle{}
	if s := res.Silhouette; err == nil && s != nil {
		sil.Pix = append(sil.Pix, s.Pix...)
		sil.Stride, sil.Rect = s.Stride, s.Rect
	}
	res.Silhouette = nil // the pipeline goes back to the pool
	return res, err
}
