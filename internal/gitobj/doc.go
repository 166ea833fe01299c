// Package gitobj reads git's on-disk formats: object names, loose objects,
// pack indexes (versions 1 and 2), pack entries and their delta chains,
// trees, commits and tags as far as keyscan needs them, the index file
// with its cache-tree, and the objects folders that alternates add. Both
// the history scan (scanner/history) and the staged scan (scanner/staged)
// read objects through it: one reader of each format, so one place to
// harden and one to make fast.
//
// # Why it is shaped this way
//
// The two callers read in opposite ways. A pre-commit hook reads a handful
// of objects and must answer in milliseconds on a large repository, so
// OpenPack reads no more of a pack index than its fan-out table and each
// lookup bisects the names on disk (go-git's idxfile decodes every entry
// into maps first). A history scan reads every object, so Pack.Load holds
// the index in memory and orders the entries by offset: lookups then cost
// no system call, the pack is read in its own order, and every entry's
// compressed length is known, which bounds what its header may claim.
// Each reader then reads a loaded pack's small entries through a cache of
// 16 KiB blocks (blocks.go): the trees, commits and headers a history
// scan reads one by one lie close together, and one read of the file
// serves twenty of them.
// The same lookup and entry code serves both.
//
// Delta chains are resolved base first. A Reader resolves one object at a
// time, recursively, with a cache of resolved entries so that successive
// versions of a directory share their work. For reading many objects, a
// Forest groups the wanted entries into the trees their deltas form and a
// Walker (one per goroutine) resolves each tree from its root, so every
// entry is inflated exactly once; ApplyDelta writes each version into a
// buffer of its final size from the walker's BufPool, and a parent's
// buffer goes back to the pool once its last child is built, so a chain
// of versions costs two buffers, not one per version. Nothing read is trusted: every size, offset and count is
// checked against what is left of the input and against
// Options.MaxObjectSize before anything is allocated, delta chains are cut
// at 10,000 links (a loop of REF deltas ends there), and a corrupt entry
// is an error, never a panic.
//
// A pack met as a file (a git bundle's, or one copied out of a
// repository) has no index: ReadPackStream (stream.go) reads it in order,
// as git's index-pack does, with the same entry header and delta code,
// hashing each object to find REF deltas' bases; scanner/archive opens
// bundles and packs through it.
//
// The object store comes with the repository, and a repository can come
// from anyone (a tarball, a CI artifact), so its files are read as
// internal/readfile reads what a user names: every loose object, pack,
// pack index and alternates file is opened without blocking and only when
// fstat says it is a regular file, and read no further than its size; a
// folder of it is listed only when it is one. Alternates are bounded (see
// Open). An object is inflated no further than the size its header
// declares, and a declared size over 16 MiB is allocated as the bytes
// arrive, so a header that lies costs what the stream holds.
//
// Which objects are checked against their names: loose objects, always.
// A loose object's name is only its file's name, so without the check a
// file could claim any ID, and a tree could name itself as its own
// subtree; the check is one SHA-1 of bytes just inflated, and loose
// objects are few. Packed objects are not hashed: a history scan reads
// every blob of every pack, where a SHA-1 of each would cost a share of
// the scan, and git's index-pack checks every object when a pack arrives
// (a fetch, a push). A pack index written by hand can still file an entry
// under any ID, so the walks over trees (scanner/history, scanner/staged)
// do not rely on IDs being hashes: a tree met again inside itself is
// refused, and depth is bounded. Packed bytes are checked for damage as
// git checks them, though: an entry read whole must match the CRC-32 its
// version 2 index gives (a hardware CRC of the compressed bytes, for a
// loaded pack) or else the Adler-32 at the end of its zlib stream, so a
// bit flipped on disk that still inflates to the announced size is a
// corrupt entry, read from another copy when there is one, and never
// scanned as the object (see Inflater).
//
// go-git stays where it serves: refs and configuration (scanner/history
// gives it a guarded view of the git folder, and reads no object through
// it). The
// package reads no environment variables: the caller passes the objects
// folder and the alternates (cmd/keyscan takes them from
// GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES, as git sets
// them for a pre-receive hook whose pushed objects wait in quarantine).
package gitobj
