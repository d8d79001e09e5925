// Package ht16k33 drives 4-digit 7-segment LED backpacks built on the Holtek
// HT16K33 (the Adafruit 0.56" and 1.2" "7-segment backpack" and clones).
//
// periph.io/x/devices/v3/ht16k33 ships only a 14-segment font and writes one
// column per I²C transfer; this package has its own 7-segment font and sends
// the whole display in a single write.
//
// Datasheet facts (Holtek HT16K33 rev 1.10):
//
//   - I²C address 0x70 | A2A1A0, so 0x70..0x77 by solder jumpers; 400 kHz.
//   - 0x21 = system setup, oscillator on (0x20 = standby).
//   - 0x80|B<<1|D = display setup: D=1 display on, B = blink 0 off, 1 = 2 Hz,
//     2 = 1 Hz, 3 = 0.5 Hz.
//   - 0xE0|P = dimming, duty (P+1)/16.
//   - Display RAM 0x00..0x0F, two bytes per COM row; a write starts with the
//     RAM address and auto-increments.
//
// Backpack wiring (Adafruit 7-segment backpack): digit positions are RAM rows
// 0, 1, 3, 4 (byte addresses 0x00, 0x02, 0x06, 0x08), row 2 (address 0x04)
// holds the colon (bit 0x02). Within a digit, bits 0..6 are segments a..g and
// bit 7 is the decimal point:
//
//	 aaa
//	f   b
//	 ggg
//	e   c
//	 ddd  .
//
// Digits 0..9 are 0x3F 0x06 0x5B 0x4F 0x66 0x6D 0x7D 0x07 0x7F 0x6F.
//
// LED digits do not burn in and read from metres away, which makes this the
// sturdiest display for a months-long exhibit.
package ht16k33
