// Package pathname names the files keyscan reports, in the two ways a
// report needs.
//
// A person reads a path and opens it: reports print it as it can be opened
// from the working directory, the way grep and ripgrep do (Shown). A
// baseline, a SARIF upload and a patch need a name that does not change with
// where keyscan was started or which folder it was given: inside a git work
// tree that is the path from the top of the work tree, as git itself names
// files; outside one it is the path from the working directory (Namer.Key).
// With one rule for both, `keyscan scan .`, `keyscan scan sub` and
// `cd sub; keyscan scan` give the same fingerprints, and a fix diff's a/ and
// b/ paths are the ones `git apply` takes from anywhere in the work tree.
package pathname
