package scanner

import (
	"compress/gzip"
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"

	"github.com/keyscan/keyscan/internal/words"
	"github.com/keyscan/keyscan/rules"
)

// maxDepth bounds how deep escapes and concatenations are looked for in
// decoded text: once, in a base64 run's text or a region rewritten.
const maxDepth = 2

// maxDecodeDepth bounds how deep encodings inside encodings are decoded: a
// base64 run in the text of a base64 run, and so on (a Kubernetes Secret's
// data of an encoded credentials file is two levels; a Helm release Secret
// holding a Secret's data three). gitleaks decodes to five levels too.
// Every level's runs are disjoint pieces of the text above and decode to
// three quarters of it or less, so the levels together decode less than
// three times the input; decodeBudget bounds them all the same.
const maxDecodeDepth = 5

// match is the state of one Scan call.
type match struct {
	s      *Scanner
	name   string
	data   []byte
	depth  int
	budget *int       // decoded bytes the match and its sub-scans may still scan; see decodeBudget
	work   *checkWork // the check budget of the input and its sub-scans; nil: none (see work.go)
	workv  checkWork  // what work points to at the top (one allocation less per input)
	// gz and gzBuf inflate the gzip streams of the input's base64 runs
	// (gunzipScan), made once and reset for each: a text of thousands of
	// cut streams made a reader and a 32 KiB buffer for every one, 1.7 GB
	// a MiB of input (qa10 LOW-3).
	gz        *gzip.Reader
	gzBuf     []byte
	kind      FileKind // see fileKind
	kindKnown bool
	joins     uint8 // 0 not known yet, 1 no, 2 yes: see joinsLiterals

	keyIDs   []cand
	keywords []keyword
	unsorted bool     // a keyword was added before the last one (see addKeyword)
	b64      []int    // positions of base64 anchors
	hex      []int    // positions of hex anchors
	arcs     []int    // where archives in byte literals start (bytelit.go)
	esc      []window // escaped 'A's (0041, x41, &#65;...): from the first to past the last of anchors in a row
	heads    []int    // literals that open with a piece of a key ID's prefix ("AK, 'A'...)
	lists    []int    // items of lists of characters or code points to read runs from (charlist.go)
	listEnd  int      // where the run of the last code-point anchor read ends: the anchors before it are in it
	// keyIDRunTo is where the last run of key IDs keyIDRun counted ends:
	// the key IDs before it are counted
	keyIDRunTo int
	// gluedFrom and gluedTo are the last run of glued heads gluedHeads
	// passed over, [gluedFrom, gluedTo): the prefilter reports the heads
	// of the 64-byte block it judged in again, each turned down the same
	// way, and read the run to its end again (16 MiB of EBCDIC AKIA, 16
	// times).
	gluedFrom, gluedTo int
	// constructors' names that a tag follows in an HTML page, and other
	// stretches decodeMarkup reads (see decodeMarkup)
	markupCalls []window
	// key IDs' heads that markup cuts (keyID) and key prefixes that markup
	// splits (markupPrefixSeeds), for decodeMarkup
	headCuts, prefixCuts windowList
	// the memory of the rewrites of scanRewritten's current piece,
	// taken again for the next (markupReader.text)
	arena rewriteArena
	// 0 until markupCallsRead is asked, then 1 (no) or 2 (yes)
	markupCallsKnown int8

	shellSeeds  []int     // key IDs' heads that a quote, an escape or a caret cuts in a shell file (see decodeShellWords)
	shellAs     shellKind // how the file's lines are read as shell words, once shellKnown
	shellKnown  bool
	markupAs    markupKind // how decodeMarkup reads the file, once markupKnown
	markupKnown bool
	// an XML file's internal entities (xmlEntities), read where the
	// seeds are gathered; entsLeft: one was declared past the bounds or
	// a reference to one past maxEntitySeeds
	ents       map[string][]byte
	entsLeft   bool
	plainAs    string // the name notations are told by, once plainKnown; see plainName
	plainKnown bool
	awsPos     []int // where AWS words start in data[awsLo:awsHi]; see nearAWS
	tokens     []int // positions of session-token prefixes
	secrets    []cand
	// key IDs and secrets the value tests turned down (see turnDown)
	turnedDown map[string]struct{}
	// the decoded texts whose sub-scans found nothing (see maxMemoText),
	// shared by the input and its sub-scans
	subMemo      map[string][]subDone
	generic      []int         // values assigned to generic names (KEY=...); see genericRuns
	refs         []envRef      // values a keyword's $NAME refers to; see followRefs
	tableHeads   []tableHeader // keywords that head a delimited table's column; see headerNames
	hdrLine      headerLine    // the line headerOf read last
	fileFacts    uint8         // see frameworkFile, importsBoto, genericNamesFile and importsAWSSDK
	sessionCalls bool          // a boto3 session's .client( and .resource( calls are keywords: see botoSessionCalls
	windows      []window      // where findSecrets looked, sorted and disjoint
	escMarks     []int         // where an escape may start in the windows (markWindows)
	joinMarks    []int         // where a literal that a join follows opens in the windows
	out          Findings

	directives []int      // where "keyscan:allow" stands; nil until needed
	lastLine   lineInfo   // see line
	lines      lineIndex  // where there are no byte masks
	masks      *byteMasks // see byteMasks
	masksMade  bool
	qp         bool // the input holds =3D or names quoted-printable; see markQP
	gitPatch   bool // the input holds git's binary patch line (Counts.GitPatch)
	// b64Unsorted says that b64 holds a MIME part's body (mimePatch),
	// which stands after anchors its header may hold, or an anchor a line
	// break cuts (b64Cut), which stands before its piece.
	b64Unsorted bool
	// tests only: every session-token prefix's run is read (no tokenMemo)
	tokenMemoOff bool
	// tests only: decodeEscapes' second pass reads every run again (no runMemo)
	runMemoOff bool
	// tests only: foreign reads as it did before its memos (searches every
	// line bound, every trigger and every host; see TestForeignAnswersAsPlain)
	foreignPlain bool
	scratch      *scratch // memory for the lists, from the Scanner (release)
	looked       int      // bytes read around candidates, for the test that bounds it
	nestedRead   int      // bytes the walks of nested blocks read (nestedfar.go), bounded by nestedAllowance
	awsLo        int
	awsHi        int

	signAt      []sign              // where the triggers of lineSign stand, nil until asked; see signsIn
	signFirst   []int32             // see signIndex
	signRead    map[window]lineSign // what the lines holding them say; see lineSign
	signLineBuf []int               // signLines' answer
	signClean   [2]window           // triggers on lines that say nothing, for byName false and true; see foreignSignIn
	ownLine     window              // the line of the secret foreign asks about (ownSet), whose own call's signs count; see nameSign
	ownSet      bool                // ownLine is set: foreign is asking
	noNL        noNewline           // a stretch known to hold no newline; see lineStart
	indents     indentLines         // the lines indentBlock reads, nil until asked
	headers     lineCache           // INI section headers; see sectionWithin
	parents     parentIndex         // the lines open above a line, nil until asked; see openAt
	tfBlocks    []tfBlock           // a .tf file's blocks, nil until asked; see tfPlace
	springKnown uint8               // 0 not known yet, 1 no, 2 yes: see springFile
	whole       wholeKind           // the whole-file format of the input, once known; see wholeFile
	wholeKnown  bool                // whole is known
	wholeAt     int                 // where a byte-array file's first run of 0x bytes starts
	wholeValue  bool                // a short file named for a secret: its value is read (secretfile.go)

	// limit, when not 0, bounds the findings kept of the input (see
	// ScanAllLimited); unlisted counts the candidate values past it, and
	// cut is where the key IDs filled it: candidates after it are counted,
	// not checked nor kept (see past).
	limit    int
	unlisted int
	cut      int
	// undecoded counts the encoded runs not decoded, or cut short, for
	// the decode budget (see Counts.Undecoded).
	undecoded int
	// embedded are the archives decoded from encoded runs (see
	// Counts.Embedded).
	embedded []Embedded

	// noDirectives reads the input as if it held no keyscan:allow
	// directive (see Scanner.withAllowed).
	noDirectives bool

	// cells, in the scan of a region rewritten from an .xlsx part, asks
	// the part whether a cell's bounds stand between two offsets of the
	// region's text (see otherCell); tableKind: whether the input is an
	// .xlsx part or a table's rebuilt rows, once known (see table)
	cells     func(lo, hi int) bool
	tableKind uint8
}

