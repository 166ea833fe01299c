//go:build amd64 && !purego

#include "textflag.h"

// 32 copies each of '"', '\'' and '`'
DATA dquote<>+0(SB)/8, $0x2222222222222222
DATA dquote<>+8(SB)/8, $0x2222222222222222
DATA dquote<>+16(SB)/8, $0x2222222222222222
DATA dquote<>+24(SB)/8, $0x2222222222222222
GLOBL dquote<>(SB), RODATA|NOPTR, $32
DATA squote<>+0(SB)/8, $0x2727272727272727
DATA squote<>+8(SB)/8, $0x2727272727272727
DATA squote<>+16(SB)/8, $0x2727272727272727
DATA squote<>+24(SB)/8, $0x2727272727272727
GLOBL squote<>(SB), RODATA|NOPTR, $32
DATA bquote<>+0(SB)/8, $0x6060606060606060
DATA bquote<>+8(SB)/8, $0x6060606060606060
DATA bquote<>+16(SB)/8, $0x6060606060606060
DATA bquote<>+24(SB)/8, $0x6060606060606060
GLOBL bquote<>(SB), RODATA|NOPTR, $32

// func masks64(data *byte, n int, nl, special, quote, stop *uint64, tab *[64]byte)
//
// For each 64 bytes: the newline mask (compare), and the special and stop
// masks from one class byte per input byte, the AND of a low-nibble and a
// high-nibble table lookup (VPSHUFB): class&0x1f == 0 is a stop byte,
// class&0xe0 != 0 a special one (see maskTables in masks.go); the quote
// mask compares with the three quotes.
TEXT ·masks64(SB), NOSPLIT, $0-56
	MOVQ data+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ nl+16(FP), R8
	MOVQ special+24(FP), R9
	MOVQ quote+32(FP), R12
	MOVQ stop+40(FP), R10
	MOVQ tab+48(FP), R11
	VMOVDQU 0(R11), Y10  // low-nibble table, both lanes
	VMOVDQU 32(R11), Y11 // high-nibble table, both lanes
	MOVQ $0x0f0f0f0f0f0f0f0f, AX
	MOVQ AX, X13
	VPBROADCASTQ X13, Y13
	MOVQ $0x0a0a0a0a0a0a0a0a, AX
	MOVQ AX, X12
	VPBROADCASTQ X12, Y12
	MOVQ $0x1f1f1f1f1f1f1f1f, AX
	MOVQ AX, X14
	VPBROADCASTQ X14, Y14
	MOVQ $0xe0e0e0e0e0e0e0e0, AX
	MOVQ AX, X9
	VPBROADCASTQ X9, Y9
	VPXOR Y15, Y15, Y15

loop:
	CMPQ CX, $64
	JB   done
	VMOVDQU 0(SI), Y0
	VMOVDQU 32(SI), Y1

	// newlines
	VPCMPEQB  Y0, Y12, Y2
	VPMOVMSKB Y2, AX
	VPCMPEQB  Y1, Y12, Y2
	VPMOVMSKB Y2, DX
	SHLQ $32, DX
	ORQ  DX, AX
	MOVQ AX, 0(R8)

	// class bytes: Y4 for the first 32 bytes, Y5 for the second
	VPSRLW  $4, Y0, Y2
	VPAND   Y13, Y2, Y2
	VPAND   Y13, Y0, Y3
	VPSHUFB Y3, Y10, Y3
	VPSHUFB Y2, Y11, Y2
	VPAND   Y2, Y3, Y4
	VPSRLW  $4, Y1, Y2
	VPAND   Y13, Y2, Y2
	VPAND   Y13, Y1, Y3
	VPSHUFB Y3, Y10, Y3
	VPSHUFB Y2, Y11, Y2
	VPAND   Y2, Y3, Y5

	// stop: no run bit
	VPAND     Y14, Y4, Y6
	VPCMPEQB  Y6, Y15, Y6
	VPMOVMSKB Y6, AX
	VPAND     Y14, Y5, Y7
	VPCMPEQB  Y7, Y15, Y7
	VPMOVMSKB Y7, DX
	SHLQ $32, DX
	ORQ  DX, AX
	MOVQ AX, 0(R10)

	// special: a special bit
	VPAND     Y9, Y4, Y6
	VPCMPEQB  Y6, Y15, Y6
	VPMOVMSKB Y6, AX
	VPAND     Y9, Y5, Y7
	VPCMPEQB  Y7, Y15, Y7
	VPMOVMSKB Y7, DX
	SHLQ $32, DX
	ORQ  DX, AX
	NOTQ AX
	MOVQ AX, 0(R9)

	// quotes
	VPCMPEQB  dquote<>(SB), Y0, Y6
	VPCMPEQB  squote<>(SB), Y0, Y7
	VPOR      Y6, Y7, Y6
	VPCMPEQB  bquote<>(SB), Y0, Y7
	VPOR      Y6, Y7, Y6
	VPMOVMSKB Y6, AX
	VPCMPEQB  dquote<>(SB), Y1, Y6
	VPCMPEQB  squote<>(SB), Y1, Y7
	VPOR      Y6, Y7, Y6
	VPCMPEQB  bquote<>(SB), Y1, Y7
	VPOR      Y6, Y7, Y6
	VPMOVMSKB Y6, DX
	SHLQ $32, DX
	ORQ  DX, AX
	MOVQ AX, 0(R12)

	ADDQ $64, SI
	ADDQ $8, R8
	ADDQ $8, R12
	ADDQ $8, R9
	ADDQ $8, R10
	SUBQ $64, CX
	JMP  loop

done:
	VZEROUPPER
	RET
