//go:build !purego

#include "textflag.h"

// The packed-panel SDOT GEMM (ARMv8.2 dot product, Cortex-A76). Sixteen rows of a are
// packed once into a panel on the stack, in the layout SDOT by element wants: for each
// 16 bytes of k, four quads of rows (0-3, 4-7, 8-11, 12-15), each as four registers
// g = 0..3 whose lane r holds bytes 4g..4g+3 of row 4q+r. Then every group of four
// pixels of b (K-contiguous rows, loaded as they are) is one 16x4 tile:
//
//	SDOT acc(p, q).4S, panel(q, g).16B, b(p).4B[g]
//
// adds, for the four rows of quad q at once, the dot product of bytes 4g..4g+3 with
// pixel p's same bytes. Sixteen accumulators (four pixels x four quads, lanes = rows)
// need no horizontal reduction; per 32 bytes of k the loop is 8 panel loads of four
// registers, 4 b loads of two registers and 128 SDOT (2048 MACs), against 16 loads and
// 32 SDOT per 512 MACs of the 4x4 sdot4xN. At the end of a tile each quad's four
// accumulators are transposed (8 TRN) into four rows of four pixels and stored.

// SDOT Vd.4S, Vn.16B, Vm.4B[i] (Go's assembler has no integer dot products).
#define SD(d, n, m, i) WORD $(0x4F80E000 | (((i)&1)<<21) | (((i)>>1)<<11) | (((m)&15)<<16) | (((m)>>4)<<20) | ((n)<<5) | (d))

// LD4 {Vt.S, Vt+1.S, Vt+2.S, Vt+3.S}[i], [Xn], Xm: the 16 bytes at Xn into lane i of
// four registers (bytes 4g..4g+3 into Vt+g), then Xn += Xm.
#define LD4S(t, n, i, m) WORD $(0x0DE0A000 | (((i)>>1)<<30) | ((m)<<16) | (((i)&1)<<12) | ((n)<<5) | (t))

// Accumulators: acc(p, q) = V(16 + 4p + q). One group g of quad q (panel register A)
// against the four pixels (registers B0..B3, lane g).
#define G4(q, A, g, B0, B1, B2, B3) SD(16+(q), A, B0, g); SD(20+(q), A, B1, g); SD(24+(q), A, B2, g); SD(28+(q), A, B3, g)

// Quads q (into V0-V3) and q+1 (into V12-V15) of one 16-byte step of k, interleaved so
// that the SDOTs into one accumulator are eight apart.
#define QQ(q, B0, B1, B2, B3) \
	VLD1.P 64(R0), [V0.B16, V1.B16, V2.B16, V3.B16]; \
	VLD1.P 64(R0), [V12.B16, V13.B16, V14.B16, V15.B16]; \
	G4(q, 0, 0, B0, B1, B2, B3); G4(q+1, 12, 0, B0, B1, B2, B3); \
	G4(q, 1, 1, B0, B1, B2, B3); G4(q+1, 13, 1, B0, B1, B2, B3); \
	G4(q, 2, 2, B0, B1, B2, B3); G4(q+1, 14, 2, B0, B1, B2, B3); \
	G4(q, 3, 3, B0, B1, B2, B3); G4(q+1, 15, 3, B0, B1, B2, B3)

// STEP16(B0, B1, B2, B3): one 16-byte step of k for all four quads.
#define STEP16(B0, B1, B2, B3) QQ(0, B0, B1, B2, B3); QQ(2, B0, B1, B2, B3)

// Transpose one quad's accumulators A0..A3 (pixels 0..3, lanes = rows) into V0..V3
// (row r of the quad in V(r), lanes = pixels) and store them to four consecutive rows
// of c from R6, which advances by R24 (ldc in bytes) per row.
#define STQ(A0, A1, A2, A3) \
	VTRN1 A1.S4, A0.S4, V4.S4; \
	VTRN2 A1.S4, A0.S4, V5.S4; \
	VTRN1 A3.S4, A2.S4, V6.S4; \
	VTRN2 A3.S4, A2.S4, V7.S4; \
	VTRN1 V6.D2, V4.D2, V0.D2; \
	VTRN1 V7.D2, V5.D2, V1.D2; \
	VTRN2 V6.D2, V4.D2, V2.D2; \
	VTRN2 V7.D2, V5.D2, V3.D2; \
	VST1.P [V0.S4], (R6)(R24); \
	VST1.P [V1.S4], (R6)(R24); \
	VST1.P [V2.S4], (R6)(R24); \
	VST1.P [V3.S4], (R6)(R24)

// Store the four lanes of A (four consecutive rows of one pixel) down a column of c
// from R6, which advances by R24 per row.
#define STCOL(A) \
	VST1.P A.S[0], (R6)(R24); \
	VST1.P A.S[1], (R6)(R24); \
	VST1.P A.S[2], (R6)(R24); \
	VST1.P A.S[3], (R6)(R24)

