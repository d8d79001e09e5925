//go:build !purego

#include "textflag.h"

// func lrnRowNEON(add, sub, src, dst *int8, s *uint32, n int, tmp *uint32, tab *int32, negShift, bias int32)
//
// One output row of LRN on n pixels (n a multiple of 16, at most lrnChunk): s gains
// add^2, the outputs of src are written to dst, s loses sub^2 (u = code + 128, as in
// lrnStepGo). Three passes over the row:
//  1. window sums and table indices, 16 pixels at a time: u^2 by UMULL (u8 x u8 ->
//     u16), sums widened into the u32 window sums; index E<<9 + S>>E with
//     E = UQSUB(22, CLZ(S)) = max(bitlen(S) - 10, 0), S>>E by USHL with -E, E<<9 by
//     MLA with 512; indices to tmp;
//  2. the table lookup, scalar (NEON has no gather): 8 indices per iteration by
//     LDPW, replaced in tmp by their table entries;
//  3. u * entry + bias (MUL, ADD), arithmetic shift right (SSHL by -shift), then
//     saturating narrows to int8 (SQXTN twice): the result is at least -128 by the
//     table's range, so the narrows clamp only at 127, as min(v, 127) does.
// Registers: R0 add, R1 sub, R2 src, R3 dst, R4 s, R5 n, R6 tmp, R7 tab, R10 count,
// R11/R12 cursors; V31 0x80 bytes, V30 22, V29 512, V28 bias, V7 -shift.
TEXT ·lrnRowNEON(SB), NOSPLIT, $0-72
	MOVD add+0(FP), R0
	MOVD sub+8(FP), R1
	MOVD src+16(FP), R2
	MOVD dst+24(FP), R3
	MOVD s+32(FP), R4
	MOVD n+40(FP), R5
	MOVD tmp+48(FP), R6
	MOVD tab+56(FP), R7
	MOVW negShift+64(FP), R8
	MOVW bias+68(FP), R9
	LSR $4, R5, R10
	CBZ R10, done
	WORD $0x4F04E41F // movi v31.16b, #0x80
	WORD $0x4F0006DE // movi v30.4s, #22
	WORD $0x4F00245D // movi v29.4s, #2, lsl #8
	VDUP R9, V28.S4
	VDUP R8, V7.S4
	MOVD R4, R11
	MOVD R6, R12
pass1:
	VLD1.P 16(R0), [V0.B16]
	VLD1.P 16(R1), [V1.B16]
	VLD1 (R11), [V16.S4, V17.S4, V18.S4, V19.S4]
	VEOR V31.B16, V0.B16, V0.B16
	VEOR V31.B16, V1.B16, V1.B16
	WORD $0x2E20C002 // umull v2.8h, v0.8b, v0.8b
	WORD $0x6E20C003 // umull2 v3.8h, v0.16b, v0.16b
	WORD $0x2E21C024 // umull v4.8h, v1.8b, v1.8b
	WORD $0x6E21C025 // umull2 v5.8h, v1.16b, v1.16b
	WORD $0x2E621210 // uaddw v16.4s, v16.4s, v2.4h
	WORD $0x6E621231 // uaddw2 v17.4s, v17.4s, v2.8h
	WORD $0x2E631252 // uaddw v18.4s, v18.4s, v3.4h
	WORD $0x6E631273 // uaddw2 v19.4s, v19.4s, v3.8h
	WORD $0x6EA04A14 // clz v20.4s, v16.4s
	WORD $0x6EA04A35 // clz v21.4s, v17.4s
	WORD $0x6EA04A56 // clz v22.4s, v18.4s
	WORD $0x6EA04A77 // clz v23.4s, v19.4s
	WORD $0x6EB42FD4 // uqsub v20.4s, v30.4s, v20.4s
	WORD $0x6EB52FD5 // uqsub v21.4s, v30.4s, v21.4s
	WORD $0x6EB62FD6 // uqsub v22.4s, v30.4s, v22.4s
	WORD $0x6EB72FD7 // uqsub v23.4s, v30.4s, v23.4s
	WORD $0x6EA0BA98 // neg v24.4s, v20.4s
	WORD $0x6EA0BAB9 // neg v25.4s, v21.4s
	WORD $0x6EA0BADA // neg v26.4s, v22.4s
	WORD $0x6EA0BAFB // neg v27.4s, v23.4s
	WORD $0x6EB84618 // ushl v24.4s, v16.4s, v24.4s
	WORD $0x6EB94639 // ushl v25.4s, v17.4s, v25.4s
	WORD $0x6EBA465A // ushl v26.4s, v18.4s, v26.4s
	WORD $0x6EBB467B // ushl v27.4s, v19.4s, v27.4s
	WORD $0x4EBD9698 // mla v24.4s, v20.4s, v29.4s
	WORD $0x4EBD96B9 // mla v25.4s, v21.4s, v29.4s
	WORD $0x4EBD96DA // mla v26.4s, v22.4s, v29.4s
	WORD $0x4EBD96FB // mla v27.4s, v23.4s, v29.4s
	WORD $0x2E643210 // usubw v16.4s, v16.4s, v4.4h
	WORD $0x6E643231 // usubw2 v17.4s, v17.4s, v4.8h
	WORD $0x2E653252 // usubw v18.4s, v18.4s, v5.4h
	WORD $0x6E653273 // usubw2 v19.4s, v19.4s, v5.8h
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R12)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R11)
	SUBS $1, R10, R10
	BNE pass1

	LSR $3, R5, R10
	MOVD R6, R12
