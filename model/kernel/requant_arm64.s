//go:build !purego

#include "textflag.h"

// func requantSatNEON(acc *int32, n int, qm int32, negRight int, zp int32, out *int8)
//
// requantNEON for the engine's usual case: no left shift (multiplier below 1) and
// no lower clamp above the int8 range (lo = -128): out = sat8(RDivPOT(SQRDMULH(acc,
// qm), right) + zp), with the wrapping ADD of requantNEON and the clamp to
// [-128, 127] done by the saturating narrows SQXTN (32 -> 16 -> 8 bits), which is
// SMAX with -128 and SMIN with 127 followed by XTN. 34 instructions per 16 values
// (requantNEON: 46). n is a multiple of 16.
TEXT ·requantSatNEON(SB), NOSPLIT, $0-48
	MOVD acc+0(FP), R0
	MOVD n+8(FP), R2
	MOVW qm+16(FP), R3
	MOVD negRight+24(FP), R5
	MOVW zp+32(FP), R6
	MOVD out+40(FP), R1
	VDUP R3, V28.S4
	VDUP R5, V30.S4
	VDUP R6, V31.S4
	LSR $4, R2, R2
	CBZ R2, done
loop:
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x6EBCB400 // sqrdmulh v0.4s, v0.4s, v28.4s
	WORD $0x6EBCB421 // sqrdmulh v1.4s, v1.4s, v28.4s
	WORD $0x6EBCB442 // sqrdmulh v2.4s, v2.4s, v28.4s
	WORD $0x6EBCB463 // sqrdmulh v3.4s, v3.4s, v28.4s
	WORD $0x4E3E1C04 // and v4.16b, v0.16b, v30.16b
	WORD $0x4E3E1C25 // and v5.16b, v1.16b, v30.16b
	WORD $0x4E3E1C46 // and v6.16b, v2.16b, v30.16b
	WORD $0x4E3E1C67 // and v7.16b, v3.16b, v30.16b
	WORD $0x4F210484 // sshr v4.4s, v4.4s, #31
	WORD $0x4F2104A5 // sshr v5.4s, v5.4s, #31
	WORD $0x4F2104C6 // sshr v6.4s, v6.4s, #31
	WORD $0x4F2104E7 // sshr v7.4s, v7.4s, #31
	WORD $0x4EA40C00 // sqadd v0.4s, v0.4s, v4.4s
	WORD $0x4EA50C21 // sqadd v1.4s, v1.4s, v5.4s
	WORD $0x4EA60C42 // sqadd v2.4s, v2.4s, v6.4s
	WORD $0x4EA70C63 // sqadd v3.4s, v3.4s, v7.4s
	WORD $0x4EBE5400 // srshl v0.4s, v0.4s, v30.4s
	WORD $0x4EBE5421 // srshl v1.4s, v1.4s, v30.4s
	WORD $0x4EBE5442 // srshl v2.4s, v2.4s, v30.4s
	WORD $0x4EBE5463 // srshl v3.4s, v3.4s, v30.4s
	WORD $0x4EBF8400 // add v0.4s, v0.4s, v31.4s
	WORD $0x4EBF8421 // add v1.4s, v1.4s, v31.4s
	WORD $0x4EBF8442 // add v2.4s, v2.4s, v31.4s
	WORD $0x4EBF8463 // add v3.4s, v3.4s, v31.4s
	WORD $0x0E614800 // sqxtn v0.4h, v0.4s
	WORD $0x4E614820 // sqxtn2 v0.8h, v1.4s
	WORD $0x0E614842 // sqxtn v2.4h, v2.4s
	WORD $0x4E614862 // sqxtn2 v2.8h, v3.4s
	WORD $0x0E214800 // sqxtn v0.8b, v0.8h
	WORD $0x4E214840 // sqxtn2 v0.16b, v2.8h
	VST1.P [V0.B16], 16(R1)
	SUBS $1, R2, R2
	BNE loop
done:
	RET
