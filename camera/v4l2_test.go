package camera

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blackjack/webcam"
)

func discrete(w, h uint32) webcam.FrameSize {
	return webcam.FrameSize{MinWidth: w, MaxWidth: w, MinHeight: h, MaxHeight: h}
}

func yuyvBuf(w, h int, mark byte) []byte {
	b := make([]byte, 2*w*h)
	for i := range b {
		b[i] = 128
	}
	b[0] = mark
	return b
}

func usbCam() *fakeCam {
	return &fakeCam{
		formats: map[webcam.PixelFormat]string{FourCCYUYV: "YUYV 4:2:2", FourCCMJPEG: "Motion-JPEG"},
		sizes: map[webcam.PixelFormat][]webcam.FrameSize{
			FourCCYUYV:  {discrete(1280, 720), discrete(640, 480), discrete(320, 240)},
			FourCCMJPEG: {discrete(1920, 1080), discrete(1280, 720), discrete(640, 480)},
		},
	}
}

func TestChooseFormat(t *testing.T) {
	cases := []struct {
		name   string
		cam    *fakeCam
		w, h   int
		want   webcam.PixelFormat
		ww, wh int
	}{
		{"yuyv 640", usbCam(), 640, 480, FourCCYUYV, 640, 480},
		{"yuyv nearest", usbCam(), 600, 400, FourCCYUYV, 640, 480},
		{"mjpeg when yuyv too small", func() *fakeCam {
			c := usbCam()
			c.sizes[FourCCYUYV] = []webcam.FrameSize{discrete(640, 480)}
			return c
		}(), 1920, 1080, FourCCMJPEG, 1920, 1080},
		{"grey only", &fakeCam{
			formats: map[webcam.PixelFormat]string{FourCCGREY: "Greyscale"},
			sizes:   map[webcam.PixelFormat][]webcam.FrameSize{FourCCGREY: {discrete(752, 480)}},
		}, 640, 480, FourCCGREY, 752, 480},
		{"stepwise", &fakeCam{
			formats: map[webcam.PixelFormat]string{FourCCYUYV: "YUYV"},
			sizes: map[webcam.PixelFormat][]webcam.FrameSize{FourCCYUYV: {{
				MinWidth: 160, MaxWidth: 1280, StepWidth: 16, MinHeight: 120, MaxHeight: 960, StepHeight: 8}}},
		}, 650, 485, FourCCYUYV, 640, 480},
	}
	for _, c := range cases {
		f, w, h, err := chooseFormat(c.cam, c.w, c.h)
		if err != nil || f != c.want || w != c.ww || h != c.wh {
			t.Errorf("%s: got %s %dx%d, %v; want %s %dx%d", c.name, fourccString(f), w, h, err, fourccString(c.want), c.ww, c.wh)
		}
	}
	h264 := &fakeCam{formats: map[webcam.PixelFormat]string{0x34363248: "H.264"}}
	if _, _, _, err := chooseFormat(h264, 640, 480); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "H264") {
		t.Errorf("H.264-only camera: %v, want ErrUnsupported naming H264", err)
	}
}

