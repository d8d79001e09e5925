package camera

import (
	"bufio"
	"fmt"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"
	"os"
)

// MaxImagePixels bounds the pictures numsense decodes: 64 megapixels (8192 x 8192),
// far above any camera it reads (a Pi Camera Module 3 gives 12 megapixels). A file
// that declares more is refused before its pixels are decoded, so a small file that
// claims a huge size cannot exhaust the memory of a Pi.
const MaxImagePixels = 64 << 20

// CheckImageSize returns an error naming what if a w x h picture is empty or larger
// than MaxImagePixels.
func CheckImageSize(what string, w, h int) error {
	if w <= 0 || h <= 0 || int64(w)*int64(h) > MaxImagePixels {
		return fmt.Errorf("%s: %dx%d pixels is outside 1..%d megapixels", what, w, h, MaxImagePixels>>20)
	}
	return nil
}

// ReadImage decodes a PNG or JPEG file, after checking its declared size against
// MaxImagePixels. Errors name the file.
func ReadImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	cfg, _, err := image.DecodeConfig(br)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot decode image: %w", path, err)
	}
	if err := CheckImageSize(path, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	br.Reset(f)
	img, _, err := image.Decode(br)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot decode image: %w", path, err)
	}
	return img, nil
}
