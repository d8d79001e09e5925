package camera

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// Rpicam is a Source reading a Pi camera module through a child `rpicam-vid ... --codec
// yuv420 -o -`: I420 frames on its stdout. The child is restarted with backoff when it
// dies, and killed and reaped on Close.
type Rpicam struct {
	o       Opts
	args    []string
	w, h    int
	cmd     *exec.Cmd
	out     *os.File // read end of the child's stdout
	done    chan struct{}
	seq     uint64
	backoff time.Duration
	retryAt time.Time
	closed  bool
}

// OpenRpicam starts rpicam-vid (Opts.Command, Width x Height, default 640x480, at
// FPS). A missing command gives an error wrapping ErrNoDevice.
func OpenRpicam(o *Opts) (*Rpicam, error) {
	oo := o.withDefaults(640, 480)
	cmd := oo.Command
	if len(cmd) == 0 {
		cmd = []string{"rpicam-vid"}
	}
	w, h := oo.Width&^1, oo.Height&^1
	args := append(append([]string(nil), cmd...),
		"-t", "0", "-n", "--width", strconv.Itoa(w), "--height", strconv.Itoa(h),
		"--framerate", strconv.Itoa(oo.FPS), "--codec", "yuv420", "-o", "-")
	if _, err := exec.LookPath(args[0]); err != nil {
		return nil, &Error{Device: "rpicam", Op: "start", Err: fmt.Errorf("%w: %w", ErrNoDevice, err)}
	}
	s := &Rpicam{o: oo, args: args, w: w, h: h, backoff: oo.Backoff}
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

// Name returns "rpicam".
func (s *Rpicam) Name() string { return "rpicam" }

func (s *Rpicam) start() error {
	r, w, err := os.Pipe()
	if err != nil {
		return &Error{Device: "rpicam", Op: "start", Err: err}
	}
	cmd := exec.Command(s.args[0], s.args[1:]...)
	cmd.Stdout = w
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return &Error{Device: "rpicam", Op: "start", Err: err}
	}
	w.Close() // the child holds the write end
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.cmd, s.out, s.done = cmd, r, done
	s.o.Logf("camera rpicam: started %v (pid %d)", s.args, cmd.Process.Pid)
	return nil
}

// stop kills the child, waits for it and closes the pipe.
func (s *Rpicam) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.out.Close()
	s.cmd, s.out, s.done = nil, nil, nil
}

// Next reads the next I420 frame into dst. If the child dies it returns an error
// wrapping ErrCameraLost and restarts it on a later call, after a backoff.
func (s *Rpicam) Next(ctx context.Context, dst *Frame) error {
	if s.closed {
		return &Error{Device: "rpicam", Op: "next", Err: errors.New("closed")}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.cmd == nil {
		if d := time.Until(s.retryAt); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		if err := s.start(); err != nil {
			s.backoff = min(2*s.backoff, s.o.MaxBackoff)
			s.retryAt = time.Now().Add(s.backoff)
			return &Error{Device: "rpicam", Op: "restart", Err: fmt.Errorf("%w: %w", ErrCameraLost, err)}
		}
	}
	n := s.w*s.h + 2*(s.w/2)*(s.h/2)
	dst.Pix = grow(dst.Pix, n)
	// Read with a deadline so that ctx and a silent child are noticed.
	dl := time.Now().Add(s.o.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	s.out.SetReadDeadline(dl)
	if _, err := io.ReadFull(s.out, dst.Pix); err != nil {
		s.stop() // a partial frame may have been read: restart to resynchronise
		if errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil {
			s.retryAt = time.Now()
			return ctx.Err()
		}
		s.retryAt = time.Now().Add(s.backoff)
		e := lostError("rpicam", "read", err)
		s.o.Logf("%v; restarting in %v", e, s.backoff)
		s.backoff = min(2*s.backoff, s.o.MaxBackoff)
		return e
	}
	s.backoff = s.o.Backoff
	s.seq++
	dst.Format, dst.Width, dst.Height, dst.Stride = I420, s.w, s.h, s.w
	dst.Seq, dst.Time, dst.Count, dst.Name = s.seq, time.Now(), -1, ""
	return nil
}

// Close kills and reaps the child.
func (s *Rpicam) Close() error {
	s.closed = true
	s.stop()
	return nil
}
