//go:build amd64 && !purego

#include "textflag.h"

// 32 copies each of 0x0f, '\n', '`', 0x1f, 0x60, 0, '(', '{', 0x20 and ESC
DATA mnibble<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA mnibble<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA mnibble<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA mnibble<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL mnibble<>(SB), RODATA|NOPTR, $32
DATA newline<>+0(SB)/8, $0x0a0a0a0a0a0a0a0a
DATA newline<>+8(SB)/8, $0x0a0a0a0a0a0a0a0a
DATA newline<>+16(SB)/8, $0x0a0a0a0a0a0a0a0a
DATA newline<>+24(SB)/8, $0x0a0a0a0a0a0a0a0a
GLOBL newline<>(SB), RODATA|NOPTR, $32
DATA bquote<>+0(SB)/8, $0x6060606060606060
DATA bquote<>+8(SB)/8, $0x6060606060606060
DATA bquote<>+16(SB)/8, $0x6060606060606060
DATA bquote<>+24(SB)/8, $0x6060606060606060
GLOBL bquote<>(SB), RODATA|NOPTR, $32
DATA runbits<>+0(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA runbits<>+8(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA runbits<>+16(SB)/8, $0x1f1f1f1f1f1f1f1f
DATA runbits<>+24(SB)/8, $0x1f1f1f1f1f1f1f1f
GLOBL runbits<>(SB), RODATA|NOPTR, $32
DATA specialbits<>+0(SB)/8, $0x6060606060606060
DATA specialbits<>+8(SB)/8, $0x6060606060606060
DATA specialbits<>+16(SB)/8, $0x6060606060606060
DATA specialbits<>+24(SB)/8, $0x6060606060606060
GLOBL specialbits<>(SB), RODATA|NOPTR, $32
DATA mzeros<>+0(SB)/8, $0
DATA mzeros<>+8(SB)/8, $0
DATA mzeros<>+16(SB)/8, $0
DATA mzeros<>+24(SB)/8, $0
GLOBL mzeros<>(SB), RODATA|NOPTR, $32
DATA paren<>+0(SB)/8, $0x2828282828282828
DATA paren<>+8(SB)/8, $0x2828282828282828
DATA paren<>+16(SB)/8, $0x2828282828282828
DATA paren<>+24(SB)/8, $0x2828282828282828
GLOBL paren<>(SB), RODATA|NOPTR, $32
DATA brace<>+0(SB)/8, $0x7b7b7b7b7b7b7b7b
DATA brace<>+8(SB)/8, $0x7b7b7b7b7b7b7b7b
DATA brace<>+16(SB)/8, $0x7b7b7b7b7b7b7b7b
DATA brace<>+24(SB)/8, $0x7b7b7b7b7b7b7b7b
GLOBL brace<>(SB), RODATA|NOPTR, $32
DATA lowerbit<>+0(SB)/8, $0x2020202020202020
DATA lowerbit<>+8(SB)/8, $0x2020202020202020
DATA lowerbit<>+16(SB)/8, $0x2020202020202020
DATA lowerbit<>+24(SB)/8, $0x2020202020202020
GLOBL lowerbit<>(SB), RODATA|NOPTR, $32
DATA escbyte<>+0(SB)/8, $0x1b1b1b1b1b1b1b1b
DATA escbyte<>+8(SB)/8, $0x1b1b1b1b1b1b1b1b
DATA escbyte<>+16(SB)/8, $0x1b1b1b1b1b1b1b1b
DATA escbyte<>+24(SB)/8, $0x1b1b1b1b1b1b1b1b
GLOBL escbyte<>(SB), RODATA|NOPTR, $32

// CLASS computes the class bytes of the 32 bytes in raw into class (Y2
// scratch): the AND of a low-nibble and a high-nibble table lookup (VPSHUFB;
// tables Y10, Y11; see maskTables in masks.go). The low-nibble lookup takes
// the byte as it is: VPSHUFB gives zero for one of 0x80 or more, which is in
// no class. class&0x1f == 0 is a stop byte, class&0x60 != 0 (a positive
// byte) a special one, bit 7 a '"' or a '\'' (VPMOVMSKB reads it as it is).
#define CLASS(raw, class) \
	VPSHUFB   raw, Y10, class       \
	VPSRLW    $4, raw, Y2           \
	VPAND     mnibble<>(SB), Y2, Y2 \
	VPSHUFB   Y2, Y11, Y2           \
	VPAND     Y2, class, class

// JOIN stores the low 32 bits of AX and of DX as the low and the high half
// of the mask word at (ptr)(BX*8): two 32-bit stores, the word being
// little-endian, rather than a shift and an OR into one.
#define JOIN(ptr) \
	MOVL AX, (ptr)(BX*8) \
	MOVL DX, 4(ptr)(BX*8)

// BRACKETS sets in out a bit for each '(', '[' and '{' of the 32 bytes in
// raw ('[' and '{' compared as one with their 0x20 bit set; Y2, Y5 scratch).
#define BRACKETS(raw, out) \
	VPCMPEQB  paren<>(SB), raw, Y2 \
	VPOR      lowerbit<>(SB), raw, Y5 \
	VPCMPEQB  brace<>(SB), Y5, Y5 \
	VPOR      Y5, Y2, Y2 \
	VPMOVMSKB Y2, out

// func masks64(data *byte, n int, nl, special, quote, stop, open *uint64, tab *[64]byte) (esc int)
//
// For each 64 bytes, the two halves' bytes (Y0, Y3) and class bytes (Y1,
// Y4), and from them one word of each mask: newlines, '`' and the brackets
// are compared ('[' and '{' as one with the 0x20 bit set; not where open is
// nil), the rest read off the class bytes. The ESC bytes are compared into
// Y6, which says at the end whether the n bytes hold one.
TEXT ·masks64(SB), NOSPLIT, $0-72
	MOVQ data+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ nl+16(FP), R8
	MOVQ special+24(FP), R9
	MOVQ quote+32(FP), R12
	MOVQ stop+40(FP), R10
	MOVQ open+48(FP), R13
	MOVQ tab+56(FP), R11
	MOVQ $0, esc+64(FP)
	SHRQ $6, CX          // words
	JZ   none
	VMOVDQU 0(R11), Y10  // low-nibble table, both lanes
	VMOVDQU 32(R11), Y11 // high-nibble table, both lanes
	VPXOR   Y6, Y6, Y6   // the ESC bytes seen
	XORQ BX, BX          // the word

loop:
	VMOVDQU 0(SI), Y0
	VMOVDQU 32(SI), Y3
	CLASS(Y0, Y1)
	CLASS(Y3, Y4)

	// ESC
	VPCMPEQB  escbyte<>(SB), Y0, Y2
	VPOR      Y2, Y6, Y6
	VPCMPEQB  escbyte<>(SB), Y3, Y2
	VPOR      Y2, Y6, Y6

	// newlines
	VPCMPEQB  newline<>(SB), Y0, Y2
	VPMOVMSKB Y2, AX
	VPCMPEQB  newline<>(SB), Y3, Y2
	VPMOVMSKB Y2, DX
	JOIN(R8)

	// quotes: '"' and '\'' from the class, '`' compared
	VPMOVMSKB Y1, AX
	VPCMPEQB  bquote<>(SB), Y0, Y2
	VPMOVMSKB Y2, DI
	ORL       DI, AX
	VPMOVMSKB Y4, DX
	VPCMPEQB  bquote<>(SB), Y3, Y2
	VPMOVMSKB Y2, DI
	ORL       DI, DX
	JOIN(R12)

	// stop: no run bit
	VPAND     runbits<>(SB), Y1, Y2
	VPCMPEQB  mzeros<>(SB), Y2, Y2
	VPMOVMSKB Y2, AX
	VPAND     runbits<>(SB), Y4, Y2
	VPCMPEQB  mzeros<>(SB), Y2, Y2
	VPMOVMSKB Y2, DX
	JOIN(R10)

	// special: a special bit, or a byte of 0x80 or more (its sign bit)
	VPAND     specialbits<>(SB), Y1, Y2
	VPCMPGTB  mzeros<>(SB), Y2, Y2
	VPOR      Y0, Y2, Y2
	VPMOVMSKB Y2, AX
	VPAND     specialbits<>(SB), Y4, Y2
	VPCMPGTB  mzeros<>(SB), Y2, Y2
	VPOR      Y3, Y2, Y2
	VPMOVMSKB Y2, DX
	JOIN(R9)

	// open: '(', '[' and '{', where they are asked for
	TESTQ R13, R13
	JZ    next
	BRACKETS(Y0, AX)
	BRACKETS(Y3, DX)
	JOIN(R13)

next:
	ADDQ $64, SI
	INCQ BX
	CMPQ BX, CX
	JB   loop
	XORQ    AX, AX
	VPTEST  Y6, Y6
	SETNE   AL
	MOVQ    AX, esc+64(FP)
	VZEROUPPER

none:
	RET