// cand is a value the matcher has accepted, before it becomes a Finding.
type cand struct {
	kind       rules.Kind
	start, end int    // raw span in data
	value      string // decoded value
	encoding   string
	level      ctxLevel
	context    string
}

func newMatch(s *Scanner, name string, data []byte) *match {
	m := s.pooledMatch()
	// The match is zero (pooledMatch): three fields, not a 1.2 KB literal
	// written over it again for every file.
	m.s, m.name, m.data = s, name, data
	m.borrow()
	return m
}

// pooledMatch returns a zero match to fill, one that recycle cleared and
// gave back if there is one (recycle is the only way back to the pool).
func (s *Scanner) pooledMatch() *match {
	if m, _ := s.matches.Get().(*match); m != nil {
		return m
	}
	return new(match)
}

// recycle gives a match that release gave its lists back, and that no one
// uses any more, to the Scanner for the next input: a match is 1.2 KB, half
// the bytes the detector tests' scan allocated (a file each), and the
// garbage collector's work on them cost about 5 % of it.
func (m *match) recycle() {
	s := m.s
	*m = match{} // holds no input, no finding, nothing of this scan
	s.matches.Put(m)
}

// borrow takes the memory for the match's lists from the Scanner.
func (m *match) borrow() {
	sc, _ := m.s.scratch.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	m.keywords, m.keyIDs, m.secrets, m.scratch = sc.keywords[:0], sc.keyIDs[:0], sc.secrets[:0], sc
	sc.uu, sc.uuBegins, sc.listRuns, sc.inflates, sc.b32, sc.b85, sc.b32Calls, sc.b64Calls = sc.uu[:0], sc.uuBegins[:0], sc.listRuns[:0], sc.inflates[:0], sc.b32[:0], sc.b85[:0], sc.b32Calls[:0], sc.b64Calls[:0]
	sc.spaced, sc.spacedDone, sc.spacedSkip, sc.spacedFail = sc.spaced[:0], 0, 0, 0
	sc.interpHeads = sc.interpHeads[:0]
	clear(sc.wordIDs)
	sc.wordIDs = sc.wordIDs[:0]
	sc.placeLo, sc.placeNL, sc.placeLen = 0, 0, -1
}

// scratch is the memory of a match's longest lists, kept by the Scanner
// for the next match: keyword-dense text grows them to a few thousand
// entries per file, and growing them anew for every file cost as much as
// filling them.
type scratch struct {
	keywords []keyword
	keyIDs   []cand         // a file of key IDs has one a line
	secrets  []cand         // and of key pairs a secret every other line
	ws       []window       // findSecrets' windows before merging: around key IDs, after keywords
	before   []window       // and before keywords
	merged   []window       // and after (m.windows)
	segs     []seg          // the lines of a base64 span (decodeBase64)
	decoded  []byte         // and its decoded bytes
	names    [512]nameClass // classify's last answers
	// where uuencoded blocks end (uu.go): here rather than in match,
	// whose every field is allocated for every input and sub-scan (one
	// more slice moved it up a size class: +10 % of the bytes allocated
	// on the detector tests)
	uu []int
	// begin lines of uuencoded blocks in a file searched for them (commentUU)
	uuBegins []int
	// calls that inflate raw deflate read from base64 (deflate.go)
	inflates []int
	// base32 anchors (base32.go), base85 calls and end marks (base85.go)
	b32, b85 []int
	// calls that decode lower-case base32 or base32hex (base32call.go)
	b32Calls []int
	// where Python's b64decode( calls' arguments start (b64call.go)
	b64Calls []int
	// the runs of code-point anchors read (listAnchor), for decodeLists
	listRuns []listRead
	// spaced hex (spacedhex.go): the places spacedHexKey took, the end of
	// the last one's block, how far spacedPlace passed over, the groups of
	// the lines spacedHexKey and spacedBlock read, and the block's starts
	spaced       []int
	spacedDone   int
	spacedSkip   int
	spacedFail   int // where spacedLinesSkip is worth asking again
	spacedGroups []window
	spacedSegs   []seg
	// key IDs' heads that stop short where a value ends (interp.go)
	interpHeads []int
	// key IDs the words test turned down, in order of position, for a
	// secret to pair with (keepWordID)
	wordIDs []cand
	// decodeInterpolation's state, its memory kept (interpmem.go)
	interp interpState
	// the line of the last place spacedPlace read (placeLine): its
	// start, its line break, and the length of the data it is in
	placeLo, placeNL, placeLen int
}

