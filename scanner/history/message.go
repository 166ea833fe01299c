package history

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/keyscan/keyscan/internal/gitobj"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
)

// Commit and tag messages are pushed and cloned like blobs, so a key pasted
// into one is as leaked as a key in a file. The walk reads every commit
// (and every annotated tag a ref names) anyway; each unique message is
// scanned once, as it is read. The few that hold a finding are kept and
// scanned again once the commits are in order, under the pseudo-path of the
// first commit that has the message ("commit <id> message"): a finding's
// path and fingerprint must not depend on the order the walk met them.

// shortID is how many hex digits of an object ID a message's pseudo-path
// shows.
const shortID = 12

// messages is the message side of a scan.
//
// The commits are read on one goroutine, before the walk can start, and
// scanning their messages took about a third of that time (trufflehog:
// 18,348 commits) while the other core had nothing to do. So a unique
// message is scanned on a helper goroutine (see startMessages) while the
// commits are read, and what each scan found is taken into the scan's
// state later, by flushMessages, in the order the messages were met: the
// hits, the commits that have each, the counts and the warnings are the
// same as when each was scanned as it was read.
type messages struct {
	seen map[[sha256.Size]byte]int32 // message digest -> its job's number
	hit  []int32                     // per job taken in: index in hits, -1 without findings
	jobs []*messageJob               // the jobs not taken in yet, numbered from len(hit)
	met  []messageMet                // each message met since, in order
	hits []messageHit
	tags map[gitobj.ID]bool // annotated tags already read
	n    int                // unique messages scanned

	queue   chan *messageJob // to the helper; nil: scan each as it is met
	pending sync.WaitGroup   // jobs not scanned yet
}

// messageJob is the scan of one unique message (or header).
type messageJob struct {
	text     []byte // kept until scanned, or until taken in when it has a finding
	owned    bool   // text is the job's own copy, not the reader's buffer
	commit   gitobj.ID
	tag      *tagMessage
	header   bool
	warnAt   int  // len(scan.warnings) when it was met: its warnings go there
	reported bool // it holds a reported finding
	res      content.Result
}

// messageMet is one commit or tag met with the message of job number job.
type messageMet struct {
	job    int32
	commit gitobj.ID
	tag    *tagMessage
}

// messageQueue is how many messages may wait for the helper; past it the
// reader scans a message itself, so that neither waits for the other and
// the messages held unscanned stay few.
const messageQueue = 256

// maxQueuedMessage is the longest message given to the helper: a longer
// one (rare) is scanned by the reader, so that the queue holds at most
// 16 MiB of copies, whatever the history's messages.
const maxQueuedMessage = 64 << 10

// messageHit is one unique message (or header) that holds a finding.
type messageHit struct {
	text    []byte
	header  bool        // the object's header lines, not its message
	commits []gitobj.ID // the commits that have it (none for a tag's)
	tag     *tagMessage // the tag that has it, when no commit does
}

type tagMessage struct {
	id     gitobj.ID
	header gitobj.TagHeader
}

// IsMessagePath reports whether a finding's path is the pseudo-path of a
// commit's or an annotated tag's message ("commit <id> message",
// "tag <name> message") or header lines ("commit <id> header",
// "tag <name> header").
func IsMessagePath(p string) bool {
	return (strings.HasPrefix(p, "commit ") || strings.HasPrefix(p, "tag ")) && (strings.HasSuffix(p, " message") || strings.HasSuffix(p, " header"))
}

// messagesOn reports whether the scan reads messages: a scan narrowed to
// blob paths (Options.PathGlob) does not.
func (s *scan) messagesOn() bool { return s.opts.PathGlob == "" }

