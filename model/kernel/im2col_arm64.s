//go:build !purego

#include "textflag.h"

// The NEON im2col kernels (see im2colNEON). Stores of 16 bytes that run past a
// channel's taps land where the next channel's taps are written right after; the
// last channel of a patch is stored exactly, so nothing past the patch is written.

// func im2col3NEON(src *int8, plane, cg int, col *int8, kp int, idx *byte)
//
// 3x3 taps, stride 1, of cg channels for 8 adjacent output pixels of one row. src
// is the first tap of the first pixel in channel 0: the three input rows of a
// channel (InSize <= 19) are 48 contiguous bytes from there, loaded with one LD1,
// and TBL with idx[i] (16 bytes per pixel i) picks pixel i's 9 taps. col is pixel
// 0's patch row, the others kp bytes apart (pointers R4-R11, 9 bytes on per channel).
TEXT ·im2col3NEON(SB), NOSPLIT, $0-48
	MOVD src+0(FP), R0
	MOVD plane+8(FP), R1
	MOVD cg+16(FP), R2
	MOVD col+24(FP), R4
	MOVD kp+32(FP), R3
	MOVD idx+40(FP), R13
	ADD R3, R4, R5
	ADD R3, R5, R6
	ADD R3, R6, R7
	ADD R3, R7, R8
	ADD R3, R8, R9
	ADD R3, R9, R10
	ADD R3, R10, R11
	MOVD $9, R12
	WORD $0x4CDF21A8 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x13], #64
	WORD $0x4C4021AC // ld1 {v12.16b, v13.16b, v14.16b, v15.16b}, [x13]
	SUBS $1, R2, R2
	BEQ last3
loop3:
	WORD $0x4CC16000 // ld1 {v0.16b, v1.16b, v2.16b}, [x0], x1
	WORD $0x4E084010 // tbl v16.16b, {v0.16b, v1.16b, v2.16b}, v8.16b
	WORD $0x4E094011 // tbl v17.16b, {v0.16b, v1.16b, v2.16b}, v9.16b
	WORD $0x4E0A4012 // tbl v18.16b, {v0.16b, v1.16b, v2.16b}, v10.16b
	WORD $0x4E0B4013 // tbl v19.16b, {v0.16b, v1.16b, v2.16b}, v11.16b
	WORD $0x4E0C4014 // tbl v20.16b, {v0.16b, v1.16b, v2.16b}, v12.16b
	WORD $0x4E0D4015 // tbl v21.16b, {v0.16b, v1.16b, v2.16b}, v13.16b
	WORD $0x4E0E4016 // tbl v22.16b, {v0.16b, v1.16b, v2.16b}, v14.16b
	WORD $0x4E0F4017 // tbl v23.16b, {v0.16b, v1.16b, v2.16b}, v15.16b
	WORD $0x4C8C7090 // st1 {v16.16b}, [x4], x12
	WORD $0x4C8C70B1 // st1 {v17.16b}, [x5], x12
	WORD $0x4C8C70D2 // st1 {v18.16b}, [x6], x12
	WORD $0x4C8C70F3 // st1 {v19.16b}, [x7], x12
	WORD $0x4C8C7114 // st1 {v20.16b}, [x8], x12
	WORD $0x4C8C7135 // st1 {v21.16b}, [x9], x12
	WORD $0x4C8C7156 // st1 {v22.16b}, [x10], x12
	WORD $0x4C8C7177 // st1 {v23.16b}, [x11], x12
	SUBS $1, R2, R2
	BNE loop3
