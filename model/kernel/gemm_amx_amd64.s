//go:build !purego

#include "textflag.h"

// The AMX-INT8 GEMM. TDPBSSD multiplies signed bytes by signed bytes, four at a time,
// into int32 without saturation: exactly the kernel's arithmetic, with no offset on
// either operand. A tile holds 16 rows of 64 bytes. Per call:
//
//   - 32 columns of b at a time are packed into a panel in this frame, in the layout
//     TDPBSSD wants for its second operand: per 64 bytes of k, row g (g < 16) holds
//     dword g of each of the 32 columns (128 bytes; columns 16-31 from byte 64, so
//     that the panel holds two tiles of 16 columns with a row stride of 128). Each
//     chunk is a 16x16 dword transpose per 16 columns (as vnniPack32, without the
//     offset). Columns past n repeat the last one. If kp is not a multiple of 64, the
//     last chunk is the last 64 bytes of k with the rows of the bytes already
//     covered set to zero, so that no load reads past a row of a.
//   - Then 32 rows of a at a time (the last block moved back to end at m) against the
//     panel: four accumulator tiles (rows 0-15 and 16-31 x columns 0-15 and 16-31),
//     two tiles of a loaded straight from a (stride kp), two of the panel, four
//     TDPBSSD per 64 bytes of k (65536 MACs); a block of at most 16 valid columns
//     (the last one, e.g. 9 of conv3's 169) runs only the two tiles of columns 0-15.
//     The accumulators go to a scratch area
//     and from there, plus the bias, to c with masked stores (columns past n are not
//     written).
//
// The tile configuration (palette 1, all eight tiles 16 rows x 64 bytes) is loaded at
// the start and released at the end, so no tile state lives across calls.

// The instructions, as bytes (Go's assembler knows none of them); encodings from GNU as.
#define LDTILECFG_AX BYTE $0xc4; BYTE $0xe2; BYTE $0x78; BYTE $0x49; BYTE $0x00
#define TILERELEASE BYTE $0xc4; BYTE $0xe2; BYTE $0x78; BYTE $0x49; BYTE $0xc0
#define TILEZERO_T0 BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xc0
#define TILEZERO_T1 BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xc8
#define TILEZERO_T2 BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd0
#define TILEZERO_T3 BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd8
// TILELOADD tmm4, [rsi+rdx]; tmm5, [rdi+rdx]; tmm6, [rbx+r9]; tmm7, [r8+r9]
#define TILELOAD_T4_SI_DX BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x4b; BYTE $0x24; BYTE $0x16
#define TILELOAD_T5_DI_DX BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x4b; BYTE $0x2c; BYTE $0x17
#define TILELOAD_T6_BX_R9 BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x34; BYTE $0x0b
#define TILELOAD_T7_R8_R9 BYTE $0xc4; BYTE $0x82; BYTE $0x7b; BYTE $0x4b; BYTE $0x3c; BYTE $0x08
// TDPBSSD tmm0, tmm4, tmm6; tmm1, tmm4, tmm7; tmm2, tmm5, tmm6; tmm3, tmm5, tmm7
#define TDPBSSD_T0_T4_T6 BYTE $0xc4; BYTE $0xe2; BYTE $0x4b; BYTE $0x5e; BYTE $0xc4
#define TDPBSSD_T1_T4_T7 BYTE $0xc4; BYTE $0xe2; BYTE $0x43; BYTE $0x5e; BYTE $0xcc
#define TDPBSSD_T2_T5_T6 BYTE $0xc4; BYTE $0xe2; BYTE $0x4b; BYTE $0x5e; BYTE $0xd5
#define TDPBSSD_T3_T5_T7 BYTE $0xc4; BYTE $0xe2; BYTE $0x43; BYTE $0x5e; BYTE $0xdd
// TILESTORED [r10+r11], tmm0..tmm3
#define TILESTORE_T0 BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x04; BYTE $0x1a
#define TILESTORE_T1 BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x0c; BYTE $0x1a
#define TILESTORE_T2 BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x14; BYTE $0x1a
#define TILESTORE_T3 BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x1c; BYTE $0x1a

