package camera

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/blackjack/webcam"
)

// Device is the part of a V4L2 capture device this package uses; *webcam.Webcam
// (github.com/blackjack/webcam) implements it, and tests use a fake.
type Device interface {
	GetSupportedFormats() map[webcam.PixelFormat]string
	GetSupportedFrameSizes(f webcam.PixelFormat) []webcam.FrameSize
	// SetImageFormat returns the driver's fourcc but the *requested* size
	// (blackjack/webcam does not report the driver's), so frames are validated.
	SetImageFormat(f webcam.PixelFormat, width, height uint32) (webcam.PixelFormat, uint32, uint32, error)
	SetBufferCount(count uint32) error
	SetControl(id webcam.ControlID, value int32) error
	StartStreaming() error
	// WaitForFrame waits up to timeout *seconds*; a timeout is a *webcam.Timeout.
	WaitForFrame(timeout uint32) error
	// GetFrame dequeues the oldest filled buffer (EAGAIN: none); the slice aliases
	// mmap memory until ReleaseFrame.
	GetFrame() ([]byte, uint32, error)
	ReleaseFrame(index uint32) error
	Close() error
}

var _ Device = (*webcam.Webcam)(nil)

func openWebcam(path string) (Device, error) {
	w, err := webcam.Open(path)
	if err != nil {
		return nil, err
	}
	return w, nil
}

// V4L2 fourcc codes.
const (
	FourCCYUYV  webcam.PixelFormat = 0x56595559 // 'YUYV'
	FourCCMJPEG webcam.PixelFormat = 0x47504A4D // 'MJPG'
	FourCCGREY  webcam.PixelFormat = 0x59455247 // 'GREY'
)

// V4L2 is a Source reading a V4L2 (UVC) camera. It survives unplugging: Next returns
// an error wrapping ErrCameraLost and, on later calls, reopens the device with
// exponential backoff, re-applying the format and controls.
type V4L2 struct {
	path    string // as given
	o       Opts
	dev     Device
	fourcc  webcam.PixelFormat
	w, h    int
	seq     uint64
	fails   int // consecutive failures while streaming
	backoff time.Duration
	retryAt time.Time
	scratch []byte
	closed  bool
	lastErr error
}

// OpenV4L2 opens a V4L2 camera by path (/dev/video0) or /dev/v4l/by-id name and
// starts streaming. A device that does not exist gives an error wrapping ErrNoDevice;
// one that exists but fails to start is still returned, closed, to be retried by Next.
func OpenV4L2(path string, o *Opts) (*V4L2, error) {
	oo := o.withDefaults(640, 480)
	if oo.OpenDevice == nil {
		oo.OpenDevice = openWebcam
	}
	s := &V4L2{path: path, o: oo, backoff: oo.Backoff}
	if err := s.open(); err != nil {
		if errors.Is(err, ErrNoDevice) || errors.Is(err, ErrUnsupported) {
			return nil, err
		}
		// Exists but would not start (busy, failed StartStreaming): retry in Next.
		s.lastErr = err
		s.retryAt = time.Now().Add(s.backoff)
		oo.Logf("camera %s: %v; will retry", path, err)
	}
	return s, nil
}

// Name returns the device path.
func (s *V4L2) Name() string { return s.path }

// Format returns the fourcc and size in use (zero while the device is closed).
func (s *V4L2) Format() (webcam.PixelFormat, int, int) { return s.fourcc, s.w, s.h }

