package ref

import (
	"image"
	"slices"
	"testing"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/stimulus"
)

func testQNet(t *testing.T) (*model.QNet, []*image.Gray) {
	t.Helper()
	g := stimulus.New(1001)
	var imgs []*image.Gray
	for _, n := range stimulus.Numerosities {
		img := stimulus.NewImage()
		if _, err := g.Draw(stimulus.Standard, n, img); err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	calib := imgs
	if testing.Short() {
		calib = imgs[:3]
	}
	q, err := model.Quantize(model.NewNet(1), calib)
	if err != nil {
		t.Fatal(err)
	}
	return q, imgs
}

// TestMatchesEngine checks relu4 and relu5 of Run against model.Engine bit for bit.
func TestMatchesEngine(t *testing.T) {
	q, imgs := testQNet(t)
	e := model.NewEngine(q, 2)
	defer e.Close()
	for _, i := range []int{0, 6, 15} {
		s, err := Run(q, imgs[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Run(imgs[i]); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s[8], e.Relu4()) {
			t.Errorf("image %d: relu4 differs from the engine", i)
		}
		if !slices.Equal(s[9], e.Relu5()) {
			t.Errorf("image %d: relu5 differs from the engine", i)
		}
		nz := 0
		for _, v := range s[9] {
			if v != -128 {
				nz++
			}
		}
		if nz == 0 {
			t.Errorf("image %d: relu5 is all zero", i)
		}
		if testing.Short() {
			break
		}
	}
}

func TestLRNIndex(t *testing.T) {
	for _, c := range []struct {
		s    uint32
		mb   int
		want int
	}{
		{0, 8, 0}, {511, 8, 511}, {512, 8, 512}, {513, 8, 512}, {514, 8, 513}, {1023, 8, 767}, {1024, 8, 768},
		{lrnMaxS, 8, 2877}, {1023, 9, 1023}, {1024, 9, 1024}, {2047, 9, 1535}, {2048, 9, 1536}, {lrnMaxS, 9, 5243},
	} {
		if got := lrnIndex(c.s, c.mb); got != c.want {
			t.Errorf("lrnIndex(%d, %d) = %d, want %d", c.s, c.mb, got, c.want)
		}
	}
	// The model's table length identifies its layout.
	n := model.NewQLRN(0.5, 0.25)
	mb := lrnMantBits(len(n.Table))
	if mb < 0 || lrnIndex(lrnMaxS, mb) != len(n.Table)-1 {
		t.Errorf("model table of %d entries: no bucket layout found (mb %d)", len(n.Table), mb)
	}
	if lrnMantBits(1000) != -1 {
		t.Error("a table of 1000 entries should fit no layout")
	}
}

func TestMaxPool(t *testing.T) {
	x := make([]int8, 2*5*5)
	for i := range x {
		x[i] = int8(i - 60)
	}
	y := MaxPool(x, 2, 5)
	want := []int8{-48, -46, -38, -36, -23, -21, -13, -11}
	if !slices.Equal(y, want) {
		t.Errorf("MaxPool = %v, want %v", y, want)
	}
}
