package twoletters

// A key ID assembled from a constant of another file.
const crossFile = idHead + "IA4X5WKHBF7QLYA6XQ" // want `AKIA\*+A6XQ .*assembled by constant folding`
