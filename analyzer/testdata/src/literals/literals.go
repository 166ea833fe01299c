// Package literals holds keys in string literals of every form.
package literals

import "fmt"

var plainID = "AKIAZQUA24AN3SBJAQJ5" // want `AWS access key ID AKIA\*+AQJ5 \(account \d{12}\) in a string literal`

// The escape hides the key from a byte scan: \x41 is 'A'.
var escapedID = "\x41KIAKJAD7N72ICT2TWJW" // want `AWS access key ID AKIA\*+TWJW .*in a string literal`

// A whole shared credentials file in a raw string: the reports are on the
// key's own lines.
//
// want +4 `AWS access key ID AKIA\*+NT3R \(account \d+\) in a string literal`
// want +4 `AWS secret access key NQLa\*+lQ0O in a string literal`
const credentialsFile = `[default]
region = us-east-1
aws_access_key_id = AKIAORCARJA6MRSPNT3R
aws_secret_access_key = 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
`

// A credentials file with escaped newlines, in an interpreted literal.
var iniEscaped = "[default]\naws_access_key_id = AKIACEIIR53FZRFEMGN3\naws_secret_access_key = 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\n" // want `AKIA\*+MGN3` `AO3L\*+/3zr`

func secretByName() {
	awsSecretAccessKey := "8+JJNd6PU/56xa/T82JPJHsULRAjLJ4N926/b7t0" // want `AWS secret access key 8\+JJ\*+b7t0`
	fmt.Println(awsSecretAccessKey)
}

var token = "ASIAZTRDBBMVVA2OHMIR" // want `AWS access key ID ASIA\*+HMIR`

// Negatives: documented examples, placeholders, identifiers, hashes.
var (
	example      = "AKIAIOSFODNN7EXAMPLE"
	exampleSec   = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	placeholder  = "AKIAXXXXXXXXXXXXXXXX"
	notBase32    = "AKIA1234567890123456"
	identifier   = "AIDAJQABLZS4A3QDU576Q"
	longer       = "XAKIAQ2TZ5K4NRWYB3E7F"
	hash         = "aws_secret_access_key=da39a3ee5e6b4b0d3255bfef95601890afd80709"
	envLookup    = "${AWS_SECRET_ACCESS_KEY}"
	allowedKeyID = "AKIAUU7Q3PWQ7XI43OH2" // keyscan:allow fixture for the docs, rotated
)

// want +1 `AKIA\*+4DWM .*keyscan:allow needs a reason`
var noReason = "AKIA2EEHEORW3D6F4DWM" // keyscan:allow
