//go:build !purego

#include "textflag.h"

// The packed-panel SMLAL GEMM (ARMv8.0 NEON: Cortex-A53, A72). Four rows of a are
// interleaved once per call into a panel on the stack (per 16 bytes of k, the four
// rows' 16 bytes one after the other), so that one LD1 of four registers loads all
// four; b rows are loaded as they are, 32 bytes per pixel at a time. Per (row, pixel)
// pair and 16 bytes of k the arithmetic is that of smlal4xN: SMULL (low 8 bytes) and
// SMLAL2 (high 8) into eight int16 sums of two products (which cannot overflow: a
// avoids -128), SADALP into the int32 accumulator. Per 32 bytes of k: 2 panel loads,
// 4 b loads and 96 multiply-accumulates (512 MACs), against 16 loads and 96 in
// smlal4xN; the temporaries are V12-V15, four pairs per round.

// SMULL Vd.8H, Vn.8B, Vm.8B; SMLAL2 Vd.8H, Vn.16B, Vm.16B; SADALP Vd.4S, Vn.8H;
// ADDP Vd.4S, Vn.4S, Vm.4S (Go's assembler has none of them).
#define SMULL(d, n, m) WORD $(0x0E20C000 | ((m)<<16) | ((n)<<5) | (d))
#define SMLAL2(d, n, m) WORD $(0x4E208000 | ((m)<<16) | ((n)<<5) | (d))
#define SADALP(d, n) WORD $(0x4E606800 | ((n)<<5) | (d))
#define ADDP(d, n, m) WORD $(0x4EA0BC00 | ((m)<<16) | ((n)<<5) | (d))

// Row A of a against the four pixels B0..B3, into the temporaries V12-V15: SMULL of
// the low halves, then SMLAL2 of the high halves.
#define MUL4(A, B0, B1, B2, B3) SMULL(12, A, B0); SMULL(13, A, B1); SMULL(14, A, B2); SMULL(15, A, B3)
#define MLA4(A, B0, B1, B2, B3) SMLAL2(12, A, B0); SMLAL2(13, A, B1); SMLAL2(14, A, B2); SMLAL2(15, A, B3)

// The temporaries into row r's accumulators V(16+4r) .. V(16+4r+3), each SADALP followed
// by the SMULL of the next row A into the temporary it has just freed.
#define ACC4(r) SADALP(16+4*(r), 12); SADALP(17+4*(r), 13); SADALP(18+4*(r), 14); SADALP(19+4*(r), 15)
#define ACCMUL4(r, A, B0, B1, B2, B3) \
	SADALP(16+4*(r), 12); SMULL(12, A, B0); SADALP(17+4*(r), 13); SMULL(13, A, B1); \
	SADALP(18+4*(r), 14); SMULL(14, A, B2); SADALP(19+4*(r), 15); SMULL(15, A, B3)

// One 16-byte step of k: the panel's next 64 bytes into V0-V3 (rows 0-3), then all 16
// pairs, row by row. Interleaving each row's SADALPs with the next row's SMULLs keeps
// dependent instructions apart for the in-order Cortex-A53 (llvm-mca: 164 instead of
// 172 cycles per 32 bytes of k; the A72 is multiply-bound at 64 either way).
#define STEP(B0, B1, B2, B3) \
	VLD1.P 64(R0), [V0.B16, V1.B16, V2.B16, V3.B16]; \
	MUL4(0, B0, B1, B2, B3); MLA4(0, B0, B1, B2, B3); \
	ACCMUL4(0, 1, B0, B1, B2, B3); MLA4(1, B0, B1, B2, B3); \
	ACCMUL4(1, 2, B0, B1, B2, B3); MLA4(2, B0, B1, B2, B3); \
	ACCMUL4(2, 3, B0, B1, B2, B3); MLA4(3, B0, B1, B2, B3); \
	ACC4(3)

// Row r's four accumulators (A0..A3, one per pixel) summed across lanes, plus
// bias[r] (lane r of V8), stored at R6; R6 += R24 (ldc in bytes).
#define RED(r, A0, A1, A2, A3) \
	ADDP(4, A0, A1); ADDP(5, A2, A3); ADDP(6, 4, 5); \
	VDUP V8.S[r], V7.S4; \
	VADD V7.S4, V6.S4, V6.S4; \
	VST1.P [V6.S4], (R6)(R24)

