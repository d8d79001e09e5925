//go:build !purego

#include "textflag.h"

// The AVX-512 stages (F, BW, CD, VBMI; see stages_amd64.go).

// func lrnChunkAVX512(x, y *int8, plane, c, c0, c1 int, s *uint32, n int, tab *int32, shift int, zero *int8)
//
// LRN of channels [c0, c1) at n pixels (n a multiple of 16, at most lrnChunk), as
// lrnChunkNEON, 16 pixels per step in one pass per channel: u = sign-extended code
// + 128, u^2 by VPMADDWD (the high word of each dword is 0), the window sums in s,
// index E<<9 + S>>E with E = max(22 - VPLZCNTD(S), 0), the table entries by
// VPGATHERDD, then (u*entry + bias) >> shift with bias = 2^(shift-1) - 128<<shift
// (VPMULLD, VPADDD, VPSRAD) and the signed saturating narrow VPMOVSDB, which clamps
// at 127 as min(v, 127) does (v >= -128 by the table's range).
// Registers: AX x, BX y, CX plane, DX c, SI ch, R8 s, R9 n, R10 tab, R11 zero,
// R12 add row, R13 sub row, R14 x row of ch, DI y row of ch, R15 offset;
// Z31 128, Z30 22, Z29 0, Z28 bias, X27 shift.
TEXT ·lrnChunkAVX512(SB), NOSPLIT, $0-88
	MOVQ shift+72(FP), CX
	VMOVQ CX, X27
	MOVL $1, R12
	DECL CX
	SHLL CX, R12
	INCL CX
	MOVL $128, R13
	SHLL CX, R13
	SUBL R13, R12
	VPBROADCASTD R12, Z28
	MOVL $128, R12
	VPBROADCASTD R12, Z31
	MOVL $22, R12
	VPBROADCASTD R12, Z30
	VPXORD Z29, Z29, Z29
	MOVQ x+0(FP), AX
	MOVQ y+8(FP), BX
	MOVQ plane+16(FP), CX
	MOVQ c+24(FP), DX
	MOVQ c0+32(FP), SI
	MOVQ s+48(FP), R8
	MOVQ n+56(FP), R9
	MOVQ tab+64(FP), R10
	MOVQ zero+80(FP), R11
	TESTQ R9, R9
	JZ done
	CMPQ SI, c1+40(FP)
	JGE done

	// s = u^2 of channels c0-2, c0-1, c0, c0+1 (R12, R13, R14, DI; zero outside
	// 0..c-1).
	MOVQ SI, R14
	IMULQ CX, R14
	ADDQ AX, R14
	MOVQ R14, R12
	SUBQ CX, R12
	SUBQ CX, R12
	CMPQ SI, $2
	CMOVQLT R11, R12
	MOVQ R14, R13
	SUBQ CX, R13
	CMPQ SI, $1
	CMOVQLT R11, R13
	LEAQ (R14)(CX*1), DI
	LEAQ 1(SI), R15
	CMPQ R15, DX
	CMOVQGE R11, DI
	XORQ R15, R15
init:
	VPMOVSXBD (R12)(R15*1), Z0
	VPMOVSXBD (R13)(R15*1), Z1
	VPMOVSXBD (R14)(R15*1), Z2
	VPMOVSXBD (DI)(R15*1), Z3
	VPADDD Z31, Z0, Z0
	VPADDD Z31, Z1, Z1
	VPADDD Z31, Z2, Z2
	VPADDD Z31, Z3, Z3
	VPMADDWD Z0, Z0, Z0
	VPMADDWD Z1, Z1, Z1
	VPMADDWD Z2, Z2, Z2
	VPMADDWD Z3, Z3, Z3
	VPADDD Z1, Z0, Z0
	VPADDD Z3, Z2, Z2
	VPADDD Z2, Z0, Z0
	VMOVDQU32 Z0, (R8)(R15*4)
	ADDQ $16, R15
	CMPQ R15, R9
	JLT init

channel:
	MOVQ SI, R14
	IMULQ CX, R14
	LEAQ (BX)(R14*1), DI
	ADDQ AX, R14
	LEAQ (R14)(CX*2), R12
	LEAQ 2(SI), R15
	CMPQ R15, DX
	CMOVQGE R11, R12
	MOVQ R14, R13
	SUBQ CX, R13
	SUBQ CX, R13
	CMPQ SI, $2
	CMOVQLT R11, R13
	XORQ R15, R15
