//go:build !purego

#include "textflag.h"

// func maxPoolPlaneNEON(x *int8, size int, y *int8, o, yp, mode int, idx *byte)
//
// Max pooling 3x3/2 of one size x size plane into o rows of o outputs, yp bytes
// apart (o >= 8). mode 16: outputs in blocks of 16, the last block of a row moved
// back to end at o (it recomputes a few outputs with the same values); mode 8: the
// same with blocks of 8 (o < 16); mode 1 (8 < o < 16, and the caller's input holds
// the 33 columns of the plane's last row): one block of 16 per row, stored as
// lanes 0-7 and lanes o-8..o-1 (TBL with idx). Per input row, LD2 from the block's
// first column gives the even columns 2i, LD2 from the next column the odd ones
// 2i+1 and the next even ones 2i+2 (in modes 16 and 8 no byte past column 2o is
// read); SMAX over the three rows, then over the three columns.
// Registers: R0 row of input, R2 row of output, R3 rows left, R8 last block start,
// R9 block start, R10 load cursor, R15 1, R16 size-1, R17 2*size.
TEXT ·maxPoolPlaneNEON(SB), NOSPLIT, $0-56
	MOVD x+0(FP), R0
	MOVD size+8(FP), R1
	MOVD y+16(FP), R2
	MOVD o+24(FP), R3
	MOVD yp+32(FP), R4
	MOVD mode+40(FP), R6
	MOVD idx+48(FP), R7
	MOVD $1, R15
	SUB $1, R1, R16
	LSL $1, R1, R17
	MOVD R3, R5
	CMP $1, R6
	BEQ mid
	CMP $16, R6
	BLT narrow
	SUB $16, R3, R8
row16:
	MOVD ZR, R9
block16:
	CMP R8, R9
	CSEL GT, R8, R9, R9
	ADD R9<<1, R0, R10
	WORD $0x4CCF8140 // ld2 {v0.16b, v1.16b}, [x10], x15
	WORD $0x4CD08141 // ld2 {v1.16b, v2.16b}, [x10], x16
	WORD $0x4CCF8144 // ld2 {v4.16b, v5.16b}, [x10], x15
	WORD $0x4CD08145 // ld2 {v5.16b, v6.16b}, [x10], x16
	WORD $0x4CCF8150 // ld2 {v16.16b, v17.16b}, [x10], x15
	WORD $0x4C408151 // ld2 {v17.16b, v18.16b}, [x10]
	WORD $0x4E246400 // smax v0.16b, v0.16b, v4.16b
	WORD $0x4E256421 // smax v1.16b, v1.16b, v5.16b
	WORD $0x4E266442 // smax v2.16b, v2.16b, v6.16b
	WORD $0x4E306400 // smax v0.16b, v0.16b, v16.16b
	WORD $0x4E316421 // smax v1.16b, v1.16b, v17.16b
	WORD $0x4E326442 // smax v2.16b, v2.16b, v18.16b
	WORD $0x4E216400 // smax v0.16b, v0.16b, v1.16b
	WORD $0x4E226400 // smax v0.16b, v0.16b, v2.16b
	ADD R9, R2, R11
	VST1 [V0.B16], (R11)
	CMP R8, R9
	ADD $16, R9, R9
	BLT block16
	ADD R17, R0, R0
	ADD R4, R2, R2
	SUBS $1, R5, R5
	BNE row16
	RET

narrow:
	SUB $8, R3, R8
row8:
	MOVD ZR, R9
block8:
	CMP R8, R9
	CSEL GT, R8, R9, R9
	ADD R9<<1, R0, R10
	WORD $0x0CCF8140 // ld2 {v0.8b, v1.8b}, [x10], x15
	WORD $0x0CD08141 // ld2 {v1.8b, v2.8b}, [x10], x16
	WORD $0x0CCF8144 // ld2 {v4.8b, v5.8b}, [x10], x15
	WORD $0x0CD08145 // ld2 {v5.8b, v6.8b}, [x10], x16
	WORD $0x0CCF8150 // ld2 {v16.8b, v17.8b}, [x10], x15
	WORD $0x0C408151 // ld2 {v17.8b, v18.8b}, [x10]
	WORD $0x0E246400 // smax v0.8b, v0.8b, v4.8b
	WORD $0x0E256421 // smax v1.8b, v1.8b, v5.8b
	WORD $0x0E266442 // smax v2.8b, v2.8b, v6.8b
	WORD $0x0E306400 // smax v0.8b, v0.8b, v16.8b
	WORD $0x0E316421 // smax v1.8b, v1.8b, v17.8b
	WORD $0x0E326442 // smax v2.8b, v2.8b, v18.8b
	WORD $0x0E216400 // smax v0.8b, v0.8b, v1.8b
	WORD $0x0E226400 // smax v0.8b, v0.8b, v2.8b
	ADD R9, R2, R11
	VST1 [V0.D1], (R11)
	CMP R8, R9
	ADD $8, R9, R9
	BLT block8
	ADD R17, R0, R0
	ADD R4, R2, R2
	SUBS $1, R5, R5
	BNE row8
	RET

mid:
	WORD $0x4C4070F4 // ld1 {v20.16b}, [x7]
	SUB $8, R3, R8
rowmid:
	MOVD R0, R10
	WORD $0x4CCF8140 // ld2 {v0.16b, v1.16b}, [x10], x15
	WORD $0x4CD08141 // ld2 {v1.16b, v2.16b}, [x10], x16
	WORD $0x4CCF8144 // ld2 {v4.16b, v5.16b}, [x10], x15
	WORD $0x4CD08145 // ld2 {v5.16b, v6.16b}, [x10], x16
	WORD $0x4CCF8150 // ld2 {v16.16b, v17.16b}, [x10], x15
	WORD $0x4C408151 // ld2 {v17.16b, v18.16b}, [x10]
	WORD $0x4E246400 // smax v0.16b, v0.16b, v4.16b
	WORD $0x4E256421 // smax v1.16b, v1.16b, v5.16b
	WORD $0x4E266442 // smax v2.16b, v2.16b, v6.16b
	WORD $0x4E306400 // smax v0.16b, v0.16b, v16.16b
	WORD $0x4E316421 // smax v1.16b, v1.16b, v17.16b
	WORD $0x4E326442 // smax v2.16b, v2.16b, v18.16b
	WORD $0x4E216400 // smax v0.16b, v0.16b, v1.16b
	WORD $0x4E226400 // smax v0.16b, v0.16b, v2.16b
	WORD $0x4E140001 // tbl v1.16b, {v0.16b}, v20.16b
	VST1 [V0.D1], (R2)
	ADD R8, R2, R11
	VST1 [V1.D1], (R11)
	ADD R17, R0, R0
	ADD R4, R2, R2
	SUBS $1, R5, R5
	BNE rowmid
	RET
