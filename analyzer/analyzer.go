package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
)

const doc = `report hardcoded AWS credentials and rewrite static SDK credentials to the EC2 instance role

The keyscan analyzer reports AWS access key IDs, secret access keys and
session tokens written into a package: in string literals (through escapes),
in strings assembled by constant folding, in comments, in the files the
package embeds with //go:embed and in its other files. Static credentials
given to aws-sdk-go-v2 or aws-sdk-go v1 come with a suggested fix that
replaces them with the EC2 instance role provider; go fix applies it.
A "keyscan:allow <reason>" comment on the line suppresses a report.
See https://pkg.go.dev/github.com/keyscan/keyscan/analyzer.`

// Analyzer reports hardcoded AWS credentials. It reads .keyscan.toml from
// the module root (or the file given with -config) for allowed values and
// extra keywords.
var Analyzer = New(nil)

// New returns an analyzer that reports what sc finds. With a nil sc the
// analyzer builds its matcher from the configuration file: the -config flag,
// else .keyscan.toml at the root of the module being analyzed, else the
// built-in defaults.
func New(sc *scanner.Scanner) *analysis.Analyzer {
	r := &runner{fixed: sc, byDir: map[string]*scannerResult{}}
	a := &analysis.Analyzer{
		Name: "keyscan",
		Doc:  doc,
		URL:  "https://github.com/keyscan/keyscan#go-vet-and-go-fix",
		Run:  r.run,
	}
	if sc == nil {
		a.Flags.StringVar(&r.configPath, "config", "", "keyscan configuration `file` (default: .keyscan.toml at the top of the git work tree holding the module; outside one, the nearest at or above the module root)")
	}
	return a
}

// runner holds what outlives one pass: the matcher, built once per
// configuration file.
type runner struct {
	fixed      *scanner.Scanner
	configPath string

	mu    sync.Mutex
	byDir map[string]*scannerResult // module root (or -config path) -> matcher
}

type scannerResult struct {
	sc   *scanner.Scanner
	cfg  *config.Config // nil with a fixed scanner
	root string         // the module root the configuration applies to
	from string         // root's path from the folder the configuration's globs start at
	err  error
}

func (r *runner) scanner(pass *analysis.Pass) *scannerResult {
	if r.fixed != nil {
		return &scannerResult{sc: r.fixed}
	}
	// Only a package in a module has a module root to look in (GOPATH-mode
	// drivers, analysistest among them, give none or an empty one).
	root := ""
	if dir := sourceDir(pass); pass.Module != nil && pass.Module.Path != "" && dir != "" {
		root = moduleRoot(dir) // a cgo package's files are in the build's folder
	}
	key := r.configPath + "\x00" + root
	r.mu.Lock()
	defer r.mu.Unlock()
	if res, ok := r.byDir[key]; ok {
		return res
	}
	res := &scannerResult{root: root}
	res.cfg, res.from, res.err = loadConfig(r.configPath, root)
	if res.err == nil {
		res.sc, res.err = scanner.New(res.cfg.ScannerOptions())
	}
	r.byDir[key] = res
	return res
}

// loadConfig loads the configuration of the module at root: the one path
// names, else its scope's (config.Scope: in a git work tree the top's
// .keyscan.toml, whatever folder of it holds the module, so that go vet
// judges a file as keyscan scan does). from is the module root's path from
// the scope's base, where the configuration's path globs start.
func loadConfig(path, root string) (cfg *config.Config, from string, err error) {
	if root != "" {
		var s config.Scope
		if s, from, err = config.ScopeOf(root, path); err != nil {
			return nil, "", err
		}
		path = s.Path
	}
	if path == "" {
		return config.Default(), from, nil
	}
	cfg, err = config.Load(path)
	return cfg, from, err
}

// moduleRoot returns the nearest directory at or above dir holding a go.mod,
// or "" when there is none.
func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}

