package stimulus

// Portable cosine and sine of whole degrees. math.Sin and math.Cos are plain Go, but
// the compiler may fuse their multiply-adds into FMA instructions on arm64 and not on
// amd64, which can change the last bit. Here every product is rounded explicitly.

const degToRad = 3.14159265358979323846264338327950288 / 180

// cosSinDeg returns cos and sin of deg degrees (any integer).
func cosSinDeg(deg int) (c, s float64) {
	d := deg % 360
	if d < 0 {
		d += 360
	}
	q, a := d/90, d%90 // a in [0, 90)
	// cos and sin of a, from a reduced angle in [0, 45].
	var ca, sa float64
	if a <= 45 {
		ca, sa = cosSinSmall(a)
	} else {
		sa, ca = cosSinSmall(90 - a)
	}
	switch q {
	case 0:
		return ca, sa
	case 1:
		return -sa, ca
	case 2:
		return -ca, -sa
	default:
		return sa, -ca
	}
}

// cosSinSmall returns cos and sin of a degrees, 0 <= a <= 45, by Taylor series
// (x <= π/4: the x^19 and x^20 terms are below 1e-20).
func cosSinSmall(a int) (c, s float64) {
	if a == 0 {
		return 1, 0
	}
	x := float64(float64(a) * degToRad)
	x2 := float64(x * x)
	// sin x = x (1 - x²/(2·3) (1 - x²/(4·5) (1 - ...)))
	sv := 1.0
	for k := 9; k >= 1; k-- {
		sv = 1 - float64(float64(x2*sv)/float64((2*k)*(2*k+1)))
	}
	s = float64(x * sv)
	// cos x = 1 - x²/(1·2) (1 - x²/(3·4) (1 - ...))
	cv := 1.0
	for k := 10; k >= 1; k-- {
		cv = 1 - float64(float64(x2*cv)/float64((2*k-1)*(2*k)))
	}
	return cv, s
}
