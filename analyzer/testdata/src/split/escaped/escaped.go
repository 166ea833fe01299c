// Package escaped writes keys with Go's escapes and splits a key pair
// over lines, for the property that keyscan scan finds what go vet finds.
package escaped

import "github.com/aws/aws-sdk-go-v2/credentials"

const octal = "\101\113\111\101\123\122\125\102\120\116\123\120\131\120\064\065\101\067\132\120" // want `AKIA\*+A7ZP .*in a string literal`

const long = "\U00000041\U0000004b\U00000049\U00000041\U00000056\U00000049\U00000035\U00000042\U00000057\U00000049\U00000037\U0000004a\U00000042\U00000042\U00000046\U00000055\U00000047\U00000054\U0000004d\U00000037" // want `AKIA\*+GTM7 .*in a string literal`

const mixed = "\x41\u004bI\x41\u004eC\x53\u00416\x37\u0052A\x33\u0049D\x37\u0041Q\x50\u0037" // want `AKIA\*+AQP7 .*in a string literal`

var provider = credentials.NewStaticCredentialsProvider("AK"+ // want `AKIA\*+GTM7 .*passed to credentials.NewStaticCredentialsProvider`
	"IAVI5BWI7JBBFUGTM7",
	"W9e7c3N9JbzDqUtkrEnM"+ // want `W9e7\*+v3/B .*passed to credentials.NewStaticCredentialsProvider`
		"fy+dxS/HySZpYMlyv3/B", "")