// Frame (135488 bytes): the panel (32 columns x 4096 bytes of k), the accumulator scratch (4 tiles of
// 1 KiB), the 32 column offsets of the current block, the tile configuration.
#define PANEL panel-135488(SP)
#define SCRATCH scratch-4416(SP)
#define OFFS offs-320(SP)
#define TCFG tcfg-64(SP)

// LOADROW(i, Z): column i of the half (offset in 8*i(R12)) at AX into Z.
#define LOADROW(i, Z) MOVQ (8*i)(R12), CX; VMOVDQU64 (AX)(CX*1), Z

// PACK16: 16 columns (offsets from R12) of the 64 bytes at AX, transposed into the
// 16 rows of 64 bytes at BX, 128 apart (see vnniPack32).
#define PACK16 \
	LOADROW(0, Z0); LOADROW(1, Z1); LOADROW(2, Z2); LOADROW(3, Z3); \
	LOADROW(4, Z4); LOADROW(5, Z5); LOADROW(6, Z6); LOADROW(7, Z7); \
	LOADROW(8, Z8); LOADROW(9, Z9); LOADROW(10, Z10); LOADROW(11, Z11); \
	LOADROW(12, Z12); LOADROW(13, Z13); LOADROW(14, Z14); LOADROW(15, Z15); \
	VPUNPCKLDQ Z1, Z0, Z16; VPUNPCKHDQ Z1, Z0, Z17; \
	VPUNPCKLDQ Z3, Z2, Z18; VPUNPCKHDQ Z3, Z2, Z19; \
	VPUNPCKLDQ Z5, Z4, Z20; VPUNPCKHDQ Z5, Z4, Z21; \
	VPUNPCKLDQ Z7, Z6, Z22; VPUNPCKHDQ Z7, Z6, Z23; \
	VPUNPCKLDQ Z9, Z8, Z24; VPUNPCKHDQ Z9, Z8, Z25; \
	VPUNPCKLDQ Z11, Z10, Z26; VPUNPCKHDQ Z11, Z10, Z27; \
	VPUNPCKLDQ Z13, Z12, Z28; VPUNPCKHDQ Z13, Z12, Z29; \
	VPUNPCKLDQ Z15, Z14, Z30; VPUNPCKHDQ Z15, Z14, Z31; \
	VPUNPCKLQDQ Z18, Z16, Z0; VPUNPCKHQDQ Z18, Z16, Z1; \
	VPUNPCKLQDQ Z19, Z17, Z2; VPUNPCKHQDQ Z19, Z17, Z3; \
	VPUNPCKLQDQ Z22, Z20, Z4; VPUNPCKHQDQ Z22, Z20, Z5; \
	VPUNPCKLQDQ Z23, Z21, Z6; VPUNPCKHQDQ Z23, Z21, Z7; \
	VPUNPCKLQDQ Z26, Z24, Z8; VPUNPCKHQDQ Z26, Z24, Z9; \
	VPUNPCKLQDQ Z27, Z25, Z10; VPUNPCKHQDQ Z27, Z25, Z11; \
	VPUNPCKLQDQ Z30, Z28, Z12; VPUNPCKHQDQ Z30, Z28, Z13; \
	VPUNPCKLQDQ Z31, Z29, Z14; VPUNPCKHQDQ Z31, Z29, Z15; \
	QUARTER(Z0, Z4, Z8, Z12, 0); \
	QUARTER(Z1, Z5, Z9, Z13, 128); \
	QUARTER(Z2, Z6, Z10, Z14, 256); \
	QUARTER(Z3, Z7, Z11, Z15, 384)

#define QUARTER(A, B, C, D, off) \
	VSHUFI32X4 $0x44, B, A, Z16; VSHUFI32X4 $0xEE, B, A, Z17; \
	VSHUFI32X4 $0x44, D, C, Z18; VSHUFI32X4 $0xEE, D, C, Z19; \
	VSHUFI32X4 $0x88, Z18, Z16, Z20; VSHUFI32X4 $0xDD, Z18, Z16, Z21; \
	VSHUFI32X4 $0x88, Z19, Z17, Z22; VSHUFI32X4 $0xDD, Z19, Z17, Z23; \
	VMOVDQU64 Z20, (off)(BX); VMOVDQU64 Z21, (off+512)(BX); \
	VMOVDQU64 Z22, (off+1024)(BX); VMOVDQU64 Z23, (off+1536)(BX)

