// Package bomb doubles a string constant 33 times: its 20 bytes become 160
// GiB once read, while the file stays under a kilobyte. The analyzer must
// not read the long constants (analyzer/conststr.go), and still finds the
// key the first one folds.
package bomb

const c0 = "AK" + "IAKHOTIAMMT552XLHS" // want `AKIA\*+XLHS .*assembled by constant folding`

const c1 = c0 + c0
const c2 = c1 + c1
const c3 = c2 + c2
const c4 = c3 + c3
const c5 = c4 + c4
const c6 = c5 + c5
const c7 = c6 + c6
const c8 = c7 + c7
const c9 = c8 + c8
const c10 = c9 + c9
const c11 = c10 + c10
const c12 = c11 + c11
const c13 = c12 + c12
const c14 = c13 + c13
const c15 = c14 + c14
const c16 = c15 + c15
const c17 = c16 + c16
const c18 = c17 + c17
const c19 = c18 + c18
const c20 = c19 + c19
const c21 = c20 + c20
const c22 = c21 + c21
const c23 = c22 + c22
const c24 = c23 + c23
const c25 = c24 + c24
const c26 = c25 + c25
const c27 = c26 + c26
const c28 = c27 + c27
const c29 = c28 + c28
const c30 = c29 + c29
const c31 = c30 + c30
const c32 = c31 + c31
const c33 = c32 + c32

// V is read by no one: a constant this long is never scanned.
var V = c33

func use() string {
	const local = c33 + c33
	return local + c0
}

// A key folded with a long constant is past the bound too: not folded.
// The byte scan still joins the two names it adds (scanner/interp.go).
const (
	pastHead = "AKIAD2LW"
	pastTail = "MY3ISCNDJDCW"
	past     = c12 + " " + pastHead + pastTail // want `AKIA\*+JDCW .*in the source`
)

// One within it is read.
const (
	withinHead = "AKIA2BSG"
	withinTail = "GVCWPSZHQS3G"
	within     = c10 + " " + withinHead + withinTail // want `AKIA\*+QS3G .*assembled by constant folding`
)