step:
	VPMOVSXBD (R12)(R15*1), Z0
	VPMOVSXBD (R13)(R15*1), Z1
	VPADDD Z31, Z0, Z0
	VPADDD Z31, Z1, Z1
	VPMADDWD Z0, Z0, Z0
	VPMADDWD Z1, Z1, Z1
	VPADDD (R8)(R15*4), Z0, Z2
	VPSUBD Z1, Z2, Z3
	VMOVDQU32 Z3, (R8)(R15*4)
	VPLZCNTD Z2, Z4
	VPSUBD Z4, Z30, Z4
	VPMAXSD Z29, Z4, Z4
	VPSRLVD Z4, Z2, Z5
	VPSLLD $9, Z4, Z4
	VPADDD Z4, Z5, Z5
	KXNORW K0, K0, K1
	VPGATHERDD (R10)(Z5*4), K1, Z6
	VPMOVSXBD (R14)(R15*1), Z7
	VPADDD Z31, Z7, Z7
	VPMULLD Z6, Z7, Z7
	VPADDD Z28, Z7, Z7
	VPSRAD X27, Z7, Z7
	VPMOVSDB Z7, (DI)(R15*1)
	ADDQ $16, R15
	CMPQ R15, R9
	JLT step
	INCQ SI
	CMPQ SI, c1+40(FP)
	JLT channel
done:
	VZEROUPPER
	RET

// func maxPoolPlaneAVX512(x *int8, size int, y *int8, o, yp, w int, idx *byte)
//
// Max pooling 3x3/2 of one size x size plane into o rows of o outputs, yp bytes
// apart, in blocks of w <= 31 outputs (the last block of a row moved back to end at
// o): the three input rows' 2w+1 columns by masked loads (nothing past them is
// read), VPMAXSB over the rows, VPERMB with idx (64 bytes each: 2i, 2i+1, 2i+2) for
// the even, odd and next even columns, VPMAXSB, a masked store of w bytes.
TEXT ·maxPoolPlaneAVX512(SB), NOSPLIT, $0-56
	MOVQ x+0(FP), SI
	MOVQ size+8(FP), CX
	MOVQ y+16(FP), DI
	MOVQ o+24(FP), DX
	MOVQ yp+32(FP), R8
	MOVQ w+40(FP), R9
	MOVQ idx+48(FP), AX
	VMOVDQU8 (AX), Z20
	VMOVDQU8 64(AX), Z21
	VMOVDQU8 128(AX), Z22
	MOVQ R9, CX
	MOVQ $1, R10
	SHLQ CX, R10
	DECQ R10
	KMOVQ R10, K3
	LEAQ 1(R9)(R9*1), CX
	MOVQ $1, R10
	SHLQ CX, R10
	DECQ R10
	KMOVQ R10, K2
	MOVQ size+8(FP), CX
	MOVQ DX, R11
	SUBQ R9, R11
	MOVQ DX, R12
row:
	XORQ R13, R13
block:
	CMPQ R13, R11
	CMOVQGT R11, R13
	LEAQ (SI)(R13*2), R14
	VMOVDQU8.Z (R14), K2, Z0
	VMOVDQU8.Z (R14)(CX*1), K2, Z1
	VMOVDQU8.Z (R14)(CX*2), K2, Z2
	VPMAXSB Z1, Z0, Z0
	VPMAXSB Z2, Z0, Z0
	VPERMB Z0, Z20, Z3
	VPERMB Z0, Z21, Z4
	VPERMB Z0, Z22, Z5
	VPMAXSB Z4, Z3, Z3
	VPMAXSB Z5, Z3, Z3
	VMOVDQU8 Z3, K3, (DI)(R13*1)
	CMPQ R13, R11
	JGE next
	ADDQ R9, R13
	JMP block
next:
	LEAQ (SI)(CX*2), SI
	ADDQ R8, DI
	DECQ R12
	JNZ row
	VZEROUPPER
	RET