// func smlalPanelGemm(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, m int)
//
// c[i*ldc+j] = bias[i] + dot(a row i, b row j) for i < m, j < n; m >= 4, n >= 4,
// kp a multiple of 16 and at most 4096 (the panel is 4 x 4096 bytes of this frame).
// A row block that would pass m is moved back to end there (it recomputes a few
// outputs with identical values); the last n%4 pixels go one at a time.
//
// Registers: R19 a, R20 b, R13 kp, R14 n, R23 c, R24 ldc bytes, R25 bias, R21 m,
// R22 next row block, R26 panel; packing: R0-R3 a rows, R4 panel cursor, R5 steps;
// tiles: R0 panel cursor, R1-R4 b rows, R5 k steps, R6 c, R7 j, R10 c of the row
// block, R11 its bias, R12 n rounded down to 4.
TEXT ·smlalPanelGemm(SB), $16384-64
	MOVD a+0(FP), R19
	MOVD b+8(FP), R20
	MOVD kp+16(FP), R13
	MOVD n+24(FP), R14
	MOVD c+32(FP), R23
	MOVD ldc+40(FP), R24
	MOVD bias+48(FP), R25
	MOVD m+56(FP), R21
	MOVD $panel-16384(SP), R26
	LSL $2, R24, R24
	MOVD ZR, R22

rows:
	// i = min(next, m-4): R9. Interleave rows i..i+3 into the panel.
	SUB $4, R21, R9
	CMP R9, R22
	BGE clamped
	MOVD R22, R9
clamped:
	MUL R9, R13, R0
	ADD R19, R0, R0
	ADD R13, R0, R1
	ADD R13, R1, R2
	ADD R13, R2, R3
	MOVD R26, R4
	LSR $4, R13, R5
pack:
	VLD1.P 16(R0), [V0.B16]
	VLD1.P 16(R1), [V1.B16]
	VLD1.P 16(R2), [V2.B16]
	VLD1.P 16(R3), [V3.B16]
	VST1.P [V0.B16, V1.B16, V2.B16, V3.B16], 64(R4)
	SUBS $1, R5, R5
	BNE pack

	// This row block's c and bias.
	MUL R9, R24, R10
	ADD R23, R10, R10
	ADD R9<<2, R25, R11
	MOVD ZR, R7

	// Tiles of four pixels up to n rounded down to 4, then single pixels.
	AND $~3, R14, R12
tile:
	MUL R7, R13, R1
	ADD R20, R1, R1
	ADD R13, R1, R2
	ADD R13, R2, R3
	ADD R13, R3, R4
	MOVD R26, R0
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16
	LSR $5, R13, R5
	CBZ R5, tail16

loop:
	VLD1.P 32(R1), [V4.B16, V5.B16]
	VLD1.P 32(R2), [V6.B16, V7.B16]
	VLD1.P 32(R3), [V8.B16, V9.B16]
	VLD1.P 32(R4), [V10.B16, V11.B16]
	STEP(4, 6, 8, 10)
	STEP(5, 7, 9, 11)
	SUBS $1, R5, R5
	BNE loop

tail16:
	TBZ $4, R13, store
	VLD1.P 16(R1), [V4.B16]
	VLD1.P 16(R2), [V6.B16]
	VLD1.P 16(R3), [V8.B16]
	VLD1.P 16(R4), [V10.B16]
	STEP(4, 6, 8, 10)

store:
	ADD R7<<2, R10, R6
	VLD1 (R11), [V8.S4]
	RED(0, 16, 17, 18, 19)
	RED(1, 20, 21, 22, 23)
	RED(2, 24, 25, 26, 27)
	RED(3, 28, 29, 30, 31)
	ADD $4, R7, R7
	CMP R12, R7
	BLT tile

	// The last n%4 pixels one at a time: a 4x1 tile, stored as a column of c.
col:
	CMP R14, R7
	BGE nextrows
	MUL R7, R13, R1
	ADD R20, R1, R1
	MOVD R26, R0
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	LSR $4, R13, R5
colloop:
	VLD1.P 16(R1), [V4.B16]
	VLD1.P 64(R0), [V0.B16, V1.B16, V2.B16, V3.B16]
	SMULL(12, 0, 4); SMULL(13, 1, 4); SMULL(14, 2, 4); SMULL(15, 3, 4)
	SMLAL2(12, 0, 4); SMLAL2(13, 1, 4); SMLAL2(14, 2, 4); SMLAL2(15, 3, 4)
	SADALP(16, 12); SADALP(17, 13); SADALP(18, 14); SADALP(19, 15)
	SUBS $1, R5, R5
	BNE colloop
	ADD R7<<2, R10, R6
	VLD1 (R11), [V8.S4]
	ADDP(4, 16, 17); ADDP(5, 18, 19); ADDP(6, 4, 5)
	VADD V8.S4, V6.S4, V6.S4
	VST1.P V6.S[0], (R6)(R24)
	VST1.P V6.S[1], (R6)(R24)
	VST1.P V6.S[2], (R6)(R24)
	VST1.P V6.S[3], (R6)(R24)
	ADD $1, R7, R7
	B col

nextrows:
	ADD $4, R22, R22
	CMP R21, R22
	BLT rows
	RET
