package experiment

import (
	"image"

	"github.com/numsense/numsense/model"
	"github.com/numsense/numsense/model/population"
	"github.com/numsense/numsense/model/unitmap"
)

// UnitReader gives the number units' responses to a silhouette, as the decoders
// read them: one network's units (NetworkReader), or a population's averaged over
// views (*population.Reader, what numsense run uses).
type UnitReader interface {
	Read(img *image.Gray) ([]float32, error)
	Passes() int // network runs per Read
	Close()
}

// NetworkReader reads the units of m from net, one network on the silhouette
// alone. Close does not close net.
func NetworkReader(net Network, m *unitmap.Map) UnitReader {
	return &netsReader{nets: []Network{net}, maps: []*unitmap.Map{m}}
}

// netsReader is population.Reader's sequence (every network on every view, the
// units gathered and averaged over the views) on Networks, one pass after the
// other: for the stand-in network of the tests, and single networks.
type netsReader struct {
	nets  []Network
	maps  []*unitmap.Map
	views []population.View
	out   []float32
	r     []float32
	view  *image.Gray
}

func (n *netsReader) Passes() int { return len(n.nets) * max(1, len(n.views)) }

func (n *netsReader) Close() {}

func (n *netsReader) Read(img *image.Gray) ([]float32, error) {
	views := n.views
	if len(views) == 0 {
		views = []population.View{population.Identity}
	}
	if n.view == nil {
		n.view = image.NewGray(image.Rect(0, 0, model.InputSize, model.InputSize))
	}
	n.out = n.out[:0]
	for k, net := range n.nets {
		m := n.maps[k]
		off := len(n.out)
		n.out = append(n.out, make([]float32, len(m.Units))...)
		sum := n.out[off:]
		if len(n.r) < len(m.Units) {
			n.r = make([]float32, len(m.Units))
		}
		for v, view := range views {
			in := img
			if view != population.Identity {
				view.Apply(n.view, img)
				in = n.view
			}
			if err := net.Run(in); err != nil {
				return nil, err
			}
			dst := sum
			if v > 0 {
				dst = n.r[:len(m.Units)]
			}
			m.GatherInt8(net.Relu5(), net.Relu5Scale(), net.Relu5ZeroPoint(), dst)
			if v > 0 {
				for u, x := range dst {
					sum[u] += x
				}
			}
		}
		if len(views) > 1 {
			inv := 1 / float32(len(views))
			for u := range sum {
				sum[u] *= inv
			}
		}
	}
	return n.out, nil
}
