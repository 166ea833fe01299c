//go:build !purego

#include "textflag.h"

// func marksAVX2(t *teddyTables, data []byte, out []uint64, prev uint32) (n int, blocks int, last uint32)
//
// For each 32-byte block at SI: load the bytes at SI, SI+1 and SI+2 (the
// first, second and third byte of a fingerprint starting at each position)
// and, per group of eight buckets, AND the six table lookups of their low
// and high nibbles (VPSHUFB: a 16-byte table, one entry per nibble value, in
// both 128-bit lanes): a nonzero byte means a bucket of the group lets the
// three bytes through, and bit k of fp (VPMOVMSKB) that one of either group
// lets data[k:k+3] through. The low-nibble lookups take the bytes as they
// are: VPSHUFB uses the low four bits of an index and gives zero for one of
// 0x80 or more, and no fingerprint has such a byte (buildTeddy).
//
// The even offset k is marked when a fingerprint starts at k or at k-1:
// marks = (fp | fp<<1 | previous block's fp>>31) & 0x55555555. The entry
// offset<<32 | marks is stored at out[n] for every block and n counts only
// the blocks with marks, so the blocks without any cost no branch.
TEXT ·marksAVX2(SB), NOSPLIT, $0-84
	MOVQ t+0(FP), AX
	MOVQ data_base+8(FP), SI
	MOVQ data_len+16(FP), CX
	MOVQ out_base+32(FP), DI
	MOVQ out_len+40(FP), DX
	MOVL prev+56(FP), R8   // the previous block's fp
	XORQ R9, R9            // n
	XORQ R10, R10          // the block's offset in data
	SUBQ $2, CX            // the third byte of the last position must be in data
	JLE  none
	SHRQ $5, CX
	CMPQ DX, CX
	CMOVQLT DX, CX         // blocks = min((len(data)-2)/32, len(out))
	MOVQ CX, blocks+72(FP)
	TESTQ CX, CX
	JZ   done

	MOVL $0x0f, BX
	MOVD BX, X6
	VPBROADCASTB X6, Y6    // 0x0f in every byte
	VPXOR Y7, Y7, Y7       // zero
	// Y11-Y15: five of the twelve tables (t[1], t[3], t[5], t[7], t[9]:
	// high nibbles); the others are loaded in the loop.
	VBROADCASTI128 16(AX), Y11
	VBROADCASTI128 48(AX), Y12
	VBROADCASTI128 80(AX), Y13
	VBROADCASTI128 112(AX), Y14
	VBROADCASTI128 144(AX), Y15

loop:
	// Y0, Y2, Y4: the bytes at SI, SI+1, SI+2; Y1, Y3, Y5: their high nibbles.
	VMOVDQU 0(SI), Y0
	VMOVDQU 1(SI), Y2
	VMOVDQU 2(SI), Y4
	VPSRLW  $4, Y0, Y1
	VPSRLW  $4, Y2, Y3
	VPSRLW  $4, Y4, Y5
	VPAND   Y6, Y1, Y1
	VPAND   Y6, Y3, Y3
	VPAND   Y6, Y5, Y5

	// group 0 into Y8: tables t[0..5]
	VBROADCASTI128 0(AX), Y8
	VPSHUFB        Y0, Y8, Y8
	VPSHUFB        Y1, Y11, Y10
	VPAND          Y10, Y8, Y8
	VBROADCASTI128 32(AX), Y10
	VPSHUFB        Y2, Y10, Y10
	VPAND          Y10, Y8, Y8
	VPSHUFB        Y3, Y12, Y10
	VPAND          Y10, Y8, Y8
	VBROADCASTI128 64(AX), Y10
	VPSHUFB        Y4, Y10, Y10
	VPAND          Y10, Y8, Y8
	VPSHUFB        Y5, Y13, Y10
	VPAND          Y10, Y8, Y8

	// group 1 into Y9: tables t[6..11]
	VBROADCASTI128 96(AX), Y9
	VPSHUFB        Y0, Y9, Y9
	VPSHUFB        Y1, Y14, Y10
	VPAND          Y10, Y9, Y9
	VBROADCASTI128 128(AX), Y10
	VPSHUFB        Y2, Y10, Y10
	VPAND          Y10, Y9, Y9
	VPSHUFB        Y3, Y15, Y10
	VPAND          Y10, Y9, Y9
	VBROADCASTI128 160(AX), Y10
	VPSHUFB        Y4, Y10, Y10
	VPAND          Y10, Y9, Y9
	VBROADCASTI128 176(AX), Y10
	VPSHUFB        Y5, Y10, Y10
	VPAND          Y10, Y9, Y9

	VPOR      Y9, Y8, Y8
	VPCMPEQB  Y7, Y8, Y8   // 0xff where no bucket lets the bytes through
	VPMOVMSKB Y8, BX
	NOTL      BX           // fp

	MOVL  BX, R11
	SHLL  $1, R11
	ORL   BX, R11
	SHRL  $31, R8
	ORL   R8, R11
	ANDL  $0x55555555, R11 // marks
	MOVL  BX, R8           // prev = fp
	MOVQ  R10, R12
	SHLQ  $32, R12
	ORQ   R11, R12
	MOVQ  R12, (DI)(R9*8)  // out[n] = offset<<32 | marks
	XORL  R13, R13
	TESTL R11, R11
	SETNE R13B
	ADDQ  R13, R9          // n++ if marks != 0

	ADDQ $32, SI
	ADDQ $32, R10
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	MOVQ R9, n+64(FP)
	MOVL R8, last+80(FP)
	RET

none:
	MOVQ $0, n+64(FP)
	MOVQ $0, blocks+72(FP)
	MOVL R8, last+80(FP)
	RET
