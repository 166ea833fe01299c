package analyzer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/keyscan/keyscan/internal/awsregion"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/rules"
)

// plan is what to say and do at a static-credential site: the fix, when
// one is known to compile and keep the program talking to the same service,
// and the advice every key of the site carries.
type plan struct {
	fix    *analysis.SuggestedFix
	advice string
	// removed are the constant declarations the fix deletes with the call
	// (constants used only there), or keeps for a reason it gives, so that
	// their own reports say so.
	removed []constSpan
}

// constSpan is a constant's spec that a fix deletes, or, when why is set,
// would delete but keeps: why says what deleting it would break and what
// to do by hand.
type constSpan struct {
	pos, end token.Pos
	why      string
}

// sitePlan decides the fix for a static-credential site, or says why there
// is none.
//
// aws-sdk-go-v2: the provider expression becomes
// aws.NewCredentialsCache(ec2rolecreds.New()). Dropping the option instead,
// so that LoadDefaultConfig's chain applies, works only where the provider is
// an option; the replacement works wherever a provider is expected
// (config.WithCredentialsProvider, aws.Config.Credentials, a client's
// Options), never leaves a client without credentials, and names the
// instance role outright rather than depending on what the default chain
// finds first: environment variables or a shared credentials file may hold
// the very key being removed.
//
// aws-sdk-go v1: the Credentials field, WithCredentials call or assignment is
// removed, so the default chain applies; it ends in the EC2 role provider.
// ec2rolecreds.NewCredentials needs a session, which is usually the thing
// being configured, so a replacement would have to invent one.
//
// No fix is offered where the client talks to another service (a custom
// endpoint, a key ID that is not AWS's): the instance role's credentials
// would go to a server that does not know them.
func (fs *fileState) sitePlan(s *site) plan {
	noFix := adviceV1NoFix
	if s.v2 {
		noFix = adviceV2NoFix
	}
	if s.provider == nil || !fs.allConstant(s) {
		return plan{advice: noFix}
	}
	for _, k := range s.keys {
		if k.kind != rules.AccessKeyID {
			continue
		}
		if v, _ := fs.constString(k.e); !isAWSKeyID(v) {
			return plan{advice: adviceNotAWS}
		}
	}
	if what := fs.customEndpoint(s.stack); what != "" {
		return plan{advice: fmt.Sprintf(adviceEndpoint, what)}
	}
	var p plan
	if s.v2 {
		p = fs.v2Fix(s)
	} else {
		p = fs.v1Fix(s)
	}
	if p.fix == nil {
		p.advice = noFix
		return p
	}
	// aws-sdk-go-v2 reads AWS_ENDPOINT_URL and the profile to load from the
	// environment (aws-sdk-go v1, up to its last release, reads neither;
	// both honour AWS_EC2_METADATA_DISABLED).
	why := fs.c.v1Setting()
	if s.v2 {
		why = fs.c.envSetting()
	}
	if why == "" {
		why = fs.c.foreignHost()
	}
	if why == "" {
		why = fs.c.perOpSetting()
	}
	if why == "" {
		why = fs.escapes(s.provider)
	}
	switch {
	case why == "" && strings.HasSuffix(fs.tf.Name(), ".cgo1.go"):
		// A file that imports "C" is analysed as cgo's output, and go
		// fix applies no edit to it.
		return plan{advice: noFix + adviceCgo}
	case why == "" && ast.IsGenerated(fs.file):
		// go fix applies no edit to a generated file (and the generator
		// would write the key back): say so, rather than promise a fix.
		return plan{advice: noFix + adviceGenerated}
	case why == "":
		if reason := fs.c.unwritable(p.fix); reason != "" {
			// A link or a hard-linked file: no edit is offered at all
			// (fixtarget.go), nor the constants' removal that goes with it.
			return plan{advice: noFix + reason}
		}
		return p
	case strings.HasPrefix(why, endpointMark):
		return plan{advice: fmt.Sprintf(adviceEndpoint, strings.TrimPrefix(why, endpointMark))}
	case strings.HasPrefix(why, profileMark):
		return plan{advice: fmt.Sprintf(adviceProfile, strings.TrimPrefix(why, profileMark))}
	case strings.HasPrefix(why, opaqueMark):
		return plan{advice: fmt.Sprintf(adviceOpaque, strings.TrimPrefix(why, opaqueMark))}
	case strings.HasPrefix(why, metadataOffMark):
		return plan{advice: fmt.Sprintf(adviceMetadataOff, strings.TrimPrefix(why, metadataOffMark))}
	case strings.HasPrefix(why, noMetadataMark):
		return plan{advice: fmt.Sprintf(adviceNoMetadata, strings.TrimPrefix(why, noMetadataMark))}
	case strings.HasPrefix(why, noRoleMark):
		return plan{advice: fmt.Sprintf(adviceNoRole, strings.TrimPrefix(why, noRoleMark))}
	}
	return plan{advice: fmt.Sprintf(adviceEscape, why)}
}

