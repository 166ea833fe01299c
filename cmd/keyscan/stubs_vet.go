package main

// isUnitchecker and runUnitchecker are implemented by the go vet work (issue 3).
func isUnitchecker(args []string) bool { return false }
func runUnitchecker()                  {}
