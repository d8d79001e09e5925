package bench

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"sort"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/numsense/numsense/model/accuracy"
)

// SheetFrames is how many of the worst frames the contact sheet (worst.png) shows.
const SheetFrames = 24

// Contact sheet geometry: a thumbnail of the picture and the silhouette the
// network saw, side by side, with two lines of caption.
const (
	thumbW, thumbH = 180, 135
	cellW, cellH   = thumbW + thumbH + 12, thumbH + 34
	sheetCols      = 4
)

// view is what the contact sheet shows of one frame.
type view struct {
	thumb *image.RGBA
	sil   *image.Gray
}

// worst keeps the views of the SheetFrames labelled frames whose estimates are
// furthest from the truth (|ln(estimate/true)|, an empty verdict counting as 0.5),
// while the frames go by: rows[i].view is set for those and nil for the others.
type worst struct {
	kept []int // row indices
}

func score(r *Row) float64 { return math.Abs(accuracy.LogRatio(r.Estimate, r.True)) }

// offer considers rows[i], whose picture is img and silhouette sil.
func (w *worst) offer(rows []Row, i int, img image.Image, sil *image.Gray) {
	r := &rows[i]
	if r.True < 1 || img == nil || sil == nil {
		return
	}
	s := score(r)
	if len(w.kept) >= SheetFrames {
		lo := 0
		for k, j := range w.kept {
			if score(&rows[j]) < score(&rows[w.kept[lo]]) {
				lo = k
			}
		}
		if s <= score(&rows[w.kept[lo]]) {
			return
		}
		rows[w.kept[lo]].view = nil
		w.kept = append(w.kept[:lo], w.kept[lo+1:]...)
	}
	v := &view{thumb: image.NewRGBA(image.Rect(0, 0, thumbW, thumbH)), sil: image.NewGray(sil.Bounds())}
	b := img.Bounds()
	// keep the aspect: fit into the thumbnail, centred
	tw, th := thumbW, b.Dy()*thumbW/max(b.Dx(), 1)
	if th > thumbH {
		tw, th = b.Dx()*thumbH/max(b.Dy(), 1), thumbH
	}
	dst := image.Rect((thumbW-tw)/2, (thumbH-th)/2, (thumbW-tw)/2+tw, (thumbH-th)/2+th)
	draw.ApproxBiLinear.Scale(v.thumb, dst, img, b, draw.Src, nil)
	copy(v.sil.Pix, sil.Pix)
	r.view = v
	w.kept = append(w.kept, i)
}

// writeSheet draws the frames of rows that have a view, worst first: the
// picture, the silhouette the network saw, the file, the truth and the estimate.
func writeSheet(out io.Writer, rows []Row) error {
	var idx []int
	for i := range rows {
		if rows[i].view != nil {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return fmt.Errorf("bench: no frames for the contact sheet")
	}
	sort.SliceStable(idx, func(a, b int) bool { return score(&rows[idx[a]]) > score(&rows[idx[b]]) })
	nrows := (len(idx) + sheetCols - 1) / sheetCols
	sheet := image.NewRGBA(image.Rect(0, 0, sheetCols*cellW, nrows*cellH))
	draw.Draw(sheet, sheet.Bounds(), image.NewUniform(color.RGBA{40, 40, 48, 255}), image.Point{}, draw.Src)
	d := font.Drawer{Dst: sheet, Src: image.NewUniform(color.RGBA{235, 235, 235, 255}), Face: basicfont.Face7x13}
	for k, i := range idx {
		r := &rows[i]
		x0, y0 := (k%sheetCols)*cellW+4, (k/sheetCols)*cellH+4
		draw.Draw(sheet, image.Rect(x0, y0, x0+thumbW, y0+thumbH), r.view.thumb, image.Point{}, draw.Src)
		sx := x0 + thumbW + 4
		draw.NearestNeighbor.Scale(sheet, image.Rect(sx, y0, sx+thumbH, y0+thumbH), r.view.sil, r.view.sil.Bounds(), draw.Src, nil)
		name := r.File
		if len(name) > 44 {
			name = "..." + name[len(name)-41:]
		}
		d.Dot = fixed.P(x0, y0+thumbH+13)
		d.DrawString(name)
		d.Dot = fixed.P(x0, y0+thumbH+27)
		d.DrawString(fmt.Sprintf("true %d  estimate %.1f (%.1f-%.1f)  %s", r.True, r.Estimate, r.Lo, r.Hi, r.State))
	}
	return png.Encode(out, sheet)
}

// hasViews reports whether any row holds a view for the contact sheet.
func hasViews(rows []Row) bool {
	for i := range rows {
		if rows[i].view != nil {
			return true
		}
	}
	return false
}