// release gives the match's lists and masks back to the Scanner; m is not
// used after.
func (m *match) release() {
	m.masks.release()
	m.masks, m.masksMade = nil, false
	m.scratch.keywords = m.keywords[:0]
	// The candidates hold their values: cleared, so that the pool does not
	// keep a file's keys alive; a list grown past maxKeptCands is not kept.
	clear(m.keyIDs)
	clear(m.secrets)
	clear(m.scratch.wordIDs)
	m.scratch.keyIDs, m.scratch.secrets = keepCands(m.keyIDs), keepCands(m.secrets)
	m.keyIDs, m.secrets = nil, nil
	if cap(m.scratch.decoded) > 1<<20 {
		m.scratch.decoded = nil // a long base64 run's: not kept for the next match
	}
	m.s.scratch.Put(m.scratch)
	m.scratch = nil
}

// maxKeptCands bounds the candidate lists a scratch keeps for the next
// match (88 bytes an entry).
const maxKeptCands = 1 << 16

func keepCands(c []cand) []cand {
	if cap(c) > maxKeptCands {
		return nil
	}
	return c[:0]
}

// fileKind classifies the input on first use: most inputs never need it
// (it decides a medium keyword's strength and the suggestion of a finding),
// and classifying by content reads the head of the input line by line.
func (m *match) fileKind() FileKind {
	if !m.kindKnown {
		m.kind, m.kindKnown = Classify(m.name, m.data), true
	}
	return m.kind
}

