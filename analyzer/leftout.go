package analyzer

// A LeftOut is a Go file a package's type check left out
// (ScanPackageDirShared), so that a key it builds from constants is not
// known, and why. The caller says why in its gap: a person told "too
// large" of a small file (qa34: the ninth build variant of a constant)
// looks for the wrong cause.
type LeftOut struct {
	Name string
	Why  LeftReason
}

// LeftReason is why a Go file was left out of a type check.
type LeftReason uint8

const (
	// LeftBound: past the bound of the package's type check (its
	// tokens, CheckBound), or with types too costly to check.
	LeftBound LeftReason = iota
	// LeftUnparsed: declarations Go's parser cannot read.
	LeftUnparsed
	// LeftVariants: one of more build variants of a package's names
	// (creds_linux.go, creds_windows.go, ...) than are checked again,
	// MaxVariants.
	LeftVariants
)

// MaxVariants bounds the files of one package checked again for a name
// another file declares too (ScanPackageDirShared): platform and build-tag
// variants of a file come in a few, and a package of more is named as
// left out past it (LeftVariants).
const MaxVariants = 8

// Names returns the names of ls, in order.
func Names(ls []LeftOut) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out
}