// isAWSKeyID reports whether v has the shape of an AWS access key ID: a
// 20-character AKIA or ASIA ID (ABIA, ACCA: other AWS services).
func isAWSKeyID(v string) bool {
	if len(v) != 20 {
		return false
	}
	switch v[:4] {
	case "AKIA", "ASIA", "ABIA", "ACCA":
	default:
		return false
	}
	for _, c := range v[4:] {
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// endpointFields are the fields that point an SDK client or configuration
// at a service of its own choosing (aws-sdk-go-v2 Options and aws.Config,
// aws-sdk-go v1 aws.Config). Path-style addressing (v2 s3.Options'
// UsePathStyle, v1's S3ForcePathStyle) is what MinIO, Ceph and LocalStack
// need and AWS has deprecated: a client that asks for it talks to such a
// service whose endpoint comes from outside the code (AWS_ENDPOINT_URL_S3
// set by the deployment, a profile's endpoint_url), as Terraform's
// s3_use_path_style tells keyscan fix.
var endpointFields = map[string]bool{
	"BaseEndpoint":                true,
	"Endpoint":                    true,
	"EndpointResolver":            true,
	"EndpointResolverWithOptions": true,
	"EndpointResolverV2":          true,
	"UsePathStyle":                true,
	"S3ForcePathStyle":            true,
}

// endpointFuncs are the option funcs and methods that do the same
// (config.WithEndpointResolver..., config.WithBaseEndpoint, a client
// package's WithEndpointResolverV2, v1 (*aws.Config).WithEndpoint). FIPS,
// dual-stack and IMDS endpoint options keep the client on AWS.
var endpointFuncs = map[string]bool{
	"WithEndpoint":                    true,
	"WithBaseEndpoint":                true,
	"WithEndpointResolver":            true,
	"WithEndpointResolverWithOptions": true,
	"WithEndpointResolverV2":          true,
	"WithS3ForcePathStyle":            true,
}

// customEndpoint names what gives a client configured in the same top-level
// declaration as the site an endpoint of its own (a field, an assignment to
// one in an option func, config.WithEndpointResolver, WithBaseEndpoint,
// (*aws.Config).WithEndpoint, ...), or returns "" when there is none. The
// declaration is the unit because a client and its credentials are almost
// always configured together there; a fix must not send the instance role's
// credentials to MinIO, LocalStack or another S3-compatible server.
func (fs *fileState) customEndpoint(stack []ast.Node) string {
	if len(stack) < 2 {
		return ""
	}
	return fs.endpointIn(stack[1])
}

// endpointIn is customEndpoint for the declaration decl.
func (fs *fileState) endpointIn(decl ast.Node) string {
	info := fs.c.pass.TypesInfo
	isSDK := func(p *types.Package) bool {
		return p != nil && strings.HasPrefix(pkgPath(p), "github.com/aws/aws-sdk-go")
	}
	found := ""
	ast.Inspect(decl, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && v.IsField() && endpointFields[n.Name] && isSDK(v.Pkg()) {
				found = n.Name
			}
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(info, n).(*types.Func); ok && isSDK(fn.Pkg()) && endpointFuncs[fn.Name()] {
				found = fn.Name()
			} else if ok && isSDK(fn.Pkg()) && fn.Name() == "WithRegion" && len(n.Args) == 1 {
				found = fs.foreignRegion(n.Args[0])
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Region" {
				if v, ok := info.Uses[k].(*types.Var); ok && v.IsField() && isSDK(v.Pkg()) {
					found = fs.foreignRegion(n.Value)
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "Region" && len(n.Rhs) == len(n.Lhs) && found == "" {
					if v, ok := info.Uses[sel.Sel].(*types.Var); ok && v.IsField() && isSDK(v.Pkg()) {
						found = fs.foreignRegion(n.Rhs[i])
					}
				}
			}
		}
		return true
	})
	return found
}

// foreignRegion describes the region e gives a client (a constant string,
// or v1's aws.String of one) when AWS has no region by that name:
// Cloudflare R2's auto, DigitalOcean Spaces' nyc3, Linode's us-iad-1
// (awsregion.Foreign). Such a client talks to that service, its endpoint
// set where keyscan cannot see (AWS_ENDPOINT_URL_S3 in the deployment),
// and the instance role's credentials mean nothing there (fix24). "" for
// an AWS region or a value keyscan cannot read.
func (fs *fileState) foreignRegion(e ast.Expr) string {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 1 {
		if fn, ok := typeutil.Callee(fs.c.pass.TypesInfo, call).(*types.Func); ok && fn.Name() == "String" && fn.Pkg() != nil &&
			strings.HasPrefix(pkgPath(fn.Pkg()), "github.com/aws/aws-sdk-go") {
			e = call.Args[0]
		}
	}
	v, ok := fs.constString(e)
	if !ok || !awsregion.Foreign(v) {
		return ""
	}
	return fmt.Sprintf("region %q, which AWS does not have: another service's, such as Cloudflare R2's auto", v)
}

// allConstant reports whether every key expression of the site is constant:
// a fix that deletes a variable's last use would not compile.
func (fs *fileState) allConstant(s *site) bool {
	for _, k := range s.keys {
		if _, ok := fs.constString(k.e); !ok {
			return false
		}
	}
	return len(s.keys) > 0
}

func (fs *fileState) v2Fix(s *site) plan {
	info := fs.c.pass.TypesInfo
	want := fs.expectedType(s.provider, s.stack)
	if want == nil || !fs.c.takesCredentialsCache(want) {
		return plan{}
	}
	start, end := s.provider.Pos(), s.provider.End()
	if !fs.safeToRemove(start, end) {
		return plan{}
	}
	// aws.NewCredentialsCache(static) keeps its cache (and its options):
	// only the provider inside changes, so there is no cache in a cache.
	inCache := false
	if parent, child := parentOf(s.provider, s.stack); parent != nil {
		if call, ok := parent.(*ast.CallExpr); ok && len(call.Args) > 0 && call.Args[0] == child {
			if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.Pkg() != nil && pkgPath(fn.Pkg()) == pathV2AWS && fn.Name() == "NewCredentialsCache" {
				inCache = true
			}
		}
	}
	var edits []analysis.TextEdit
	var add []string
	if inCache {
		var names []string
		names, add = fs.importNames(start, pathV2EC2Role)
		edits = append(edits, analysis.TextEdit{Pos: start, End: end, NewText: []byte(names[0] + ".New()")})
	} else {
		var names []string
		names, add = fs.importNames(start, pathV2AWS, pathV2EC2Role)
		edits = append(edits, analysis.TextEdit{Pos: start, End: end,
			NewText: []byte(names[0] + ".NewCredentialsCache(" + names[1] + ".New())")})
	}
	advice := adviceV2Fix
	msg := "Replace the static credentials with the EC2 instance role provider"
	if lack := fs.c.vendorLacks(); len(lack) > 0 {
		advice += fmt.Sprintf(adviceVendor, strings.Join(lack, " and "))
		msg += " (then run go mod tidy && go mod vendor)"
	} else if fs.c.missingIMDS() {
		advice += adviceTidy
		msg += " (then run go mod tidy)"
	}
	removed, constEdits := fs.unusedConsts(s, start, end)
	edits = append(edits, constEdits...)
	edits = append(edits, fs.importEdits(add, fs.unusedImports(start, end, pathV2AWS, pathV2EC2Role))...)
	return plan{fix: &analysis.SuggestedFix{Message: msg, TextEdits: edits}, advice: advice, removed: removed}
}

// parentOf returns the nearest ancestor of e in stack that is not a
// parenthesis, and the child of it that holds e.
func parentOf(e ast.Node, stack []ast.Node) (parent, child ast.Node) {
	child = e
	for i := len(stack) - 1; i >= 0; i-- {
		if p, ok := stack[i].(*ast.ParenExpr); ok {
			child = p
			continue
		}
		return stack[i], child
	}
	return nil, child
}

func (fs *fileState) v1Fix(s *site) plan {
	info := fs.c.pass.TypesInfo
	child := ast.Node(s.provider)
	stack := s.stack
	for len(stack) > 0 {
		if p, ok := stack[len(stack)-1].(*ast.ParenExpr); ok {
			child, stack = p, stack[:len(stack)-1]
			continue
		}
		break
	}
	if len(stack) == 0 {
		return plan{}
	}
	var start, end token.Pos
	var advice string
	switch p := stack[len(stack)-1].(type) {
	case *ast.KeyValueExpr: // aws.Config{Credentials: ...}
		id, ok := p.Key.(*ast.Ident)
		if !ok || id.Name != "Credentials" || p.Value != child || len(stack) < 2 {
			return plan{}
		}
		lit, ok := stack[len(stack)-2].(*ast.CompositeLit)
		if !ok || !isNamed(info.TypeOf(lit), pathV1AWS, "Config") {
			return plan{}
		}
		start, end = fs.elementSpan(lit, p)
		advice = fmt.Sprintf(adviceV1Fix, "the Credentials field")
	case *ast.CallExpr: // cfg.WithCredentials(...) -> cfg
		fn, ok := typeutil.Callee(info, p).(*types.Func)
		sel, ok2 := p.Fun.(*ast.SelectorExpr)
		if !ok || !ok2 || fn.Name() != "WithCredentials" || fn.Pkg() == nil || pkgPath(fn.Pkg()) != pathV1AWS {
			return plan{}
		}
		start, end = sel.X.End(), p.End()
		advice = fmt.Sprintf(adviceV1Fix, "the WithCredentials call")
		// Used as a statement, what is left must still be one: a bare
		// cfg is not, and cfg = cfg is a self-assignment go vet rejects.
		// Then the whole statement goes, if the receiver has no effects.
		var outer ast.Node
		if len(stack) >= 2 {
			outer = stack[len(stack)-2]
		}
		switch o := outer.(type) {
		case *ast.ExprStmt:
			if _, isCall := ast.Unparen(sel.X).(*ast.CallExpr); !isCall {
				if !pure(sel.X) || !isBlockChild(stack, len(stack)-3) {
					return plan{}
				}
				start, end = fs.lineSpan(o.Pos(), o.End())
				advice = fmt.Sprintf(adviceV1Fix, "the WithCredentials statement")
			}
		case *ast.AssignStmt:
			if len(o.Lhs) == 1 && len(o.Rhs) == 1 && o.Rhs[0] == p && o.Tok == token.ASSIGN && types.ExprString(o.Lhs[0]) == types.ExprString(sel.X) {
				if !pure(sel.X) || !isBlockChild(stack, len(stack)-3) {
					return plan{}
				}
				start, end = fs.lineSpan(o.Pos(), o.End())
				advice = fmt.Sprintf(adviceV1Fix, "the assignment")
			}
		}
	case *ast.AssignStmt: // cfg.Credentials = ...
		sel, ok := p.Lhs[0].(*ast.SelectorExpr)
		if p.Tok != token.ASSIGN || len(p.Lhs) != 1 || !ok || sel.Sel.Name != "Credentials" || len(stack) < 2 {
			return plan{}
		}
		if !isBlockChild(stack, len(stack)-2) {
			return plan{}
		}
		if v, ok := info.Uses[sel.Sel].(*types.Var); !ok || !v.IsField() || v.Pkg() == nil || pkgPath(v.Pkg()) != pathV1AWS {
			return plan{}
		}
		start, end = fs.lineSpan(p.Pos(), p.End())
		advice = fmt.Sprintf(adviceV1Fix, "the assignment")
	default:
		return plan{}
	}
	if !fs.safeToRemove(start, end) {
		return plan{}
	}
	removed, constEdits := fs.unusedConsts(s, start, end)
	edits := append([]analysis.TextEdit{{Pos: start, End: end}}, constEdits...)
	edits = append(edits, fs.importEdits(nil, fs.unusedImports(start, end))...)
	return plan{
		fix: &analysis.SuggestedFix{
			Message:   "Remove the static credentials (the default chain ends in the EC2 role provider)",
			TextEdits: edits,
		},
		advice:  advice,
		removed: removed,
	}
}

// isBlockChild reports whether stack[i] is a block or case clause, so that
// the statement below it can be deleted whole.
func isBlockChild(stack []ast.Node, i int) bool {
	if i < 0 || i >= len(stack) {
		return false
	}
	switch stack[i].(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return true
	}
	return false
}

// pure reports whether evaluating e has no effect: names, fields, constant
// indexes, dereferences.
func pure(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.SelectorExpr:
		return pure(e.X)
	case *ast.StarExpr:
		return pure(e.X)
	case *ast.IndexExpr:
		return pure(e.X) && pure(e.Index)
	}
	return false
}