// func im2col3AVX512(src *int8, plane, cg, pairs int, col *int8, kp int, idx *byte)
//
// 3x3 taps, stride 1, of cg channels for 8 adjacent output pixels of one row (see
// im2colAVX512). Per channel one 64-byte load from the first pixel's first tap holds
// its three input rows. Channels go in pairs: VPERMI2B over the two channels' loads
// with idx[8+i] gives pixel i's 18 taps, stored by a 32-byte store whose surplus
// lands on the next pair's taps, written next (the first pairs of a patch), or by a
// masked store of 18 bytes (the last pair); a last odd channel takes VPERMB with
// idx[i] and a masked store of 9 bytes. Pixel i's patch row is col + i*kp:
// DI + R8*{1,2,4}, R9 = 3kp, R10 = 5kp, R11 = 7kp.
TEXT ·im2col3AVX512(SB), NOSPLIT, $0-56
	MOVQ src+0(FP), SI
	MOVQ plane+8(FP), CX
	MOVQ cg+16(FP), DX
	MOVQ pairs+24(FP), R12
	MOVQ col+32(FP), DI
	MOVQ kp+40(FP), R8
	MOVQ idx+48(FP), AX
	VMOVDQU8 0(AX), Z8
	VMOVDQU8 64(AX), Z9
	VMOVDQU8 128(AX), Z10
	VMOVDQU8 192(AX), Z11
	VMOVDQU8 256(AX), Z12
	VMOVDQU8 320(AX), Z13
	VMOVDQU8 384(AX), Z14
	VMOVDQU8 448(AX), Z15
	VMOVDQU8 512(AX), Z24
	VMOVDQU8 576(AX), Z25
	VMOVDQU8 640(AX), Z26
	VMOVDQU8 704(AX), Z27
	VMOVDQU8 768(AX), Z28
	VMOVDQU8 832(AX), Z29
	VMOVDQU8 896(AX), Z30
	VMOVDQU8 960(AX), Z31
	LEAQ (R8)(R8*2), R9
	LEAQ (R8)(R8*4), R10
	LEAQ (R9)(R8*4), R11
	MOVL $0x1ff, AX
	KMOVQ AX, K1
	MOVL $0x3ffff, AX
	KMOVQ AX, K2
	MOVQ R12, AX
	SHLQ $1, AX
	SUBQ AX, DX
	TESTQ R12, R12
	JZ tail3
pairs3:
	VMOVDQU8 (SI), Z0
	VMOVDQU8 (SI)(CX*1), Z1
	VMOVDQA64 Z24, Z16
	VMOVDQA64 Z25, Z17
	VMOVDQA64 Z26, Z18
	VMOVDQA64 Z27, Z19
	VMOVDQA64 Z28, Z20
	VMOVDQA64 Z29, Z21
	VMOVDQA64 Z30, Z22
	VMOVDQA64 Z31, Z23
	VPERMI2B Z1, Z0, Z16
	VPERMI2B Z1, Z0, Z17
	VPERMI2B Z1, Z0, Z18
	VPERMI2B Z1, Z0, Z19
	VPERMI2B Z1, Z0, Z20
	VPERMI2B Z1, Z0, Z21
	VPERMI2B Z1, Z0, Z22
	VPERMI2B Z1, Z0, Z23
	VMOVDQU8 Y16, (DI)
	VMOVDQU8 Y17, (DI)(R8*1)
	VMOVDQU8 Y18, (DI)(R8*2)
	VMOVDQU8 Y19, (DI)(R9*1)
	VMOVDQU8 Y20, (DI)(R8*4)
	VMOVDQU8 Y21, (DI)(R10*1)
	VMOVDQU8 Y22, (DI)(R9*2)
	VMOVDQU8 Y23, (DI)(R11*1)
	LEAQ (SI)(CX*2), SI
	ADDQ $18, DI
	DECQ R12
	JNZ pairs3
tail3:
	CMPQ DX, $2
	JLT single3
	VMOVDQU8 (SI), Z0
	VMOVDQU8 (SI)(CX*1), Z1
	VMOVDQA64 Z24, Z16
	VMOVDQA64 Z25, Z17
	VMOVDQA64 Z26, Z18
	VMOVDQA64 Z27, Z19
	VMOVDQA64 Z28, Z20
	VMOVDQA64 Z29, Z21
	VMOVDQA64 Z30, Z22
	VMOVDQA64 Z31, Z23
	VPERMI2B Z1, Z0, Z16
	VPERMI2B Z1, Z0, Z17
	VPERMI2B Z1, Z0, Z18
	VPERMI2B Z1, Z0, Z19
	VPERMI2B Z1, Z0, Z20
	VPERMI2B Z1, Z0, Z21
	VPERMI2B Z1, Z0, Z22
	VPERMI2B Z1, Z0, Z23
	VMOVDQU8 Z16, K2, (DI)
	VMOVDQU8 Z17, K2, (DI)(R8*1)
	VMOVDQU8 Z18, K2, (DI)(R8*2)
	VMOVDQU8 Z19, K2, (DI)(R9*1)
	VMOVDQU8 Z20, K2, (DI)(R8*4)
	VMOVDQU8 Z21, K2, (DI)(R10*1)
	VMOVDQU8 Z22, K2, (DI)(R9*2)
	VMOVDQU8 Z23, K2, (DI)(R11*1)
	LEAQ (SI)(CX*2), SI
	ADDQ $18, DI
	SUBQ $2, DX