func newFakeSource(t *testing.T, hub *fakeHub, o *Opts) *V4L2 {
	t.Helper()
	if o == nil {
		o = &Opts{}
	}
	o.OpenDevice = hub.open
	o.Backoff = time.Millisecond
	o.MaxBackoff = 4 * time.Millisecond
	s, err := OpenV4L2("/dev/video7", o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestV4L2NewestFrameAndRelease(t *testing.T) {
	hub := &fakeHub{plugged: true, make: func(int) *fakeCam {
		c := usbCam()
		c.script = []fakeEvent{{frames: [][]byte{yuyvBuf(640, 480, 1), yuyvBuf(640, 480, 2), yuyvBuf(640, 480, 3)}}}
		return c
	}}
	ctrl := []Control{{CtrlExposureAuto, 1}, {CtrlExposureAbsolute, 150}}
	s := newFakeSource(t, hub, &Opts{Controls: ctrl, Buffers: 8})
	defer s.Close()
	cam := hub.opened[0]
	if cam.bufCount != 4 {
		t.Errorf("buffer count %d, want clamped to 4", cam.bufCount)
	}
	if cam.setFormat != FourCCYUYV || cam.setW != 640 || cam.setH != 480 {
		t.Errorf("format %s %dx%d", fourccString(cam.setFormat), cam.setW, cam.setH)
	}
	if len(cam.controls) != 2 || cam.controls[0] != ctrl[0] || cam.controls[1] != ctrl[1] {
		t.Errorf("controls %v, want %v in order", cam.controls, ctrl)
	}
	var f Frame
	if err := s.Next(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	if f.Pix[0] != 3 {
		t.Errorf("got frame %d, want the newest (3)", f.Pix[0])
	}
	if f.Format != YUYV || f.Width != 640 || f.Height != 480 || f.Stride != 1280 || f.Seq != 1 {
		t.Errorf("frame %v %dx%d stride %d seq %d", f.Format, f.Width, f.Height, f.Stride, f.Seq)
	}
	if len(cam.held) != 0 || cam.released != 3 {
		t.Errorf("%d buffers still held, %d released; want 0, 3", len(cam.held), cam.released)
	}
	// The copy must not alias the device buffer.
	cam.script = []fakeEvent{{frames: [][]byte{yuyvBuf(640, 480, 9)}}}
	p := &f.Pix[0]
	if err := s.Next(context.Background(), &f); err != nil || f.Pix[0] != 9 || &f.Pix[0] != p {
		t.Errorf("second frame: %v, mark %d, reused buffer %v", err, f.Pix[0], &f.Pix[0] == p)
	}
}

func TestV4L2BadFrames(t *testing.T) {
	hub := &fakeHub{plugged: true, make: func(int) *fakeCam {
		c := usbCam()
		c.script = []fakeEvent{
			{frames: [][]byte{{}}},
			{frames: [][]byte{make([]byte, 1000)}},
		}
		return c
	}}
	s := newFakeSource(t, hub, nil)
	defer s.Close()
	var f Frame
	err := s.Next(context.Background(), &f)
	if err == nil || !strings.Contains(err.Error(), "zero-length") || !strings.Contains(err.Error(), "/dev/video7") {
		t.Errorf("zero-length frame: %v", err)
	}
	err = s.Next(context.Background(), &f)
	if err == nil || !strings.Contains(err.Error(), "does not fit 640x480") {
		t.Errorf("short frame: %v", err)
	}
	if errors.Is(err, ErrCameraLost) {
		t.Errorf("one bad frame is not a lost camera: %v", err)
	}
}

func TestV4L2MissingDevice(t *testing.T) {
	hub := &fakeHub{plugged: false}
	_, err := OpenV4L2("/dev/video7", &Opts{OpenDevice: hub.open})
	if !errors.Is(err, ErrNoDevice) || !strings.Contains(err.Error(), "/dev/video7") {
		t.Errorf("missing device: %v, want ErrNoDevice naming /dev/video7", err)
	}
	// The real backend too, on a path that cannot exist.
	_, err = Open("/dev/video-numsense-none", nil)
	if !errors.Is(err, ErrNoDevice) || !strings.Contains(err.Error(), "/dev/video-numsense-none") {
		t.Errorf("missing real device: %v", err)
	}
}

func jpegBytes(t testing.TB, w, h int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Y[y*img.YStride+x] = byte(x*7 + y*3)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = byte(i), byte(255-i)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// stripDHT removes every DHT segment, as UVC cameras send MJPEG.
func stripDHT(t testing.TB, b []byte) []byte {
	out := []byte{0xff, 0xd8}
	i := 2
	for {
		m := b[i+1]
		if m == 0xda {
			return append(out, b[i:]...)
		}
		l := int(b[i+2])<<8 | int(b[i+3])
		if m != 0xc4 {
			out = append(out, b[i:i+2+l]...)
		}
		i += 2 + l
	}
}

func TestFixMJPEG(t *testing.T) {
	if len(dhtSegment) != 420 {
		t.Errorf("DHT segment is %d bytes, want 420", len(dhtSegment))
	}
	orig := jpegBytes(t, 64, 48)
	stripped := stripDHT(t, orig)
	if bytes.Contains(stripped[:bytes.Index(stripped, []byte{0xff, 0xda})], []byte{0xff, 0xc4}) {
		t.Fatal("strip left a DHT")
	}
	if _, err := jpeg.Decode(bytes.NewReader(stripped)); err == nil {
		t.Fatal("image/jpeg decoded a JPEG without Huffman tables; the test proves nothing")
	}
	fixed, err := FixMJPEG(stripped, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := jpeg.Decode(bytes.NewReader(orig))
	if err != nil {
		t.Fatal(err)
	}
	b, err := jpeg.Decode(bytes.NewReader(fixed))
	if err != nil {
		t.Fatalf("fixed JPEG: %v", err)
	}
	ya, yb := a.(*image.YCbCr), b.(*image.YCbCr)
	if !bytes.Equal(ya.Y, yb.Y) || !bytes.Equal(ya.Cb, yb.Cb) || !bytes.Equal(ya.Cr, yb.Cr) {
		t.Error("fixed JPEG decodes differently from the original")
	}
	// A JPEG with its own tables is left alone.
	same, err := FixMJPEG(orig, nil)
	if err != nil || &same[0] != &orig[0] {
		t.Errorf("JPEG with tables was copied or failed: %v", err)
	}
	if _, err := FixMJPEG([]byte("not a jpeg"), nil); err == nil {
		t.Error("no error for non-JPEG")
	}
	if _, err := FixMJPEG(stripped[:20], nil); err == nil {
		t.Error("no error for truncated JPEG")
	}
}

func TestV4L2MJPEGWithoutDHT(t *testing.T) {
	frame := stripDHT(t, jpegBytes(t, 64, 48))
	hub := &fakeHub{plugged: true, make: func(int) *fakeCam {
		return &fakeCam{
			formats: map[webcam.PixelFormat]string{FourCCMJPEG: "Motion-JPEG"},
			sizes:   map[webcam.PixelFormat][]webcam.FrameSize{FourCCMJPEG: {discrete(64, 48)}},
			script:  []fakeEvent{{frames: [][]byte{frame}}, {frames: [][]byte{frame[:len(frame)/3]}}},
		}
	}}
	s := newFakeSource(t, hub, &Opts{Width: 64, Height: 48})
	defer s.Close()
	var f Frame
	if err := s.Next(context.Background(), &f); err != nil {
		t.Fatal(err)
	}
	if f.Format != I420 || f.Width != 64 || f.Height != 48 || f.Pix[1] < 4 || f.Pix[1] > 10 {
		t.Errorf("decoded %v %dx%d, Y[1]=%d", f.Format, f.Width, f.Height, f.Pix[1])
	}
	if err := s.Next(context.Background(), &f); err == nil || !strings.Contains(err.Error(), "MJPEG") {
		t.Errorf("truncated MJPEG frame: %v", err)
	}
}

func countFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

// TestV4L2SurvivesFaults runs the fake camera through EAGAIN wake-ups, timeouts,
// I/O errors, an unplug (ENODEV) and a replug, checking that Next reports the loss,
// reopens with the controls re-applied, and leaks no descriptors or goroutines.
func TestV4L2SurvivesFaults(t *testing.T) {
	runtime.GC()
	g0, fd0 := runtime.NumGoroutine(), countFDs(t)
	frame := func(m byte) fakeEvent { return fakeEvent{frames: [][]byte{yuyvBuf(320, 240, m)}} }
	hub := &fakeHub{plugged: true}
	hub.make = func(n int) *fakeCam {
		c := usbCam()
		switch n {
		case 0:
			c.script = []fakeEvent{
				frame(1),
				{}, // woken without a frame: EAGAIN at once
				{waitErr: new(webcam.Timeout)},
				{waitErr: new(webcam.Timeout)},
				frame(2),
				{getErr: syscall.EIO, frames: [][]byte{yuyvBuf(320, 240, 99)}}, // a frame, then the device dies
			}
		case 1:
			c.startErr = errors.New("VIDIOC_STREAMON: device busy")
		case 2:
			c.script = []fakeEvent{frame(3), {waitErr: syscall.ENODEV}}
		default: // silent: every wait times out
		}
		return c
	}
	s := newFakeSource(t, hub, &Opts{Width: 320, Height: 240, Controls: []Control{{CtrlPowerLineFrequency, 1}}})
	ctx := context.Background()
	var f Frame
	next := func() error { return s.Next(ctx, &f) }
	if err := next(); err != nil || f.Pix[0] != 1 {
		t.Fatalf("frame 1: %v %d", err, f.Pix[0])
	}
	if err := next(); err != nil || f.Pix[0] != 2 {
		t.Fatalf("frame 2 after EAGAIN and timeouts: %v %d", err, f.Pix[0])
	}
	err := next()
	if !errors.Is(err, ErrCameraLost) || !strings.Contains(err.Error(), "/dev/video7") {
		t.Fatalf("after EIO: %v, want ErrCameraLost naming the device", err)
	}
	if !hub.opened[0].closed || len(hub.opened[0].held) != 0 {
		t.Error("lost device not closed, or buffers still held")
	}
	// Unplugged: reopening fails with ErrCameraLost (wrapping ErrNoDevice).
	hub.mu.Lock()
	hub.plugged = false
	hub.mu.Unlock()
	for i := 0; i < 3; i++ {
		if err := next(); !errors.Is(err, ErrCameraLost) || !errors.Is(err, ErrNoDevice) {
			t.Fatalf("unplugged: %v", err)
		}
	}
	hub.mu.Lock()
	hub.plugged = true
	hub.mu.Unlock()
	// Replugged: the first open fails to start streaming, the next one works.
	if err := next(); !errors.Is(err, ErrCameraLost) || !strings.Contains(err.Error(), "busy") {
		t.Fatalf("failed StartStreaming: %v", err)
	}
	if !hub.opened[1].closed {
		t.Error("device closed after a failed StartStreaming was not closed")
	}
	if err := next(); err != nil || f.Pix[0] != 3 {
		t.Fatalf("after replug: %v %d", err, f.Pix[0])
	}
	if c := hub.opened[2].controls; len(c) != 1 || c[0].ID != CtrlPowerLineFrequency {
		t.Errorf("controls after reopen: %v", c)
	}
	if err := next(); !errors.Is(err, ErrCameraLost) {
		t.Fatalf("ENODEV from WaitForFrame: %v", err)
	}
	// Timeouts only: a run of Retries silent waits is a loss too.
	if err := next(); err == nil {
		// reopened camera 3 has an empty script: timeouts
		t.Fatal("silent camera gave a frame")
	} else if !errors.Is(err, ErrCameraLost) || !strings.Contains(err.Error(), "no frame") {
		t.Fatalf("silent camera: %v", err)
	}
	s.Close()
	if err := next(); err == nil {
		t.Error("Next after Close succeeded")
	}
	for _, c := range hub.opened {
		if !c.closed {
			t.Error("a fake device was left open")
		}
	}
	runtime.GC()
	if g1, fd1 := runtime.NumGoroutine(), countFDs(t); g1 > g0 || fd1 != fd0 {
		t.Errorf("goroutines %d -> %d, fds %d -> %d", g0, g1, fd0, fd1)
	}
}

// TestHardwareCamera reads frames from a real camera: NUMSENSE_HW_CAMERA=/dev/video0.
func TestHardwareCamera(t *testing.T) {
	dev := os.Getenv("NUMSENSE_HW_CAMERA")
	if dev == "" {
		t.Skip("set NUMSENSE_HW_CAMERA=/dev/video0 to test a real camera")
	}
	s, err := Open(dev, &Opts{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var f Frame
	for i := 0; i < 10; i++ {
		if err := s.Next(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if err := f.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%s: %v %dx%d stride %d", dev, f.Format, f.Width, f.Height, f.Stride)
	devs, err := ListVideoDevices()
	if err != nil || len(devs) == 0 {
		t.Errorf("ListVideoDevices: %v, %d devices", err, len(devs))
	}
	for _, d := range devs {
		t.Logf("%+v", d)
	}
}