// objectText scans the text of a commit or annotated tag object, data:
// its message, and its header lines (author, committer, tagger, and any
// other: gpgsig, mergetag, a custom one), which are cloned and shown by git
// log and git show as the message is. The lines that name objects by ID
// (tree, parent, object) are left out of the header. size is the object's
// whole size: past data (readText's limit), the rest is not scanned, and
// is counted as a blob over max_file_size is, so that --strict, the hooks
// and the gate fail on it.
func (s *scan) objectText(data []byte, size int64, commit gitobj.ID, tag *tagMessage) {
	if size > int64(len(data)) {
		s.stats.TooLarge++
		what, object := "commit", commit.String()
		if tag != nil {
			what, object = "tag", tag.id.String()
		}
		s.warn(object, "", fmt.Sprintf("%s object of %d bytes, larger than max_file_size (%d bytes): its first %d bytes scanned, the rest of its message not; "+
			"raise max_file_size in the configuration to scan it whole", what, size, s.opts.MaxBlobSize, len(data)))
	}
	msg := gitobj.Message(data)
	s.message(msg, commit, tag, false)
	if name := objectEncoding(data); name != "" {
		decoded, also, ok := decodeMessage(name, msg)
		switch {
		case !ok:
			s.stats.Undecoded++
			object := commit.String()
			if tag != nil {
				object = tag.id.String()
			}
			s.warn(object, "", fmt.Sprintf("message in encoding %q (its encoding header), which keyscan does not decode: not decoded whole, "+
				"its raw bytes scanned only (git log shows it decoded)", name))
		case also && !bytes.Equal(decoded, msg):
			s.message(decoded, commit, tag, false)
		}
	}
	s.message(headerText(data), commit, tag, true)
}

// headerText returns the header lines of a commit or tag object without
// those that name objects (gitobj.HeaderText).
func headerText(data []byte) []byte { return gitobj.HeaderText(data) }

// message scans msg (a message, or with header the header lines), which
// commit (or, with a zero commit, tag) has, unless the same text was
// scanned before: on the helper when there is one (startMessages), else at
// once. Either way flushMessages takes the result in.
func (s *scan) message(msg []byte, commit gitobj.ID, tag *tagMessage, header bool) {
	if len(msg) == 0 || !s.messagesOn() {
		return
	}
	m := &s.msgs
	if m.seen == nil {
		m.seen = map[[sha256.Size]byte]int32{}
	}
	h := sha256.New()
	if header {
		h.Write([]byte("header\x00"))
	}
	h.Write(msg)
	var d [sha256.Size]byte
	h.Sum(d[:0])
	job, ok := m.seen[d]
	if !ok {
		if !header {
			m.n++
		}
		job = int32(len(m.hit) + len(m.jobs))
		m.seen[d] = job
		j := &messageJob{text: msg, commit: commit, tag: tag, header: header, warnAt: len(s.warnings)}
		m.jobs = append(m.jobs, j)
		m.pending.Add(1)
		queued := false
		if m.queue != nil && len(msg) <= maxQueuedMessage {
			j.text, j.owned = slices.Clone(msg), true // the reader reuses its buffers
			select {
			case m.queue <- j:
				queued = true
			default:
			}
		}
		if !queued {
			s.scanMessage(j)
		}
	}
	m.met = append(m.met, messageMet{job: job, commit: commit, tag: tag})
	if m.queue == nil {
		s.flushMessages()
	}
}

// where returns the object whose message j scans, for warnings, and the
// message's pseudo-path.
func (j *messageJob) where() (object, path string) {
	part := " message"
	if j.header {
		part = " header"
	}
	if j.tag != nil {
		object = j.tag.id.String()
		return object, "tag " + object[:shortID] + part
	}
	object = j.commit.String()
	return object, "commit " + object[:shortID] + part
}

// scanMessage scans j's message, on any goroutine: it writes only j.
func (s *scan) scanMessage(j *messageJob) {
	defer s.msgs.pending.Done()
	_, path := j.where()
	j.res = s.messageContent(j.text, path)
	j.reported = len(j.res.Findings.Reported()) > 0
	j.res.Findings = nil // the text is kept, and scanned again for them later
	switch {
	case !j.reported:
		j.text = nil
	case !j.owned:
		j.text, j.owned = slices.Clone(j.text), true
	}
}

