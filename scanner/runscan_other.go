//go:build !amd64 || purego

package scanner

// No kernel reads runs here: the SWAR loops do.
const haveRunKernel = false

func classRun(p *byte, n int, t *[64]byte) int   { return 0 }
func classCount(p *byte, n int, t *[64]byte) int { return 0 }

func classRunBack(p *byte, n int, t *[64]byte) int { return 0 }

func setRunKernel(bool) {}

func hexPairsAVX2(dst, src *byte, n int) {}

func decodeB64AVX2(dst, src *byte, blocks int) {}

func highRun(p *byte, n int) int      { return 0 }
func backspaceRun(p *byte, n int) int { return 0 }