// func sdotPanelGemm(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, m int)
//
// c[i*ldc+j] = bias[i] + dot(a row i, b row j) for i < m, j < n; m >= 16, n >= 4,
// kp a multiple of 16 and at most 4096 (the panel is 16 x 4096 bytes of this frame).
// A row block that would pass m is moved back to end there (it recomputes a few
// outputs with identical values); the last n%4 pixels go one at a time.
//
// Registers: R19 a, R20 b, R13 kp, R14 n, R23 c, R24 ldc bytes, R25 bias, R21 m,
// R22 next row block, R26 panel; packing: R0 a row cursor, R1 panel cursor, R2 steps,
// R3 rewind; tiles: R0 panel cursor, R1-R4 b rows, R5 k steps, R6 c, R7 j, R10 c of
// the row block, R11 its bias, R12 n rounded down to 4.
TEXT ·sdotPanelGemm(SB), $65536-64
	MOVD a+0(FP), R19
	MOVD b+8(FP), R20
	MOVD kp+16(FP), R13
	MOVD n+24(FP), R14
	MOVD c+32(FP), R23
	MOVD ldc+40(FP), R24
	MOVD bias+48(FP), R25
	MOVD m+56(FP), R21
	MOVD $panel-65536(SP), R26
	LSL $2, R24, R24
	MOVD ZR, R22

rows:
	// i = min(next, m-16): R9. Pack rows i..i+15 into the panel: per 16 bytes of k,
	// one LD4 per row (into lane r of the quad's four registers), walking the 16 rows
	// down (R0 += kp) and back up to the next 16 bytes (R0 -= 16 kp - 16).
	SUB $16, R21, R9
	CMP R9, R22
	BGE clamped
	MOVD R22, R9
clamped:
	MUL R9, R13, R0
	ADD R19, R0, R0
	MOVD R26, R1
	LSR $4, R13, R2
	LSL $4, R13, R3
	SUB $16, R3, R3
pack:
	LD4S(0, 0, 0, 13); LD4S(0, 0, 1, 13); LD4S(0, 0, 2, 13); LD4S(0, 0, 3, 13)
	LD4S(4, 0, 0, 13); LD4S(4, 0, 1, 13); LD4S(4, 0, 2, 13); LD4S(4, 0, 3, 13)
	LD4S(8, 0, 0, 13); LD4S(8, 0, 1, 13); LD4S(8, 0, 2, 13); LD4S(8, 0, 3, 13)
	LD4S(12, 0, 0, 13); LD4S(12, 0, 1, 13); LD4S(12, 0, 2, 13); LD4S(12, 0, 3, 13)
	SUB R3, R0, R0
	VST1.P [V0.B16, V1.B16, V2.B16, V3.B16], 64(R1)
	VST1.P [V4.B16, V5.B16, V6.B16, V7.B16], 64(R1)
	VST1.P [V8.B16, V9.B16, V10.B16, V11.B16], 64(R1)
	VST1.P [V12.B16, V13.B16, V14.B16, V15.B16], 64(R1)
	SUBS $1, R2, R2
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
	VLD1 (R11), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1 (R11), [V20.S4, V21.S4, V22.S4, V23.S4]
	VLD1 (R11), [V24.S4, V25.S4, V26.S4, V27.S4]
	VLD1 (R11), [V28.S4, V29.S4, V30.S4, V31.S4]
	LSR $5, R13, R5
	CBZ R5, tail16

loop:
	VLD1.P 32(R1), [V4.B16, V5.B16]
	VLD1.P 32(R2), [V6.B16, V7.B16]
	VLD1.P 32(R3), [V8.B16, V9.B16]
	VLD1.P 32(R4), [V10.B16, V11.B16]
	STEP16(4, 6, 8, 10)
	STEP16(5, 7, 9, 11)
	SUBS $1, R5, R5
	BNE loop

tail16:
	TBZ $4, R13, store
	VLD1.P 16(R1), [V4.B16]
	VLD1.P 16(R2), [V6.B16]
	VLD1.P 16(R3), [V8.B16]
	VLD1.P 16(R4), [V10.B16]
	STEP16(4, 6, 8, 10)

store:
	ADD R7<<2, R10, R6
	STQ(V16, V20, V24, V28)
	STQ(V17, V21, V25, V29)
	STQ(V18, V22, V26, V30)
	STQ(V19, V23, V27, V31)
	ADD $4, R7, R7
	CMP R12, R7
	BLT tile

	// The last n%4 pixels one at a time: a 16x1 tile (four accumulators, one per
	// quad), stored as a column of c.
col:
	CMP R14, R7
	BGE nextrows
	MUL R7, R13, R1
	ADD R20, R1, R1
	MOVD R26, R0
	VLD1 (R11), [V16.S4, V17.S4, V18.S4, V19.S4]
	LSR $4, R13, R5
colloop:
	VLD1.P 16(R1), [V4.B16]
	VLD1.P 64(R0), [V0.B16, V1.B16, V2.B16, V3.B16]
	VLD1.P 64(R0), [V12.B16, V13.B16, V14.B16, V15.B16]
	SD(16, 0, 4, 0); SD(17, 12, 4, 0); SD(16, 1, 4, 1); SD(17, 13, 4, 1)
	SD(16, 2, 4, 2); SD(17, 14, 4, 2); SD(16, 3, 4, 3); SD(17, 15, 4, 3)
	VLD1.P 64(R0), [V0.B16, V1.B16, V2.B16, V3.B16]
	VLD1.P 64(R0), [V12.B16, V13.B16, V14.B16, V15.B16]
	SD(18, 0, 4, 0); SD(19, 12, 4, 0); SD(18, 1, 4, 1); SD(19, 13, 4, 1)
	SD(18, 2, 4, 2); SD(19, 14, 4, 2); SD(18, 3, 4, 3); SD(19, 15, 4, 3)
	SUBS $1, R5, R5
	BNE colloop
	ADD R7<<2, R10, R6
	STCOL(V16)
	STCOL(V17)
	STCOL(V18)
	STCOL(V19)
	ADD $1, R7, R7
	B col

nextrows:
	ADD $16, R22, R22
	CMP R21, R22
	BLT rows
	RET
