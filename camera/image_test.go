package camera

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bombPNG is a valid PNG signature and IHDR declaring w x h grey pixels, and no data.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit grey
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestReadImage(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ok.png")
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 30)))
	os.WriteFile(good, buf.Bytes(), 0o644)
	img, err := ReadImage(good)
	if err != nil || img.Bounds().Dx() != 40 {
		t.Fatalf("good image: %v, %v", img, err)
	}
	bomb := filepath.Join(dir, "bomb.png")
	os.WriteFile(bomb, bombPNG(20000, 20000), 0o644)
	if _, err := ReadImage(bomb); err == nil || !strings.Contains(err.Error(), "bomb.png") || !strings.Contains(err.Error(), "20000x20000") {
		t.Fatalf("a 20000x20000 declaration: %v", err)
	}
	junk := filepath.Join(dir, "junk.jpg")
	os.WriteFile(junk, []byte("not an image"), 0o644)
	if _, err := ReadImage(junk); err == nil || !strings.Contains(err.Error(), "junk.jpg") {
		t.Fatalf("junk: %v", err)
	}
	if _, err := ReadImage(filepath.Join(dir, "none.png")); err == nil || !strings.Contains(err.Error(), "none.png") {
		t.Fatalf("missing: %v", err)
	}
}
