//go:build ignore

package embedfiles

// Excluded by its build constraint, still in the repository.
var ignored = "AKIAUU7Q3PWQ7XI43OH2"
