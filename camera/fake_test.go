package camera

import (
	"errors"
	"os"
	"sync"
	"syscall"

	"github.com/blackjack/webcam"
)

// fakeEvent scripts one WaitForFrame/GetFrame round of the fake camera.
type fakeEvent struct {
	waitErr error    // returned by WaitForFrame
	frames  [][]byte // filled buffers queued for GetFrame (oldest first)
	getErr  error    // returned by GetFrame once the frames are taken (default EAGAIN)
}

// fakeCam is a scripted V4L2 device. It holds a real file descriptor (of /dev/null)
// while open, so descriptor leaks show in /proc/self/fd.
type fakeCam struct {
	formats   map[webcam.PixelFormat]string
	sizes     map[webcam.PixelFormat][]webcam.FrameSize
	script    []fakeEvent
	startErr  error
	fd        *os.File
	closed    bool
	streaming bool
	bufCount  uint32
	setFormat webcam.PixelFormat
	setW      uint32
	setH      uint32
	controls  []Control
	held      map[uint32]bool // dequeued, not released
	released  int
	dequeued  int
	queue     [][]byte
	qerr      error
}

// fakeHub opens fake cameras: plugged says whether the device exists; each open
// gets the next configured camera.
type fakeHub struct {
	mu      sync.Mutex
	plugged bool
	make    func(n int) *fakeCam
	opened  []*fakeCam
}

func (h *fakeHub) open(path string) (Device, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.plugged {
		return nil, &os.PathError{Op: "open", Path: path, Err: syscall.ENOENT}
	}
	c := h.make(len(h.opened))
	f, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	c.fd = f
	c.held = map[uint32]bool{}
	h.opened = append(h.opened, c)
	return c, nil
}

func (c *fakeCam) GetSupportedFormats() map[webcam.PixelFormat]string { return c.formats }
func (c *fakeCam) GetSupportedFrameSizes(f webcam.PixelFormat) []webcam.FrameSize {
	return c.sizes[f]
}
func (c *fakeCam) SetImageFormat(f webcam.PixelFormat, w, h uint32) (webcam.PixelFormat, uint32, uint32, error) {
	c.setFormat, c.setW, c.setH = f, w, h
	return f, w, h, nil
}
func (c *fakeCam) SetBufferCount(n uint32) error {
	if c.streaming {
		return errors.New("streaming")
	}
	c.bufCount = n
	return nil
}
func (c *fakeCam) SetControl(id webcam.ControlID, v int32) error {
	c.controls = append(c.controls, Control{uint32(id), v})
	return nil
}
func (c *fakeCam) StartStreaming() error {
	if c.startErr != nil {
		return c.startErr
	}
	c.streaming = true
	return nil
}
func (c *fakeCam) WaitForFrame(timeout uint32) error {
	if c.closed {
		return syscall.EBADF
	}
	if len(c.script) == 0 {
		return new(webcam.Timeout)
	}
	ev := c.script[0]
	c.script = c.script[1:]
	c.queue = append(c.queue, ev.frames...)
	c.qerr = ev.getErr
	return ev.waitErr
}
func (c *fakeCam) GetFrame() ([]byte, uint32, error) {
	if len(c.queue) == 0 {
		if c.qerr != nil {
			return nil, 0, c.qerr
		}
		return nil, 0, syscall.EAGAIN
	}
	b := c.queue[0]
	c.queue = c.queue[1:]
	idx := uint32(c.dequeued)
	c.dequeued++
	c.held[idx] = true
	return b, idx, nil
}
func (c *fakeCam) ReleaseFrame(i uint32) error {
	if !c.held[i] {
		return errors.New("release of a buffer not held")
	}
	delete(c.held, i)
	c.released++
	return nil
}
func (c *fakeCam) Close() error {
	if c.closed {
		return errors.New("closed twice")
	}
	c.closed = true
	return c.fd.Close()
}