last3:
	WORD $0x4C406000 // ld1 {v0.16b, v1.16b, v2.16b}, [x0]
	WORD $0x4E084010 // tbl v16.16b, {v0.16b, v1.16b, v2.16b}, v8.16b
	WORD $0x4E094011 // tbl v17.16b, {v0.16b, v1.16b, v2.16b}, v9.16b
	WORD $0x4E0A4012 // tbl v18.16b, {v0.16b, v1.16b, v2.16b}, v10.16b
	WORD $0x4E0B4013 // tbl v19.16b, {v0.16b, v1.16b, v2.16b}, v11.16b
	WORD $0x4E0C4014 // tbl v20.16b, {v0.16b, v1.16b, v2.16b}, v12.16b
	WORD $0x4E0D4015 // tbl v21.16b, {v0.16b, v1.16b, v2.16b}, v13.16b
	WORD $0x4E0E4016 // tbl v22.16b, {v0.16b, v1.16b, v2.16b}, v14.16b
	WORD $0x4E0F4017 // tbl v23.16b, {v0.16b, v1.16b, v2.16b}, v15.16b
	WORD $0x0D9F8490 // st1 {v16.d}[0], [x4], #8
	WORD $0x4D000090 // st1 {v16.b}[8], [x4]
	WORD $0x0D9F84B1 // st1 {v17.d}[0], [x5], #8
	WORD $0x4D0000B1 // st1 {v17.b}[8], [x5]
	WORD $0x0D9F84D2 // st1 {v18.d}[0], [x6], #8
	WORD $0x4D0000D2 // st1 {v18.b}[8], [x6]
	WORD $0x0D9F84F3 // st1 {v19.d}[0], [x7], #8
	WORD $0x4D0000F3 // st1 {v19.b}[8], [x7]
	WORD $0x0D9F8514 // st1 {v20.d}[0], [x8], #8
	WORD $0x4D000114 // st1 {v20.b}[8], [x8]
	WORD $0x0D9F8535 // st1 {v21.d}[0], [x9], #8
	WORD $0x4D000135 // st1 {v21.b}[8], [x9]
	WORD $0x0D9F8556 // st1 {v22.d}[0], [x10], #8
	WORD $0x4D000156 // st1 {v22.b}[8], [x10]
	WORD $0x0D9F8577 // st1 {v23.d}[0], [x11], #8
	WORD $0x4D000177 // st1 {v23.b}[8], [x11]
	RET

// func im2col5NEON(src *int8, ps, plane, cg int, col *int8, kp int, idx *byte)
//
// 5x5 taps, stride 1, of cg channels for 9 adjacent output pixels of one row. Per
// channel the five input rows are loaded as 16-byte windows from the first pixel's
// first tap (V0-V4); pixel i's 25 taps are TBL of V0-V3 with idx[i] (taps 0-15) and
// TBL of V3-V4 with idx[9+i] (taps 16-24), stored as 32 bytes by one ST1. The last
// channel stores taps 0-15 and, from TBL of V1-V4 with idx[18+i], taps 9-24.
// Pixel pointers R4-R12.
TEXT ·im2col5NEON(SB), NOSPLIT, $0-56
	MOVD src+0(FP), R0
	MOVD ps+8(FP), R1
	MOVD plane+16(FP), R14
	MOVD cg+24(FP), R2
	MOVD col+32(FP), R4
	MOVD kp+40(FP), R3
	MOVD idx+48(FP), R15
	ADD R3, R4, R5
	ADD R3, R5, R6
	ADD R3, R6, R7
	ADD R3, R7, R8
	ADD R3, R8, R9
	ADD R3, R9, R10
	ADD R3, R10, R11
	ADD R3, R11, R12
	MOVD $25, R13
	SUB R1<<2, R14, R14
	WORD $0x4CDF21E8 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x15], #64
	WORD $0x4CDF21EC // ld1 {v12.16b, v13.16b, v14.16b, v15.16b}, [x15], #64
	WORD $0x4CDF21F0 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x15], #64
	WORD $0x4CDF21F4 // ld1 {v20.16b, v21.16b, v22.16b, v23.16b}, [x15], #64
	WORD $0x4CDFA1F8 // ld1 {v24.16b, v25.16b}, [x15], #32
	SUBS $1, R2, R2
	BEQ last5
