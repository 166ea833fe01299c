// Package folded assembles keys from pieces a byte scan cannot join.
package folded

const (
	idHead = "AKIAZQUA"
	idTail = "24AN3SBJAQJ5"
)

const id = idHead + idTail // want `AWS access key ID AKIA\*+AQJ5 .*assembled by constant folding: splitting a key`

// KeyID is a typed string.
type KeyID string

// A typed constant, converted and concatenated.
const typed KeyID = KeyID("AKIA" + "KJAD7N72ICT2TWJW") // want `AKIA\*+TWJW .*assembled by constant folding`

// A const block with a secret whose name says what it is.
const (
	secretHead         = "NQLaI9aydT+RaD+rfO+/"
	awsSecretAccessKey = secretHead + "1c8KHH81NAxdTFDZlQ0O" // want `AWS secret access key NQLa\*+lQ0O .*assembled by constant folding`
)

func use() string {
	local := "AKIA" + "CEIIR53FZRFEMGN3" // want `AKIA\*+MGN3 .*assembled by constant folding`
	return local
}

// Negatives: pieces too short to be keys, the documented example split in
// two, a key written whole in one literal (reported there, once), and a
// reference to a constant (reported where it is defined).
const (
	short   = "AKIA" + "ABC"
	example = "AKIAIOSFODNN7" + "EXAMPLE"
	whole   = "AKIAUYQAXJY72IWXWJUP" + "" // want `AKIA\*+WJUP .*in a string literal`
	ref     = id
	refSum  = whole + ""
)

// allowed is assembled too, but explicitly allowed.
const allowed = "AKIA" + "UU7Q3PWQ7XI43OH2" // keyscan:allow test fixture, rotated
