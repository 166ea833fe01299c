//go:build amd64 && !purego

#include "textflag.h"

DATA runnibble<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA runnibble<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA runnibble<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA runnibble<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL runnibble<>(SB), RODATA|NOPTR, $32

// INCLASS sets out to 0xff for each of the 32 bytes of raw NOT in the class
// (Y10: low-nibble table, Y11: high-nibble table, Y12: 0x0f, Y13: zero):
// a byte is in it when the two lookups share a bit. VPSHUFB gives zero for
// a byte of 0x80 or more (its own high bit set), which is in no class.
#define INCLASS(raw, out) \
	VPSHUFB  raw, Y10, out \
	VPSRLW   $4, raw, Y2   \
	VPAND    Y12, Y2, Y2   \
	VPSHUFB  Y2, Y11, Y2   \
	VPAND    Y2, out, out  \
	VPCMPEQB Y13, out, out

// CLASSARGS loads the arguments of classRun and classCount (p in SI, n in
// CX) and the tables INCLASS reads, and zeroes AX, the offset.
#define CLASSARGS \
	MOVQ    p+0(FP), SI              \
	MOVQ    n+8(FP), CX              \
	MOVQ    t+16(FP), DX             \
	VMOVDQU 0(DX), Y10               \
	VMOVDQU 32(DX), Y11              \
	VMOVDQU runnibble<>(SB), Y12     \
	VPXOR   Y13, Y13, Y13            \
	XORQ    AX, AX

// func classRun(p *byte, n int, t *[64]byte) int
TEXT ·classRun(SB), NOSPLIT, $0-32
	CLASSARGS

runloop:
	LEAQ 32(AX), BX
	CMPQ BX, CX
	JA   rundone
	VMOVDQU (SI)(AX*1), Y0
	INCLASS(Y0, Y1)
	VPMOVMSKB Y1, R8
	TESTL R8, R8
	JNZ   runfound
	MOVQ  BX, AX
	JMP   runloop

runfound:
	BSFL R8, R8
	ADDQ R8, AX

rundone:
	VZEROUPPER
	MOVQ AX, ret+24(FP)
	RET

// func classRunBack(p *byte, n int, t *[64]byte) int
// Blocks are read from the end of the n bytes at p back.
TEXT ·classRunBack(SB), NOSPLIT, $0-32
	CLASSARGS
	LEAQ -32(SI)(CX*1), SI

backloop:
	LEAQ 32(AX), BX
	CMPQ BX, CX
	JA   backdone
	MOVQ SI, DI
	SUBQ AX, DI
	VMOVDQU (DI), Y0
	INCLASS(Y0, Y1)
	VPMOVMSKB Y1, R8
	TESTL R8, R8
	JNZ   backfound
	MOVQ  BX, AX
	JMP   backloop

backfound:
	BSRL  R8, R8  // the last byte not in the class: 31-R8 after it are
	ADDQ  $31, AX
	SUBQ  R8, AX

backdone:
	VZEROUPPER
	MOVQ AX, ret+24(FP)
	RET

// func classCount(p *byte, n int, t *[64]byte) int
TEXT ·classCount(SB), NOSPLIT, $0-32
	CLASSARGS
	XORQ    DI, DI

countloop:
	LEAQ 32(AX), BX
	CMPQ BX, CX
	JA   countdone
	VMOVDQU (SI)(AX*1), Y0
	INCLASS(Y0, Y1)
	VPMOVMSKB Y1, R8
	NOTL    R8
	POPCNTL R8, R8
	ADDQ    R8, DI
	MOVQ    BX, AX
	JMP     countloop

countdone:
	VZEROUPPER
	MOVQ DI, ret+24(FP)
	RET

DATA hexletter<>+0(SB)/8, $0x4040404040404040
GLOBL hexletter<>(SB), RODATA|NOPTR, $8
DATA hexnine<>+0(SB)/8, $0x0909090909090909
GLOBL hexnine<>(SB), RODATA|NOPTR, $8
// the weights of a pair of digits: 16 for the first, 1 for the second
DATA hexweights<>+0(SB)/8, $0x0110011001100110
GLOBL hexweights<>(SB), RODATA|NOPTR, $8