// unusedConsts returns the declarations of the unexported constants that
// feed the site's keys and are used nowhere but in [start, end), and the
// edits that delete them, so that go vet is clean after go fix. A constant
// used elsewhere (or possibly by the package's tests, which another pass
// compiles) stays, and its own report says what to do.
//
// A spec of a parenthesised group stays when a spec below it has no value
// of its own (it repeats the expression above it, which deleting specs
// could take away or change) or counts with iota (whose value is the
// spec's index in the group, which deleting a spec above it lowers): the
// fix never changes what another declaration means (qa25 H2, M2). The
// spec's own report then says why it stays.
func (fs *fileState) unusedConsts(s *site, start, end token.Pos) ([]constSpan, []analysis.TextEdit) {
	info := fs.c.pass.TypesInfo
	consts := map[*types.Const]bool{}
	for _, k := range s.keys {
		ast.Inspect(k.e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if c, ok := info.Uses[id].(*types.Const); ok && c.Pkg() == fs.c.pass.Pkg && !c.Exported() {
					consts[c] = true
				}
			}
			return true
		})
	}
	if len(consts) == 0 {
		return nil, nil
	}
	inside := map[types.Object]int{}
	ast.Inspect(fs.file, func(n ast.Node) bool {
		if n == nil || n.End() <= start || n.Pos() >= end {
			return false
		}
		if id, ok := n.(*ast.Ident); ok {
			if obj := info.Uses[id]; obj != nil {
				inside[obj]++
			}
		}
		return true
	})
	gone := map[*types.Const]bool{}
	for c := range consts {
		total := 0
		for _, f := range fs.c.pass.Files {
			total += fs.c.index.file(f)[c]
		}
		if total != inside[c] || c.Pos() < fs.file.Pos() || c.Pos() >= fs.file.End() || fs.c.othersMention(fs.tf.Name(), c.Name()) {
			continue
		}
		gone[c] = true
	}
	if len(gone) == 0 {
		return nil, nil
	}
	var spans []constSpan
	var edits []analysis.TextEdit
	ast.Inspect(fs.file, func(n ast.Node) bool {
		g, ok := n.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			return true
		}
		var drop []*ast.ValueSpec
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			all := len(vs.Values) > 0
			for _, name := range vs.Names {
				c, _ := info.Defs[name].(*types.Const)
				all = all && gone[c]
			}
			if all {
				drop = append(drop, vs)
			}
		}
		switch {
		case len(drop) == 0:
		case len(drop) == len(g.Specs) && !(start >= g.Pos() && end <= g.End()):
			s, e := fs.lineSpan(g.Pos(), g.End())
			spans = append(spans, constSpan{pos: g.Pos(), end: g.End()})
			edits = append(edits, analysis.TextEdit{Pos: s, End: e})
		case g.Lparen.IsValid():
			for _, vs := range drop {
				if why := fs.specBelow(g, vs, drop); why != "" {
					spans = append(spans, constSpan{vs.Pos(), vs.End(), why})
					continue
				}
				s, e := fs.lineSpan(vs.Pos(), vs.End())
				if s == vs.Pos() {
					continue // shares its line: leave it
				}
				spans = append(spans, constSpan{pos: vs.Pos(), end: vs.End()})
				edits = append(edits, analysis.TextEdit{Pos: s, End: e})
			}
		}
		return false
	})
	return spans, edits
}

