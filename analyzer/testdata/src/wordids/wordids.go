// Package wordids holds upper-case words that start like access key IDs
// (qa33 M4): region and fund codes, not keys, but for the one named as a
// key.
package wordids

// Region and fund codes as a billing export writes them.
const (
	R1 = "ASIAPACIFICSINGAPORE"
	R2 = "ASIAPACIFICMUMBAIIND"
	R3 = "AKIABANKHOLDINGSLTD2"
	R4 = "ASIAPACIFICTOKYOJPN2"
)

var Names = []string{"ASIANMARKETSINDEXFND", "ASIAEASTREGIONSTORE2"}

// Split over a concatenation, the words are still words.
var joined = "AKIA" + "BANKHOLDINGSLTD2"

// Named as a key, a value of words is still reported: the line says what
// it is.
//
// want +2 `AWS access key ID AKIA\*+LTD2`
const credentials = `[default]
aws_access_key_id = AKIABANKHOLDINGSLTD2
`

// A random key ID beside the words is found.
var keyID = "AKIAZQUA24AN3SBJAQJ5" // want `AWS access key ID AKIA\*+AQJ5`

// Business codes (fp36): words, numbers and tags, not keys, literal or
// folded.
const (
	C1 = "ASIASOUTHEAST2Q3SALE"
	C2 = "AKIAWIDGET42BLUE7XL2"
	C3 = "ASIAPACIFICQ3FY25REV"
	C4 = "ASIAEAST2SALESQ4TEAM"
	C5 = "AKIAOPSTICKET42STORY"
)

var code = "ASIA" + "SOUTHEAST2" + "Q3SALE"
