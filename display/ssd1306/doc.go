// Package ssd1306 drives SSD1306 (and SSD1315) monochrome OLED modules over
// I²C: 128x64 and 128x32 panels at address 0x3C or 0x3D.
//
// It is a thin layer over periph.io/x/devices/v3/ssd1306, which owns the
// command set and the shadow-buffer diffing, and adds what an unattended
// exhibit needs:
//
//   - Address choice. periph's NewI2C always talks to 0x3C. Boards with SA0
//     tied high (many Adafruit 128x64 breakouts) answer at 0x3D; this package
//     wraps the bus with an address-rewriting i2c.Bus so either works.
//   - COM pins for 128x32. The COM pins hardware configuration (command 0xDA)
//     must be 0x02 (sequential) for 32-row glass and 0x12 (alternative) for
//     64-row glass. periph sends 0x12 unless Opts.Sequential is set; Opts.COMPins
//     here picks the right value from the height.
//   - Re-initialisation. periph sends only the rectangle that changed since the
//     last frame. A panel that browns out comes back blank and would stay blank;
//     Init re-sends the whole init sequence and makes the next Draw send the
//     full frame.
//
// Datasheet facts (Solomon Systech SSD1306 rev 1.1):
//
//   - I²C address 0b011110(SA0): 0x3C or 0x3D; silk screens often print the
//     8-bit write address 0x78/0x7A. Fast mode, 400 kHz maximum.
//   - Each I²C write starts with a control byte: 0x00 = commands follow,
//     0x40 = GDDRAM data follows.
//   - GDDRAM is 128x64 bits in 8 pages of 8 rows; one data byte is 8 vertical
//     pixels, LSB on top (periph's image1bit.VerticalLSB layout).
//   - A full 128x64 frame is 1024 data bytes: about 0.1 s at 100 kHz, 25 ms at
//     400 kHz.
//   - Contrast 0x81 nn (256 steps); display off 0xAE keeps RAM; 0xAF on.
//   - The charge pump (0x8D 0x14) must be enabled for modules without an
//     external VCC, which is all the common breakout boards.
package ssd1306