loop5:
	WORD $0x4CC17000 // ld1 {v0.16b}, [x0], x1
	WORD $0x4CC17001 // ld1 {v1.16b}, [x0], x1
	WORD $0x4CC17002 // ld1 {v2.16b}, [x0], x1
	WORD $0x4CC17003 // ld1 {v3.16b}, [x0], x1
	WORD $0x4CCE7004 // ld1 {v4.16b}, [x0], x14
	WORD $0x4E08601A // tbl v26.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v8.16b
	WORD $0x4E11207B // tbl v27.16b, {v3.16b, v4.16b}, v17.16b
	WORD $0x4C8DA09A // st1 {v26.16b, v27.16b}, [x4], x13
	WORD $0x4E09601C // tbl v28.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v9.16b
	WORD $0x4E12207D // tbl v29.16b, {v3.16b, v4.16b}, v18.16b
	WORD $0x4C8DA0BC // st1 {v28.16b, v29.16b}, [x5], x13
	WORD $0x4E0A601E // tbl v30.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v10.16b
	WORD $0x4E13207F // tbl v31.16b, {v3.16b, v4.16b}, v19.16b
	WORD $0x4C8DA0DE // st1 {v30.16b, v31.16b}, [x6], x13
	WORD $0x4E0B601A // tbl v26.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v11.16b
	WORD $0x4E14207B // tbl v27.16b, {v3.16b, v4.16b}, v20.16b
	WORD $0x4C8DA0FA // st1 {v26.16b, v27.16b}, [x7], x13
	WORD $0x4E0C601C // tbl v28.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v12.16b
	WORD $0x4E15207D // tbl v29.16b, {v3.16b, v4.16b}, v21.16b
	WORD $0x4C8DA11C // st1 {v28.16b, v29.16b}, [x8], x13
	WORD $0x4E0D601E // tbl v30.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v13.16b
	WORD $0x4E16207F // tbl v31.16b, {v3.16b, v4.16b}, v22.16b
	WORD $0x4C8DA13E // st1 {v30.16b, v31.16b}, [x9], x13
	WORD $0x4E0E601A // tbl v26.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v14.16b
	WORD $0x4E17207B // tbl v27.16b, {v3.16b, v4.16b}, v23.16b
	WORD $0x4C8DA15A // st1 {v26.16b, v27.16b}, [x10], x13
	WORD $0x4E0F601C // tbl v28.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v15.16b
	WORD $0x4E18207D // tbl v29.16b, {v3.16b, v4.16b}, v24.16b
	WORD $0x4C8DA17C // st1 {v28.16b, v29.16b}, [x11], x13
	WORD $0x4E10601E // tbl v30.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v16.16b
	WORD $0x4E19207F // tbl v31.16b, {v3.16b, v4.16b}, v25.16b
	WORD $0x4C8DA19E // st1 {v30.16b, v31.16b}, [x12], x13
	SUBS $1, R2, R2
	BNE loop5
last5:
	WORD $0x4CC17000 // ld1 {v0.16b}, [x0], x1
	WORD $0x4CC17001 // ld1 {v1.16b}, [x0], x1
	WORD $0x4CC17002 // ld1 {v2.16b}, [x0], x1
	WORD $0x4CC17003 // ld1 {v3.16b}, [x0], x1
	WORD $0x4C407004 // ld1 {v4.16b}, [x0]
	WORD $0x4E08601A // tbl v26.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v8.16b
	WORD $0x4CDF71FB // ld1 {v27.16b}, [x15], #16
	WORD $0x4E1B603B // tbl v27.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v27.16b
	WORD $0x4C00709A // st1 {v26.16b}, [x4]
	ADD $9, R4, R16
	WORD $0x4C00721B // st1 {v27.16b}, [x16]
	WORD $0x4E09601C // tbl v28.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v9.16b
	WORD $0x4CDF71FD // ld1 {v29.16b}, [x15], #16
	WORD $0x4E1D603D // tbl v29.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v29.16b
	WORD $0x4C0070BC // st1 {v28.16b}, [x5]
	ADD $9, R5, R16
	WORD $0x4C00721D // st1 {v29.16b}, [x16]
	WORD $0x4E0A601E // tbl v30.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v10.16b
	WORD $0x4CDF71FF // ld1 {v31.16b}, [x15], #16
	WORD $0x4E1F603F // tbl v31.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v31.16b
	WORD $0x4C0070DE // st1 {v30.16b}, [x6]
	ADD $9, R6, R16
	WORD $0x4C00721F // st1 {v31.16b}, [x16]
	WORD $0x4E0B601A // tbl v26.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v11.16b
	WORD $0x4CDF71FB // ld1 {v27.16b}, [x15], #16
	WORD $0x4E1B603B // tbl v27.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v27.16b
	WORD $0x4C0070FA // st1 {v26.16b}, [x7]
	ADD $9, R7, R16
	WORD $0x4C00721B // st1 {v27.16b}, [x16]
	WORD $0x4E0C601C // tbl v28.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v12.16b
	WORD $0x4CDF71FD // ld1 {v29.16b}, [x15], #16
	WORD $0x4E1D603D // tbl v29.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v29.16b
	WORD $0x4C00711C // st1 {v28.16b}, [x8]
	ADD $9, R8, R16
	WORD $0x4C00721D // st1 {v29.16b}, [x16]
	WORD $0x4E0D601E // tbl v30.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v13.16b
	WORD $0x4CDF71FF // ld1 {v31.16b}, [x15], #16
	WORD $0x4E1F603F // tbl v31.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v31.16b
	WORD $0x4C00713E // st1 {v30.16b}, [x9]
	ADD $9, R9, R16
	WORD $0x4C00721F // st1 {v31.16b}, [x16]
	WORD $0x4E0E601A // tbl v26.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v14.16b
	WORD $0x4CDF71FB // ld1 {v27.16b}, [x15], #16
	WORD $0x4E1B603B // tbl v27.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v27.16b
	WORD $0x4C00715A // st1 {v26.16b}, [x10]
	ADD $9, R10, R16
	WORD $0x4C00721B // st1 {v27.16b}, [x16]
	WORD $0x4E0F601C // tbl v28.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v15.16b
	WORD $0x4CDF71FD // ld1 {v29.16b}, [x15], #16
	WORD $0x4E1D603D // tbl v29.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v29.16b
	WORD $0x4C00717C // st1 {v28.16b}, [x11]
	ADD $9, R11, R16
	WORD $0x4C00721D // st1 {v29.16b}, [x16]
	WORD $0x4E10601E // tbl v30.16b, {v0.16b, v1.16b, v2.16b, v3.16b}, v16.16b
	WORD $0x4CDF71FF // ld1 {v31.16b}, [x15], #16
	WORD $0x4E1F603F // tbl v31.16b, {v1.16b, v2.16b, v3.16b, v4.16b}, v31.16b
	WORD $0x4C00719E // st1 {v30.16b}, [x12]
	ADD $9, R12, R16
	WORD $0x4C00721F // st1 {v31.16b}, [x16]
	RET