// HEXVALUES turns 32 hex digits in raw into their values: the low nibble,
// plus nine for a letter (bit 6 set), then pairs into 16-bit words
// (16*first + second).
#define HEXVALUES(raw) \
	VPAND    Y12, raw, Y1   \
	VPAND    Y13, raw, Y2   \
	VPCMPEQB Y13, Y2, Y2    \
	VPAND    Y14, Y2, Y2    \
	VPADDB   Y2, Y1, Y1     \
	VPMADDUBSW Y15, Y1, raw

// DECODEARGS loads the arguments of the decoders, dst in DI, src in SI and
// the count named count in CX, and 0x0f in each byte of Y12.
#define DECODEARGS(count) \
	MOVQ    dst+0(FP), DI        \
	MOVQ    src+8(FP), SI        \
	MOVQ    count+16(FP), CX     \
	VMOVDQU runnibble<>(SB), Y12

// func hexPairsAVX2(dst, src *byte, n int)
TEXT ·hexPairsAVX2(SB), NOSPLIT, $0-24
	VPBROADCASTQ hexletter<>(SB), Y13
	VPBROADCASTQ hexnine<>(SB), Y14
	VPBROADCASTQ hexweights<>(SB), Y15
	DECODEARGS(n)
	XORQ    AX, AX

pairloop:
	LEAQ 32(AX), BX
	CMPQ BX, CX
	JA   pairdone
	VMOVDQU (SI), Y0
	VMOVDQU 32(SI), Y3
	HEXVALUES(Y0)
	HEXVALUES(Y3)
	VPACKUSWB Y3, Y0, Y0
	VPERMQ    $0xd8, Y0, Y0
	VMOVDQU   Y0, (DI)(AX*1)
	ADDQ      $64, SI
	MOVQ      BX, AX
	JMP       pairloop

pairdone:
	VZEROUPPER
	RET

// What a base64 character's high nibble adds to it to make its value
// ('+' and digits, capitals, small letters), and the fix-ups of '/', '-'
// and '_', which their nibble's offset misses.
DATA b64offsets<>+0(SB)/8, $0xb9b9bfbf04130000
DATA b64offsets<>+8(SB)/8, $0x0000000000000000
DATA b64offsets<>+16(SB)/8, $0xb9b9bfbf04130000
DATA b64offsets<>+24(SB)/8, $0x0000000000000000
GLOBL b64offsets<>(SB), RODATA|NOPTR, $32
DATA b64slash<>+0(SB)/8, $0x2f2f2f2f2f2f2f2f
DATA b64slash<>+8(SB)/8, $0x2f2f2f2f2f2f2f2f
DATA b64slash<>+16(SB)/8, $0x2f2f2f2f2f2f2f2f
DATA b64slash<>+24(SB)/8, $0x2f2f2f2f2f2f2f2f
GLOBL b64slash<>(SB), RODATA|NOPTR, $32
DATA b64dash<>+0(SB)/8, $0x2d2d2d2d2d2d2d2d
DATA b64dash<>+8(SB)/8, $0x2d2d2d2d2d2d2d2d
DATA b64dash<>+16(SB)/8, $0x2d2d2d2d2d2d2d2d
DATA b64dash<>+24(SB)/8, $0x2d2d2d2d2d2d2d2d
GLOBL b64dash<>(SB), RODATA|NOPTR, $32
DATA b64under<>+0(SB)/8, $0x5f5f5f5f5f5f5f5f
DATA b64under<>+8(SB)/8, $0x5f5f5f5f5f5f5f5f
DATA b64under<>+16(SB)/8, $0x5f5f5f5f5f5f5f5f
DATA b64under<>+24(SB)/8, $0x5f5f5f5f5f5f5f5f
GLOBL b64under<>(SB), RODATA|NOPTR, $32
// the fix-ups: '/' 66 to 63, '-' 64 to 62, '_' 30 to 63
DATA b64fix<>+0(SB)/8, $0x000000000021fefd
GLOBL b64fix<>(SB), RODATA|NOPTR, $8
// the weights that join four 6-bit values into 24 bits: 64 and 1 for
// the bytes of a pair, 4096 and 1 for the pairs of a group
DATA b64pairs<>+0(SB)/8, $0x0140014001400140
GLOBL b64pairs<>(SB), RODATA|NOPTR, $8
DATA b64groups<>+0(SB)/8, $0x0001100000011000
GLOBL b64groups<>(SB), RODATA|NOPTR, $8
// the three bytes of each group's 24 bits, first the high one, 12 a lane
DATA b64bytes<>+0(SB)/8, $0x090a040506000102
DATA b64bytes<>+8(SB)/8, $0x808080800c0d0e08
DATA b64bytes<>+16(SB)/8, $0x090a040506000102
DATA b64bytes<>+24(SB)/8, $0x808080800c0d0e08
GLOBL b64bytes<>(SB), RODATA|NOPTR, $32
// and the lanes' 12 bytes side by side
DATA b64lanes<>+0(SB)/8, $0x0000000100000000
DATA b64lanes<>+8(SB)/8, $0x0000000400000002
DATA b64lanes<>+16(SB)/8, $0x0000000600000005
DATA b64lanes<>+24(SB)/8, $0x0000000700000003
GLOBL b64lanes<>(SB), RODATA|NOPTR, $32