// startMessages starts the helper that scans the messages met from now on,
// until flushMessages. Once ctx ends it scans nothing more.
func (s *scan) startMessages(ctx context.Context) {
	m := &s.msgs
	if m.queue != nil || !s.messagesOn() {
		return
	}
	q := make(chan *messageJob, messageQueue)
	m.queue = q
	go func() {
		for j := range q {
			if ctx.Err() != nil {
				m.pending.Done()
				continue
			}
			s.scanMessage(j)
		}
	}()
}

// stopMessages stops the helper, if there is one, once it has scanned what
// it was given.
func (s *scan) stopMessages() {
	m := &s.msgs
	if m.queue != nil {
		close(m.queue)
		m.queue = nil
		m.pending.Wait()
	}
}

// flushMessages stops the helper; then takes each message's result in, in
// the order the messages were met: its counts and warnings (where they
// would have come had it been scanned when met), its findings as a hit,
// and the commits and tags that have it. Messages met later are scanned at
// once.
func (s *scan) flushMessages() {
	s.stopMessages()
	m := &s.msgs
	var warned []Warning
	var at []int
	for _, j := range m.jobs {
		kept := s.warnings
		s.warnings = nil
		var object string
		if len(j.res.Warnings) > 0 {
			object, _ = j.where() // only a warning names it
		}
		s.addContent(object, &j.res)
		for _, w := range s.warnings {
			warned = append(warned, w)
			at = append(at, j.warnAt)
		}
		s.warnings = kept
		h := int32(-1)
		if j.reported {
			h = int32(len(m.hits))
			m.hits = append(m.hits, messageHit{text: j.text, header: j.header})
		}
		m.hit = append(m.hit, h)
	}
	m.jobs = nil // the scans held for the commits, about 11 MB for botocore's
	for _, met := range m.met {
		h := m.hit[met.job]
		if h < 0 {
			continue
		}
		mh := &m.hits[h]
		if met.tag != nil {
			if mh.tag == nil {
				mh.tag = met.tag
			}
			continue
		}
		mh.commits = append(mh.commits, met.commit)
	}
	m.met = nil
	s.warnings = insertWarnings(s.warnings, warned, at)
}

// insertWarnings returns ws with each of add put before the warning at
// index at[i] of ws (at the end when at[i] is len(ws)); at is ascending.
func insertWarnings(ws, add []Warning, at []int) []Warning {
	if len(add) == 0 {
		return ws
	}
	out := make([]Warning, 0, len(ws)+len(add))
	k := 0
	for i, w := range ws {
		for k < len(add) && at[k] <= i {
			out = append(out, add[k])
			k++
		}
		out = append(out, w)
	}
	return append(out, add[k:]...)
}

// messageContent scans a message (or header lines) under its pseudo-path
// as a blob's content is scanned: an archive pasted into it in base64 is
// opened, and what could not be checked (its check budget spent, past
// max_findings_per_file, an archive part not read) is counted and warned
// about under that path (flushMessages), so that --strict and the
// pre-receive gate fail on it as on a file's (qa13 HIGH-1, HIGH-2). The
// findings are turned into the report's later, by messageFindings, once
// the commits are in order.
func (s *scan) messageContent(msg []byte, path string) content.Result {
	return content.Scan(s.ctx, s.sc, path, msg, s.opts.Content)
}

// peelTip follows the annotated tags a ref points at to the object they
// name, scanning each tag's message. Each object is peeled once: many refs
// can name one object (200,000 release tags on one commit, qa34 7), and a
// loose object is inflated anew on every read, so reading it per ref cost
// 14 CPU seconds where git for-each-ref took one.
func (s *scan) peelTip(name string, h gitobj.ID) (tip, error) {
	if p, ok := s.peeled[h]; ok {
		return tip{name: name, hash: p.hash, typ: p.typ}, p.err
	}
	t, err := s.peelOnce(name, h)
	if s.peeled == nil {
		s.peeled = map[gitobj.ID]peeledTip{}
	}
	s.peeled[h] = peeledTip{hash: t.hash, typ: t.typ, err: err}
	return t, err
}

