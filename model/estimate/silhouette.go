package estimate

import (
	"image"
	"time"

	"github.com/numsense/numsense/camera"
)

// ImageSilhouette is Image, and also copies the silhouette the network saw (227x227,
// objects 255 on 0) into sil (if not nil), reusing its pixels (any earlier size is
// replaced); Result.Silhouette is then sil. sil is left empty (and
// Result.Silhouette nil) when the front end failed. For tools and reports that show
// why an estimate went wrong.
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
	p.fe.Forget() // a picture on its own: no motion, no learned table
	var res Result
	err := e.run(p, f, &res)
	if sil == nil {
		res.Silhouette = nil // the pipeline goes back to the pool
		return res, err
	}
	sil.Pix, sil.Stride, sil.Rect = sil.Pix[:0], 0, image.Rectangle{}
	s := res.Silhouette
	res.Silhouette = nil // the pipeline's own goes back to the pool
	if err == nil && s != nil {
		sil.Pix = append(sil.Pix, s.Pix...)
		sil.Stride, sil.Rect = s.Stride, s.Rect
		res.Silhouette = sil
	}
	return res, err
}
