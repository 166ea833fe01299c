// Package receive is keyscan's server-side gate: it checks what a push
// adds before git accepts it, as a pre-receive hook, and says why it refuses.
//
// # Why it is shaped this way
//
// A pre-commit hook protects only the developer who installed it; a
// pre-receive hook runs on the server for every push. git hands the hook one
// "<old> <new> <ref>" line per ref and keeps the pushed objects in a
// quarantine directory until the hook accepts them, which is why scanners
// that read the repository as it is on disk see nothing new. Check takes
// the quarantine directories as history.Options.ObjectDirs and reuses the
// history scan rather than reading objects itself: the same walk, the same
// attribution of a value to the commit that introduced it, the same
// every-unique-blob-once reading. What the push adds is the history of the
// new tips without the history the repository's refs already reach
// (history.Options.Not), found the way git itself finds it, so a push of a
// few commits reads those commits and the trees they touch, not the
// repository's past. A deletion adds nothing and is not scanned. The push's
// commit and tag messages come with that scan; the names of the refs it
// creates are scanned here (refname.go), since nothing else reads them.
//
// The gate fails closed: anything that keeps Check from knowing what the
// push adds (a line it cannot parse, an object it cannot read, a shallow
// push whose parents are missing) is an error, and the command refuses the
// push unless the server's administrator chose to fail open.
//
// Exceptions come from the server, never from the push. A .keyscan.toml in
// the pushed commits is written by the pusher: honouring it would let any
// push exempt itself (exclude = ["**"]). So the server's configuration,
// the administrator's baseline and, when the administrator enables them,
// push options naming a fingerprint decide. A `keyscan:allow <reason>`
// comment on the line itself is the pusher's word too, but one that marks
// a single value, gives a reason and is in the diff reviewers read: it is
// an exception (ByAllowComment) unless the server refuses such comments
// (Options.RefuseAllowComments), and either way the scanner returns the
// values it allows (scanner.Options.ReportAllowed) so that none passes
// unrecorded. Every exception the server grants is returned so that it can
// be logged.
package receive