// peeledTip is what peelTip found for an object: the object its tags
// lead to, or why they lead nowhere.
type peeledTip struct {
	hash gitobj.ID
	typ  gitobj.Type
	err  error
}

func (s *scan) peelOnce(name string, h gitobj.ID) (tip, error) {
	for range gitobj.MaxTagChain {
		t, data, size, err := s.readText(h)
		if err != nil {
			return tip{}, err
		}
		if t != gitobj.Tag {
			return tip{name: name, hash: h, typ: t}, nil
		}
		th, err := gitobj.ParseTag(data)
		if err != nil {
			return tip{}, fmt.Errorf("tag %s: %w", h, err)
		}
		if s.msgs.tags == nil {
			s.msgs.tags = map[gitobj.ID]bool{}
		}
		if !s.msgs.tags[h] {
			s.msgs.tags[h] = true
			s.objectText(data, size, gitobj.ID{}, &tagMessage{id: h, header: th})
		}
		h = th.Object
	}
	return tip{}, fmt.Errorf("object %s: tag chain too long", h)
}

// messageFindings turns the messages that hold a finding into findings, one
// per value and message, once the commits are in order (s.commits).
// pathFindings turns the paths whose name holds a credential into
// findings (InPath), attributed to the first commit whose tree has the
// path, as a value in a blob is to the first commit that holds it.
//
// Like a value's, a path's finding says how many commits hold the path,
// the last of them, and whether HEAD's tree holds it: the walk records only
// the first commit (it does not walk a tree it has seen), so the trees of
// the later commits are looked up along the path, the steps memoised, as
// the trees of a history repeat.
func (s *scan) pathFindings() {
	if len(s.pathHits) == 0 {
		return
	}
	paths := make([]string, 0, len(s.pathHits))
	for p := range s.pathHits {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	steps := map[pathStep]gitobj.ID{}
	var headTree gitobj.ID
	if h, ok := s.headCommit(); ok {
		if c, err := s.readCommit(h); err == nil {
			headTree = c.Tree
		}
	}
	for _, p := range paths {
		first := s.pathHits[p]
		c := s.commits[first]
		n, last := 0, first
		for i := first; i < int32(len(s.commits)); i++ {
			if d := s.commits[i]; d.tip == "" && !d.tree.IsZero() && s.pathIn(d.tree, p, steps) {
				n, last = n+1, i
			}
		}
		n = max(n, 1) // the first commit holds it, whatever a damaged tree says now
		atHead := !headTree.IsZero() && s.pathIn(headTree, p, steps)
		for _, f := range s.sc.ScanPath(p, strings.LastIndexByte(p, '/')+1).Reported() {
			f.Commit = c.hash.String()
			f.Author, f.Date = c.author, c.when
			f.Paths = []string{p}
			f.Commits = n
			f.LastCommit = s.commits[last].hash.String()
			f.PresentAtHead = &atHead
			if c.dangling {
				f.Note = joinNote(f.Note, "in a path of "+s.unreached())
			}
			s.findings = append(s.findings, f)
		}
	}
}

// pathStep is one step of a lookup along a path: a name in a tree.
type pathStep struct {
	tree gitobj.ID
	name string
}

// pathIn reports whether the tree root holds path, a file or a folder,
// looking each name up in its folder's tree; steps memoises the steps (a
// zero ID: no such entry, or a tree that cannot be read).
func (s *scan) pathIn(root gitobj.ID, path string, steps map[pathStep]gitobj.ID) bool {
	t := root
	for name := range strings.SplitSeq(path, "/") {
		if t.IsZero() {
			return false
		}
		k := pathStep{t, name}
		next, ok := steps[k]
		if !ok {
			next = s.entryID(t, name)
			steps[k] = next
		}
		t = next
	}
	return !t.IsZero()
}

// entryID returns the ID of the entry called name in tree t; zero when
// there is none or t cannot be read.
func (s *scan) entryID(t gitobj.ID, name string) gitobj.ID {
	data, err := s.readTree(t)
	if err != nil {
		return gitobj.ID{}
	}
	for pos := 0; pos < len(data); {
		e, n, err := gitobj.NextTreeEntry(data[pos:])
		if err != nil {
			break
		}
		pos += n
		if string(e.Name) == name {
			if e.ID.IsZero() {
				return gitobj.ID{1} // present: an all-zero ID is still an entry
			}
			return e.ID
		}
	}
	return gitobj.ID{}
}

func (s *scan) messageFindings() {
	if len(s.msgs.hits) == 0 {
		return
	}
	order := make(map[gitobj.ID]int, len(s.commits))
	for i, c := range s.commits {
		order[c.hash] = i
	}
	no := false
	for _, h := range s.msgs.hits {
		var idx []int
		for _, c := range h.commits {
			if i, ok := order[c]; ok {
				idx = append(idx, i)
			}
		}
		slices.Sort(idx)
		idx = slices.Compact(idx)
		var path string
		var first, last commitInfo
		part, logical := " message", scanner.LogicalCommitMessage
		if h.header {
			part, logical = " header", scanner.LogicalCommitHeader
		}
		switch {
		case len(idx) > 0:
			first, last = s.commits[idx[0]], s.commits[idx[len(idx)-1]]
			path = "commit " + first.hash.String()[:shortID] + part
		case h.tag != nil:
			name := h.tag.header.Name
			if name == "" || !printable(name) || len(s.sc.Scan("tag name", []byte(name))) > 0 {
				name = h.tag.id.String()[:shortID]
			}
			path = "tag " + name + part
			logical = scanner.LogicalTagMessage
			if h.header {
				logical = scanner.LogicalTagHeader
			}
		default:
			continue // its commits were dropped (unreadable trees)
		}
		// Its gaps were counted when it was first read (messageContent).
		fs := content.Scan(s.ctx, s.sc, path, h.text, s.opts.Content).Findings.Reported()
		for _, f := range fs {
			inArchive := f.File != path
			s.messageRaw(f, h.text, h.header, inArchive)
			f.Suggestion = messageSuggestion(f, fs, h.header, inArchive)
			if len(idx) > 0 {
				f.Commit = first.hash.String()
				f.Author, f.Date = first.author, first.when
				f.LastCommit = last.hash.String()
				f.Commits = len(idx)
				if first.dangling {
					f.Note = joinNote(f.Note, "in the"+part+" of "+s.unreached())
				}
			} else {
				f.Author, f.Date = s.person(h.tag.header.Tagger), h.tag.header.When
				f.Note = joinNote(f.Note, "in the"+part+" of annotated tag object "+h.tag.id.String())
			}
			f.Paths = []string{path}
			f.PresentAtHead = &no
			f.Logical = logical
			s.findings = append(s.findings, f)
		}
	}
	s.findings.Sort()
}

// unreached names a commit no scanned ref reaches: in a push (NewObjects),
// one the push carries beside the commits its refs reach; otherwise a
// dangling commit of the repository (AllObjects).
func (s *scan) unreached() string {
	if s.opts.NewObjects != "" {
		return "a commit in the push that no pushed ref reaches"
	}
	return "a dangling commit that no ref reaches"
}

// printable reports whether a tag's name can stand in a path as it is (a
// name that holds a credential cannot: the object ID stands in for it).
func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return len(s) <= 200
}

