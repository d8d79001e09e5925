package floatnet_test

import (
	"fmt"
	"image"
	"image/color"
	"log"
	"os"
	"path/filepath"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/floatnet"
)

// square draws a white square dot of side 14 at (x0, y0).
func square(img *image.Gray, x0, y0 int) {
	for y := y0; y < y0+14; y++ {
		for x := x0; x < x0+14; x++ {
			img.SetGray(x, y, color.Gray{Y: 255})
		}
	}
}

// Draw a network, quantise it, save and reload it, and run one frame.
func Example() {
	net := floatnet.New(1)

	calib := image.NewGray(image.Rect(0, 0, model.InputSize, model.InputSize))
	square(calib, 40, 40)
	square(calib, 150, 90)
	q, err := floatnet.Quantize(net, []*image.Gray{calib}) // use many dot stimuli in practice
	if err != nil {
		log.Fatal(err)
	}

	path := filepath.Join(os.TempDir(), "numsense-example.nsm")
	defer os.Remove(path)
	if err := model.Save(path, &model.File{Q: q, Seed: 1, Sections: map[string][]byte{"note": []byte("hello")}}); err != nil {
		log.Fatal(err)
	}
	f, err := model.Load(path)
	if err != nil {
		log.Fatal(err)
	}

	e := model.NewEngine(f.Q, 0) // all cores
	defer e.Close()
	frame := image.NewGray(image.Rect(0, 0, model.InputSize, model.InputSize))
	square(frame, 100, 100)
	if err := e.Run(frame); err != nil {
		log.Fatal(err)
	}
	relu5 := make([]float32, model.Relu5Units)
	e.Relu5Float(relu5)
	fmt.Println(len(e.Relu5()), e.Relu5ZeroPoint(), string(f.Sections["note"]))
	// (Not run as a test: the float calibration pass is slow under emulation.)
}
