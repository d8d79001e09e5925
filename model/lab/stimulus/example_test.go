package stimulus_test

import (
	"fmt"
	"log"

	"github.com/numsense/numsense/model/lab/stimulus"
)

// One image per set at N = 12, drawn into a reused buffer.
func Example() {
	g := stimulus.New(2021)
	img := stimulus.NewImage()
	for _, s := range stimulus.Sets {
		info, err := g.Draw(s, 12, img)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d items, %d placed\n", info.Set, info.N, len(g.Items()))
	}
	info, err := g.DrawArea(12, 3, img)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: level %d, nominal area %.1f px²\n", info.Set, info.AreaLevel, info.NominalArea)
	// Output:
	// standard: 12 items, 12 placed
	// control1: 12 items, 12 placed
	// control2: 12 items, 12 placed
	// area: level 3, nominal area 1131.0 px²
}

func ExampleParseSet() {
	s, err := stimulus.ParseSet("3")
	fmt.Println(s, err)
	_, err = stimulus.ParseSet("control9")
	fmt.Println(err)
	// Output:
	// control2 <nil>
	// stimulus: unknown set "control9" (want standard, control1, control2, area or 1-4)
}