// messageRaw records how a history rewrite reaches the value of f, found
// in a message (or, with header, the header lines) text: git filter-repo
// --replace-message replaces text as it stands in the message, so a value
// written encoded (base64, the base64 of a gzip'd file, escapes) is
// replaced by its encoded run as pasted, which Literals cuts into pieces
// when it spans lines (qa14 MEDIUM-5: the decoded value alone matched
// nothing in the message). A value inside an archive encoded in the
// message has no such run of its own, and --replace-message does not
// rewrite header lines at all: those are opaque (Opaque.Message).
func (s *scan) messageRaw(f scanner.Finding, text []byte, header, inArchive bool) {
	if s.raw == nil {
		s.raw = map[string][]string{}
	}
	if s.opaqueMsg == nil {
		s.opaqueMsg = map[string]Opaque{}
	}
	switch {
	case header:
		s.opaqueMsg[f.Fingerprint] = Opaque{Path: f.File, Member: f.File, Message: true,
			Reason: "in the header lines (author, committer, tagger or another header), which --replace-message does not rewrite"}
	case inArchive:
		msg, _, _ := strings.Cut(f.File, "!")
		s.opaqueMsg[f.Fingerprint] = Opaque{Path: msg, Member: f.File, Message: true,
			Reason: "inside an archive encoded in the message (" + f.File + "), which no replacement of the message's text reaches"}
	case f.Encoding != "" && 0 <= f.Offset && f.Offset < f.EndOffset && f.EndOffset <= len(text):
		if raw := string(text[f.Offset:f.EndOffset]); !slices.Contains(s.raw[f.Secret], raw) {
			s.raw[f.Secret] = append(s.raw[f.Secret], raw)
		}
	}
}

