//go:build !purego

#include "textflag.h"

// Both GEMM kernels take four rows of a (kp bytes apart, kp a multiple of 16) and
// all n >= 4 rows of b, and write c[i*ldc+j] = bias[i] + dot(a row i, b row j) for
// i < 4, j < n, in 4x4 tiles; a tile that would pass n is moved back to end at n.
// a rows in V0-V3, b rows in V4-V7, accumulator (i, j) in V(8+4i+j) (four partial
// sums), reduced with ADDP at the end of a tile. Registers: R0-R3 a cursors, R4-R7
// b cursors, R8 k steps, R9 c tile, R10 ldc bytes, R11 bias, R13 kp, R14 n,
// R15 j, R16 b, R17 c, R19 a, R20 scratch.

// func sdot4xN(a, b *int8, kp, n int, c *int32, ldc int, bias *int32)
//
// Needs the ARMv8.2 dot-product extension: 16 SDOT per 8 loads of 16 bytes.
TEXT ·sdot4xN(SB), NOSPLIT, $0-56
	MOVD a+0(FP), R19
	MOVD b+8(FP), R16
	MOVD kp+16(FP), R13
	MOVD n+24(FP), R14
	MOVD c+32(FP), R17
	MOVD ldc+40(FP), R10
	MOVD bias+48(FP), R11
	LSL $2, R10, R10
	MOVD ZR, R15
tile:
	SUB $4, R14, R20
	CMP R20, R15
	BLE inrange
	MOVD R20, R15
inrange:
	MUL R15, R13, R4
	ADD R16, R4, R4
	ADD R13, R4, R5
	ADD R13, R5, R6
	ADD R13, R6, R7
	MOVD R19, R0
	ADD R13, R0, R1
	ADD R13, R1, R2
	ADD R13, R2, R3
	ADD R15<<2, R17, R9
	LSR $4, R13, R8
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
loop:
	VLD1.P 16(R0), [V0.B16]
	VLD1.P 16(R1), [V1.B16]
	VLD1.P 16(R2), [V2.B16]
	VLD1.P 16(R3), [V3.B16]
	VLD1.P 16(R4), [V4.B16]
	VLD1.P 16(R5), [V5.B16]
	VLD1.P 16(R6), [V6.B16]
	VLD1.P 16(R7), [V7.B16]
	WORD $0x4E849408 // sdot v8.4s, v0.16b, v4.16b
	WORD $0x4E859409 // sdot v9.4s, v0.16b, v5.16b
	WORD $0x4E86940A // sdot v10.4s, v0.16b, v6.16b
	WORD $0x4E87940B // sdot v11.4s, v0.16b, v7.16b
	WORD $0x4E84942C // sdot v12.4s, v1.16b, v4.16b
	WORD $0x4E85942D // sdot v13.4s, v1.16b, v5.16b
	WORD $0x4E86942E // sdot v14.4s, v1.16b, v6.16b
	WORD $0x4E87942F // sdot v15.4s, v1.16b, v7.16b
	WORD $0x4E849450 // sdot v16.4s, v2.16b, v4.16b
	WORD $0x4E859451 // sdot v17.4s, v2.16b, v5.16b
	WORD $0x4E869452 // sdot v18.4s, v2.16b, v6.16b
	WORD $0x4E879453 // sdot v19.4s, v2.16b, v7.16b
	WORD $0x4E849474 // sdot v20.4s, v3.16b, v4.16b
	WORD $0x4E859475 // sdot v21.4s, v3.16b, v5.16b
	WORD $0x4E869476 // sdot v22.4s, v3.16b, v6.16b
	WORD $0x4E879477 // sdot v23.4s, v3.16b, v7.16b
	SUBS $1, R8, R8
	BNE loop
	VLD1 (R11), [V28.S4]
	WORD $0x4EA9BD18 // addp v24.4s, v8.4s, v9.4s
	WORD $0x4EABBD59 // addp v25.4s, v10.4s, v11.4s
	WORD $0x4EB9BF1A // addp v26.4s, v24.4s, v25.4s
	VDUP V28.S[0], V27.S4
	VADD V27.S4, V26.S4, V26.S4
	VST1 [V26.S4], (R9)
	ADD R10, R9, R9
	WORD $0x4EADBD98 // addp v24.4s, v12.4s, v13.4s
	WORD $0x4EAFBDD9 // addp v25.4s, v14.4s, v15.4s
	WORD $0x4EB9BF1A // addp v26.4s, v24.4s, v25.4s
	VDUP V28.S[1], V27.S4
	VADD V27.S4, V26.S4, V26.S4
	VST1 [V26.S4], (R9)
	ADD R10, R9, R9
	WORD $0x4EB1BE18 // addp v24.4s, v16.4s, v17.4s
	WORD $0x4EB3BE59 // addp v25.4s, v18.4s, v19.4s
	WORD $0x4EB9BF1A // addp v26.4s, v24.4s, v25.4s
	VDUP V28.S[2], V27.S4
	VADD V27.S4, V26.S4, V26.S4
	VST1 [V26.S4], (R9)
	ADD R10, R9, R9
	WORD $0x4EB5BE98 // addp v24.4s, v20.4s, v21.4s
	WORD $0x4EB7BED9 // addp v25.4s, v22.4s, v23.4s
	WORD $0x4EB9BF1A // addp v26.4s, v24.4s, v25.4s
	VDUP V28.S[3], V27.S4
	VADD V27.S4, V26.S4, V26.S4
	VST1 [V26.S4], (R9)
	ADD $4, R15, R15
	CMP R14, R15
	BLT tile
	RET

