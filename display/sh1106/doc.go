// Package sh1106 drives SH1106 monochrome OLED controllers over I²C: the chip
// on most 1.3-inch "SSD1306" modules.
//
// The SH1106 looks like an SSD1306 on the bus (same address, same control
// bytes, most of the same commands) but differs in ways that break an SSD1306
// driver:
//
//   - Its display RAM is 132 columns wide; a 128-pixel glass is wired to the
//     middle columns 2..129. Written at column 0 the image is shifted two
//     pixels left with garbage in the rightmost two columns. Opts.ColumnOffset
//     (default 2) fixes this.
//   - Only page addressing exists: no horizontal addressing (0x20), no column
//     or page windows (0x21/0x22). Each page of 8 rows is written as its own
//     transfer after setting page (0xB0|p) and column (0x00|low, 0x10|high).
//   - The charge pump is the DC-DC control pair 0xAD 0x8B (on) instead of
//     0x8D 0x14; pump voltage is 0x30..0x33 (6.4, 7.4, 8.0, 9.0 V).
//
// Datasheet facts (Sino Wealth SH1106 V2.3):
//
//   - I²C address 0b011110(SA0): 0x3C or 0x3D, 400 kHz fast mode.
//   - Control byte 0x00 = command stream, 0x40 = data stream.
//   - 132x64 bit RAM in 8 pages; one byte = 8 vertical pixels, LSB on top.
//   - Contrast 0x81 nn; segment remap 0xA0/0xA1; COM scan 0xC0/0xC8;
//     COM pads 0xDA 0x02 (sequential) / 0x12 (alternative, reset value);
//     multiplex 0xA8 nn; display offset 0xD3 nn; clock 0xD5 nn; pre-charge
//     0xD9 nn; VCOM deselect 0xDB nn; display off/on 0xAE/0xAF.
//
// This driver keeps a shadow of the panel and sends only pages that changed;
// Init forgets the shadow so the next frame is sent whole, which restores a
// panel that was reset by a power glitch.
package sh1106