// messageSuggestion says how to take a credential out of a message: there
// is no file to change, only history to rewrite; and, as for any finding,
// what to do about the key. A value inside an archive encoded in the
// message cannot be replaced as text: the message is rewritten whole.
func messageSuggestion(f scanner.Finding, all scanner.Findings, header, inArchive bool) string {
	if header {
		return "The credential is in a commit's or tag's header lines (author, committer, tagger or another header), " +
			"which every clone holds: amend the commit (`git commit --amend --reset-author`, or rewrite it with " +
			"`git commit-tree`) or re-create the tag before it is pushed; once pushed, rewrite the history " +
			"(`git filter-repo --mailmap FILE` for names, `--commit-callback` for other headers). " +
			all.KeyAdvice(f)
	}
	if inArchive {
		return "The credential is inside an archive encoded in a commit or tag message, which every clone holds: reword the commit " +
			"(`git rebase -i`, reword) or re-create the tag before it is pushed; once pushed, rewrite the message whole " +
			"(`git filter-repo --message-callback`): no replacement of the message's text (`--replace-message`) reaches inside the archive. " +
			all.KeyAdvice(f)
	}
	return "The credential is in a commit or tag message, which every clone holds: reword the commit " +
		"(`git rebase -i`, reword) or re-create the tag before it is pushed; once pushed, rewrite the history " +
		"(`git filter-repo --replace-message FILE`, FILE as `keyscan history --replace-text FILE` writes it). " +
		all.KeyAdvice(f)
}

// person returns an author's or tagger's "Name <email>" as findings show
// it: a credential written there (see objectText) is redacted, as a value
// is, for the name is shown beside every finding of the commit.
func (s *scan) person(p string) string {
	if !credentialText(p) {
		return p
	}
	for _, f := range s.sc.Scan("author", []byte(p)) {
		if f.Secret != "" {
			p = strings.ReplaceAll(p, f.Secret, scanner.Redact(f.Secret))
		}
	}
	return p
}

// credentialText reports whether p holds a run of 16 or more characters a
// key is written with: most names hold none, and are not scanned.
func credentialText(p string) bool {
	run := 0
	for i := 0; i < len(p); i++ {
		if keyChar(p[i]) {
			if run++; run >= 16 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