// func smlal4xN(a, b *int8, kp, n int, c *int32, ldc int, bias *int32)
//
// Plain ARMv8.0 NEON: per 16 bytes of one (a, b) pair, SMULL (low 8 bytes) and
// SMLAL2 (high 8) build eight int16 sums of two products, which cannot overflow
// because a avoids -128 (2*127*128 < 2^15), and SADALP adds them pairwise into the
// int32 accumulator. Temporaries V24-V31: two rows (eight pairs) per step, so that
// the three dependent instructions of a pair are eight apart (the in-order
// Cortex-A53 has a 6-cycle multiply latency).
TEXT ·smlal4xN(SB), NOSPLIT, $0-56
	MOVD a+0(FP), R19
	MOVD b+8(FP), R16
	MOVD kp+16(FP), R13
	MOVD n+24(FP), R14
	MOVD c+32(FP), R17
	MOVD ldc+40(FP), R10
	MOVD bias+48(FP), R11
	LSL $2, R10, R10
	MOVD ZR, R15
tile:
	SUB $4, R14, R20
	CMP R20, R15
	BLE inrange
	MOVD R20, R15
inrange:
	MUL R15, R13, R4
	ADD R16, R4, R4
	ADD R13, R4, R5
	ADD R13, R5, R6
	ADD R13, R6, R7
	MOVD R19, R0
	ADD R13, R0, R1
	ADD R13, R1, R2
	ADD R13, R2, R3
	ADD R15<<2, R17, R9
	LSR $4, R13, R8
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
loop:
	VLD1.P 16(R0), [V0.B16]
	VLD1.P 16(R1), [V1.B16]
	VLD1.P 16(R2), [V2.B16]
	VLD1.P 16(R3), [V3.B16]
	VLD1.P 16(R4), [V4.B16]
	VLD1.P 16(R5), [V5.B16]
	VLD1.P 16(R6), [V6.B16]
	VLD1.P 16(R7), [V7.B16]
	WORD $0x0E24C018 // smull v24.8h, v0.8b, v4.8b
	WORD $0x0E25C019 // smull v25.8h, v0.8b, v5.8b
	WORD $0x0E26C01A // smull v26.8h, v0.8b, v6.8b
	WORD $0x0E27C01B // smull v27.8h, v0.8b, v7.8b
	WORD $0x0E24C03C // smull v28.8h, v1.8b, v4.8b
	WORD $0x0E25C03D // smull v29.8h, v1.8b, v5.8b
	WORD $0x0E26C03E // smull v30.8h, v1.8b, v6.8b
	WORD $0x0E27C03F // smull v31.8h, v1.8b, v7.8b
	WORD $0x4E248018 // smlal2 v24.8h, v0.16b, v4.16b
	WORD $0x4E258019 // smlal2 v25.8h, v0.16b, v5.16b
	WORD $0x4E26801A // smlal2 v26.8h, v0.16b, v6.16b
	WORD $0x4E27801B // smlal2 v27.8h, v0.16b, v7.16b
	WORD $0x4E24803C // smlal2 v28.8h, v1.16b, v4.16b
	WORD $0x4E25803D // smlal2 v29.8h, v1.16b, v5.16b
	WORD $0x4E26803E // smlal2 v30.8h, v1.16b, v6.16b
	WORD $0x4E27803F // smlal2 v31.8h, v1.16b, v7.16b
	WORD $0x4E606B08 // sadalp v8.4s, v24.8h
	WORD $0x4E606B29 // sadalp v9.4s, v25.8h
	WORD $0x4E606B4A // sadalp v10.4s, v26.8h
	WORD $0x4E606B6B // sadalp v11.4s, v27.8h
	WORD $0x4E606B8C // sadalp v12.4s, v28.8h
	WORD $0x4E606BAD // sadalp v13.4s, v29.8h
	WORD $0x4E606BCE // sadalp v14.4s, v30.8h
	WORD $0x4E606BEF // sadalp v15.4s, v31.8h
	WORD $0x0E24C058 // smull v24.8h, v2.8b, v4.8b
	WORD $0x0E25C059 // smull v25.8h, v2.8b, v5.8b
	WORD $0x0E26C05A // smull v26.8h, v2.8b, v6.8b
	WORD $0x0E27C05B // smull v27.8h, v2.8b, v7.8b
	WORD $0x0E24C07C // smull v28.8h, v3.8b, v4.8b
	WORD $0x0E25C07D // smull v29.8h, v3.8b, v5.8b
	WORD $0x0E26C07E // smull v30.8h, v3.8b, v6.8b
	WORD $0x0E27C07F // smull v31.8h, v3.8b, v7.8b
	WORD $0x4E248058 // smlal2 v24.8h, v2.16b, v4.16b
	WORD $0x4E258059 // smlal2 v25.8h, v2.16b, v5.16b
	WORD $0x4E26805A // smlal2 v26.8h, v2.16b, v6.16b
	WORD $0x4E27805B // smlal2 v27.8h, v2.16b, v7.16b
	WORD $0x4E24807C // smlal2 v28.8h, v3.16b, v4.16b
	WORD $0x4E25807D // smlal2 v29.8h, v3.16b, v5.16b
	WORD $0x4E26807E // smlal2 v30.8h, v3.16b, v6.16b
	WORD $0x4E27807F // smlal2 v31.8h, v3.16b, v7.16b
	WORD $0x4E606B10 // sadalp v16.4s, v24.8h
	WORD $0x4E606B31 // sadalp v17.4s, v25.8h
	WORD $0x4E606B52 // sadalp v18.4s, v26.8h
	WORD $0x4E606B73 // sadalp v19.4s, v27.8h
	WORD $0x4E606B94 // sadalp v20.4s, v28.8h
	WORD $0x4E606BB5 // sadalp v21.4s, v29.8h
	WORD $0x4E606BD6 // sadalp v22.4s, v30.8h
	WORD $0x4E606BF7 // sadalp v23.4s, v31.8h
	SUBS $1, R8, R8
	BNE loop
	VLD1 (R11), [V28.S4]
	WORD $0x4EA9BD18 // addp v24.4s, v8.4s, v9.4s
	WORD $0x4EABBD59 // addp v25.4s, v10.4s, v11.4s
	WORD $0x4EB9BF1A // addp v26.4s, v24.4s, v25.4s
	VDUP V28.S[0], V27.S4
	VADD V27.S4, V26.S4, V26.S4
	VST1 [V26.S4], (R9)
	ADD R10, R9, R9
	WORD $0x4EADBD98 // addp v24.4s, v12.4s, v13.4s
	WORD $0x4EAFBDD9 // addp v25.4s, v14.4s, v15.4s
	WORD $0x4EB9BF1A // addp v26.4s, v24.4s, v25.4s
	VDUP V28.S[1], V27.S4
	VADD V27.S4, V26.S4, V26.S4
	VST1 [V26.S4], (R9)
	ADD R10, R9, R9
	WORD $0x4EB1BE18 // addp v24.4s, v16.4s, v17.4s
	WORD $0x4EB3BE59 // addp v25.4s, v18.4s, v19.4s
	WORD $0x4EB9BF1A // addp v26.4s, v24.4s, v25.4s
	VDUP V28.S[2], V27.S4
	VADD V27.S4, V26.S4, V26.S4
	VST1 [V26.S4], (R9)
	ADD R10, R9, R9
	WORD $0x4EB5BE98 // addp v24.4s, v20.4s, v21.4s
	WORD $0x4EB7BED9 // addp v25.4s, v22.4s, v23.4s
	WORD $0x4EB9BF1A // addp v26.4s, v24.4s, v25.4s
	VDUP V28.S[3], V27.S4
	VADD V27.S4, V26.S4, V26.S4
	VST1 [V26.S4], (R9)
	ADD $4, R15, R15
	CMP R14, R15
	BLT tile
	RET
