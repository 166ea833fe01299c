package fix

// ReplaceIn is the replacement WriteFileUnder makes once it has checked
// where the file lies: a test calls it as if a link had been swapped in
// after that check.
var ReplaceIn = replaceIn

// VarUse is how TerraformVariableHold finds var.NAME, tested against the
// regexp it replaces.
var VarUse = varUse