func (r *runner) run(pass *analysis.Pass) (any, error) {
	res := r.scanner(pass)
	if res.err != nil {
		return nil, res.err
	}
	c := &checker{pass: pass, sc: res.sc, index: newUseIndex(pass.TypesInfo), excluded: res.excluded, root: res.root}
	if dir := sourceDir(pass); c.root == "" && pass.Module != nil && pass.Module.Path != "" && dir != "" {
		c.root = moduleRoot(dir)
	}
	for _, f := range pass.Files {
		if name := pass.Fset.File(f.FileStart).Name(); !c.excluded(name) && !cgoGenerated(name, f) {
			c.file(f)
		}
	}
	c.extraFiles()
	return nil, nil
}

// cgoGenerated reports whether f is one of the files cmd/cgo writes into
// the build's temporary folder (_cgo_gotypes.go, _cgo_imports.go): they copy
// the preamble's #define values into Go, so a key in the preamble would be
// reported twice, the second time at a path that changes with every build
// and where neither keyscan:allow nor a baseline reaches it. The preamble
// itself is scanned where it is written, in the package's own file.
func cgoGenerated(name string, f *ast.File) bool {
	if !strings.HasPrefix(filepath.Base(name), "_cgo_") || len(f.Comments) == 0 {
		return false
	}
	return strings.HasPrefix(f.Comments[0].Text(), "Code generated by cmd/cgo")
}

// excluded reports whether the configuration's include and exclude globs
// leave out the file, named by its path from the scope's base (the module
// root's path from there, then the file's from the module root).
func (res *scannerResult) excluded(name string) bool {
	if res.cfg == nil || res.cfg.Path == "" || res.root == "" {
		return false
	}
	rel, err := filepath.Rel(res.root, name)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	return res.cfg.Excluded(config.FileIn(res.from, rel))
}

// checker is the state of one pass.
type checker struct {
	pass  *analysis.Pass
	sc    *scanner.Scanner
	index *useIndex
	v2aws *types.Package // the aws-sdk-go-v2 aws package, once looked for
	// excluded reports whether the configuration leaves a file out.
	excluded func(name string) bool
	root     string // the module root, "" when unknown

	imdsOnce    sync.Once
	imdsMissing bool
	// unvendored are the packages the v2 fix imports that the module's
	// vendor/modules.txt does not list (see vendorLacks).
	vendorOnce sync.Once
	unvendored []string
	others     map[*ast.BasicLit]bool // see otherKeys
	strs       *constStrings          // see constStrings
	parents    map[ast.Node]ast.Node  // see parentMap

	envOnce   sync.Once
	env       string // see envSetting
	v1Once    sync.Once
	v1        string // see v1Setting
	perOpOnce sync.Once
	perOp     string // see perOpSetting
	modOnce   sync.Once
	mod       moduleFacts // see moduleScan
	hostOnce  sync.Once
	host      string // see foreignHost
	testsOnce sync.Once
	testFset  *token.FileSet
	testASTs  []*ast.File                   // see testFiles
	uses      map[types.Object][]*ast.Ident // see usesOf
}

// report is one diagnostic in the making.
type report struct {
	pos, end token.Pos
	f        scanner.Finding
	where    string // "in a comment", "passed to credentials.NewStaticCredentialsProvider", ...
	advice   string
	fix      *analysis.SuggestedFix
	rank     int // which of two reports of one value wins: higher
}

// Ranks: a report that knows the SDK construct beats one that knows only the
// constant, which beats the plain byte scan.
const (
	rankBytes = iota
	rankLiteral
	rankFolded
	rankSDK
)

// fileState is the per-file state of a pass.
type fileState struct {
	c       *checker
	file    *ast.File
	tf      *token.File
	src     []byte          // nil when the source could not be read
	lits    []*ast.BasicLit // string literals, in source order
	reports []report
	removed []removedDecl  // constant declarations a fix deletes
	notAWS  [][2]token.Pos // secrets given to the SDK with a key ID that is not AWS's
}

