// Package twoletters splits a key ID across the files of a package, with
// only two letters of its prefix in the first: the head alone is no
// candidate for keyscan scan's type-checked path, the rest after a + is.
package twoletters

// The head of a key ID, used in another file of the package.
const idHead = "AK"