// specBelow says why vs, a spec of the const group g, must stay although
// the fix makes it unused: a spec below it that the fix keeps (not in drop)
// has no value of its own, or counts with iota. It returns "" when vs can
// go without changing any other constant.
func (fs *fileState) specBelow(g *ast.GenDecl, vs *ast.ValueSpec, drop []*ast.ValueSpec) string {
	iotaObj := types.Universe.Lookup("iota")
	below := false
	for _, spec := range g.Specs {
		later := spec.(*ast.ValueSpec)
		if later == vs {
			below = true
			continue
		}
		if !below || slices.Contains(drop, later) {
			continue
		}
		name := later.Names[0].Name
		if len(later.Values) == 0 {
			return fmt.Sprintf("%s, below it in its const block, has no value of its own and repeats the expression above it, which deleting this constant would take away or change; give %s its own value, then delete this constant", name, name)
		}
		counts := false
		for _, v := range later.Values {
			ast.Inspect(v, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && fs.c.pass.TypesInfo.Uses[id] == iotaObj {
					counts = true
				}
				return !counts
			})
		}
		if counts {
			return fmt.Sprintf("%s, below it in its const block, counts with iota, whose value deleting this constant would lower; put a blank spec (_ = 0) in its place or move %s to a block of its own", name, name)
		}
	}
	return ""
}

