//go:build !purego

#include "textflag.h"

// func fingerprintsAVX2(t *teddyTables, data []byte, masks []uint32)
//
// For each 32-byte block at SI: load the bytes at SI, SI+1 and SI+2 (the
// first, second and third byte of a fingerprint starting at each position),
// split each into low and high nibbles, and per group of eight buckets AND
// the six table lookups (VPSHUFB: a 16-byte table, one entry per nibble
// value, in both 128-bit lanes): a nonzero byte means a bucket of the group
// lets the three bytes through. A bit of the mask is set when a bucket of
// either group does.
TEXT ·fingerprintsAVX2(SB), NOSPLIT, $0-56
	MOVQ t+0(FP), AX
	MOVQ data_base+8(FP), SI
	MOVQ data_len+16(FP), CX
	MOVQ masks_base+32(FP), DI
	MOVQ masks_len+40(FP), DX
	SUBQ $2, CX            // the third byte of the last position must be in data
	JLE  done
	SHRQ $5, CX
	CMPQ DX, CX
	CMOVQLT DX, CX         // blocks = min((len(data)-2)/32, len(masks))
	TESTQ CX, CX
	JZ   done

	MOVL $0x0f, BX
	MOVD BX, X6
	VPBROADCASTB X6, Y6    // 0x0f in every byte
	VPXOR Y7, Y7, Y7       // zero

loop:
	// Y0-Y5: the low and high nibbles of the bytes at SI, SI+1, SI+2.
	VMOVDQU 0(SI), Y0
	VMOVDQU 1(SI), Y2
	VMOVDQU 2(SI), Y4
	VPSRLW  $4, Y0, Y1
	VPSRLW  $4, Y2, Y3
	VPSRLW  $4, Y4, Y5
	VPAND   Y6, Y0, Y0
	VPAND   Y6, Y1, Y1
	VPAND   Y6, Y2, Y2
	VPAND   Y6, Y3, Y3
	VPAND   Y6, Y4, Y4
	VPAND   Y6, Y5, Y5

	// group 0 into Y8: tables t[0..5]
	VBROADCASTI128 0(AX), Y8
	VPSHUFB        Y0, Y8, Y8
	VBROADCASTI128 16(AX), Y10
	VPSHUFB        Y1, Y10, Y10
	VPAND          Y10, Y8, Y8
	VBROADCASTI128 32(AX), Y10
	VPSHUFB        Y2, Y10, Y10
	VPAND          Y10, Y8, Y8
	VBROADCASTI128 48(AX), Y10
	VPSHUFB        Y3, Y10, Y10
	VPAND          Y10, Y8, Y8
	VBROADCASTI128 64(AX), Y10
	VPSHUFB        Y4, Y10, Y10
	VPAND          Y10, Y8, Y8
	VBROADCASTI128 80(AX), Y10
	VPSHUFB        Y5, Y10, Y10
	VPAND          Y10, Y8, Y8

	// group 1 into Y9: tables t[6..11]
	VBROADCASTI128 96(AX), Y9
	VPSHUFB        Y0, Y9, Y9
	VBROADCASTI128 112(AX), Y10
	VPSHUFB        Y1, Y10, Y10
	VPAND          Y10, Y9, Y9
	VBROADCASTI128 128(AX), Y10
	VPSHUFB        Y2, Y10, Y10
	VPAND          Y10, Y9, Y9
	VBROADCASTI128 144(AX), Y10
	VPSHUFB        Y3, Y10, Y10
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
	NOTL      BX
	MOVL      BX, (DI)

	ADDQ $32, SI
	ADDQ $4, DI
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