func (m *match) run() {
	var ctl scanControl
	defaultPrefilter().scanStop(m.data, func(pat, at int) {
		if m.work != nil {
			m.work.reported++
		}
		if m.spent() {
			// The check budget is spent: the anchor is counted, not read,
			// and the prefilter stops (the anchors after it are not
			// counted: Counts.Unchecked is a lower bound).
			ctl.stop = true
			return
		}
		switch patterns[pat].kind {
		case anchorKeyID:
			ctl.skip = max(ctl.skip, m.keyID(at))
		case anchorSecretWord:
			if m.spendAt(at, keywordStep) {
				m.secretKeyword(at)
			}
		case anchorTokenWord:
			if m.spendAt(at, keywordStep) {
				m.tokenKeyword(at)
			}
		case anchorPasswordWord:
			if m.spendAt(at, keywordStep) {
				m.passwordKeyword(at)
			}
		case anchorShortSecret:
			if m.spendAt(at, keywordStep) {
				m.shortSecretKeyword(at)
			}
		case anchorAWSPlace:
			if m.spendAt(at, keywordStep) {
				m.awsPlace(at, patterns[pat].text)
			}
		case anchorCredentialCall:
			if m.spendAt(at, keywordStep) {
				m.credentialCall(at, len(patterns[pat].text))
			}
		case anchorTokenPrefix:
			m.queue(queueCost)
			m.tokens = append(m.tokens, at)
		case anchorBase64, anchorTokenB64:
			m.queue(queueCost)
			m.b64 = append(m.b64, at)
		case anchorArchive:
			if runHead(m.data, patterns[pat].text, at, isB64) {
				m.queue(queueCost)
				m.b64 = append(m.b64, at)
			}
		case anchorEscapedA, anchorEscapedALate:
			m.queue(escapedACost)
			// Anchors in a row (a file of \x41) make one window, from the
			// first to the last, not a list as long as the file. An anchor
			// that opens with a plain letter of a prefix (A\u004bIA,
			// AS\x49A, AKI%41) reaches its escape.
			end := at + 1
			if t := patterns[pat].text; t[0] >= 'A' && t[0] <= 'Z' {
				end = at + len(t)
			}
			if n := len(m.esc); n > 0 && at >= m.esc[n-1].hi-1 && at-m.esc[n-1].hi < 64 {
				m.esc[n-1].hi = max(m.esc[n-1].hi, end)
			} else {
				m.esc = append(m.esc, window{at, end})
			}
		case anchorSplitHead:
			m.heads = appendDoubling(m.heads, at)
			if t := patterns[pat].text; len(t) == 3 && t[1] == 'A' && at >= m.listEnd {
				// ['A', 'K', 'I', 'A', …] under its name (charlistid.go);
				// AWS's example IDs and placeholders are not read
				if id, ok := quotedIDList(m.data, at); ok && placeholder(string(id[:])) < 0 {
					m.listAnchor(at)
				}
			}
		case anchorHex, anchorWideHex:
			m.queue(queueCost)
			m.hex = append(m.hex, at)
		case anchorArchiveHex:
			if runHead(m.data, patterns[pat].text, at, isHex) {
				m.queue(queueCost)
				m.hex = append(m.hex, at)
			}
		case anchorByteLit, anchorByteList:
			if s := byteLitStart(m.data, patterns[pat].text, at); s >= 0 {
				m.arcs = append(m.arcs, s)
			}
		case anchorCharList:
			i := at
			if patterns[pat].text[0] != '7' {
				i = listOpensWithPrefix(m.data, at+1) // [65 , 75 , 73 , 65
			}
			if i >= m.listEnd {
				k, ok := codePointPrefix(m.data, i)
				if !ok && patterns[pat].text == "73)" {
					k, ok = chrCallPrefix(m.data, i) // chr(75)+chr(73)+chr(65)
				}
				if ok && k >= m.listEnd {
					if skip := m.listAnchor(k); !m.s.listsPlain {
						ctl.skip = max(ctl.skip, skip)
					}
				}
			}
		case anchorSpacedHex:
			ctl.skip = max(ctl.skip, m.spacedPlace(at))
		case anchorUU:
			m.queue(queueCost)
			m.scratch.uu = append(m.scratch.uu, at)
		case anchorRawDeflate:
			// Calls closer than queueCost bytes share their windows
			// (decodeRawDeflate reads their union): each is charged the
			// bytes it adds, so that a text of calls (qa21 P1) costs
			// about a unit a byte, as its reading does.
			cost := queueCost
			if n := len(m.scratch.inflates); n > 0 && at > m.scratch.inflates[n-1] {
				cost = min(cost, at-m.scratch.inflates[n-1])
			}
			m.queue(cost)
			m.scratch.inflates = append(m.scratch.inflates, at)
		case anchorBase32, anchorBase32Head, anchorBase85:
			m.radixAnchor(pat, at)
		case anchorQP:
			m.qp = true
		case anchorGitPatch:
			m.gitPatch = true
		case anchorB64Cut:
			if a := b64Cut(m.data, at); a >= 0 {
				m.queue(queueCost)
				m.b64 = append(m.b64, a)
				m.b64Unsorted = true
			}
		case anchorMIME64:
			if b := mimePatch(m.data, at); b >= 0 {
				m.queue(queueCost)
				m.b64 = append(m.b64, b)
				m.b64Unsorted = true
			}
		}
	}, &ctl)
	m.userKeywords()
	m.genericRuns()
	m.wholeValue = m.depth == 0 && len(m.data) <= maxSecretFile && secretFileName(m.name) != ""
	if m.depth == 0 && m.mayHoldSeeds() {
		m.fileSeeds()
	}
	if m.depth == 0 && len(m.data) >= minB85Run && b32CaseStops[b32Std][m.data[0]] == 0 && lowerB32File(m.data) {
		// A file of lower-case base32 alone: its runs are read as a
		// call's (base32call.go); a seed past the input names no literal.
		m.scratch.b32Calls = append(m.scratch.b32Calls, len(m.data)<<1|int(b32Std))
	}
	if m.unsorted { // usually they came in order
		slices.SortStableFunc(m.keywords, func(a, b keyword) int { return a.start - b.start })
	}
	if m.b64Unsorted { // a MIME part's body, after its header's anchors; an anchor a line break cuts, before its piece
		slices.Sort(m.b64)
		m.b64 = slices.Compact(m.b64)
	}
	if m.depth == 0 {
		// Inflater(true) in Kotlin, which the Java anchor's new misses, and the other runtimes' raw inflate calls
		m.scratch.inflates = languageInflaters(m.plainName(), m.data, m.scratch.inflates)
	}
	if m.depth == 0 {
		m.commentUU() // uuencode behind "# " in scripts (uu.go)
	}
	if m.depth == 0 && len(m.scratch.inflates) > 1 {
		// a Python or Kotlin file's calls after the prefilter's, which
		// may find the same call
		slices.Sort(m.scratch.inflates)
		m.scratch.inflates = slices.Compact(m.scratch.inflates)
	}
	if m.depth == 0 && m.markup() != noMarkup {
		// AK<!-- -->IA…: a key prefix that markup splits (markup.go)
		seeds := seedSink{list: &m.prefixCuts, rest: m.markupCalls}
		markupPrefixSeedsTo(m.data, m.markup(), &seeds)
		m.markupCalls = seeds.rest
		if m.markup().xml() {
			// <!ENTITY a "AK"> … &a;IA…: each reference to an entity is
			// where its text stands, a seed with or without a keyword
			// near (qa18 L1)
			m.markupCalls = m.entitySeeds(m.markupCalls)
		}
	}
	if len(m.keyIDs) == 0 && len(m.keywords) == 0 && len(m.tokens) == 0 && len(m.b64) == 0 && len(m.hex) == 0 && len(m.arcs) == 0 && len(m.scratch.uu) == 0 && len(m.scratch.uuBegins) == 0 && len(m.scratch.inflates) == 0 && len(m.scratch.b32) == 0 && len(m.scratch.b85) == 0 && len(m.scratch.b32Calls) == 0 && len(m.scratch.b64Calls) == 0 && len(m.scratch.spaced) == 0 && len(m.esc) == 0 && len(m.escMarks) == 0 && len(m.generic) == 0 && len(m.heads) == 0 && len(m.lists) == 0 && len(m.markupCalls) == 0 && m.headCuts.empty() && m.prefixCuts.empty() && len(m.shellSeeds) == 0 && len(m.scratch.interpHeads) == 0 && !m.wholeValue {
		// No anchor: only a format read whole by a decoder of its own,
		// or a dump pasted into the text (pastedump.go), can hold a key,
		// and only that decoder is run (review15 A-4: the whole pipeline
		// ran, for every C or JS file with a 0x).
		if m.wholeFile() != wholeNone {
			m.decodeWhole()
			m.finish()
		} else if m.decodePastedDumps() {
			m.finish()
		}
		return
	}
	m.findSecrets()
	m.findTokens()
	m.build()
	if m.depth < maxDecodeDepth {
		m.decodeBase64()
		m.decodeHex()
		m.decodeByteLits()
		m.decodeUU()
		m.decodeRawDeflate()
		if len(m.scratch.b32) > 0 {
			m.decodeBase32()
		}
		if len(m.scratch.b85) > 0 {
			m.decodeBase85()
		}
		if len(m.scratch.b32Calls) > 0 {
			m.decodeBase32Calls()
		}
		if len(m.scratch.b64Calls) > 0 {
			m.decodeB64Calls()
		}
		if len(m.scratch.spaced) > 0 {
			m.decodeSpacedHex()
		}
	}
	if m.depth < maxDepth {
		m.markWindows()
		m.decodeEscapes()
		m.decodeConcat()
		m.decodeInterpolation()
		m.decodeShellWords()
		m.decodeLists()
		m.decodeMarkup()
		m.decodeNotebook()
		m.decodeWhole()
		m.decodePastedDumps()
		m.decodePickle()
	}
	if m.depth == 0 {
		m.finish()
	}
}

// wholeKind is a format read whole by a decoder of its own, whose keys
// stand in no anchor of its bytes: a terminal recording's typed keys
// (cast.go), a registry export's hex values (regfile.go), a firmware
// file's records (firmware.go), a hex dump's lines (hexdump.go), a source
// file's lists of 0x bytes (bytearray.go), an RTF document's escaped text
// (rtf.go), a manual page's overstruck text (overstrike.go).
type wholeKind uint8

const (
	wholeNone wholeKind = iota
	wholeCast
	wholeRTF
	wholeRegistry
	wholeFirmware
	wholeHexdump
	wholeByteArray
	wholeOverstrike
)

// wholeFile returns the input's whole-file format, found once for the run
// and for its decoder: finding a byte-array file reads it up to its first
// run of 0x bytes. A decoded text (depth > 0) is of none: its decoder read
// the file.
func (m *match) wholeFile() wholeKind {
	if m.depth > 0 {
		return wholeNone
	}
	if !m.wholeKnown {
		m.wholeKnown = true
		switch {
		case castName(m.plainName()):
			m.whole = wholeCast
		case rtfName(m.plainName()):
			m.whole = wholeRTF
		case regFile(m.plainName(), m.data):
			m.whole = wholeRegistry
		case firmwareFile(m.data) != notFirmware:
			m.whole = wholeFirmware
		default:
			if hexdumpFile(m.data).kind != notDump {
				m.whole = wholeHexdump
			} else if m.wholeAt = byteArrayStart(m.plainName(), m.data); m.wholeAt >= 0 {
				m.whole = wholeByteArray
			} else if _, ok := overstrikeFile(m.data); ok {
				m.whole = wholeOverstrike
			}
		}
	}
	return m.whole
}