// PACKCHUNK: both halves of one chunk, source AX (column 0 of the block at this chunk's
// k), destination BX (the chunk's 2 KiB).
#define PACKCHUNK \
	LEAQ OFFS, R12; PACK16; \
	LEAQ 128(R12), R12; ADDQ $64, BX; PACK16; SUBQ $64, BX

// OUTROW(off, cbase): one row of two accumulator tiles (scratch offsets off and
// off+1024) plus the broadcast bias Z0, stored at cbase and cbase+64 under K1 and K2.
#define OUTROW(off) \
	VPADDD (off)(R10), Z0, Z1; VMOVDQU32 Z1, K1, (DI); \
	VPADDD (off+1024)(R10), Z0, Z2; VMOVDQU32 Z2, K2, 64(DI)

// func amxGemm(a, b *int8, kp, n int, c *int32, ldc int, bias *int32, m int)
//
// c[i*ldc+j] = bias[i] + dot(a row i, b row j) for i < m, j < n; m >= 32,
// 64 <= kp <= 4096, kp a multiple of 16, n >= 1. Needs AMX-TILE, AMX-INT8 and the
// process's permission to use the tile data (arch_prctl ARCH_REQ_XCOMP_PERM), and
// AVX-512 F and BW for the packing and the stores.
TEXT ·amxGemm(SB), $135488-64
	// The tile configuration.
	VPXORD Z0, Z0, Z0
	VMOVDQU64 Z0, TCFG
	MOVB $1, tcfg-64(SP)              // palette 1
	MOVQ $0x0040004000400040, AX      // colsb of tiles 0-7: 64 bytes
	MOVQ AX, tcfg-48(SP)
	MOVQ AX, tcfg-40(SP)
	MOVQ $0x1010101010101010, AX      // rows of tiles 0-7: 16
	MOVQ AX, tcfg-16(SP)
	LEAQ TCFG, AX
	LDTILECFG_AX

	MOVQ $0, R13                      // j0, the block's first column
block:
	// r = min(32, n - j0) valid columns; offsets of columns 0..31 from column 0 of
	// the block, min(i, r-1) * kp; masks of the valid columns of each half.
	MOVQ n+24(FP), R14
	SUBQ R13, R14
	CMPQ R14, $32
	JLE rset
	MOVQ $32, R14
rset:
	LEAQ -1(R14), R15                 // last valid column
	MOVQ kp+16(FP), DX
	LEAQ OFFS, R12
	XORQ AX, AX                       // i
	XORQ CX, CX                       // i*kp, clamped
offs:
	MOVQ CX, (R12)(AX*8)
	CMPQ AX, R15
	JGE offsnext
	ADDQ DX, CX
offsnext:
	INCQ AX
	CMPQ AX, $32
	JLT offs
	// K1: columns 0..min(r,16)-1; K2: columns 16..r-1.
	MOVQ R14, CX
	CMPQ CX, $16
	JLE k1set
	MOVQ $16, CX
k1set:
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	MOVQ R14, CX
	SUBQ $16, CX
	JGE k2pos
	XORQ CX, CX
k2pos:
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K2

	// Pack the panel: the full chunks, then the tail chunk if any.
	MOVQ b+8(FP), AX
	MOVQ R13, CX
	IMULQ DX, CX
	ADDQ CX, AX                       // column j0, k = 0
	LEAQ PANEL, BX
	MOVQ DX, R11
	SHRQ $6, R11                      // full chunks
	JZ packtail
packfull:
	MOVQ AX, R10
	PACKCHUNK
	MOVQ R10, AX
	ADDQ $64, AX
	ADDQ $2048, BX
	DECQ R11
	JNZ packfull
packtail:
	MOVQ DX, R11
	ANDQ $63, R11                     // tail bytes t
	JZ packed
	// The last 64 bytes of k: AX - 64 + t from here; then rows g < (64-t)/4 zeroed.
	LEAQ -64(AX)(R11*1), AX
	PACKCHUNK
	MOVQ $64, CX
	SUBQ R11, CX
	SHRQ $2, CX                       // rows to zero
	VPXORD Z0, Z0, Z0
	MOVQ BX, AX
zero:
	VMOVDQU64 Z0, (AX)
	VMOVDQU64 Z0, 64(AX)
	ADDQ $128, AX
	DECQ CX
	JNZ zero
