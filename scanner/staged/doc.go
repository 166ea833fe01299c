// Package staged finds the credentials that the next commit would add: the
// index against HEAD.
//
// A pre-commit hook runs on every commit, so the package is built for a
// verdict in a few milliseconds on a large repository. It reads the index
// and the objects through internal/gitobj instead of asking the git binary
// (whose start-up and index refresh alone cost more than the budget) or
// go-git's storage (which decodes every pack index in full before the
// first lookup): gitobj bisects a pack index on disk and reads only the
// objects asked for. The index's
// cache-tree extension, and tree hashes computed from the index where the
// cache-tree is invalid, let the comparison with HEAD skip every directory
// the commit does not touch, so only the trees along changed paths and the
// blobs of changed files are ever read.
//
// New files are scanned whole. Changed files are scanned whole too, so that
// pairing and context see the entire file, but only the findings whose span
// touches a line the commit adds or changes are kept (a line diff of the old
// and new blob, computed with github.com/sergi/go-diff): a key already in
// HEAD does not block an unrelated commit. A value the old version did not
// report counts wherever it stands, since deleting a MinIO endpoint line
// above a secret makes it AWS's without touching its line. Renames are
// followed; binary files report only values that the old version did not
// hold; during a merge a line counts as added only when no parent has it.
package staged