// decodeWhole runs the decoder of the input's whole-file format.
func (m *match) decodeWhole() {
	switch m.wholeFile() {
	case wholeCast:
		m.decodeCast()
	case wholeRTF:
		m.decodeRTF()
	case wholeRegistry:
		m.decodeRegistry()
	case wholeFirmware:
		m.decodeFirmware()
	case wholeHexdump:
		m.decodeHexdump()
	case wholeByteArray:
		m.decodeByteArrays()
	case wholeOverstrike:
		m.decodeOverstrike()
	}
}

// byteMasks returns the byte masks of the input (masks.go), made on first
// use, or nil where no kernel makes them or the input is a few lines.
// Inlined: asked for every keyword's lines and every window, it answers
// from the field but the first time (makeMasks).
func (m *match) byteMasks() *byteMasks {
	if !m.masksMade {
		return m.makeMasks()
	}
	return m.masks
}

// makeMasks is byteMasks' first answer.
func (m *match) makeMasks() *byteMasks {
	m.masksMade = true
	// A few lines are read as fast as their masks are made.
	if len(m.data) >= 256 {
		// The brackets are read only where lists of code points are
		// looked for (markListOpens): service models pay nothing for them.
		m.masks = newByteMasks(m.data, &m.s.masks, m.depth < maxDepth && m.joinsLiterals())
	}
	return m.masks
}

// keyID checks a prefilter hit for an access key ID, and returns where
// the prefilter need report nothing before (0: no such place; keyIDRun).
func (m *match) keyID(at int) int {
	d := m.data
	end := at + 20
	if end > len(d) || at < m.keyIDRunTo {
		if at >= m.keyIDRunTo && m.depth == 0 {
			i := at + 4
			for i < len(d) && isBase32(d[i]) {
				i++
			}
			m.noteDangling(at, i) // a head near the input's end
		}
		return 0 // too short, or in a run keyIDRun counted
	}
	for i := at + 4; i < end; i++ {
		if !isBase32(d[i]) {
			// HEAD=AKIA…: a head that a variable may hold (interp.go)
			m.noteDangling(at, i)
			if m.depth == 0 && (d[i] == '<' || d[i] == ']' || d[i] == '[' || d[i] == '&' || d[i] == '"' || d[i] == '\'' || mdMarker(d[i])) && markupCuts(d[i], m.markup()) {
				// A key ID split over an office document's runs, by a
				// tag in a page or CDATA sections in XML: see
				// decodeMarkup.
				if !m.headCuts.add(at, i) {
					m.markupCalls = append(m.markupCalls, window{at, i})
				}
			}
			if m.depth == 0 && m.shellCut(d[i]) {
				// AKIA…"…", AKIA…^ at a batch file's line end: see
				// decodeShellWords.
				m.shellSeeds = append(m.shellSeeds, i)
			}
			if mayEscape(d, i) {
				// AKIA&#72;…, AKIAH5\u0032…: an escape inside a key ID
				// seeds the escape decoder (decodeEscapes).
				m.escMarks = append(m.escMarks, i)
			}
			return 0
		}
	}
	if (!m.boundaryBefore(at) || (end < len(d) && isWord(d[end]) && !emphasisAfter(d, end))) && !m.gluedIDs(at) {
		if at >= 3 && d[at-3] == '=' && d[at-2] == '3' && d[at-1] == 'D' {
			// key=3DAKIA…: quoted-printable's '=' (escapes.go).
			m.escMarks = append(m.escMarks, at-3)
			return 0
		}
		if at > 0 && isBase32(d[at-1]) {
			return m.gluedHeads(at) // AKIAAKIA…: see gluedheads.go
		}
		return 0
	}
	if m.past(at) {
		// past the limit: counted, neither its value tested nor its line
		// read; and the key IDs that follow it with it
		if m.s.keyIDsPlain {
			return 0
		}
		return m.keyIDRun(at)
	}
	if insideBlob(d, at, end) || insideARN(d, at) {
		return 0
	}
	if _, no := m.turnedDown[string(d[at:end])]; no {
		return 0
	}
	id := string(d[at:end])
	if !plausibleKeyID(id) || m.s.allowed(id) {
		m.turnDown(id)
		return 0
	}
	mark := m.workMark()
	if !m.spend(keyIDStep) {
		return 0 // the check budget is spent: counted (Counts.Unchecked)
	}
	if allowed, _ := m.lineAllowed(at, end); allowed {
		return 0 // allowed where it stands; it must not make its neighbours secrets either
	}
	if wordLike(id) && !m.lineSpeaksOfKeys(at) {
		// Upper-case words or a business code, and nothing on the line
		// speaks of access keys: kept aside, reported only as the pair of
		// a secret found beside it on its own evidence (finish).
		m.keepWordID(at, end, id)
		return 0
	}
	if m.over(at, len(m.keyIDs)) {
		return 0
	}
	m.refund(mark) // kept: bounded by the limit, not by the budget
	m.keyIDs = append(m.keyIDs, cand{kind: rules.AccessKeyID, start: at, end: end, value: id, level: ctxStrong})
	return 0
}

// over reports whether a candidate at position at, where n candidates of
// its list are kept already, is past the limit, and counts it then. The
// lists are filled in order of position, key IDs first: once one holds
// limit candidates, everything after its last is past the limit, so memory
// stays bounded by the limit whatever the input holds (a file of key IDs
// is 50,000 findings a megabyte).
func (m *match) over(at, n int) bool {
	if m.limit <= 0 {
		return false
	}
	if at >= m.cut || n >= m.limit {
		m.cut = min(m.cut, at)
		m.unlisted++
		return true
	}
	return false
}

// past reports whether a candidate at position at lies past the cut, where
// over has found the lists full, and counts it then. It is asked before
// the value tests and the context are read: past the cut nothing more is
// kept, so a candidate there costs its shape and no more, however many the
// file holds (a file of key IDs is one every 21 bytes, a file of secrets a
// candidate every 80 bytes, each of whose contexts reads up to a few KiB). The count is therefore of
// candidate values, not of findings: some would fail their context check.
// The cut itself is where over put it, so the listed findings are the
// same as when every candidate was checked.
func (m *match) past(at int) bool {
	if m.limit > 0 && at >= m.cut {
		m.unlisted++
		return true
	}
	return false
}