// othersMention reports whether a Go file next to file that this pass does
// not compile holds the word name: the package's tests, compiled by another
// pass, and the files of other GOOS, GOARCH or build tags (w_windows.go),
// compiled by another build, must not lose a constant they use.
func (c *checker) othersMention(file, name string) bool {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "*.go"))
	compiled := make(map[string]bool, len(c.pass.Files))
	for _, f := range c.pass.Files {
		compiled[c.pass.Fset.File(f.Pos()).Name()] = true
	}
	for _, m := range matches {
		if m == file || compiled[m] {
			continue
		}
		b := c.readFile(m)
		for off := 0; off < len(b); {
			i := bytes.Index(b[off:], []byte(name))
			if i < 0 {
				break
			}
			i += off
			j := i + len(name)
			if (i == 0 || !isIdentByte(b[i-1])) && (j == len(b) || !isIdentByte(b[j])) {
				return true
			}
			off = j
		}
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z' || c >= 0x80
}

// missingIMDS reports whether the module's go.sum lacks the module of
// github.com/aws/aws-sdk-go-v2/feature/ec2/imds, which ec2rolecreds imports:
// a module that requires credentials but not config builds after the v2 fix
// only once go mod tidy has added it. A fix cannot edit go.sum, so the
// diagnostic says so. Without a module root (GOPATH, tests) it is false.
func (c *checker) missingIMDS() bool {
	if c.root == "" {
		return false
	}
	c.imdsOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join(c.root, "go.sum"))
		if err != nil {
			c.imdsMissing = true
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) == 3 && f[0] == "github.com/aws/aws-sdk-go-v2/feature/ec2/imds" && !strings.HasSuffix(f[1], "/go.mod") {
				return
			}
		}
		c.imdsMissing = true
	})
	return c.imdsMissing
}

