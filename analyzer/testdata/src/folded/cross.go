package folded

import "folded/parts"

// A key assembled with a constant of another package of the module.
const crossID = "AKIA" + parts.Tail // want `AKIA\*+2S4M .*assembled by constant folding`

// Typed constants, converted and joined inside a function body.
const (
	typedHead parts.Part = "AKIABZYV"
	typedTail parts.Part = "J2IGSZNHOKMX"
)

func inBody() string {
	return string(typedHead) + string(typedTail) // want `AKIA\*+OKMX .*assembled by constant folding`
}

// A secret that exists only after folding, named like a secret, next to a
// folded key ID: paired as literal ones are.
const (
	pairIDHead     = "AKIA54QY"
	pairSecretHead = "8oOdh7Cerj7SyCkxzN+x"
)

const pairID = pairIDHead + "VMNK25HADQBZ"             // want `AKIA\*+DQBZ .*assembled by constant folding`
const secret = pairSecretHead + "LYZj/E788yjIlsenqIqd" // want `8oOd\*+qIqd .*assembled by constant folding`
