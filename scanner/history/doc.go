// Package history finds AWS credentials in every blob of a git repository's
// history: every blob in the tree of every commit reachable from any ref
// (branches, remote-tracking branches, tags, notes, the stash and its reflog),
// and with Options.AllObjects the objects no ref reaches.
//
// # Why it is shaped this way
//
// Peers feed `git log -p` to their matcher and so read the same content once
// per commit that touches it. A history holds far fewer unique blobs than
// (commit, file) pairs, so Scan works in three passes:
//
//  1. Walk. Commits are enumerated from the refs (listed by go-git) and put
//     in topological order, oldest first; commits and trees are read through
//     internal/gitobj with a cache of resolved pack entries, so that the
//     versions of a directory, stored as one delta chain, share their
//     resolution. Their trees are walked with a memo keyed by (tree hash,
//     directory path): a directory that did not change between two commits
//     is walked once, and a directory that did change is compared record
//     by record with the last version walked at its path (a history
//     rewrites a directory of 900 entries to change one: only the changed
//     entries cost lookups). The walk records, for each unique blob, the
//     first commit and path where it appears, and keeps a compact graph of
//     directories and the blobs they hold for pass 3.
//  2. Read and scan. Each unique blob is read exactly once and scanned once, in
//     parallel. Reading is the hot path: rather than asking for objects one
//     by one (which resolves each delta chain from its base again unless a
//     cache happens to hold it), the scan groups the wanted blobs of each
//     pack into delta trees (internal/gitobj's Forest; planned during the
//     walk, on a goroutine of its own) and walks each tree from its base,
//     so every object, base or delta, is inflated once.
//     Each version is written into a buffer of its final size from a
//     per-worker pool; a parent's buffer goes back to the pool as soon as
//     its last child is built, so a chain of versions holds about two
//     buffers at a time and the heap stays near 150 MB on a 4 GB history.
//     Loose objects, and objects in a pack whose index cannot be loaded,
//     are read one by one.
//  3. Attribute. A value found in several blobs is one finding. It is
//     attributed to the earliest commit, in topological order, whose tree
//     holds a blob containing it; it counts the commits whose tree holds
//     such a blob, every path where one appears, the last such commit, and
//     whether HEAD still holds it.
//
// Commit messages, and the messages of the annotated tags the refs name, are
// pushed and cloned like blobs. The walk reads every commit already, so each
// unique message is scanned as it is read (pass 1); a message that holds a
// finding becomes findings of its own once the commits are ordered, under a
// pseudo-path ("commit <id> message", "tag <name> message"), apart from the
// values in files. So are the names of the refs the scan starts from, which
// every clone lists: each is scanned once, as the pre-receive gate scans the
// names a push creates, and a finding is at "ref <name> (name)", the name
// redacted (refname.go).
//
// The package never prints: progress goes through Options.Progress and
// everything a user should hear about (a shallow clone, a corrupt object, a
// submodule, an LFS pointer, a blob over the size limit) comes back as a
// Warning in the Result.
package history
