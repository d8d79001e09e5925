package camera

import (
	"context"
	"fmt"
	"io"
	"time"

	realscene "github.com/numsense/numsense/camera/scene"
)

// Scenes is a Source of the photo-realistic scenes of camera/scene: frame k is
// scene k-1 of the set, exactly the picture numsense scenes writes as its file
// (compressed and decoded as JPEG), each scene once, in order, like a directory of
// photographs. Frame.Count is the truth.
type Scenes struct {
	g      *realscene.Generator
	seed   uint64
	n      int // scenes to show (0: no end)
	i      int
	pace   pacer
	closed bool
}

// OpenScenes returns the scenes of seed (picture size o.Width x o.Height, default
// 640x480), n of them (0: without end); recordings' pacing (o.Rate) applies.
func OpenScenes(seed uint64, n int, o *Opts) (*Scenes, error) {
	oo := o.withDefaults(640, 480)
	g, err := realscene.New(realscene.Opts{Seed: seed, Width: oo.Width, Height: oo.Height})
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	return &Scenes{g: g, seed: seed, n: n, pace: pacer{rate: oo.Rate}}, nil
}

// Name describes the source.
func (s *Scenes) Name() string { return fmt.Sprintf("scenes:%d", s.seed) }

// Close stops the source; Next then fails.
func (s *Scenes) Close() error { s.closed = true; return nil }

// Next renders the next scene into dst.
func (s *Scenes) Next(ctx context.Context, dst *Frame) error {
	if s.closed {
		return fmt.Errorf("camera: %s: closed", s.Name())
	}
	if s.n > 0 && s.i >= s.n {
		return io.EOF
	}
	if err := s.pace.wait(ctx); err != nil {
		return err
	}
	sc, img, err := s.g.Image(s.i)
	if err != nil {
		return fmt.Errorf("camera: %s: %w", s.Name(), err)
	}
	s.i++
	dst.SetImage(img)
	dst.Seq, dst.Time, dst.Count, dst.Name = uint64(s.i), time.Now(), sc.Count, realscene.File(sc.Index)
	return nil
}
