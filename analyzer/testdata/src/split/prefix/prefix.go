// Package prefix splits a key ID's prefix itself.
package prefix

const prefixSplit = "AK" + "IA6EJTK26RMSTDHZ5X" // want `AKIA\*+HZ5X .*assembled by constant folding`
