package files

// A key ID assembled from a constant of another file.
const crossFile = idHead + "AXXD22KGJEHSYGA7R" // want `AKIA\*+GA7R .*assembled by constant folding`