single3:
	TESTQ DX, DX
	JZ done3
	VMOVDQU8 (SI), Z0
	VPERMB Z0, Z8, Z16
	VPERMB Z0, Z9, Z17
	VPERMB Z0, Z10, Z18
	VPERMB Z0, Z11, Z19
	VPERMB Z0, Z12, Z20
	VPERMB Z0, Z13, Z21
	VPERMB Z0, Z14, Z22
	VPERMB Z0, Z15, Z23
	VMOVDQU8 Z16, K1, (DI)
	VMOVDQU8 Z17, K1, (DI)(R8*1)
	VMOVDQU8 Z18, K1, (DI)(R8*2)
	VMOVDQU8 Z19, K1, (DI)(R9*1)
	VMOVDQU8 Z20, K1, (DI)(R8*4)
	VMOVDQU8 Z21, K1, (DI)(R10*1)
	VMOVDQU8 Z22, K1, (DI)(R9*2)
	VMOVDQU8 Z23, K1, (DI)(R11*1)
done3:
	VZEROUPPER
	RET

// func im2col5AVX512(src *int8, ps, plane, cg int, col *int8, kp int, idx *byte)
//
// 5x5 taps, stride 1, of cg channels for 8 adjacent output pixels of one row: per
// channel three 64-byte loads from the first pixel's first tap in input rows 0, 2
// and 4 (rows 0-1, 2-3 and 4); pixel i's taps of rows 0-3 by VPERMI2B over the first
// two (index idx[i]), those of row 4 by a merge-masked VPERMB (idx[8+i], lanes
// 20-24), a masked store of 25 bytes.
TEXT ·im2col5AVX512(SB), NOSPLIT, $0-56
	MOVQ src+0(FP), SI
	MOVQ ps+8(FP), BX
	MOVQ plane+16(FP), CX
	MOVQ cg+24(FP), DX
	MOVQ col+32(FP), DI
	MOVQ kp+40(FP), R8
	MOVQ idx+48(FP), AX
	VMOVDQU8 (AX), Z8
	VMOVDQU8 64(AX), Z9
	VMOVDQU8 128(AX), Z10
	VMOVDQU8 192(AX), Z11
	VMOVDQU8 256(AX), Z12
	VMOVDQU8 320(AX), Z13
	VMOVDQU8 384(AX), Z14
	VMOVDQU8 448(AX), Z15
	VMOVDQU8 512(AX), Z24
	VMOVDQU8 576(AX), Z25
	VMOVDQU8 640(AX), Z26
	VMOVDQU8 704(AX), Z27
	VMOVDQU8 768(AX), Z28
	VMOVDQU8 832(AX), Z29
	VMOVDQU8 896(AX), Z30
	VMOVDQU8 960(AX), Z31
	LEAQ (R8)(R8*2), R9
	LEAQ (R8)(R8*4), R10
	LEAQ (R9)(R8*4), R11
	SHLQ $1, BX
	MOVL $0x1ffffff, AX
	KMOVQ AX, K1
	MOVL $0x1f00000, AX
	KMOVQ AX, K2
	DECQ DX
	JZ last5
loop5:
	VMOVDQU8 (SI), Z0
	VMOVDQU8 (SI)(BX*1), Z1
	VMOVDQU8 (SI)(BX*2), Z2
	VMOVDQA64 Z8, Z16
	VMOVDQA64 Z9, Z17
	VMOVDQA64 Z10, Z18
	VMOVDQA64 Z11, Z19
	VPERMI2B Z1, Z0, Z16
	VPERMI2B Z1, Z0, Z17
	VPERMI2B Z1, Z0, Z18
	VPERMI2B Z1, Z0, Z19
	VPERMB Z2, Z24, K2, Z16
	VPERMB Z2, Z25, K2, Z17
	VPERMB Z2, Z26, K2, Z18
	VPERMB Z2, Z27, K2, Z19
	VMOVDQU8 Y16, (DI)
	VMOVDQU8 Y17, (DI)(R8*1)
	VMOVDQU8 Y18, (DI)(R8*2)
	VMOVDQU8 Y19, (DI)(R9*1)
	VMOVDQA64 Z12, Z20
	VMOVDQA64 Z13, Z21
	VMOVDQA64 Z14, Z22
	VMOVDQA64 Z15, Z23
	VPERMI2B Z1, Z0, Z20
	VPERMI2B Z1, Z0, Z21
	VPERMI2B Z1, Z0, Z22
	VPERMI2B Z1, Z0, Z23
	VPERMB Z2, Z28, K2, Z20
	VPERMB Z2, Z29, K2, Z21
	VPERMB Z2, Z30, K2, Z22
	VPERMB Z2, Z31, K2, Z23
	VMOVDQU8 Y20, (DI)(R8*4)
	VMOVDQU8 Y21, (DI)(R10*1)
	VMOVDQU8 Y22, (DI)(R9*2)
	VMOVDQU8 Y23, (DI)(R11*1)
	ADDQ CX, SI
	ADDQ $25, DI
	DECQ DX
	JNZ loop5