packed:

	// Row blocks of 32 against the panel.
	MOVQ $0, R14                      // next row block
rows:
	MOVQ m+56(FP), R15
	SUBQ $32, R15
	CMPQ R14, R15
	JGE clamp
	MOVQ R14, R15
clamp:                                    // R15 = i = min(next, m-32)
	TILEZERO_T0
	TILEZERO_T1
	TILEZERO_T2
	TILEZERO_T3
	MOVQ kp+16(FP), DX
	MOVQ R15, SI
	IMULQ DX, SI
	ADDQ a+0(FP), SI                  // row i, k = 0
	MOVQ DX, DI
	SHLQ $4, DI
	ADDQ SI, DI                       // row i+16
	LEAQ PANEL, BX
	LEAQ 64(BX), R8
	MOVQ $128, R9
	MOVQ DX, R11
	SHRQ $6, R11                      // full chunks, at least one (kp >= 64)
	KORTESTW K2, K2
	JZ narrow                         // at most 16 valid columns: tiles 1 and 3 stay 0
mloop:
	TILELOAD_T4_SI_DX
	TILELOAD_T5_DI_DX
	TILELOAD_T6_BX_R9
	TILELOAD_T7_R8_R9
	TDPBSSD_T0_T4_T6
	TDPBSSD_T1_T4_T7
	TDPBSSD_T2_T5_T6
	TDPBSSD_T3_T5_T7
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $2048, BX
	ADDQ $2048, R8
	DECQ R11
	JNZ mloop
mtail:
	MOVQ DX, R11
	ANDQ $63, R11
	JZ mstore
	LEAQ -64(SI)(R11*1), SI
	LEAQ -64(DI)(R11*1), DI
	TILELOAD_T4_SI_DX
	TILELOAD_T5_DI_DX
	TILELOAD_T6_BX_R9
	TILELOAD_T7_R8_R9
	TDPBSSD_T0_T4_T6
	TDPBSSD_T1_T4_T7
	TDPBSSD_T2_T5_T6
	TDPBSSD_T3_T5_T7
	JMP mstore
narrow:
	TILELOAD_T4_SI_DX
	TILELOAD_T5_DI_DX
	TILELOAD_T6_BX_R9
	TDPBSSD_T0_T4_T6
	TDPBSSD_T2_T5_T6
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $2048, BX
	DECQ R11
	JNZ narrow
	MOVQ DX, R11
	ANDQ $63, R11
	JZ mstore
	LEAQ -64(SI)(R11*1), SI
	LEAQ -64(DI)(R11*1), DI
	TILELOAD_T4_SI_DX
	TILELOAD_T5_DI_DX
	TILELOAD_T6_BX_R9
	TDPBSSD_T0_T4_T6
	TDPBSSD_T2_T5_T6
mstore:
	LEAQ SCRATCH, R10
	MOVQ $64, R11
	TILESTORE_T0
	ADDQ $1024, R10
	TILESTORE_T1
	ADDQ $1024, R10
	TILESTORE_T2
	ADDQ $1024, R10
	TILESTORE_T3
	// c rows i..i+31, columns j0..: scratch row q at (q/16)*2048 + (q%16)*64 (columns
	// 0-15) and 1024 further (16-31).
	LEAQ SCRATCH, R10
	MOVQ ldc+40(FP), R11
	SHLQ $2, R11
	MOVQ R15, DI
	IMULQ R11, DI
	ADDQ c+32(FP), DI
	LEAQ (DI)(R13*4), DI              // c row i, column j0
	MOVQ bias+48(FP), SI
	LEAQ (SI)(R15*4), SI
	MOVQ $2, CX
halfrows:
	MOVQ $16, AX
outrow:
	VPBROADCASTD (SI), Z0
	OUTROW(0)
	ADDQ $4, SI
	ADDQ R11, DI
	ADDQ $64, R10
	DECQ AX
	JNZ outrow
	ADDQ $1024, R10                   // rows 16-31: the second pair of tiles
	DECQ CX
	JNZ halfrows

	ADDQ $32, R14
	CMPQ R14, m+56(FP)
	JLT rows

	ADDQ $32, R13
	CMPQ R13, n+24(FP)
	JLT block

	TILERELEASE
	VZEROUPPER
	RET
