// Package hd44780 drives HD44780-compatible character LCDs (16x2, 20x4)
// behind a PCF8574 I²C "backpack".
//
// periph.io/x/devices/v3/hd44780 drives the LCD through GPIO pins, one I²C
// write per pin change, and its init sequence never sends Function Set 0x28,
// leaving the controller in one-line mode. This package talks to the backpack
// directly with whole-byte writes and the datasheet init sequence.
//
// Backpack wiring (PCF8574 quasi-bidirectional port, one byte per write):
//
//	P0 = RS (0 command, 1 data)   P4..P7 = D4..D7 (4-bit bus)
//	P1 = R/W (kept 0: write only)  P3 = backlight transistor (1 = on)
//	P2 = E (data latched on its falling edge)
//
// Each 4-bit nibble is two bytes on the bus, nibble|BL|RS|E then
// nibble|BL|RS, so a character or command costs four bytes. At the PCF8574's
// 100 kHz one byte takes about 90 µs, longer than the 37 µs an HD44780
// needs for most instructions, so a whole line goes in one I²C write with no
// sleeps. Clear (0x01) and Return Home (0x02) need 1.52 ms and get a sleep.
//
// Datasheet facts (Hitachi HD44780U, ADE-207-272):
//
//   - Initialisation by instruction (Figure 24, 4-bit): after power-up wait
//     more than 40 ms; send nibble 0x3, wait > 4.1 ms; 0x3, wait > 100 µs;
//     0x3; then 0x2 to enter 4-bit mode. From then on every byte is two
//     nibbles, high first.
//   - Function Set 0x28 = 4-bit, 2 display lines, 5x8 dots (also used for
//     four-line modules, which are two lines folded).
//   - Display control 0x08|D<<2|C<<1|B; 0x0C = on, no cursor, no blink.
//   - Entry mode 0x06 = increment, no shift. Clear 0x01.
//   - DDRAM addresses of row starts: 0x00, 0x40, 0x00+cols, 0x40+cols, i.e.
//     0x00 0x40 0x14 0x54 on a 20x4. Set DDRAM address = 0x80|addr.
//   - Eight user characters live in CGRAM: Set CGRAM address 0x40|(n<<3),
//     then eight row bytes (5 low bits used); they print as codes 0..7.
//   - The A00 character ROM (most modules) shows '\' as ¥ and '~' as →;
//     0xDF is the degree sign.
//
// PCF8574 facts (TI SCPS068): 100 kHz I²C; address 0x20|A2A1A0 for the
// PCF8574 (backpacks strap 0x27) and 0x38|A2A1A0 for the PCF8574A (0x3F).
//
// Hazard: backpacks run at 5 V with pull-ups to 5 V on SDA/SCL; the Pi's pins
// are 3.3 V only. Use a level shifter or remove the backpack's pull-ups.
package hd44780
