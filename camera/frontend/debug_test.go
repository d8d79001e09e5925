package frontend

import (
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/numsense/numsense/camera"
)

func TestDebugDump(t *testing.T) {
	files := os.Getenv("NUMSENSE_DEBUG")
	if files == "" {
		t.Skip()
	}
	for _, name := range strings.Split(files, ",") {
		f, _ := os.Open(filepath.Join(diceDir(t), "images", name+".jpg"))
		img, _ := jpeg.Decode(f)
		f.Close()
		var fr camera.Frame
		fr.SetImage(img)
		fe := New(&Opts{ROI: image.Rect(0, 77, 640, 563), Close: 2, Open: 1, MinContrast: 45, MaxThreshold: 45, Cell: 40, Erode: 2, Work: 340})
		fe.Process(&fr)
		w, h := fe.ow, fe.oh
		out := image.NewGray(image.Rect(0, 0, w*4, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				i := y*w + x
				out.Pix[y*out.Stride+x] = fe.pl[0].pix[i]
				out.Pix[y*out.Stride+w+x] = fe.pl[0].back[i]
				out.Pix[y*out.Stride+2*w+x] = byte(min(255, 4*int(fe.dev[i])))
				out.Pix[y*out.Stride+3*w+x] = fe.mask[i]
			}
		}
		o, _ := os.Create("/tmp/dbg_" + name + ".png")
		png.Encode(o, out)
		o.Close()
	}
}
