//go:build !purego

#include "textflag.h"

// func lrnChunkNEON(x, y *int8, plane, c, c0, c1 int, s, tmp *uint32, n int, tab *int32, negShift int, zero *int8)
//
// LRN of channels [c0, c1) at n pixels (n a multiple of 16, at most lrnChunk) of x,
// c channels plane bytes apart (x and y point at the chunk's first pixel of
// channel 0), as lrnChunkGo: channels outside 0..c-1 are read from zero (n bytes
// of -128). First the window sums of channels c0-2..c0+1 into s, then per output
// channel ch three passes over the chunk:
//  1. s gains channel ch+2 squared (u = code XOR 0x80, UMULL u8 x u8 -> u16, UADDW
//     into the u32 sums), the table index of each sum goes to tmp, then s loses
//     channel ch-2 squared (USUBW). Index E<<9 + S>>E with E = UQSUB(22, CLZ(S)) =
//     max(bitlen(S) - 10, 0): USHL by -E, MLA of E by 512;
//  2. the table lookup, scalar (NEON has no gather): 16 indices per iteration,
//     replaced in tmp by their entries;
//  3. u * entry (MUL), rounded shift right by shift (SRSHL by -shift: exactly
//     (u*entry + 2^(shift-1)) >> shift, since u*entry >= 0), unsigned saturating
//     narrows to 8 bits (UQXTN twice: min(r, 255)) and XOR 0x80, which is
//     min(r - 128, 127) as int8.
// Registers: R0 x, R1 y, R2 plane, R3 c, R4 ch, R5 c1, R6 2*plane, R7 n, R8 s,
// R9 tmp, R10 tab, R11 zero, R12/R13 row pointers, R14 count, R15-R17 and
// R19-R25 cursors and the lookups; V31 0x80 bytes, V30 22, V29 512, V7 -shift.
TEXT ·lrnChunkNEON(SB), NOSPLIT, $0-96
	MOVD x+0(FP), R0
	MOVD y+8(FP), R1
	MOVD plane+16(FP), R2
	MOVD c+24(FP), R3
	MOVD c0+32(FP), R4
	MOVD c1+40(FP), R5
	MOVD s+48(FP), R8
	MOVD tmp+56(FP), R9
	MOVD n+64(FP), R7
	MOVD tab+72(FP), R10
	MOVD negShift+80(FP), R12
	MOVD zero+88(FP), R11
	LSR $4, R7, R14
	CBZ R14, done
	CMP R4, R5
	BLE done
	WORD $0x4F04E41F // movi v31.16b, #0x80
	WORD $0x4F0006DE // movi v30.4s, #22
	WORD $0x4F00245D // movi v29.4s, #2, lsl #8
	VDUP R12, V7.S4
	LSL $1, R2, R6

	// s = u^2 of channels c0-2, c0-1, c0, c0+1 (zero outside 0..c-1).
	MADD R4, R0, R2, R16
	SUB R6, R16, R12
	SUB R2, R16, R13
	ADD R2, R16, R17
	CMP $2, R4
	CSEL LT, R11, R12, R12
	CMP $1, R4
	CSEL LT, R11, R13, R13
	ADD $1, R4, R19
	CMP R3, R19
	CSEL GE, R11, R17, R17
	MOVD R8, R15
init:
	VLD1.P 16(R12), [V0.B16]
	VLD1.P 16(R13), [V1.B16]
	VLD1.P 16(R16), [V2.B16]
	VLD1.P 16(R17), [V3.B16]
	VEOR V31.B16, V0.B16, V0.B16
	VEOR V31.B16, V1.B16, V1.B16
	VEOR V31.B16, V2.B16, V2.B16
	VEOR V31.B16, V3.B16, V3.B16
	WORD $0x2E20C004 // umull v4.8h, v0.8b, v0.8b
	WORD $0x6E20C005 // umull2 v5.8h, v0.16b, v0.16b
	WORD $0x2E21C030 // umull v16.8h, v1.8b, v1.8b
	WORD $0x6E21C031 // umull2 v17.8h, v1.16b, v1.16b
	WORD $0x2E22C052 // umull v18.8h, v2.8b, v2.8b
	WORD $0x6E22C053 // umull2 v19.8h, v2.16b, v2.16b
	WORD $0x2E23C074 // umull v20.8h, v3.8b, v3.8b
	WORD $0x6E23C075 // umull2 v21.8h, v3.16b, v3.16b
	WORD $0x2E700098 // uaddl v24.4s, v4.4h, v16.4h
	WORD $0x6E700099 // uaddl2 v25.4s, v4.8h, v16.8h
	WORD $0x2E7100BA // uaddl v26.4s, v5.4h, v17.4h
	WORD $0x6E7100BB // uaddl2 v27.4s, v5.8h, v17.8h
	WORD $0x2E721318 // uaddw v24.4s, v24.4s, v18.4h
	WORD $0x6E721339 // uaddw2 v25.4s, v25.4s, v18.8h
	WORD $0x2E73135A // uaddw v26.4s, v26.4s, v19.4h
	WORD $0x6E73137B // uaddw2 v27.4s, v27.4s, v19.8h
	WORD $0x2E741318 // uaddw v24.4s, v24.4s, v20.4h
	WORD $0x6E741339 // uaddw2 v25.4s, v25.4s, v20.8h
	WORD $0x2E75135A // uaddw v26.4s, v26.4s, v21.4h
	WORD $0x6E75137B // uaddw2 v27.4s, v27.4s, v21.8h
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R15)
	SUBS $1, R14, R14
	BNE init