// func requantNEON(acc *int32, n int, qm int32, left, negRight int, zp int32, lo int32, out *int8)
//
// n (a multiple of 16) values: out = clamp(RDivPOT(SQRDMULH(acc << left, qm), right) + zp, lo, 127)
// with gemmlowp rounding: SQRDMULH is exactly SaturatingRoundingDoublingHighMul,
// SRSHL by -right rounds ties up, so negative values are first lowered by one
// (AND with the negative shift vector, SSHR #31, SQADD) to round ties away from zero.
TEXT ·requantNEON(SB), NOSPLIT, $0-56
	MOVD acc+0(FP), R0
	MOVD n+8(FP), R2
	MOVW qm+16(FP), R3
	MOVD left+24(FP), R4
	MOVD negRight+32(FP), R5
	MOVW zp+40(FP), R6
	MOVW lo+44(FP), R7
	MOVD out+48(FP), R1
	VDUP R3, V28.S4
	VDUP R4, V29.S4
	VDUP R5, V30.S4
	VDUP R6, V31.S4
	VDUP R7, V27.S4
	MOVD $127, R8
	VDUP R8, V26.S4
	LSR $4, R2, R2
	CBZ R2, done
loop:
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x4EBD4400 // sshl v0.4s, v0.4s, v29.4s
	WORD $0x6EBCB400 // sqrdmulh v0.4s, v0.4s, v28.4s
	WORD $0x4E3E1C04 // and v4.16b, v0.16b, v30.16b
	WORD $0x4F210484 // sshr v4.4s, v4.4s, #31
	WORD $0x4EA40C00 // sqadd v0.4s, v0.4s, v4.4s
	WORD $0x4EBE5400 // srshl v0.4s, v0.4s, v30.4s
	WORD $0x4EBF8400 // add v0.4s, v0.4s, v31.4s
	WORD $0x4EBB6400 // smax v0.4s, v0.4s, v27.4s
	WORD $0x4EBA6C00 // smin v0.4s, v0.4s, v26.4s
	WORD $0x4EBD4421 // sshl v1.4s, v1.4s, v29.4s
	WORD $0x6EBCB421 // sqrdmulh v1.4s, v1.4s, v28.4s
	WORD $0x4E3E1C25 // and v5.16b, v1.16b, v30.16b
	WORD $0x4F2104A5 // sshr v5.4s, v5.4s, #31
	WORD $0x4EA50C21 // sqadd v1.4s, v1.4s, v5.4s
	WORD $0x4EBE5421 // srshl v1.4s, v1.4s, v30.4s
	WORD $0x4EBF8421 // add v1.4s, v1.4s, v31.4s
	WORD $0x4EBB6421 // smax v1.4s, v1.4s, v27.4s
	WORD $0x4EBA6C21 // smin v1.4s, v1.4s, v26.4s
	WORD $0x4EBD4442 // sshl v2.4s, v2.4s, v29.4s
	WORD $0x6EBCB442 // sqrdmulh v2.4s, v2.4s, v28.4s
	WORD $0x4E3E1C46 // and v6.16b, v2.16b, v30.16b
	WORD $0x4F2104C6 // sshr v6.4s, v6.4s, #31
	WORD $0x4EA60C42 // sqadd v2.4s, v2.4s, v6.4s
	WORD $0x4EBE5442 // srshl v2.4s, v2.4s, v30.4s
	WORD $0x4EBF8442 // add v2.4s, v2.4s, v31.4s
	WORD $0x4EBB6442 // smax v2.4s, v2.4s, v27.4s
	WORD $0x4EBA6C42 // smin v2.4s, v2.4s, v26.4s
	WORD $0x4EBD4463 // sshl v3.4s, v3.4s, v29.4s
	WORD $0x6EBCB463 // sqrdmulh v3.4s, v3.4s, v28.4s
	WORD $0x4E3E1C67 // and v7.16b, v3.16b, v30.16b
	WORD $0x4F2104E7 // sshr v7.4s, v7.4s, #31
	WORD $0x4EA70C63 // sqadd v3.4s, v3.4s, v7.4s
	WORD $0x4EBE5463 // srshl v3.4s, v3.4s, v30.4s
	WORD $0x4EBF8463 // add v3.4s, v3.4s, v31.4s
	WORD $0x4EBB6463 // smax v3.4s, v3.4s, v27.4s
	WORD $0x4EBA6C63 // smin v3.4s, v3.4s, v26.4s
	WORD $0x0E612800 // xtn v0.4h, v0.4s
	WORD $0x4E612820 // xtn2 v0.8h, v1.4s
	WORD $0x0E612842 // xtn v2.4h, v2.4s
	WORD $0x4E612862 // xtn2 v2.8h, v3.4s
	WORD $0x0E212800 // xtn v0.8b, v0.8h
	WORD $0x4E212840 // xtn2 v0.16b, v2.8h
	VST1.P [V0.B16], 16(R1)
	SUBS $1, R2, R2
	BNE loop
done:
	RET
