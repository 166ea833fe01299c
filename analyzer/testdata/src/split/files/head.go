// Package files splits a key ID across the files of a package.
package files

// The head of a key ID, used in another file of the package.
const idHead = "AKI"