channel:
	// R12 = channel ch+2 (or zero), R13 = channel ch-2 (or zero).
	MADD R4, R0, R2, R16
	ADD R6, R16, R12
	ADD $2, R4, R17
	CMP R3, R17
	CSEL GE, R11, R12, R12
	SUB R6, R16, R13
	CMP $2, R4
	CSEL LT, R11, R13, R13
	LSR $4, R7, R14
	MOVD R8, R15
	MOVD R9, R16
pass1:
	VLD1.P 16(R12), [V0.B16]
	VLD1.P 16(R13), [V1.B16]
	VLD1 (R15), [V16.S4, V17.S4, V18.S4, V19.S4]
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
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R16)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R15)
	SUBS $1, R14, R14
	BNE pass1

	LSR $4, R7, R14
	MOVD R9, R15
	MOVD R9, R16
pass2:
	LDPW.P 8(R15), (R17, R19)
	LDPW.P 8(R15), (R20, R21)
	LDPW.P 8(R15), (R22, R23)
	LDPW.P 8(R15), (R24, R25)
	MOVWU (R10)(R17<<2), R17
	MOVWU (R10)(R19<<2), R19
	MOVWU (R10)(R20<<2), R20
	MOVWU (R10)(R21<<2), R21
	MOVWU (R10)(R22<<2), R22
	MOVWU (R10)(R23<<2), R23
	MOVWU (R10)(R24<<2), R24
	MOVWU (R10)(R25<<2), R25
	STPW.P (R17, R19), 8(R16)
	STPW.P (R20, R21), 8(R16)
	STPW.P (R22, R23), 8(R16)
	STPW.P (R24, R25), 8(R16)
	LDPW.P 8(R15), (R17, R19)
	LDPW.P 8(R15), (R20, R21)
	LDPW.P 8(R15), (R22, R23)
	LDPW.P 8(R15), (R24, R25)
	MOVWU (R10)(R17<<2), R17
	MOVWU (R10)(R19<<2), R19
	MOVWU (R10)(R20<<2), R20
	MOVWU (R10)(R21<<2), R21
	MOVWU (R10)(R22<<2), R22
	MOVWU (R10)(R23<<2), R23
	MOVWU (R10)(R24<<2), R24
	MOVWU (R10)(R25<<2), R25
	STPW.P (R17, R19), 8(R16)
	STPW.P (R20, R21), 8(R16)
	STPW.P (R22, R23), 8(R16)
	STPW.P (R24, R25), 8(R16)
	SUBS $1, R14, R14
	BNE pass2

	LSR $4, R7, R14
	MOVD R9, R15
	MADD R4, R0, R2, R12
	MADD R4, R1, R2, R13
pass3:
	VLD1.P 16(R12), [V0.B16]
	VLD1.P 64(R15), [V16.S4, V17.S4, V18.S4, V19.S4]
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
	WORD $0x4EA75610 // srshl v16.4s, v16.4s, v7.4s
	WORD $0x4EA75631 // srshl v17.4s, v17.4s, v7.4s
	WORD $0x4EA75652 // srshl v18.4s, v18.4s, v7.4s
	WORD $0x4EA75673 // srshl v19.4s, v19.4s, v7.4s
	WORD $0x2E614A10 // uqxtn v16.4h, v16.4s
	WORD $0x6E614A30 // uqxtn2 v16.8h, v17.4s
	WORD $0x2E614A52 // uqxtn v18.4h, v18.4s
	WORD $0x6E614A72 // uqxtn2 v18.8h, v19.4s
	WORD $0x2E214A10 // uqxtn v16.8b, v16.8h
	WORD $0x6E214A50 // uqxtn2 v16.16b, v18.8h
	VEOR V31.B16, V16.B16, V16.B16
	VST1.P [V16.B16], 16(R13)
	SUBS $1, R14, R14
	BNE pass3

	ADD $1, R4, R4
	CMP R4, R5
	BGT channel
done:
	RET
