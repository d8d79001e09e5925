package exhibit

import (
	"image"
	"time"

	"github.com/numsense/numsense/camera"
	"github.com/numsense/numsense/display/web"
	"github.com/numsense/numsense/model/estimate"
)

// page is what the loop keeps for the web page (display/web): the estimate in the
// page's terms and the views of a frame for the preview, reused from frame to frame.
type page struct {
	srv   *web.Server
	est   web.Estimate
	gray  image.Gray
	ycc   image.YCbCr
	rgba  image.RGBA
	yuyv  web.YUYV
	nums  int
	class int
}

func newPage(srv *web.Server, e *estimate.Estimator, src camera.Source) *page {
	p := &page{srv: srv, nums: len(e.Numerosities())}
	in := web.Info{Numerosities: e.Numerosities(), Classes: e.Classes(), Units: e.Units(), Decoder: e.DecoderName(), Source: src.Name()}
	if in.Classes != nil {
		p.class = len(in.Classes.Classes)
	}
	srv.SetInfo(in)
	return p
}

// publish hands the estimate and its silhouette to the page and, when the page wants
// one, a view of the frame for the preview (copied there; encoded elsewhere).
func (p *page) publish(r *estimate.Result, f *camera.Frame, latency time.Duration) {
	p.set(r, latency)
	p.srv.Publish(&p.est, r.Silhouette)
	if p.srv.WantPreview() {
		if img := p.view(f); img != nil {
			p.srv.OfferPreview(img)
		}
	}
}

// lost tells the page the camera is lost.
func (p *page) lost() {
	p.est = web.Estimate{State: estimate.CameraLost.String(), Time: time.Now(), TrueCount: -1}
	p.srv.Publish(&p.est, nil)
}

func (p *page) set(r *estimate.Result, latency time.Duration) {
	p.est = web.Estimate{Time: r.Time, State: r.State.String(), Value: r.Value, Shown: r.Shown, Lo: r.Lo, Hi: r.Hi,
		Fused: r.Fused, TrueCount: r.Count, Latency: latency,
		Activity: r.Activity[:p.nums], ClassActivity: r.ClassActivity[:p.class]}
}

// view shows the frame as an image without copying it (nil for a frame the preview
// cannot show).
func (p *page) view(f *camera.Frame) image.Image {
	if f.Validate() != nil {
		return nil
	}
	r := image.Rect(0, 0, f.Width, f.Height)
	switch f.Format {
	case camera.Gray:
		p.gray = image.Gray{Pix: f.Pix, Stride: f.Stride, Rect: r}
		return &p.gray
	case camera.I420:
		cw, ch := (f.Width+1)/2, (f.Height+1)/2
		cs := f.Stride / 2
		y := f.Stride * f.Height
		if len(f.Pix) < y+2*cs*ch || cs < cw {
			p.gray = image.Gray{Pix: f.Pix, Stride: f.Stride, Rect: r} // the Y plane alone
			return &p.gray
		}
		p.ycc = image.YCbCr{Y: f.Pix[:y], Cb: f.Pix[y : y+cs*ch], Cr: f.Pix[y+cs*ch : y+2*cs*ch],
			YStride: f.Stride, CStride: cs, SubsampleRatio: image.YCbCrSubsampleRatio420, Rect: r}
		return &p.ycc
	case camera.RGBA:
		p.rgba = image.RGBA{Pix: f.Pix, Stride: f.Stride, Rect: r}
		return &p.rgba
	case camera.YUYV:
		p.yuyv = web.YUYV{Pix: f.Pix, Stride: f.Stride, Rect: r}
		return &p.yuyv
	}
	return nil
}