// func decodeB64AVX2(dst, src *byte, blocks int)
TEXT ·decodeB64AVX2(SB), NOSPLIT, $0-24
	DECODEARGS(blocks)
	VMOVDQU b64offsets<>(SB), Y11
	VMOVDQU b64slash<>(SB), Y9
	VMOVDQU b64dash<>(SB), Y8
	VMOVDQU b64under<>(SB), Y7
	VPBROADCASTB b64fix<>+0(SB), Y6
	VPBROADCASTB b64fix<>+1(SB), Y5
	VPBROADCASTB b64fix<>+2(SB), Y4
	VPBROADCASTQ b64pairs<>(SB), Y15
	VPBROADCASTQ b64groups<>(SB), Y14
	VMOVDQU b64bytes<>(SB), Y13
	VMOVDQU b64lanes<>(SB), Y10

b64loop:
	TESTQ CX, CX
	JZ    b64done
	VMOVDQU (SI), Y0
	VPSRLW   $4, Y0, Y1
	VPAND    Y12, Y1, Y1
	VPSHUFB  Y1, Y11, Y1
	VPADDB   Y1, Y0, Y1
	VPCMPEQB Y9, Y0, Y2
	VPAND    Y6, Y2, Y2
	VPADDB   Y2, Y1, Y1
	VPCMPEQB Y8, Y0, Y2
	VPAND    Y5, Y2, Y2
	VPADDB   Y2, Y1, Y1
	VPCMPEQB Y7, Y0, Y2
	VPAND    Y4, Y2, Y2
	VPADDB   Y2, Y1, Y1
	VPMADDUBSW Y15, Y1, Y1
	VPMADDWD   Y14, Y1, Y1
	VPSHUFB    Y13, Y1, Y1
	VPERMD     Y1, Y10, Y1
	VMOVDQU    Y1, (DI)
	ADDQ $32, SI
	ADDQ $24, DI
	DECQ CX
	JMP  b64loop

b64done:
	VZEROUPPER
	RET

DATA bsbyte<>+0(SB)/8, $0x0808080808080808
DATA bsbyte<>+8(SB)/8, $0x0808080808080808
DATA bsbyte<>+16(SB)/8, $0x0808080808080808
DATA bsbyte<>+24(SB)/8, $0x0808080808080808
GLOBL bsbyte<>(SB), RODATA|NOPTR, $32
DATA caretbyte<>+0(SB)/8, $0x5e5e5e5e5e5e5e5e
DATA caretbyte<>+8(SB)/8, $0x5e5e5e5e5e5e5e5e
DATA caretbyte<>+16(SB)/8, $0x5e5e5e5e5e5e5e5e
DATA caretbyte<>+24(SB)/8, $0x5e5e5e5e5e5e5e5e
GLOBL caretbyte<>(SB), RODATA|NOPTR, $32
DATA hbyte<>+0(SB)/8, $0x4848484848484848
DATA hbyte<>+8(SB)/8, $0x4848484848484848
DATA hbyte<>+16(SB)/8, $0x4848484848484848
DATA hbyte<>+24(SB)/8, $0x4848484848484848
GLOBL hbyte<>(SB), RODATA|NOPTR, $32