// func im2colRowsNEON(src *int8, ps, plane, cg, k, stride, nx int, col *int8, kp int)
//
// k x k taps (8 <= k <= 16), any stride, of cg channels for nx adjacent output pixels
// of one row: each tap row is copied by one 16-byte LD1/ST1 (its surplus bytes land
// on the next tap row, written next; two rows per iteration), the last tap row of
// the patch exactly, as two overlapping 8-byte copies. src is pixel 0's first tap in
// channel 0.
TEXT ·im2colRowsNEON(SB), NOSPLIT, $0-72
	MOVD src+0(FP), R0
	MOVD ps+8(FP), R1
	MOVD plane+16(FP), R2
	MOVD cg+24(FP), R3
	MOVD k+32(FP), R4
	MOVD stride+40(FP), R5
	MOVD nx+48(FP), R6
	MOVD col+56(FP), R7
	MOVD kp+64(FP), R8
	MUL R4, R1, R9
	SUB R9, R2, R9
	SUB $8, R4, R15
pixel:
	MOVD R0, R10
	MOVD R7, R11
	MOVD R3, R12
chan:
	MOVD R4, R13
	CMP $1, R12
	BNE odd
	SUB $1, R13, R13
	CBZ R13, lastrow
odd:
	TBZ $0, R13, rows
	WORD $0x4CC17140 // ld1 {v0.16b}, [x10], x1
	WORD $0x4C847160 // st1 {v0.16b}, [x11], x4
	SUBS $1, R13, R13
	BEQ chandone
rows:
	WORD $0x4CC17140 // ld1 {v0.16b}, [x10], x1
	WORD $0x4C847160 // st1 {v0.16b}, [x11], x4
	WORD $0x4CC17141 // ld1 {v1.16b}, [x10], x1
	WORD $0x4C847161 // st1 {v1.16b}, [x11], x4
	SUBS $2, R13, R13
	BNE rows
chandone:
	CMP $1, R12
	BEQ lastrow
	ADD R9, R10, R10
	SUB $1, R12, R12
	B chan
