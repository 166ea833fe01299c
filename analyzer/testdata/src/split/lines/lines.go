// Package lines splits a key ID across a multi-line concatenation.
package lines

var multiLine = "AKIAWY" + // want `AKIA\*+J64I .*assembled by constant folding`
	"6G7MSNDRO4" +
	"J64I"
