// Package rawescaped splits a key ID into a raw string head and a rest
// that opens with an escape: each alone, keyscan scan's byte test of Go
// files took the package for a candidate, the pair it did not (qa33 H5).
package rawescaped

const head = `AKIA`

var ID = head + "\x53H2C2H2DYRET5NQK" // want `AKIA\*+5NQK .*assembled by constant folding`