lastrow:
	WORD $0x0CCF7140 // ld1 {v0.8b}, [x10], x15
	WORD $0x0C8F7160 // st1 {v0.8b}, [x11], x15
	WORD $0x0C407141 // ld1 {v1.8b}, [x10]
	WORD $0x0C007161 // st1 {v1.8b}, [x11]
	ADD R5, R0, R0
	ADD R8, R7, R7
	SUBS $1, R6, R6
	BNE pixel
	RET

// func im2col3x13NEON(src *int8, plane, cg int, col *int8, kp int, idx *byte)
//
// im2col3NEON for a whole output row of 13 pixels (the 13x13 layers, InSize 15):
// the three input rows of a channel from the row's first tap are 48 bytes, which
// cover all 13 pixels' taps, so one LD1 per channel feeds 13 TBL and 13 ST1
// (pointers R3-R15).
TEXT ·im2col3x13NEON(SB), NOSPLIT, $0-48
	MOVD src+0(FP), R0
	MOVD plane+8(FP), R1
	MOVD cg+16(FP), R2
	MOVD col+24(FP), R3
	MOVD kp+32(FP), R17
	MOVD idx+40(FP), R16
	ADD R17, R3, R4
	ADD R17, R4, R5
	ADD R17, R5, R6
	ADD R17, R6, R7
	ADD R17, R7, R8
	ADD R17, R8, R9
	ADD R17, R9, R10
	ADD R17, R10, R11
	ADD R17, R11, R12
	ADD R17, R12, R13
	ADD R17, R13, R14
	ADD R17, R14, R15
	MOVD $9, R17
	WORD $0x4CDF2203 // ld1 {v3.16b, v4.16b, v5.16b, v6.16b}, [x16], #64
	WORD $0x4CDF2207 // ld1 {v7.16b, v8.16b, v9.16b, v10.16b}, [x16], #64
	WORD $0x4CDF220B // ld1 {v11.16b, v12.16b, v13.16b, v14.16b}, [x16], #64
	WORD $0x4C40720F // ld1 {v15.16b}, [x16]
	SUBS $1, R2, R2
	BEQ last13
loop13:
	WORD $0x4CC16000 // ld1 {v0.16b, v1.16b, v2.16b}, [x0], x1
	WORD $0x4E034010 // tbl v16.16b, {v0.16b, v1.16b, v2.16b}, v3.16b
	WORD $0x4E044011 // tbl v17.16b, {v0.16b, v1.16b, v2.16b}, v4.16b
	WORD $0x4E054012 // tbl v18.16b, {v0.16b, v1.16b, v2.16b}, v5.16b
	WORD $0x4E064013 // tbl v19.16b, {v0.16b, v1.16b, v2.16b}, v6.16b
	WORD $0x4E074014 // tbl v20.16b, {v0.16b, v1.16b, v2.16b}, v7.16b
	WORD $0x4E084015 // tbl v21.16b, {v0.16b, v1.16b, v2.16b}, v8.16b
	WORD $0x4E094016 // tbl v22.16b, {v0.16b, v1.16b, v2.16b}, v9.16b
	WORD $0x4E0A4017 // tbl v23.16b, {v0.16b, v1.16b, v2.16b}, v10.16b
	WORD $0x4E0B4018 // tbl v24.16b, {v0.16b, v1.16b, v2.16b}, v11.16b
	WORD $0x4E0C4019 // tbl v25.16b, {v0.16b, v1.16b, v2.16b}, v12.16b
	WORD $0x4E0D401A // tbl v26.16b, {v0.16b, v1.16b, v2.16b}, v13.16b
	WORD $0x4E0E401B // tbl v27.16b, {v0.16b, v1.16b, v2.16b}, v14.16b
	WORD $0x4E0F401C // tbl v28.16b, {v0.16b, v1.16b, v2.16b}, v15.16b
	WORD $0x4C917070 // st1 {v16.16b}, [x3], x17
	WORD $0x4C917091 // st1 {v17.16b}, [x4], x17
	WORD $0x4C9170B2 // st1 {v18.16b}, [x5], x17
	WORD $0x4C9170D3 // st1 {v19.16b}, [x6], x17
	WORD $0x4C9170F4 // st1 {v20.16b}, [x7], x17
	WORD $0x4C917115 // st1 {v21.16b}, [x8], x17
	WORD $0x4C917136 // st1 {v22.16b}, [x9], x17
	WORD $0x4C917157 // st1 {v23.16b}, [x10], x17
	WORD $0x4C917178 // st1 {v24.16b}, [x11], x17
	WORD $0x4C917199 // st1 {v25.16b}, [x12], x17
	WORD $0x4C9171BA // st1 {v26.16b}, [x13], x17
	WORD $0x4C9171DB // st1 {v27.16b}, [x14], x17
	WORD $0x4C9171FC // st1 {v28.16b}, [x15], x17
	SUBS $1, R2, R2
	BNE loop13
