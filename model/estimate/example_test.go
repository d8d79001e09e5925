package estimate_test

import (
	"fmt"
	"image"
	"log"

	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
	"github.com/numsense/numsense/model/stimulus"
)

// Estimate the number of objects in a picture with the calibrated model that ships
// in the binary. Any image.Image works: a photo of objects on a table, or a frame.
func Example() {
	f, err := defaultmodel.Load()
	if err != nil {
		log.Fatal(err)
	}
	m, err := estimate.FromFile(f)
	if err != nil {
		log.Fatal(err)
	}
	est, err := estimate.New(m, estimate.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer est.Close()

	// A picture of 8 dark dots on a light table (in practice: a camera image).
	dots := stimulus.NewImage()
	stimulus.New(42).Draw(stimulus.Standard, 8, dots)
	pic := image.NewGray(dots.Bounds())
	for i, v := range dots.Pix {
		pic.Pix[i] = uint8(220 - int(v)*180/255)
	}

	r, err := est.Image(pic)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.State)
	fmt.Println("8 within a factor of two:", r.Value > 4 && r.Value < 16)
	fmt.Println("interval around the value:", r.Lo <= r.Value && r.Value <= r.Hi)
	// Output:
	// estimating
	// 8 within a factor of two: true
	// interval around the value: true
}