// add appends findings the decoders found to m.out, up to twice the limit
// (findings ends the list at the limit, in order of position).
func (m *match) add(f Finding) {
	if m.limit > 0 && len(m.out) >= 2*m.limit {
		m.unlisted++
		return
	}
	m.out = append(m.out, f)
}

// boundaryBefore reports whether a value starting at i is not the tail of a
// longer word. A JSON or C escape (\n, \t, \r) before it counts as a
// boundary, and so does Markdown's underscore emphasis (emphasisBefore).
func (m *match) boundaryBefore(i int) bool {
	if i == 0 || !isWord(m.data[i-1]) {
		return true
	}
	return afterEscape(m.data, i) || emphasisBefore(m.data, i)
}

// maxEmphasis is the longest run of underscores Markdown's emphasis writes
// (___bold italic___).
const maxEmphasis = 3

// emphasisBefore reports whether the bytes before i are a run of one to
// three underscores that opens Markdown emphasis: the byte before the run is
// no word byte (a blank, a table's '|', the start of the text). Markdown
// (CommonMark, GitHub, GitLab, Slack) writes _italic_ and __bold__ around a
// pasted key as often as stars (qa15 HIGH-24), and the underscores are no
// part of the key's word. Underscores inside a word (FOO_AKIA…, a snake_case
// name) open no emphasis, in CommonMark as here: the value stays glued.
func emphasisBefore(d []byte, i int) bool {
	j := i
	for j > 0 && d[j-1] == '_' && i-j < maxEmphasis {
		j--
	}
	return j < i && (j == 0 || !isWord(d[j-1]))
}

// emphasisAfter reports whether the bytes from e are a run of one to three
// underscores that closes Markdown emphasis: the byte after the run is no
// word byte. See emphasisBefore.
func emphasisAfter(d []byte, e int) bool {
	j := e
	for j < len(d) && d[j] == '_' && j-e < maxEmphasis {
		j++
	}
	return j > e && (j == len(d) || !isWord(d[j]))
}

// afterEscape reports whether the bytes before i end an escape sequence that
// stands for a separator: \n, \t, \r, \xXX, \uXXXX in JSON or C strings, %XX in URLs.
func afterEscape(d []byte, i int) bool {
	switch {
	case i >= 2 && d[i-2] == '\\':
		c := d[i-1]
		return c == 'n' || c == 't' || c == 'r'
	case i >= 3 && d[i-3] == '%' && isHex(d[i-2]) && isHex(d[i-1]):
		return true
	case i >= 4 && d[i-4] == '\\' && d[i-3] == 'x' && isHex(d[i-2]) && isHex(d[i-1]):
		return true // \x22
	case i >= 6 && d[i-6] == '\\' && d[i-5] == 'u' && isHex(d[i-4]) && isHex(d[i-3]) && isHex(d[i-2]) && isHex(d[i-1]):
		return true // \u0022
	}
	return afterTerminal(d, i)
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }

// insideBlob reports whether [s,e) is glued into a base64 run by '+': a key
// shape there is chance. ('/' is a path or URL separator and counts as a
// boundary: s3://AKIA...:secret@bucket, Credential=AKIA.../20240101/...)
//
// A '+' is no base64 byte where the text around it is not base64 (qa16
// HIGH-17): AsciiDoc's `+AKIA…+`, whose pluses stand between the key and
// blanks or backticks, and form encoding, where '+' is a space:
// q=deploy+key+AKIA…+rotate in an access log, a POST body, a HAR file.
func insideBlob(d []byte, s, e int) bool {
	added := s == 1 || s >= 2 && d[s-2] == '\n' // "+AKIA..." on an added line of a diff
	left := s > 0 && d[s-1] == '+' && !added && s >= 2 && isB64(d[s-2])
	right := e < len(d) && d[e] == '+' && e+1 < len(d) && isB64(d[e+1])
	return (left || right) && !formEncoded(d, s)
}

// maxFormValue bounds how far back formEncoded looks for the start of a
// form value.
const maxFormValue = 512

// formEncoded reports whether the value at s lies in a form-encoded value
// (name=words+joined+by+pluses, after ?, & or the start of a field): the
// bytes before it, back to a '=' that follows a name, or to a '?' or '&',
// are those form encoding writes (letters, digits, + for a blank, %XX,
// - . _ ~ *). A base64 run has no such '=' before its end and mostly holds
// a '/' within a few dozen bytes.
func formEncoded(d []byte, s int) bool {
	for j := s - 1; j >= 0 && s-j <= maxFormValue; j-- {
		switch c := d[j]; {
		case isAlnum(c) || c == '+' || c == '%' || c == '-' || c == '.' || c == '_' || c == '~' || c == '*':
		case c == '=':
			return j > 0 && (isWord(d[j-1]) || d[j-1] == ']')
		default:
			return c == '?' || c == '&'
		}
	}
	return false
}

// insideARN reports whether the value at i is part of an ARN
// (arn:aws:iam::123456789012:user/AKIA...): a resource name, not a credential.
func insideARN(d []byte, i int) bool {
	for j := i - 1; j >= 0 && i-j <= 256; j-- {
		switch d[j] {
		case ' ', '\t', '\n', '\r', '"', '\'', '`', ',', '=', '(', '[', '{', '<', '>':
			return false
		}
		if j+4 <= i && (d[j]|0x20) == 'a' && (d[j+1]|0x20) == 'r' && (d[j+2]|0x20) == 'n' && d[j+3] == ':' &&
			(j == 0 || !isAlnum(d[j-1])) {
			return true
		}
	}
	return false
}

// plausibleKeyID rejects documented examples and placeholders. A
// placeholder steps up through the alphabet (ABCDEFGH, 1234567890) far
// more than 8 times in 16 characters; a random key ID does so more than 5
// times about once in 300,000 (qa17 H3: such a real key ID was dropped even
// as aws_access_key_id's value), more than 8 about once in 10^8.
func plausibleKeyID(id string) bool {
	body := id[4:]
	if placeholder(id) >= 0 {
		return false
	}
	if distinct(body) < 6 || ascending(body) > 8 || descending(body) > 8 || keyboardSteps(body) > 8 {
		return false
	}
	return !markedID(id)
}