// removedDecl is a constant declaration a fix deletes along with the
// static credentials at line, or, when why is set, keeps for that reason.
type removedDecl struct {
	pos, end token.Pos
	line     int
	why      string
}

func (c *checker) file(f *ast.File) {
	tf := c.pass.Fset.File(f.FileStart)
	if tf == nil {
		return
	}
	fs := &fileState{c: c, file: f, tf: tf}
	fs.src = c.readFile(tf.Name())
	fs.sdkSites()
	fs.foldedAndEscaped()
	fs.bytes()
	fs.emit()
}

// readFile reads a file through the driver when it allows it (an editor may
// hold unsaved changes), from disk otherwise: go vet does not list embedded
// files among those a pass may read, although its cache key covers them.
func (c *checker) readFile(name string) []byte {
	if c.pass.ReadFile != nil {
		if b, err := c.pass.ReadFile(name); err == nil {
			return b
		}
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	return b
}

// bytes runs the matcher over the whole source file, as keyscan scan does,
// which finds keys in plain literals, raw strings and comments, with the
// matcher's own context (keywords, pairing) and keyscan:allow handling.
func (fs *fileState) bytes() {
	if fs.src == nil {
		return
	}
	name := filepath.Base(fs.tf.Name())
	all, counts := fs.c.sc.ScanAllCounted(name, fs.src, 0)
	if counts.Unchecked > 0 {
		fs.c.gap(fs.tf.Pos(0), name+": "+content.Unchecked(counts.Unchecked))
	}
	if counts.Undecoded > 0 {
		fs.c.gap(fs.tf.Pos(0), name+": "+content.Undecoded(counts.Undecoded))
	}
	for _, f := range all.Reported() {
		if f.Offset > fs.tf.Size() || f.EndOffset > fs.tf.Size() {
			continue // the file changed under us
		}
		where, advice := fs.place(fs.tf.Pos(f.Offset))
		fs.reports = append(fs.reports, report{
			pos: fs.tf.Pos(f.Offset), end: fs.tf.Pos(f.EndOffset), f: f,
			where: where, advice: advice, rank: rankBytes,
		})
	}
	// The archives encoded runs of the file decode to (go-bindata's gzip
	// streams as string escapes, a []byte{0x1f, 0x8b, …}): their members'
	// keys are reported where the run starts, naming the member, as keyscan
	// scan names it.
	embeds := content.NewEmbedBudget(content.DefaultOptions().Archives, len(fs.src))
	for _, e := range counts.Embedded {
		if e.Offset > fs.tf.Size() {
			continue
		}
		left, ok := embeds.Left()
		if !ok {
			// Together they inflate no more than keyscan scan lets them
			// (content.Scan; qa13 MEDIUM-12).
			fs.c.gap(fs.tf.Pos(e.Offset), content.EmbeddedName(name, e.Encoding, e.Data)+": archive in the source not opened: the file's archives together inflated to the limit")
			continue
		}
		found, gap, n := openArchiveLimited(fs.c.sc, name, e.Encoding, e.Data, left)
		embeds.Spend(max(n, int64(len(e.Data))))
		if gap != "" {
			fs.c.gap(fs.tf.Pos(e.Offset), gap)
		}
		for _, f := range found {
			fs.reports = append(fs.reports, report{
				pos: fs.tf.Pos(e.Offset), end: fs.tf.Pos(e.Offset), f: f,
				where: "in " + f.File + ", an archive in the source", advice: adviceArchive, rank: rankBytes,
			})
		}
	}
}

// place says whether pos is in a comment or in a string literal, and what to
// do about a key there.
func (fs *fileState) place(pos token.Pos) (where, advice string) {
	for _, cg := range fs.file.Comments {
		if cg.Pos() <= pos && pos < cg.End() {
			return "in a comment", adviceComment
		}
		if cg.Pos() > pos {
			break
		}
	}
	if fs.litAt(pos) != nil {
		return "in a string literal", adviceLiteral
	}
	return "in the source", adviceLiteral
}

const (
	adviceV2Fix       = "go fix -fixtool=keyscan replaces the static provider with the EC2 instance role (aws.NewCredentialsCache(ec2rolecreds.New())); then deactivate and rotate the key"
	adviceTidy        = "; run go mod tidy after the fix: go.sum has no entry for github.com/aws/aws-sdk-go-v2/feature/ec2/imds, which ec2rolecreds imports"
	adviceVendor      = "; run go mod tidy && go mod vendor after the fix: vendor/modules.txt does not list %s, which the fix needs"
	adviceV1Fix       = "go fix -fixtool=keyscan removes %s, so the default credential chain applies and ends in the EC2 instance role; then deactivate and rotate the key"
	adviceV2NoFix     = "no automatic fix here: replace the static provider with aws.NewCredentialsCache(ec2rolecreds.New()) or let config.LoadDefaultConfig's chain reach the instance role, then deactivate and rotate the key"
	adviceV1NoFix     = "no automatic fix here: omit Credentials so the default chain reaches the EC2 role provider, or use ec2rolecreds.NewCredentials(sess), then deactivate and rotate the key"
	adviceEndpoint    = "no automatic fix: the client has a custom endpoint (%s), and the EC2 instance role's credentials would go to a service that does not know them; load the keys from the environment or a secrets store, then deactivate and rotate the key"
	adviceEscape      = "no automatic fix: the config leaves this function (%s); keyscan cannot see the endpoint of every client built from it; load the keys from the environment or a secrets store, or use the EC2 instance role, then deactivate and rotate the key"
	adviceOpaque      = "no automatic fix: the credentials go with %s, which keyscan cannot read whole and which may set another endpoint (MinIO, LocalStack, Ceph...), where the EC2 instance role's credentials do not belong; load the keys from the environment or a secrets store, then deactivate and rotate the key"
	adviceProfile     = "no automatic fix: the config chooses a shared-config profile or file (%s), whose endpoint_url may point at another service, where the EC2 instance role's credentials do not belong; load the keys from the environment or a secrets store, then deactivate and rotate the key"
	adviceMetadataOff = "no automatic fix: the program turns the instance metadata service off (%s), so the EC2 instance role would give the client no credentials; remove that setting and the keys together, or load the keys from the environment or a secrets store, then deactivate and rotate the key"
	adviceNoMetadata  = "no automatic fix: the module deploys the program where the EC2 instance role is not its role (%s), so the instance role provider would give the client no credentials, or the node's; remove the static provider by hand so that the SDK's default chain finds the function's, task's or pod's own role, then deactivate and rotate the key"
	adviceNoRole      = "no automatic fix: %s; then deactivate and rotate the key"
	adviceGenerated   = " (the file is generated: go fix edits no generated file, and the generator would write the key again; change the generator or its input)"
	adviceCgo         = " (the file imports \"C\": go fix edits no cgo file; make the change by hand)"
	adviceNotAWS      = "no automatic fix: the key ID is not an AWS access key ID, so the client talks to another service; load the keys from the environment or a secrets store"
	adviceRemoved     = "go fix -fixtool=keyscan removes this constant with the static credentials it is only used for (line %d); then deactivate and rotate the key"
	adviceConstKept   = "go fix -fixtool=keyscan fixes the static credentials this constant is only used for (line %d) but keeps the constant: %s; then deactivate and rotate the key"
	adviceLiteral     = "keep credentials out of the code: let the SDK's default chain get them from the EC2 instance role, then deactivate and rotate the key"
	adviceFolded      = "splitting a key across constants does not hide it: delete the parts, let the SDK's default chain use the EC2 instance role, then deactivate and rotate the key"
	adviceComment     = "delete it from the comment (comments ship with the code), then deactivate and rotate the key"
	adviceEmbedded    = "the file is compiled into the binary: remove the key from it, attach an IAM role to the instance, then deactivate and rotate the key"
	adviceArchive     = "the archive is compiled into the binary: remove the key from the file it was made from and generate it again, attach an IAM role to the instance, then deactivate and rotate the key"
	adviceOther       = "remove the key from the file, attach an IAM role to the instance, then deactivate and rotate the key"
)

// emit reports each value once per line, keeping the best-informed report,
// and drops those a keyscan:allow comment covers.
func (fs *fileState) emit() {
	type key struct {
		secret string
		line   int
	}
	best := map[key]int{}
	var keep []report
	for _, r := range fs.reports {
		if r.f.Kind != rules.AccessKeyID && slices.ContainsFunc(fs.notAWS, func(sp [2]token.Pos) bool { return sp[0] <= r.pos && r.pos < sp[1] }) {
			continue
		}
		if r.f.Kind == rules.SecretAccessKey && r.rank < rankSDK && fs.c.otherKeys()[fs.litAt(r.pos)] && !fs.givenToSDK(r.f.Secret) {
			continue
		}
		k := key{r.f.Secret, fs.tf.Line(r.pos)}
		if i, ok := best[k]; ok {
			if r.rank > keep[i].rank {
				if r.fix == nil && keep[i].fix != nil {
					r.fix = keep[i].fix
				}
				keep[i] = r
			}
			continue
		}
		best[k] = len(keep)
		keep = append(keep, r)
	}
	slices.SortStableFunc(keep, func(a, b report) int { return cmp.Compare(a.pos, b.pos) })
	for _, r := range keep {
		for _, d := range fs.removed {
			if d.pos <= r.pos && r.pos < d.end && r.fix == nil {
				r.advice = fmt.Sprintf(adviceRemoved, d.line)
				if d.why != "" {
					r.advice = fmt.Sprintf(adviceConstKept, d.line, d.why)
				}
			}
		}
		if r.rank != rankBytes { // the matcher applied the directive to its own findings
			allowed, note := allowDirective(fs.src, fs.tf, r.pos)
			if allowed {
				continue
			}
			if note != "" && r.f.Note == "" {
				r.f.Note = note
			}
		}
		fs.c.reportOne(r)
	}
}

// givenToSDK reports whether the file gives secret to an SDK construct.
func (fs *fileState) givenToSDK(secret string) bool {
	return slices.ContainsFunc(fs.reports, func(r report) bool { return r.rank == rankSDK && r.f.Secret == secret })
}

// gap reports, at pos, a part of the package that was not checked whole
// (msg says which and why): keyscan scan warns about it, and --strict,
// staged and pre-receive fail on it; go vet has only diagnostics to say it
// with, so a file past its check or decode budget fails go vet as it fails
// those (qa13 HIGH-3). Real code never comes near the budgets.
func (c *checker) gap(pos token.Pos, msg string) {
	c.pass.Report(analysis.Diagnostic{
		Pos:      pos,
		Category: "not-checked",
		Message:  "keyscan: " + msg,
	})
}

func (c *checker) reportOne(r report) {
	d := analysis.Diagnostic{
		Pos:      r.pos,
		End:      r.end,
		Category: r.f.Rule,
		Message:  message(c.sc, r),
	}
	if r.fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*r.fix}
	}
	c.pass.Report(d)
}

// message is "AWS access key ID AKIA************WXYZ (account 123456789012)
// in a comment: delete it ...".
func message(sc *scanner.Scanner, r report) string {
	title := r.f.Rule
	if rule, ok := sc.Rules().Lookup(r.f.Rule); ok {
		title = rule.Title
	}
	msg := fmt.Sprintf("%s %s", title, scanner.Redact(r.f.Secret))
	if r.f.AccountID != "" {
		msg += " (account " + r.f.AccountID + ")"
	}
	if r.where != "" {
		msg += " " + r.where
	}
	msg += ": " + r.advice
	if r.f.Note != "" {
		msg += " (" + r.f.Note + ")"
	}
	return msg
}