pass2:
	LDPW (R12), (R13, R14)
	LDPW 8(R12), (R15, R16)
	LDPW 16(R12), (R17, R19)
	LDPW 24(R12), (R20, R21)
	MOVWU (R7)(R13<<2), R13
	MOVWU (R7)(R14<<2), R14
	MOVWU (R7)(R15<<2), R15
	MOVWU (R7)(R16<<2), R16
	MOVWU (R7)(R17<<2), R17
	MOVWU (R7)(R19<<2), R19
	MOVWU (R7)(R20<<2), R20
	MOVWU (R7)(R21<<2), R21
	STPW (R13, R14), (R12)
	STPW (R15, R16), 8(R12)
	STPW (R17, R19), 16(R12)
	STPW (R20, R21), 24(R12)
	ADD $32, R12, R12
	SUBS $1, R10, R10
	BNE pass2

	LSR $4, R5, R10
	MOVD R6, R12
pass3:
	VLD1.P 16(R2), [V0.B16]
	VLD1.P 64(R12), [V16.S4, V17.S4, V18.S4, V19.S4]
	VEOR V31.B16, V0.B16, V0.B16
	WORD $0x2F08A401 // ushll v1.8h, v0.8b, #0
	WORD $0x6F08A402 // ushll2 v2.8h, v0.16b, #0
	WORD $0x2F10A423 // ushll v3.4s, v1.4h, #0
	WORD $0x6F10A424 // ushll2 v4.4s, v1.8h, #0
	WORD $0x2F10A445 // ushll v5.4s, v2.4h, #0
	WORD $0x6F10A446 // ushll2 v6.4s, v2.8h, #0
	WORD $0x4EA39E10 // mul v16.4s, v16.4s, v3.4s
	WORD $0x4EA49E31 // mul v17.4s, v17.4s, v4.4s
	WORD $0x4EA59E52 // mul v18.4s, v18.4s, v5.4s
	WORD $0x4EA69E73 // mul v19.4s, v19.4s, v6.4s
	WORD $0x4EBC8610 // add v16.4s, v16.4s, v28.4s
	WORD $0x4EBC8631 // add v17.4s, v17.4s, v28.4s
	WORD $0x4EBC8652 // add v18.4s, v18.4s, v28.4s
	WORD $0x4EBC8673 // add v19.4s, v19.4s, v28.4s
	WORD $0x4EA74610 // sshl v16.4s, v16.4s, v7.4s
	WORD $0x4EA74631 // sshl v17.4s, v17.4s, v7.4s
	WORD $0x4EA74652 // sshl v18.4s, v18.4s, v7.4s
	WORD $0x4EA74673 // sshl v19.4s, v19.4s, v7.4s
	WORD $0x0E614A10 // sqxtn v16.4h, v16.4s
	WORD $0x4E614A30 // sqxtn2 v16.8h, v17.4s
	WORD $0x0E614A52 // sqxtn v18.4h, v18.4s
	WORD $0x4E614A72 // sqxtn2 v18.8h, v19.4s
	WORD $0x0E214A10 // sqxtn v16.8b, v16.8h
	WORD $0x4E214A50 // sqxtn2 v16.16b, v18.8h
	VST1.P [V16.B16], 16(R3)
	SUBS $1, R10, R10
	BNE pass3
done:
	RET
