// Package camera delivers frames to numsense: one Source interface over live
// cameras, recordings and synthetic scenes, plus Record for making labelled
// recordings. The front end that turns frames into the network's binary image is
// the sub-package frontend.
//
// # Frames
//
// A Frame is plain data (Format, size, Stride, Pix) filled by Source.Next into the
// caller's buffer, reusing its capacity: the capture loop allocates nothing per
// frame for raw formats (YUYV, GREY, I420). Formats are those the hardware gives:
// YUYV (packed 4:2:2, luma = every even byte), I420 (rpicam-vid --codec yuv420, and
// 4:2:0 JPEGs, copied without colour conversion), Gray and RGBA. Frame.Count carries
// the true number of objects where known (synthetic scenes, counts.csv), else -1.
//
// # Sources (Open spec)
//
//   - V4L2 (UVC webcams) through github.com/blackjack/webcam v0.6.1, behind the
//     Device interface so that tests drive a scripted fake. Facts that shaped it
//     (see docs/pi-setup.md §7):
//     SetImageFormat returns the requested size, not the driver's, so only listed
//     sizes are asked for and frames are checked (YUYV len = w·h·2; stride is
//     len/height because bytesperline is not exposed). The default of 256 buffers
//     makes frames stale, so 2-4 are set before streaming, and after WaitForFrame
//     GetFrame is called until EAGAIN keeping only the newest buffer, copied then
//     released (never ReadFrame, whose slice aliases a re-queued mmap buffer).
//     WaitForFrame counts seconds and reports a timeout as *webcam.Timeout; a
//     disconnect surfaces as ENODEV/EIO. A failed StartStreaming leaves mmaps behind
//     (webcam#70), so the device is closed and opened again. A loss is reported as
//     an error wrapping ErrCameraLost; the next calls reopen with exponential
//     backoff (Opts.Backoff..MaxBackoff) and re-apply the controls. The source
//     starts no goroutines, so nothing can leak across reopen cycles.
//     YUYV is preferred (grey for free), then MJPEG, then GREY.
//   - MJPEG without Huffman tables: UVC cameras may omit DHT and imply the tables of
//     ITU-T T.81 Annex K.3; Go's image/jpeg then fails. FixMJPEG inserts one 420-byte
//     DHT segment with the four standard tables before SOS.
//   - Pi camera modules (IMX219/IMX708) give raw Bayer on their /dev/video nodes under
//     libcamera, so they are read through a child `rpicam-vid -t 0 -n --width W
//     --height H --framerate F --codec yuv420 -o -`: I420 frames on a pipe, read with
//     deadlines; the child is restarted with backoff when it exits, and killed and
//     reaped on Close (no zombies).
//   - Recordings: a directory or glob of PNG/JPEG files in name order, a Y4M file
//     (mono, 4:2:0; 4:2:2/4:4:4 as luma), a raw MJPEG stream (split on SOI/EOI,
//     parsing segments so that an EXIF thumbnail's EOI is not taken for the end) and
//     MJPEG AVI (00dc chunks of the movi list via golang.org/x/image/riff). A
//     counts.csv beside images (header file,count; paths relative to the csv) gives
//     Frame.Count; ReadCounts reports every bad row and missing file by name.
//   - Recordings implement Recording: their frames are data, replayed one by one
//     (the exhibit estimates each in order), Stills tells an image directory's
//     separate pictures from a video's frames, FrameRate the rate a .y4m or .avi
//     declares (Opts.Realtime paces playback at it). Their errors are final: a file
//     does not come back as a camera does.
//   - Synthetic scenes (the default without a camera and the fixture of end-to-end
//     tests): dice with pips, discs and oval sweets in mixed colours, dark on light
//     and light on dark tables, textured background, slow lighting drift, soft
//     shadows and a skin-coloured hand with an arm crossing before each count change.
//     Deterministic from the seed (model/rng); counts can be scripted and failures
//     injected on a schedule (SyntheticOpts.Fail).
//   - Photo-realistic scenes ("scenes:SEED", OpenScenes): the bench set of the
//     sub-package scene (coins, sweets, dice, leaves and blocks on wood, paper, cloth,
//     grey and dark tables, exact counts), one scene per frame in order, each the
//     very picture numsense scenes writes, decoded from its JPEG.
//
// # Limits
//
// Every decoder checks the size a file declares before it allocates: pictures
// (PNG, JPEG, MJPEG and AVI frames, V4L2 MJPEG) at most MaxImagePixels (64 MP) by
// image.DecodeConfig, a compressed JPEG at most MaxJPEGBytes (64 MB), a .y4m frame
// at most MaxY4MSide on a side and MaxImagePixels in all, header lines 64 KB, a
// counts.csv MaxCountsRows rows. A decoded picture is held once: ReadFrame and the
// image directories hand the decoder's buffer to the Frame where its layout allows.
//
// Errors name the device or file. ErrNoDevice means a camera that is not there;
// ErrCameraLost means it was there and is being retried; ErrUnsupported means no
// pixel format this package reads.
package camera
