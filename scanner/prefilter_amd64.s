//go:build !purego

#include "textflag.h"

// 32 copies of 0x0f and of 0
DATA nibble<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibble<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibble<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA nibble<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL nibble<>(SB), RODATA|NOPTR, $32
DATA zeros<>+0(SB)/8, $0
DATA zeros<>+8(SB)/8, $0
DATA zeros<>+16(SB)/8, $0
DATA zeros<>+24(SB)/8, $0
GLOBL zeros<>(SB), RODATA|NOPTR, $32

// HALF computes, for the 32 bytes at off(SI), the mask of the positions no
// bucket lets through (bit k: data[k:k+3] passes no bucket) into reg. The
// bytes at off, off+1 and off+2 are the first, second and third bytes of a
// fingerprint starting at each position; per group of eight buckets the six
// table lookups of their low and high nibbles (VPSHUFB: a 16-byte table, one
// entry per nibble value, in both 128-bit lanes; tables Y0-Y5 for group 0,
// Y6-Y11 for group 1) are ANDed, into Y13 and Y14: a nonzero byte means a
// bucket of the group lets the three bytes through. The low-nibble lookups
// take the bytes as they are: VPSHUFB uses the low four bits of an index and
// gives zero for one of 0x80 or more, and no fingerprint has such a byte
// (buildTeddy). Y12 holds the bytes, then their high nibbles; Y15 is scratch.
#define HALF(off, reg) \
	VMOVDQU   off(SI), Y12        \
	VPSHUFB   Y12, Y0, Y13        \
	VPSHUFB   Y12, Y6, Y14        \
	VPSRLW    $4, Y12, Y12        \
	VPAND     nibble<>(SB), Y12, Y12 \
	VPSHUFB   Y12, Y1, Y15        \
	VPAND     Y15, Y13, Y13       \
	VPSHUFB   Y12, Y7, Y15        \
	VPAND     Y15, Y14, Y14       \
	VMOVDQU   off+1(SI), Y12      \
	VPSHUFB   Y12, Y2, Y15        \
	VPAND     Y15, Y13, Y13       \
	VPSHUFB   Y12, Y8, Y15        \
	VPAND     Y15, Y14, Y14       \
	VPSRLW    $4, Y12, Y12        \
	VPAND     nibble<>(SB), Y12, Y12 \
	VPSHUFB   Y12, Y3, Y15        \
	VPAND     Y15, Y13, Y13       \
	VPSHUFB   Y12, Y9, Y15        \
	VPAND     Y15, Y14, Y14       \
	VMOVDQU   off+2(SI), Y12      \
	VPSHUFB   Y12, Y4, Y15        \
	VPAND     Y15, Y13, Y13       \
	VPSHUFB   Y12, Y10, Y15       \
	VPAND     Y15, Y14, Y14       \
	VPSRLW    $4, Y12, Y12        \
	VPAND     nibble<>(SB), Y12, Y12 \
	VPSHUFB   Y12, Y5, Y15        \
	VPAND     Y15, Y13, Y13       \
	VPSHUFB   Y12, Y11, Y15       \
	VPAND     Y15, Y14, Y14       \
	VPOR      Y14, Y13, Y13       \
	VPCMPEQB  zeros<>(SB), Y13, Y13 \
	VPMOVMSKB Y13, reg

// func marksAVX2(t *teddyTables, data []byte, out []uint64, prev uint64) (n int, blocks int, last uint64)
//
// For each 64-byte block, fp has bit k set when a bucket lets the block's
// bytes k, k+1, k+2 through (two HALFs). The even offset k is marked when a
// fingerprint starts at k or at k-1:
// marks = (fp | fp<<1 | previous block's fp>>63) & 0x5555555555555555.
// The loop keeps the complement, nfp, which the HALFs give as it is (one bit
// per position no bucket lets through), and the previous block's in R8:
// marks = ^(nfp & (nfp<<1 | previous nfp>>63)) & 0x5555555555555555, the
// shift and its carry in one SHLQ of two registers (x86's SHLD).
// The entry (marks, offset) is stored at out[2n], out[2n+1] for every block
// and n counts only the blocks with marks, so the blocks without any cost no
// branch. All twelve tables stay in registers.
TEXT ·marksAVX2(SB), NOSPLIT, $0-88
	MOVQ t+0(FP), AX
	MOVQ data_base+8(FP), SI
	MOVQ data_len+16(FP), CX
	MOVQ out_base+32(FP), DI
	MOVQ out_len+40(FP), DX
	MOVQ prev+56(FP), R8
	NOTQ R8                // the previous block's nfp
	MOVQ DI, R9            // out's start: n = (DI-R9)/16 at the end
	XORQ R10, R10          // the block's offset in data
	SUBQ $2, CX            // the third byte of the last position must be in data
	JLE  none
	SHRQ $6, CX
	SHRQ $1, DX
	CMPQ DX, CX
	CMOVQLT DX, CX         // blocks = min((len(data)-2)/64, len(out)/2)
	MOVQ CX, blocks+72(FP)
	TESTQ CX, CX
	JZ   done

	VBROADCASTI128 0(AX), Y0
	VBROADCASTI128 16(AX), Y1
	VBROADCASTI128 32(AX), Y2
	VBROADCASTI128 48(AX), Y3
	VBROADCASTI128 64(AX), Y4
	VBROADCASTI128 80(AX), Y5
	VBROADCASTI128 96(AX), Y6
	VBROADCASTI128 112(AX), Y7
	VBROADCASTI128 128(AX), Y8
	VBROADCASTI128 144(AX), Y9
	VBROADCASTI128 160(AX), Y10
	VBROADCASTI128 176(AX), Y11
	MOVQ $0x5555555555555555, R11

loop:
	HALF(0, BX)
	HALF(32, DX)
	SHLQ  $32, DX
	ORQ   BX, DX           // nfp
	MOVQ  DX, BX
	SHLQ  $1, R8, BX       // nfp<<1 | previous nfp>>63
	ANDQ  DX, BX
	NOTQ  BX
	ANDQ  R11, BX          // marks
	MOVQ  DX, R8           // the previous nfp
	MOVQ  BX, (DI)
	MOVQ  R10, 8(DI)
	LEAQ  16(DI), R12
	TESTQ BX, BX
	CMOVQNE R12, DI        // n++ if marks != 0

	ADDQ $64, SI
	ADDQ $64, R10
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	SUBQ R9, DI
	SHRQ $4, DI
	MOVQ DI, n+64(FP)
	NOTQ R8
	MOVQ R8, last+80(FP)
	RET

none:
	MOVQ $0, n+64(FP)
	MOVQ $0, blocks+72(FP)
	NOTQ R8
	MOVQ R8, last+80(FP)
	RET