func resolveDevice(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// open opens and configures the device and starts streaming.
func (s *V4L2) open() error {
	dev, err := s.o.OpenDevice(resolveDevice(s.path))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENODEV) || errors.Is(err, syscall.ENXIO) {
			return &Error{Device: s.path, Op: "open", Err: fmt.Errorf("%w: %w", ErrNoDevice, err)}
		}
		return &Error{Device: s.path, Op: "open", Err: err}
	}
	fourcc, w, h, err := chooseFormat(dev, s.o.Width, s.o.Height)
	if err != nil {
		dev.Close()
		return &Error{Device: s.path, Op: "format", Err: err}
	}
	got, _, _, err := dev.SetImageFormat(fourcc, uint32(w), uint32(h))
	if err != nil {
		dev.Close()
		return &Error{Device: s.path, Op: "set format", Err: err}
	}
	if got != fourcc {
		dev.Close()
		return &Error{Device: s.path, Op: "set format", Err: fmt.Errorf("%w: asked %s, driver gave %s", ErrUnsupported, fourccString(fourcc), fourccString(got))}
	}
	if err := dev.SetBufferCount(uint32(s.o.Buffers)); err != nil {
		dev.Close()
		return &Error{Device: s.path, Op: "buffers", Err: err}
	}
	for _, c := range s.o.Controls {
		if err := dev.SetControl(webcam.ControlID(c.ID), c.Value); err != nil {
			s.o.Logf("camera %s: control %#x = %d: %v", s.path, c.ID, c.Value, err)
		}
	}
	if err := dev.StartStreaming(); err != nil {
		// A failed StartStreaming leaves mmaps behind (blackjack/webcam#70): close
		// the device entirely and reopen later.
		dev.Close()
		return &Error{Device: s.path, Op: "start streaming", Err: err}
	}
	s.dev, s.fourcc, s.w, s.h = dev, fourcc, w, h
	s.fails = 0
	s.backoff = s.o.Backoff
	s.o.Logf("camera %s: streaming %s %dx%d", s.path, fourccString(fourcc), w, h)
	return nil
}

func fourccString(f webcam.PixelFormat) string {
	b := []byte{byte(f), byte(f >> 8), byte(f >> 16), byte(f >> 24)}
	for _, c := range b {
		if c < 32 || c > 126 {
			return fmt.Sprintf("%#08x", uint32(f))
		}
	}
	return string(b)
}

// chooseFormat picks YUYV (grey for free) when it offers a size up to the wanted one,
// else MJPEG, else GREY, and the listed size nearest the wanted one.
func chooseFormat(dev Device, wantW, wantH int) (webcam.PixelFormat, int, int, error) {
	formats := dev.GetSupportedFormats()
	type cand struct {
		f    webcam.PixelFormat
		w, h int
	}
	var best []cand
	for _, f := range []webcam.PixelFormat{FourCCYUYV, FourCCMJPEG, FourCCGREY} {
		if _, ok := formats[f]; !ok {
			continue
		}
		w, h, ok := nearestSize(dev.GetSupportedFrameSizes(f), wantW, wantH)
		if ok {
			best = append(best, cand{f, w, h})
		}
	}
	if len(best) == 0 {
		var names []string
		for f, d := range formats {
			names = append(names, fourccString(f)+" ("+d+")")
		}
		sort.Strings(names)
		return 0, 0, 0, fmt.Errorf("%w: device offers %v; want YUYV, MJPG or GREY", ErrUnsupported, names)
	}
	// YUYV is preferred unless it cannot reach the wanted size and MJPEG can.
	pick := best[0]
	if pick.f == FourCCYUYV && pick.w*pick.h < wantW*wantH {
		for _, c := range best[1:] {
			if c.f == FourCCMJPEG && c.w*c.h > pick.w*pick.h {
				pick = c
			}
		}
	}
	return pick.f, pick.w, pick.h, nil
}

// nearestSize returns the listed size closest to w x h in area (ties: the smaller),
// honouring stepwise ranges.
func nearestSize(sizes []webcam.FrameSize, w, h int) (int, int, bool) {
	bw, bh, bd := 0, 0, -1
	for _, s := range sizes {
		cw, ch := int(s.MaxWidth), int(s.MaxHeight)
		if s.StepWidth != 0 || s.StepHeight != 0 {
			cw = stepClamp(w, int(s.MinWidth), int(s.MaxWidth), int(s.StepWidth))
			ch = stepClamp(h, int(s.MinHeight), int(s.MaxHeight), int(s.StepHeight))
		}
		if cw <= 0 || ch <= 0 {
			continue
		}
		d := abs(cw*ch-w*h) + abs(cw-w) + abs(ch-h)
		if bd < 0 || d < bd || (d == bd && cw*ch < bw*bh) {
			bw, bh, bd = cw, ch, d
		}
	}
	return bw, bh, bd >= 0
}