// vendorLacks returns the packages of the v2 fix (ec2rolecreds and the
// feature/ec2/imds it imports) that a vendored module's vendor/modules.txt
// does not list: the go command builds such a module from vendor/ only
// (-mod=vendor, the default when vendor/modules.txt exists), so after the
// fix it builds once go mod tidy and go mod vendor have run, whatever
// go.sum holds. nil for a module without vendor/modules.txt, or without a
// module root.
func (c *checker) vendorLacks() []string {
	if c.root == "" {
		return nil
	}
	c.vendorOnce.Do(func() {
		b, err := readfile.File(filepath.Join(c.root, "vendor", "modules.txt"), false, 64<<20)
		if err != nil {
			return // no vendor folder (or none the go command reads either)
		}
		listed := map[string]bool{}
		for _, line := range strings.Split(string(b), "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
				listed[l] = true
			}
		}
		for _, p := range []string{pathV2EC2Role, "github.com/aws/aws-sdk-go-v2/feature/ec2/imds"} {
			if !listed[p] {
				c.unvendored = append(c.unvendored, p)
			}
		}
	})
	return c.unvendored
}

// expectedType is the type the context of e requires: the parameter it is
// passed as, the field or variable it is assigned to, the result it is
// returned as. It is nil when the context fixes no type (x := e).
func (fs *fileState) expectedType(e ast.Expr, stack []ast.Node) types.Type {
	info := fs.c.pass.TypesInfo
	var child ast.Node = e
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			child = p
			continue
		case *ast.CallExpr:
			sig, ok := info.TypeOf(p.Fun).(*types.Signature)
			if !ok || info.Types[p.Fun].IsType() {
				return nil
			}
			for j, a := range p.Args {
				if a != child {
					continue
				}
				n := sig.Params().Len()
				switch {
				case sig.Variadic() && j >= n-1:
					if p.Ellipsis.IsValid() {
						return nil
					}
					return sig.Params().At(n - 1).Type().(*types.Slice).Elem()
				case j < n:
					return sig.Params().At(j).Type()
				}
			}
		case *ast.KeyValueExpr:
			if p.Value != child {
				return nil
			}
			if id, ok := p.Key.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && v.IsField() {
					return v.Type()
				}
			}
		case *ast.AssignStmt:
			if p.Tok != token.ASSIGN || len(p.Lhs) != len(p.Rhs) {
				return nil
			}
			for j, r := range p.Rhs {
				if r == child {
					return info.TypeOf(p.Lhs[j])
				}
			}
		case *ast.ValueSpec:
			if p.Type != nil {
				return info.TypeOf(p.Type)
			}
		case *ast.ReturnStmt:
			for j := i - 1; j >= 0; j-- {
				var sig *types.Signature
				switch f := stack[j].(type) {
				case *ast.FuncLit:
					sig, _ = info.TypeOf(f).(*types.Signature)
				case *ast.FuncDecl: // a function or a method
					if fn, ok := info.Defs[f.Name].(*types.Func); ok {
						sig = fn.Signature()
					}
				default:
					continue
				}
				if sig == nil || len(p.Results) != sig.Results().Len() {
					return nil
				}
				for k, r := range p.Results {
					if r == child {
						return sig.Results().At(k).Type()
					}
				}
				return nil
			}
		}
		return nil
	}
	return nil
}