last13:
	WORD $0x4C406000 // ld1 {v0.16b, v1.16b, v2.16b}, [x0]
	WORD $0x4E034010 // tbl v16.16b, {v0.16b, v1.16b, v2.16b}, v3.16b
	WORD $0x4E044011 // tbl v17.16b, {v0.16b, v1.16b, v2.16b}, v4.16b
	WORD $0x4E054012 // tbl v18.16b, {v0.16b, v1.16b, v2.16b}, v5.16b
	WORD $0x4E064013 // tbl v19.16b, {v0.16b, v1.16b, v2.16b}, v6.16b
	WORD $0x4E074014 // tbl v20.16b, {v0.16b, v1.16b, v2.16b}, v7.16b
	WORD $0x4E084015 // tbl v21.16b, {v0.16b, v1.16b, v2.16b}, v8.16b
	WORD $0x4E094016 // tbl v22.16b, {v0.16b, v1.16b, v2.16b}, v9.16b
	WORD $0x4E0A4017 // tbl v23.16b, {v0.16b, v1.16b, v2.16b}, v10.16b
	WORD $0x4E0B4018 // tbl v24.16b, {v0.16b, v1.16b, v2.16b}, v11.16b
	WORD $0x4E0C4019 // tbl v25.16b, {v0.16b, v1.16b, v2.16b}, v12.16b
	WORD $0x4E0D401A // tbl v26.16b, {v0.16b, v1.16b, v2.16b}, v13.16b
	WORD $0x4E0E401B // tbl v27.16b, {v0.16b, v1.16b, v2.16b}, v14.16b
	WORD $0x4E0F401C // tbl v28.16b, {v0.16b, v1.16b, v2.16b}, v15.16b
	WORD $0x0D9F8470 // st1 {v16.d}[0], [x3], #8
	WORD $0x4D000070 // st1 {v16.b}[8], [x3]
	WORD $0x0D9F8491 // st1 {v17.d}[0], [x4], #8
	WORD $0x4D000091 // st1 {v17.b}[8], [x4]
	WORD $0x0D9F84B2 // st1 {v18.d}[0], [x5], #8
	WORD $0x4D0000B2 // st1 {v18.b}[8], [x5]
	WORD $0x0D9F84D3 // st1 {v19.d}[0], [x6], #8
	WORD $0x4D0000D3 // st1 {v19.b}[8], [x6]
	WORD $0x0D9F84F4 // st1 {v20.d}[0], [x7], #8
	WORD $0x4D0000F4 // st1 {v20.b}[8], [x7]
	WORD $0x0D9F8515 // st1 {v21.d}[0], [x8], #8
	WORD $0x4D000115 // st1 {v21.b}[8], [x8]
	WORD $0x0D9F8536 // st1 {v22.d}[0], [x9], #8
	WORD $0x4D000136 // st1 {v22.b}[8], [x9]
	WORD $0x0D9F8557 // st1 {v23.d}[0], [x10], #8
	WORD $0x4D000157 // st1 {v23.b}[8], [x10]
	WORD $0x0D9F8578 // st1 {v24.d}[0], [x11], #8
	WORD $0x4D000178 // st1 {v24.b}[8], [x11]
	WORD $0x0D9F8599 // st1 {v25.d}[0], [x12], #8
	WORD $0x4D000199 // st1 {v25.b}[8], [x12]
	WORD $0x0D9F85BA // st1 {v26.d}[0], [x13], #8
	WORD $0x4D0001BA // st1 {v26.b}[8], [x13]
	WORD $0x0D9F85DB // st1 {v27.d}[0], [x14], #8
	WORD $0x4D0001DB // st1 {v27.b}[8], [x14]
	WORD $0x0D9F85FC // st1 {v28.d}[0], [x15], #8
	WORD $0x4D0001FC // st1 {v28.b}[8], [x15]
	RET