// keyIDMarks are the words that say a key ID spelled with them is none:
// what it stands for (KEY, ID, ACCESS, SECRET, SESSION, TOKEN), that it is
// made up (FAKE, DUMMY, MOCK, TEST, SAMPLE, EXAMPLE, NOT REAL, FOO BAR),
// where to put the real one (YOUR, HERE, ENTER, PUT, REPLACE, CHANGE), the
// local stand-ins whose keys are made up (LocalStack, MinIO, moto).
// markStarts holds the pairs of letters they start with.
var keyIDMarks, markStarts = func() (map[string]bool, *[26 * 26]bool) {
	m, t := map[string]bool{}, new([26 * 26]bool)
	for _, w := range strings.Fields(`KEY KEYS ID IDS ACCESS SECRET SESSION TOKEN FAKE FAKED DUMMY MOCK MOCKED
		TEST TESTS TESTING SAMPLE EXAMPLE REAL BOGUS STUB INVALID DEMO FOO FOOBAR BAR BAZ QUX QUUX YOUR HERE
		ENTER PUT INSERT REPLACE REPLACEME CHANGE CHANGEME PLACEHOLDER LOCALSTACK MINIO MOTO`) {
		m[w] = true
		t[int(w[0]-'A')*26+int(w[1]-'A')] = true
	}
	return m, t
}()

// markedID reports whether a key ID says it is a placeholder, whatever its
// line (fp: FAKE KEY ID FOR TEST, PUT YOUR KEY ID HERE were reported where
// their line named an access key ID, as a real key ID is, and so was such
// a value joined from halves by an interpolation):
//
//   - words run together (perhaps with a number of one or two digits
//     after them) and at most one stray letter, one of them of
//     keyIDMarks: a random key ID is words less than once in 10^10
//     (wordsID), and with a stray and a mark still far less often than
//     once in 10^6 (TestMarkedIDRandom);
//   - a business code (words.Code: 2^-20 of random key IDs) that holds a
//     mark of three letters or more;
//   - a mark of four letters or more twice (FAKE2FAKE3…, SECRETSECRET…).
func markedID(id string) bool {
	body := id[4:]
	seen := false // a mark of three letters or more stands in body
	for i := 0; i+1 < len(body); i++ {
		a, b := body[i], body[i+1]
		if !isUpper(a) || !isUpper(b) || !markStarts[int(a-'A')*26+int(b-'A')] {
			continue
		}
		for w := range keyIDMarks {
			if len(w) >= 3 && strings.HasPrefix(body[i:], w) {
				seen = true
				if len(w) >= 4 && strings.Contains(body[i+len(w):], w) {
					return true
				}
			}
		}
	}
	n := len(id)
	for k := 0; k < 2 && n > 4 && isDigit(id[n-1]); k++ {
		n--
	}
	if !strings.ContainsAny(id[4:n], "234567") {
		return (seen || strings.Contains(body, "ID")) && words.JoinedMarked(id[:n], 4, 1, keyIDMarks)
	}
	return seen && words.Code(id, 4)
}

// descending counts adjacent pairs that step down by one (ZYX, 987).
func descending(s string) int {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i+1]+1 == s[i] {
			n++
		}
	}
	return n
}

// keyboardSteps counts adjacent pairs that are neighbours on a row of a
// QWERTY keyboard, left to right (QWERTY, ASDFGH, ZXCVBN): a typed
// placeholder, as ascending's ABCDEF is. A random pair of base32 is one
// about once in 45.
func keyboardSteps(s string) int {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if j := strings.IndexByte(keyboardRows, s[i]); j >= 0 && j+1 < len(keyboardRows) && keyboardRows[j+1] == s[i+1] {
			n++
		}
	}
	return n
}

// keyboardRows are a QWERTY keyboard's rows of letters, upper-case, each
// ended by a byte no key ID holds.
const keyboardRows = "QWERTYUIOP ASDFGHJKL ZXCVBNM "

// wordLike reports whether a key ID looks like upper-case words that happen
// to start like a key (an enum value ASIA_PACIFIC_SOUTHEAST written without underscores): real IDs
// are random base32 and most hold a digit. Two tests: letters of a
// temporary ID without a digit that score as English (about one temporary
// ID in a thousand does), and words of a list run together (wordsID, for
// any prefix, less than once in 10^10). The callers still report such an
// ID when its line speaks of keys, or the structure around it does (check
// at ctxStrong).
func wordLike(id string) bool {
	body := id[4:]
	return !strings.HasPrefix(id, "AKIA") && !strings.ContainsAny(body, "234567") && englishScore(body) >= 7 || wordsID(id)
}

// wordsID reports whether a key ID is upper-case words run together, and
// perhaps a number of one or two digits after them (qa33 M4:
// AKIABANKHOLDINGSLTD2, ASIAPACIFICTOKYOJPN2, ASIANMARKETSINDEXFND), or a
// business code (fp36: ASIASOUTHEAST2Q3SALE, a region, a quarter, a
// product and its size, a ticket's words and numbers).
//
// Words alone: its letters cut into words of internal/words, the prefix
// standing for one (words.Joined); a random key ID passes it less than
// once in 10^10 (TestWordsIDBound computes the bound from the list).
// Codes: the code model of internal/words writes the 16 characters in at
// least words.CodeMargin bits fewer than the 80 random base32 takes
// (words.Code); a random key ID passes it at most once in 2^20 by Kraft's
// inequality, and in 2·10^6 random and 10^6 fakekey IDs never came near
// (TestCodeIDRandom). Unlike englishScore, both hold for AKIA and for
// key IDs with digits; no test of shape tells a random key ID that spells
// words from a code, which is why the callers still report one whose
// line speaks of keys or that a secret beside it pairs with.
func wordsID(id string) bool {
	n := len(id)
	for k := 0; k < 2 && n > 4 && isDigit(id[n-1]); k++ {
		n--
	}
	letters := true
	for i := 4; i < n; i++ {
		if !isUpper(id[i]) {
			letters = false // a digit amid the letters
			break
		}
	}
	return letters && words.Joined(id[:n], 4) || words.Code(id, 4)
}

// maxWordIDs bounds the word-like key IDs an input keeps aside for its
// secrets to pair with (keepWordID): a file of codes is read whole, and
// keeps the first thousands.
const maxWordIDs = 4096