func stepClamp(v, lo, hi, step int) int {
	v = min(max(v, lo), hi)
	if step > 1 {
		v = lo + (v-lo)/step*step
	}
	return v
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// isLost reports errors that mean the device is gone.
func isLost(err error) bool {
	return errors.Is(err, syscall.ENODEV) || errors.Is(err, syscall.EIO) || errors.Is(err, syscall.ENXIO) || errors.Is(err, syscall.EBADF)
}

// drop closes the device after a loss and schedules a reopen.
func (s *V4L2) drop(op string, cause error) error {
	if s.dev != nil {
		s.dev.Close()
		s.dev = nil
	}
	s.fourcc, s.w, s.h = 0, 0, 0
	s.retryAt = time.Now().Add(s.backoff)
	s.lastErr = lostError(s.path, op, cause)
	s.o.Logf("%v; reopening in %v", s.lastErr, s.backoff)
	return s.lastErr
}

// Next waits for the newest frame and copies it into dst (YUYV and GREY as they
// come, MJPEG decoded). When the camera is lost it returns an error wrapping
// ErrCameraLost; each later call first tries to reopen it (waiting out the backoff,
// which doubles up to Opts.MaxBackoff), so a run loop just keeps calling Next.
func (s *V4L2) Next(ctx context.Context, dst *Frame) error {
	if s.closed {
		return &Error{Device: s.path, Op: "next", Err: errors.New("closed")}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.dev == nil {
			if err := s.reopen(ctx); err != nil {
				return err
			}
		}
		err := s.capture(ctx, dst)
		if err == nil {
			s.fails = 0
			return nil
		}
		if errors.Is(err, errRetry) {
			continue
		}
		return err
	}
}

var errRetry = errors.New("retry")

// reopen waits until the retry time and tries to open the device again.
func (s *V4L2) reopen(ctx context.Context) error {
	if d := time.Until(s.retryAt); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	if err := s.open(); err != nil {
		s.backoff = min(2*s.backoff, s.o.MaxBackoff)
		s.retryAt = time.Now().Add(s.backoff)
		s.o.Logf("camera %s: reopen failed: %v; next try in %v", s.path, err, s.backoff)
		if errors.Is(err, ErrCameraLost) {
			return err
		}
		return &Error{Device: s.path, Op: "reopen", Err: fmt.Errorf("%w: %w", ErrCameraLost, err)}
	}
	return nil
}

// capture waits for frames, keeps the newest, copies it into dst and releases it.
func (s *V4L2) capture(ctx context.Context, dst *Frame) error {
	secs := uint32((s.o.Timeout + time.Second - 1) / time.Second)
	err := s.dev.WaitForFrame(secs)
	if err != nil {
		var to *webcam.Timeout
		if errors.As(err, &to) {
			s.fails++
			if s.fails >= s.o.Retries {
				return s.drop("wait", fmt.Errorf("no frame for %d waits of %v", s.fails, s.o.Timeout))
			}
			return errRetry
		}
		if errors.Is(err, syscall.EINTR) {
			return errRetry
		}
		if isLost(err) {
			return s.drop("wait", err)
		}
		return s.fail("wait", err)
	}
	// Drain: keep only the newest filled buffer.
	var (
		frame []byte
		index uint32
		have  bool
	)
	for {
		b, i, err := s.dev.GetFrame()
		if err != nil {
			if errors.Is(err, syscall.EAGAIN) {
				break
			}
			if have {
				s.dev.ReleaseFrame(index)
			}
			if isLost(err) {
				return s.drop("dequeue", err)
			}
			return s.fail("dequeue", err)
		}
		if have {
			if err := s.dev.ReleaseFrame(index); err != nil && isLost(err) {
				return s.drop("release", err)
			}
		}
		frame, index, have = b, i, true
	}
	if !have {
		return errRetry // spurious wake-up (POLLERR on some drivers): wait again
	}
	cerr := s.copyFrame(frame, dst)
	if err := s.dev.ReleaseFrame(index); err != nil && isLost(err) {
		return s.drop("release", err)
	}
	if cerr != nil {
		return s.fail("frame", cerr)
	}
	s.seq++
	dst.Seq, dst.Time, dst.Count, dst.Name = s.seq, time.Now(), -1, ""
	return nil
}

// fail counts a transient error; a run of them becomes a loss.
func (s *V4L2) fail(op string, err error) error {
	s.fails++
	if s.fails >= s.o.Retries {
		return s.drop(op, fmt.Errorf("%d errors in a row, last: %w", s.fails, err))
	}
	return &Error{Device: s.path, Op: op, Err: err}
}

// copyFrame copies a dequeued buffer (which aliases mmap memory) into dst.
func (s *V4L2) copyFrame(b []byte, dst *Frame) error {
	switch s.fourcc {
	case FourCCYUYV, FourCCGREY:
		bpp := 2
		f := YUYV
		if s.fourcc == FourCCGREY {
			bpp, f = 1, Gray
		}
		if len(b) == 0 {
			return fmt.Errorf("zero-length %s frame", fourccString(s.fourcc))
		}
		// bytesperline is not exposed: stride = len/height, which must hold a row.
		stride := len(b) / s.h
		if stride < s.w*bpp || len(b) < s.h*s.w*bpp {
			return fmt.Errorf("%s frame of %d bytes does not fit %dx%d (driver chose another size?)", fourccString(s.fourcc), len(b), s.w, s.h)
		}
		dst.Pix = grow(dst.Pix, len(b))
		copy(dst.Pix, b)
		dst.Format, dst.Width, dst.Height, dst.Stride = f, s.w, s.h, stride
		return nil
	case FourCCMJPEG:
		if len(b) == 0 {
			return errors.New("zero-length MJPEG frame")
		}
		if err := decodeJPEG(b, &s.scratch, dst); err != nil {
			return fmt.Errorf("MJPEG frame: %w", err)
		}
		return nil
	}
	return fmt.Errorf("%w: %s", ErrUnsupported, fourccString(s.fourcc))
}

// Close stops streaming and closes the device.
func (s *V4L2) Close() error {
	s.closed = true
	if s.dev == nil {
		return nil
	}
	err := s.dev.Close()
	s.dev = nil
	return err
}

// DeviceInfo describes a video device for `numsense devices`.
type DeviceInfo struct {
	Path    string   // /dev/videoN
	ByID    []string // /dev/v4l/by-id links to it
	Name    string   // card name, if readable
	Formats []string // "YUYV 640x480 320x240", if readable
	Err     string   // why it could not be queried
}

// ListVideoDevices lists /dev/video* with their /dev/v4l/by-id names and, where the
// device can be opened, its name, formats and sizes. No devices is not an error.
func ListVideoDevices() ([]DeviceInfo, error) {
	paths, err := filepath.Glob("/dev/video*")
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	links := map[string][]string{}
	if ents, err := os.ReadDir("/dev/v4l/by-id"); err == nil {
		for _, e := range ents {
			p := filepath.Join("/dev/v4l/by-id", e.Name())
			if r, err := filepath.EvalSymlinks(p); err == nil {
				links[r] = append(links[r], p)
			}
		}
	}
	var out []DeviceInfo
	for _, p := range paths {
		d := DeviceInfo{Path: p, ByID: links[p]}
		w, err := webcam.Open(p)
		if err != nil {
			d.Err = err.Error()
			out = append(out, d)
			continue
		}
		d.Name, _ = w.GetName()
		fs := w.GetSupportedFormats()
		var codes []webcam.PixelFormat
		for f := range fs {
			codes = append(codes, f)
		}
		sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
		for _, f := range codes {
			line := fourccString(f)
			for _, sz := range w.GetSupportedFrameSizes(f) {
				line += " " + sz.GetString()
			}
			d.Formats = append(d.Formats, line)
		}
		if len(codes) == 0 {
			d.Err = "no capture formats (a metadata node?)"
		}
		w.Close()
		out = append(out, d)
	}
	return out, nil
}
