// Package rules holds keyscan's AWS credential rule set as documented data.
//
// A rule says what one kind of credential looks like, why a leak of it matters,
// how to replace it with the EC2 instance role provider, and carries its own
// true- and false-positive examples. The examples are templates: placeholders
// such as {{ID}} or {{SECRET}} are filled by the tests with freshly generated
// fake keys and by the documentation with AWS's published example keys, so that
// no key pair is ever committed and keyscan's own scan of itself stays clean.
//
// The package is pure data: it does no I/O and imports only the standard library.
// The matcher lives in package scanner; the examples run against it in this
// package's tests.
package rules