// keepWordID keeps aside a key ID the words test turned down, in plain
// text (not in a decoded one: the decoders turn such IDs down for good):
// build reports it, and finish keeps it only where a secret found on its
// own evidence pairs with it (wordIDPaired). It is no key ID to any other
// test: no secret is found for standing near it.
func (m *match) keepWordID(at, end int, id string) {
	if m.depth > 0 || len(m.scratch.wordIDs) >= maxWordIDs || m.limit > 0 && at >= m.cut {
		return
	}
	m.scratch.wordIDs = append(m.scratch.wordIDs, cand{kind: rules.AccessKeyID, start: at, end: end, value: id, level: ctxStrong})
}

// wordIDAt reports whether a key ID finding at off with value v is one
// keepWordID kept.
func (m *match) wordIDAt(off int, v string) bool {
	w := m.scratch.wordIDs
	i, ok := slices.BinarySearchFunc(w, off, func(c cand, off int) int { return c.start - off })
	return ok && w[i].value == v
}

// gluedWordLike is the test of words for key IDs read without their word
// boundaries (glued.go, gluedids.go): englishScore's for upper-case
// letters without a digit, for AKIA too, or wordsID.
func gluedWordLike(id string) bool {
	body := id[4:]
	return !hasBase32Digit(body) && englishScore(body) >= 7 || wordsID(id)
}

// lineSpeaksOfKeys applies accessKeyContext to the line holding i, once per line.
//
// In a page or an office document the line is the paragraph that holds i
// (paragraphAround): an .odt's content.xml and many pages are one line of
// markup, so "aws_secret_access_key: see the vault" a paragraph before
// "Region: ASIAPACIFICSOUTHEAST" spoke for it there, while the same two
// lines in a text file do not.
func (m *match) lineSpeaksOfKeys(i int) bool {
	l := m.line(i)
	if k := m.markup(); m.depth == 0 && (k == officeXML || k == htmlMarkup) {
		if s, e := paragraphAround(m.data, l.start, l.end, i); s > l.start || e < l.end {
			return accessKeyContext(m.data[s:e])
		}
	}
	if l.keyContext == 0 {
		l.keyContext = 1
		if accessKeyContext(m.data[l.start:l.end]) {
			l.keyContext = 2
		}
	}
	return l.keyContext == 2
}

// accessKeyContext reports whether a line names an access key ID
// (aws_access_key_id, AccessKeyId, "Access key ID", access_key, or a SigV4
// Credential= scope): whether normalizeKeyword of the line holds
// "accesskey", "keyid" or "credential". It is asked once per line holding
// a word-like key ID, and such lines may be long and many: building the
// normalised line a byte at a time was 40 % of the time on 900-byte lines
// of ASIAPACIFIC… among other services' signs (80 MB per CPU second).
// "accesskey" and "credential" end in a y and an l, and "keyid" holds a y:
// so the line is searched eight bytes at a time for those two letters,
// and only around them is it read as normalised, backwards and forwards
// (keyWordAt).
func accessKeyContext(line []byte) bool {
	i := 0
	for {
		var c uint64
		if i, c = ylWords(line, i); i+8 > len(line) {
			break
		}
		for ; c != 0; c &= c - 1 {
			if keyWordAt(line, i+bits.TrailingZeros64(c)>>3) {
				return true
			}
		}
		i += 8
	}
	for ; i < len(line); i++ {
		if keyWordAt(line, i) {
			return true
		}
	}
	return false
}

// ylWords returns the first i' >= i, i' = i+8k, whose eight bytes
// line[i':i'+8] hold a y or an l of either case, with a mask of them (the
// high bit of each such byte, and perhaps of the byte after one); or where
// fewer than eight bytes are left. No call in the loop: its constants stay
// in registers.
func ylWords(line []byte, i int) (int, uint64) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(line); i += 8 {
		w := binary.LittleEndian.Uint64(line[i:i+8:i+8]) | 0x20*ones // folds Y and L into y and l, and no other byte
		y, l := w^'y'*ones, w^'l'*ones
		if c := ((y-ones)&^y | (l-ones)&^l) & highs; c != 0 {
			return i, c
		}
	}
	return i, 0
}

// keyWordAt reports whether one of accessKeyContext's words, normalised,
// holds line[p]: "accesskey" and "keyid" through their y, "credential"
// through its l.
func keyWordAt(line []byte, p int) bool {
	switch line[p] | 0x20 {
	case 'l':
		_, ok := foldedBefore(line, p, "credentia")
		return ok
	case 'y':
	default:
		return false
	}
	k, ok := foldedBefore(line, p, "ke")
	if !ok {
		return false
	}
	if foldedAfter(line, p+1, "id") {
		return true
	}
	_, ok = foldedBefore(line, k, "access")
	return ok
}

// foldedBefore reports whether the normalised text of line before p ends
// with word, and where word's first byte stands in line. Each letter reads
// back over the bytes normalizeKeyword drops to the nearest it keeps, so
// the candidates of one line read each such stretch a bounded number of
// times.
func foldedBefore(line []byte, p int, word string) (int, bool) {
	for k := len(word) - 1; k >= 0; k-- {
		p--
		for p >= 0 && keywordFold[line[p]] == 0 {
			p--
		}
		if p < 0 || keywordFold[line[p]] != word[k] {
			return 0, false
		}
	}
	return p, true
}

// foldedAfter reports whether the normalised text of line from p on starts
// with word.
func foldedAfter(line []byte, p int, word string) bool {
	for k := 0; k < len(word); k++ {
		for p < len(line) && keywordFold[line[p]] == 0 {
			p++
		}
		if p == len(line) || keywordFold[line[p]] != word[k] {
			return false
		}
		p++
	}
	return true
}

// keywordFold is normalizeKeyword's mapping of a byte: lower case for a
// letter, itself for a digit, 0 for a byte it drops.
var keywordFold = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		switch b := byte(c); {
		case isUpper(b):
			t[c] = b + 'a' - 'A'
		case isLower(b) || isDigit(b):
			t[c] = b
		}
	}
	return t
}()

// englishScore is the vowel count plus twice the common-trigram count of an
// upper-case string: words score high (PACIFICSOUTHEAST: 7 vowels), random
// base32 about 3.
func englishScore(s string) int {
	n := 2 * wordiness(s)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A', 'E', 'I', 'O', 'U':
			n++
		}
	}
	return n
}

func (s *Scanner) allowed(v string) bool {
	if s.allow[v] {
		return true
	}
	for _, re := range s.allowRE {
		if re.MatchString(v) {
			return true
		}
	}
	return false
}
