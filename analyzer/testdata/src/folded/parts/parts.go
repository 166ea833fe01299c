// Package parts holds the tail of a key that package folded assembles.
package parts

// Tail is the body of a key ID whose head another package writes.
const Tail = "W3QPGLOZXQJ52S4M"

// Part is a typed string.
type Part string
