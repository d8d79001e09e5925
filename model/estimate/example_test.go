package estimate_test

import (
	"fmt"
	"image"
	"log"

	"github.com/numsense/numsense/model/defaultmodel"
	"github.com/numsense/numsense/model/estimate"
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
	pic := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range pic.Pix {
		pic.Pix[i] = 220
	}
	for k := 0; k < 8; k++ {
		cx, cy := 40+(k%4)*75, 70+(k/4)*100 // two rows of four
		for y := cy - 12; y <= cy+12; y++ {
			for x := cx - 12; x <= cx+12; x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= 144 {
					pic.Pix[y*pic.Stride+x] = 40
				}
			}
		}
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