// func highRun(p *byte, n int) int
//
// 128 bytes a step, their four vectors ORed and the byte signs taken at
// once (VPMOVMSKB), then 32 a step: the offset of the 32-byte block that
// holds the first byte of 0x80 or more and the byte's place in it.
TEXT ·highRun(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	XORQ AX, AX

high128:
	LEAQ 128(AX), BX
	CMPQ BX, CX
	JA   high32
	VMOVDQU 0(SI)(AX*1), Y0
	VPOR    32(SI)(AX*1), Y0, Y0
	VMOVDQU 64(SI)(AX*1), Y1
	VPOR    96(SI)(AX*1), Y1, Y1
	VPOR    Y1, Y0, Y0
	VPMOVMSKB Y0, R8
	TESTL R8, R8
	JNZ   high32
	MOVQ  BX, AX
	JMP   high128

high32:
	LEAQ 32(AX), BX
	CMPQ BX, CX
	JA   highdone
	VMOVDQU (SI)(AX*1), Y0
	VPMOVMSKB Y0, R8
	TESTL R8, R8
	JNZ   highfound
	MOVQ  BX, AX
	JMP   high32

highfound:
	BSFL R8, R8
	ADDQ R8, AX

highdone:
	VZEROUPPER
	MOVQ AX, ret+16(FP)
	RET

// BSBLOCK sets out to 0xff at each of the 32 bytes at off(SI)(AX*1) that
// is a backspace or a caret before an H (Y10, Y11, Y12: 0x08, '^', 'H').
#define BSBLOCK(off, out) \
	VMOVDQU  off(SI)(AX*1), Y0   \
	VMOVDQU  off+1(SI)(AX*1), Y1 \
	VPCMPEQB Y11, Y0, Y2         \
	VPCMPEQB Y12, Y1, Y1         \
	VPAND    Y1, Y2, Y2          \
	VPCMPEQB Y10, Y0, Y0         \
	VPOR     Y0, Y2, out

// func backspaceRun(p *byte, n int) int
//
// The offset of the first 32-byte block that holds a backspace (0x08) or
// a caret followed by an H (cat -v's ^H), the H read from the next block
// by a load one byte on; or, where there is none, how many bytes the
// blocks read cover: every block whose 33rd byte is in p[:n]. 128 bytes a
// step, their four blocks' answers ORed, then 32 a step to the block.
TEXT ·backspaceRun(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	XORQ AX, AX
	VMOVDQU bsbyte<>(SB), Y10
	VMOVDQU caretbyte<>(SB), Y11
	VMOVDQU hbyte<>(SB), Y12

bs128:
	LEAQ 129(AX), BX
	CMPQ BX, CX
	JA   bsloop
	BSBLOCK(0, Y3)
	BSBLOCK(32, Y4)
	VPOR Y4, Y3, Y3
	BSBLOCK(64, Y4)
	VPOR Y4, Y3, Y3
	BSBLOCK(96, Y4)
	VPOR Y4, Y3, Y3
	VPTEST Y3, Y3
	JNZ  bsloop
	ADDQ $128, AX
	JMP  bs128

bsloop:
	LEAQ 33(AX), BX
	CMPQ BX, CX
	JA   bsdone
	BSBLOCK(0, Y3)
	VPTEST   Y3, Y3
	JNZ      bsdone
	ADDQ     $32, AX
	JMP      bsloop

bsdone:
	VZEROUPPER
	MOVQ AX, ret+16(FP)
	RET
