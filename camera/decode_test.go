package camera

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// bombJPEG is a small real JPEG whose SOF header is changed to declare w x h pixels.
func bombJPEG(t testing.TB, w, h int) []byte {
	b := jpegBytes(t, 32, 16)
	for i := 2; i+9 < len(b); {
		if b[i] != 0xff {
			t.Fatal("bombJPEG: lost the markers")
		}
		m := b[i+1]
		if m == 0xc0 || m == 0xc2 {
			b[i+5], b[i+6] = byte(h>>8), byte(h)
			b[i+7], b[i+8] = byte(w>>8), byte(w)
			return b
		}
		i += 2 + (int(b[i+2])<<8 | int(b[i+3]))
	}
	t.Fatal("bombJPEG: no SOF")
	return nil
}

// allocated returns the bytes fn allocates.
func allocated(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestDecodeBombsRefused is issue 13 item 3 on every decoder of camera: a small file
// that declares 20000x20000 pixels is refused by its header, naming the size, and
// decoding it allocates next to nothing (it took ~4.9 GB through an image directory).
func TestDecodeBombsRefused(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bomb.png"), bombPNG(20000, 20000), 0o644)
	os.WriteFile(filepath.Join(dir, "bomb.jpg"), bombJPEG(t, 20000, 20000), 0o644)
	os.WriteFile(filepath.Join(dir, "bomb.mjpeg"), append(bombJPEG(t, 20000, 20000), 0xff, 0xd9), 0o644)
	for _, c := range []struct {
		name string
		open func() (Source, error)
	}{
		{"bomb.png", func() (Source, error) { return Open(filepath.Join(dir, "bomb.png"), nil) }},
		{"bomb.jpg", func() (Source, error) { return Open(filepath.Join(dir, "bomb.jpg"), nil) }},
		{"bomb.mjpeg", func() (Source, error) { return Open(filepath.Join(dir, "bomb.mjpeg"), nil) }},
	} {
		src, err := c.open()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var f Frame
		var nerr error
		n := allocated(func() { nerr = src.Next(context.Background(), &f) })
		src.Close()
		if nerr == nil || !strings.Contains(nerr.Error(), "20000x20000") || !strings.Contains(nerr.Error(), c.name) {
			t.Errorf("%s: %v; want an error naming the file and the declared 20000x20000", c.name, nerr)
		}
		if n > 16<<20 {
			t.Errorf("%s: decoding a bomb allocated %d MB", c.name, n>>20)
		}
	}
	var f Frame
	if err := ReadFrame(filepath.Join(dir, "bomb.png"), &f); err == nil || !strings.Contains(err.Error(), "20000x20000") {
		t.Errorf("ReadFrame: %v", err)
	}
	var scratch []byte
	if err := decodeJPEG(bombJPEG(t, 20000, 20000), &scratch, &f); err == nil || !strings.Contains(err.Error(), "20000x20000") {
		t.Errorf("an MJPEG camera frame: %v", err)
	}
}

// samePixels compares the visible pixels (and I420 chroma) of two frames.
func samePixels(t *testing.T, name string, a, b *Frame) {
	t.Helper()
	if a.Format != b.Format || a.Width != b.Width || a.Height != b.Height {
		t.Fatalf("%s: %v %dx%d, want %v %dx%d", name, a.Format, a.Width, a.Height, b.Format, b.Width, b.Height)
	}
	bpp := a.Format.BytesPerPixel()
	for y := 0; y < a.Height; y++ {
		if !bytes.Equal(a.Pix[y*a.Stride:y*a.Stride+a.Width*bpp], b.Pix[y*b.Stride:y*b.Stride+b.Width*bpp]) {
			t.Fatalf("%s: row %d differs", name, y)
		}
	}
	if a.Format == I420 {
		cw, ch := (a.Width+1)/2, (a.Height+1)/2
		for p := 0; p < 2; p++ {
			for y := 0; y < ch; y++ {
				ao := a.Stride*a.Height + p*(a.Stride/2)*ch + y*a.Stride/2
				bo := b.Stride*b.Height + p*(b.Stride/2)*ch + y*b.Stride/2
				if !bytes.Equal(a.Pix[ao:ao+cw], b.Pix[bo:bo+cw]) {
					t.Fatalf("%s: chroma plane %d row %d differs", name, p, y)
				}
			}
		}
	}
	if err := a.Validate(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestReadFrameOneCopy: ReadFrame gives the pixels SetImage(ReadImage) gives, for
// every layout, and for the common ones (8-bit grey/RGB/RGBA PNG, 4:2:0 and grey
// JPEG) the frame takes over the decoded pixels: it allocates little more than one
// picture, where decoding then copying allocated two (issue 13 item 3, "never hold
// two full copies").
func TestReadFrameOneCopy(t *testing.T) {
	dir := t.TempDir()
	w, h := 1203, 901 // odd, and not a multiple of the JPEG block size
	if testing.Short() {
		w, h = 403, 301 // under emulation
	}
	gray := image.NewGray(image.Rect(0, 0, w, h))
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	rgb := image.NewRGBA(image.Rect(0, 0, w, h))
	pal := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White, color.RGBA{200, 10, 10, 255}})
	g16 := image.NewGray16(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := byte(x*7 ^ y*3)
			gray.Pix[y*gray.Stride+x] = v
			nrgba.SetNRGBA(x, y, color.NRGBA{v, byte(x), byte(y), byte(x + y)})
			rgb.SetRGBA(x, y, color.RGBA{v, byte(y), byte(x), 255})
			pal.SetColorIndex(x, y, uint8((x/9+y/7)%3))
			g16.SetGray16(x, y, color.Gray16{uint16(v) << 8})
		}
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = byte(i * 13)
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = byte(i), byte(3*i)
	}
	write := func(name string, enc func(f *os.File) error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := enc(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, c := range []struct {
		name  string
		img   image.Image
		taken bool // the frame takes over the decoded buffer
		bytes int  // decoded size
	}{
		{"gray.png", gray, true, w * h},
		{"nrgba.png", nrgba, true, 4 * w * h},
		{"rgb.png", rgb, true, 4 * w * h},
		{"pal.png", pal, false, w * h},
		{"g16.png", g16, false, 2 * w * h},
		{"ycc.jpg", ycc, true, w*h + w*h/2},
		{"grey.jpg", gray, true, w * h},
	} {
		write(c.name, func(f *os.File) error {
			if strings.HasSuffix(c.name, ".jpg") {
				return jpeg.Encode(f, c.img, &jpeg.Options{Quality: 90})
			}
			return png.Encode(f, c.img)
		})
		p := filepath.Join(dir, c.name)
		img, err := ReadImage(p)
		if err != nil {
			t.Fatal(err)
		}
		var want, got Frame
		want.SetImage(img)
		img = nil
		n := allocated(func() { err = ReadFrame(p, &got) })
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		samePixels(t, c.name, &got, &want)
		st, _ := os.Stat(p)
		file := int(st.Size()) // a JPEG is read whole, to mend missing Huffman tables
		if !strings.HasSuffix(c.name, ".jpg") {
			file = 0
		}
		t.Logf("%s: %v, ReadFrame allocated %.2f x the decoded picture (+ %.2f x for the file)", c.name, got.Format,
			(float64(n)-float64(file))/float64(c.bytes), float64(file)/float64(c.bytes))
		if c.taken && float64(n) > 1.25*float64(c.bytes)+1.1*float64(file)+64<<10 { // + the decoders' fixed buffers
			t.Errorf("%s: ReadFrame allocated %d bytes for a %d-byte picture (file %d bytes): a second copy", c.name, n, c.bytes, file)
		}
	}
}

// TestReadFrameDice: on real camera photos (4:2:0 JPEGs) ReadFrame and
// SetImage(ReadImage) give the same frame.
func TestReadFrameDice(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "dice", "images", "*.jpg"))
	if len(files) == 0 {
		t.Fatal("no photos in testdata/dice/images")
	}
	if testing.Short() {
		files = files[:2]
	}
	for _, p := range files[:min(len(files), 6)] {
		img, err := ReadImage(p)
		if err != nil {
			t.Fatal(err)
		}
		var want, got Frame
		want.SetImage(img)
		if err := ReadFrame(p, &got); err != nil {
			t.Fatal(err)
		}
		samePixels(t, p, &got, &want)
	}
}
