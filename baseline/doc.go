// Package baseline records accepted findings so that later scans report only
// new ones.
//
// A baseline holds, for each accepted finding, its fingerprint (a hash of the
// rule, the file and the value; see scanner.Fingerprint), the rule and the
// file, and the line where it was seen as a hint for the people reading the
// file. It never holds the secret. Because the fingerprint does not depend on
// the line, edits elsewhere in the file and moved lines keep a finding
// suppressed; a changed value or another rule makes it new, and so does
// another file, except where the entry's own file is gone: then it follows
// its value to one new path (FilterMoved), so that a rename does not make
// every accepted key new while a copy beside the original still is. A
// history finding lists every path of its value and matches by any of them.
//
// Filtering also returns the entries that matched nothing, so the caller can
// tell the user to delete them: a baseline should shrink as keys are removed
// and rotated, not keep accepting a key that might come back.
package baseline