last5:
	VMOVDQU8 (SI), Z0
	VMOVDQU8 (SI)(BX*1), Z1
	VMOVDQU8 (SI)(BX*2), Z2
	VMOVDQA64 Z8, Z16
	VMOVDQA64 Z9, Z17
	VMOVDQA64 Z10, Z18
	VMOVDQA64 Z11, Z19
	VPERMI2B Z1, Z0, Z16
	VPERMI2B Z1, Z0, Z17
	VPERMI2B Z1, Z0, Z18
	VPERMI2B Z1, Z0, Z19
	VPERMB Z2, Z24, K2, Z16
	VPERMB Z2, Z25, K2, Z17
	VPERMB Z2, Z26, K2, Z18
	VPERMB Z2, Z27, K2, Z19
	VMOVDQU8 Z16, K1, (DI)
	VMOVDQU8 Z17, K1, (DI)(R8*1)
	VMOVDQU8 Z18, K1, (DI)(R8*2)
	VMOVDQU8 Z19, K1, (DI)(R9*1)
	VMOVDQA64 Z12, Z20
	VMOVDQA64 Z13, Z21
	VMOVDQA64 Z14, Z22
	VMOVDQA64 Z15, Z23
	VPERMI2B Z1, Z0, Z20
	VPERMI2B Z1, Z0, Z21
	VPERMI2B Z1, Z0, Z22
	VPERMI2B Z1, Z0, Z23
	VPERMB Z2, Z28, K2, Z20
	VPERMB Z2, Z29, K2, Z21
	VPERMB Z2, Z30, K2, Z22
	VPERMB Z2, Z31, K2, Z23
	VMOVDQU8 Z20, K1, (DI)(R8*4)
	VMOVDQU8 Z21, K1, (DI)(R10*1)
	VMOVDQU8 Z22, K1, (DI)(R9*2)
	VMOVDQU8 Z23, K1, (DI)(R11*1)
	VZEROUPPER
	RET

// func im2colRowsAVX512(src *int8, ps, plane, cg, k, stride, nx int, col *int8, kp, nu int)
//
// Any k <= 64, any stride, for nx adjacent output pixels of one row; src is pixel
// 0's first tap in channel 0. The first nu tap rows of a patch (those whose 16 bytes
// from their start stay inside the patch) are copied by 16-byte loads and stores,
// whose surplus bytes land on the next tap rows, written next; the others by a
// masked load and a masked store of k bytes (nothing outside the taps is read or
// written).
TEXT ·im2colRowsAVX512(SB), NOSPLIT, $0-80
	MOVQ src+0(FP), SI
	MOVQ ps+8(FP), BX
	MOVQ plane+16(FP), R8
	MOVQ k+32(FP), CX
	MOVQ $-1, AX
	CMPQ CX, $64
	JGE full
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
full:
	KMOVQ AX, K1
	MOVQ CX, R9
	IMULQ BX, R9
	SUBQ R9, R8
	MOVQ cg+24(FP), DX
	IMULQ CX, DX
	MOVQ col+56(FP), DI
	MOVQ nx+48(FP), R15
	TESTQ R15, R15
	JZ rdone
pixel:
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ DX, R12
	MOVQ CX, R13
	MOVQ nu+72(FP), R14
rows:
	TESTQ R14, R14
	JZ masked
	VMOVDQU (R10), X0
	VMOVDQU X0, (R11)
	DECQ R14
	JMP rownext
masked:
	VMOVDQU8.Z (R10), K1, Z0
	VMOVDQU8 Z0, K1, (R11)
rownext:
	ADDQ BX, R10
	ADDQ CX, R11
	DECQ R13
	JNZ samechan
	ADDQ R8, R10
	MOVQ CX, R13
samechan:
	DECQ R12
	JNZ rows
	ADDQ stride+40(FP), SI
	ADDQ kp+64(FP), DI
	DECQ R15
	JNZ pixel
rdone:
	VZEROUPPER
	RET