// takesCredentialsCache reports whether a *aws.CredentialsCache can go
// where a value of type want is expected: want is aws.CredentialsProvider or
// an interface asking for no more than its Retrieve method. (The cache type
// itself may be missing from export data that only holds what the imported
// packages mention, so it is not looked up.)
func (c *checker) takesCredentialsCache(want types.Type) bool {
	c.noteV2(want, 0)
	if isNamed(want, pathV2AWS, "CredentialsProvider") {
		return true
	}
	iface, ok := want.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	if iface.NumMethods() == 0 {
		return true
	}
	provider, _ := c.v2Type("CredentialsProvider").(*types.Named)
	if provider == nil || iface.NumMethods() != 1 {
		return false
	}
	pi := provider.Underlying().(*types.Interface)
	m := iface.Method(0)
	return pi.NumMethods() == 1 && m.Name() == "Retrieve" && types.Identical(m.Type(), pi.Method(0).Type())
}

// safeToRemove reports whether deleting [start, end) leaves the file
// compiling as far as local variables go: none may lose its last use.
func (fs *fileState) safeToRemove(start, end token.Pos) bool {
	uses := fs.c.index.file(fs.file)
	inside := map[types.Object]int{}
	ast.Inspect(fs.file, func(n ast.Node) bool {
		if n == nil || n.End() <= start || n.Pos() >= end {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && id.Pos() >= start && id.End() <= end {
			if obj := fs.c.pass.TypesInfo.Uses[id]; obj != nil {
				inside[obj]++
			}
		}
		return true
	})
	for obj, n := range inside {
		v, ok := obj.(*types.Var)
		if !ok || v.Kind() != types.LocalVar {
			continue // fields, package variables and parameters may go unused
		}
		if v.Pos() >= start && v.Pos() < end {
			continue // declared inside: goes with the uses
		}
		if uses[obj] == n {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lineSpan widens [start, end) to whole lines, newline included, when
// nothing but blanks (and a comment after) shares them; otherwise it
// returns the span unchanged.
func (fs *fileState) lineSpan(start, end token.Pos) (token.Pos, token.Pos) {
	if fs.src == nil {
		return start, end
	}
	s, e := fs.tf.Offset(start), fs.tf.Offset(end)
	ls := bytes.LastIndexByte(fs.src[:s], '\n') + 1
	if len(bytes.TrimSpace(fs.src[ls:s])) != 0 {
		return start, end
	}
	le := bytes.IndexByte(fs.src[e:], '\n')
	if le < 0 {
		return start, end
	}
	rest := bytes.TrimSpace(fs.src[e : e+le])
	rest = bytes.TrimPrefix(rest, []byte(","))
	rest = bytes.TrimSpace(rest)
	if len(rest) != 0 && !bytes.HasPrefix(rest, []byte("//")) {
		return start, end
	}
	return fs.tf.Pos(ls), fs.tf.Pos(e + le + 1)
}

// elementSpan is what to delete to remove elt from a composite literal: its
// lines when it has them to itself, else the element with one separating comma.
func (fs *fileState) elementSpan(lit *ast.CompositeLit, elt ast.Expr) (token.Pos, token.Pos) {
	if s, e := fs.lineSpan(elt.Pos(), elt.End()); s != elt.Pos() {
		return s, e
	}
	for i, x := range lit.Elts {
		if x != elt {
			continue
		}
		switch {
		case i+1 < len(lit.Elts):
			return elt.Pos(), lit.Elts[i+1].Pos()
		case i > 0:
			return lit.Elts[i-1].End(), elt.End()
		}
	}
	// The only element: take a trailing comma with it.
	end := elt.End()
	if fs.src != nil {
		o := fs.tf.Offset(end)
		rest := fs.src[o:fs.tf.Offset(lit.Rbrace)]
		if i := bytes.IndexByte(rest, ','); i >= 0 && len(bytes.TrimSpace(rest[:i])) == 0 {
			end = fs.tf.Pos(o + i + 1)
		}
	}
	return elt.Pos(), end
}

// useIndex counts, per file, the uses of each object, for the checks that a
// fix does not delete a variable's or an import's last use.
type useIndex struct {
	info  *types.Info
	files map[*ast.File]map[types.Object]int
}

func newUseIndex(info *types.Info) *useIndex {
	return &useIndex{info: info, files: map[*ast.File]map[types.Object]int{}}
}

func (u *useIndex) file(f *ast.File) map[types.Object]int {
	if m, ok := u.files[f]; ok {
		return m
	}
	m := map[types.Object]int{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := u.info.Uses[id]; obj != nil {
				m[obj]++
			}
		}
		return true
	})
	u.files[f] = m
	return m
}
