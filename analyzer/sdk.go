package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// Import paths of the SDK packages whose static credentials the analyzer
// recognises. Constructs are matched by the resolved package path and object
// name, never by what the source calls them, so renamed imports, dot imports
// and vendored copies are recognised and look-alikes are not.
const (
	pathV2AWS     = "github.com/aws/aws-sdk-go-v2/aws"
	pathV2Creds   = "github.com/aws/aws-sdk-go-v2/credentials"
	pathV2EC2Role = "github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	pathV1AWS     = "github.com/aws/aws-sdk-go/aws"
	pathV1Creds   = "github.com/aws/aws-sdk-go/aws/credentials"
)

// site is one SDK construct holding static credentials.
type site struct {
	v2       bool
	what     string     // how the message names the construct
	provider ast.Expr   // the credentials provider expression a fix rewrites; nil if none
	stack    []ast.Node // the provider's ancestors
	keys     []keyArg
}

// keyArg is an expression the SDK takes as a credential of a known kind.
type keyArg struct {
	e    ast.Expr
	kind rules.Kind
}

var credentialFields = map[string]rules.Kind{
	"AccessKeyID":     rules.AccessKeyID,
	"SecretAccessKey": rules.SecretAccessKey,
	"SessionToken":    rules.SessionToken,
}

var staticArgs = []rules.Kind{rules.AccessKeyID, rules.SecretAccessKey, rules.SessionToken}

// sdkSites finds the static-credential constructs of the file and reports
// the literal or constant keys they are given, with a fix where one is safe.
func (fs *fileState) sdkSites() {
	info := fs.c.pass.TypesInfo
	ast.PreorderStack(fs.file, nil, func(n ast.Node, stack []ast.Node) bool {
		var s *site
		switch n := n.(type) {
		case *ast.CallExpr:
			fn, ok := typeutil.Callee(info, n).(*types.Func)
			if !ok || fn.Pkg() == nil || len(n.Args) != 3 {
				return true
			}
			switch {
			case pkgPath(fn.Pkg()) == pathV2Creds && fn.Name() == "NewStaticCredentialsProvider":
				fs.c.noteV2(fn.Signature().Results().At(0).Type(), 1)
				s = &site{v2: true, what: "passed to credentials.NewStaticCredentialsProvider", provider: n, stack: stack}
			case pkgPath(fn.Pkg()) == pathV1Creds && fn.Name() == "NewStaticCredentials":
				s = &site{what: "passed to credentials.NewStaticCredentials", provider: n, stack: stack}
			default:
				return true
			}
			for i, a := range n.Args {
				s.keys = append(s.keys, keyArg{a, staticArgs[i]})
			}
		case *ast.CompositeLit:
			t := info.TypeOf(n)
			switch {
			case isNamed(t, pathV2AWS, "Credentials"):
				fs.c.noteV2(t, 0)
				s = &site{v2: true, what: "in an aws.Credentials literal"}
				s.provider, s.stack = fs.climb(n, stack, fs.isV2Provider)
			case isNamed(t, pathV1Creds, "Value"):
				s = &site{what: "in a credentials.Value literal"}
				s.provider, s.stack = fs.climb(n, stack, isV1Provider)
			default:
				return true
			}
			s.keys = fieldKeys(info, n, t)
		default:
			return true
		}
		fs.reportSite(s)
		return true
	})
}

// fieldKeys returns the credential fields a struct literal sets.
func fieldKeys(info *types.Info, lit *ast.CompositeLit, t types.Type) []keyArg {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var keys []keyArg
	for i, elt := range lit.Elts {
		name, val := "", elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				name = id.Name
			}
			val = kv.Value
		} else if i < st.NumFields() {
			name = st.Field(i).Name()
		}
		if k, ok := credentialFields[name]; ok {
			keys = append(keys, keyArg{val, k})
		}
	}
	return keys
}

// reportSite reports each key of s that the matcher accepts. Every report
// says what go fix does (or why there is no fix); the first carries the fix,
// so that go fix applies it once.
//
// A constant key ID that is not an AWS key ID (a MinIO or GCS HMAC access
// ID) means the keys are not AWS's: the secret is then not reported here,
// where only the SDK call vouches for it, but where its own context says AWS.
func (fs *fileState) reportSite(s *site) {
	for _, k := range s.keys {
		if v, ok := fs.constString(k.e); ok && k.kind == rules.AccessKeyID {
			if _, test := scanner.TestKeyID(v); test {
				// A test key ID (account 000000000000) is not reported, nor
				// the rest of its set: the matcher treats a secret paired
				// with one alike, so go vet and keyscan scan agree.
				return
			}
		}
	}
	p := fs.sitePlan(s)
	for _, d := range p.removed {
		fs.removed = append(fs.removed, removedDecl{d.pos, d.end, fs.tf.Line(s.provider.Pos()), d.why})
	}
	notAWS, awsID := false, false
	for _, k := range s.keys {
		if v, ok := fs.constString(k.e); ok && k.kind == rules.AccessKeyID {
			notAWS = notAWS || !isAWSKeyID(v)
			awsID = awsID || isAWSKeyID(v)
		}
	}
	if !notAWS && !awsID && fs.customEndpoint(s.stack) != "" {
		// A client of a custom endpoint (MinIO, GCS, Wasabi...) with no AWS
		// key ID among its keys: its secret is that service's, as the
		// matcher decides from the block's endpoint (scanner/foreign.go). An
		// AWS key ID outweighs the endpoint, there and here.
		notAWS = true
	}
	fix := p.fix
	for _, k := range s.keys {
		v, ok := fs.constString(k.e)
		if notAWS && k.kind != rules.AccessKeyID {
			// Not even the byte scan's report stands: the value's context
			// is this call, and the call is not AWS's.
			fs.notAWS = append(fs.notAWS, [2]token.Pos{k.e.Pos(), k.e.End()})
		}
		if !ok || notAWS {
			continue
		}
		if ok, _ := fs.c.sc.Check(k.kind, v); !ok {
			continue
		}
		f := fs.c.sc.NewFinding(k.kind, fs.tf.Name(), v)
		f.Context = strings.TrimPrefix(strings.TrimPrefix(s.what, "passed to "), "in ")
		pos, end := valuePos(k.e)
		r := report{pos: pos, end: end, f: f, where: s.what, rank: rankSDK, advice: p.advice}
		if fix != nil {
			r.fix, fix = fix, nil
		}
		fs.reports = append(fs.reports, r)
	}
}

// valuePos is where a key given as e is: inside a plain literal, the key's
// own first and last byte; otherwise the whole expression.
func valuePos(e ast.Expr) (token.Pos, token.Pos) {
	e = ast.Unparen(e)
	if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		if val, offs, ok := decodeLit(lit.Value); ok {
			return lit.Pos() + token.Pos(offs[0]), lit.Pos() + token.Pos(offs[len(val)])
		}
	}
	return e.Pos(), e.End()
}

func (fs *fileState) constString(e ast.Expr) (string, bool) {
	return fs.c.constStrings().value(e)
}

// climb walks up from a credentials literal to the provider expression that
// holds it: aws.CredentialsProviderFunc(func(...) {... return aws.Credentials{...}, nil}),
// credentials.StaticCredentialsProvider{Value: ...},
// credentials.NewStaticCredentialsFromCreds(credentials.Value{...}). It stops
// at a statement or a call that is not itself a provider, returning nil.
func (fs *fileState) climb(lit ast.Expr, stack []ast.Node, isProvider func(types.Type) bool) (ast.Expr, []ast.Node) {
	info := fs.c.pass.TypesInfo
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.CompositeLit, *ast.UnaryExpr, *ast.ParenExpr, *ast.CallExpr:
			e := n.(ast.Expr)
			if isProvider(info.TypeOf(e)) {
				if i > 0 {
					if u, ok := stack[i-1].(*ast.UnaryExpr); ok && u.Op == token.AND && isProvider(info.TypeOf(u)) {
						return u, stack[:i-1]
					}
				}
				return e, stack[:i]
			}
			if _, ok := n.(*ast.CallExpr); ok {
				return nil, nil
			}
		case *ast.KeyValueExpr, *ast.ReturnStmt, *ast.FuncLit:
		case *ast.BlockStmt:
			if i == 0 {
				return nil, nil
			}
			if _, ok := stack[i-1].(*ast.FuncLit); !ok {
				return nil, nil
			}
		default:
			return nil, nil
		}
	}
	return nil, nil
}

// isV2Provider reports whether t implements aws.CredentialsProvider.
func (fs *fileState) isV2Provider(t types.Type) bool {
	iface := fs.c.v2Type("CredentialsProvider")
	return t != nil && iface != nil && types.AssignableTo(t, iface)
}

// isV1Provider reports whether t is *credentials.Credentials (v1).
func isV1Provider(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	return ok && isNamed(p.Elem(), pathV1Creds, "Credentials")
}

// noteV2 remembers the aws-sdk-go-v2 aws package when t is, or holds in
// its fields, one of its types. Drivers that import from export data (go
// vet) do not list indirect imports in Package.Imports, so the types met in
// the code are the reliable way to that package.
func (c *checker) noteV2(t types.Type, depth int) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || c.v2aws != nil && c.v2aws.Path() != "" {
		return
	}
	if p := n.Obj().Pkg(); p != nil && pkgPath(p) == pathV2AWS {
		c.v2aws = p
		return
	}
	if st, ok := n.Underlying().(*types.Struct); ok && depth > 0 {
		for i := range st.NumFields() {
			c.noteV2(st.Field(i).Type(), depth-1)
		}
	}
}

// v2Type returns a type of the aws-sdk-go-v2 aws package, found among the
// types met so far or the package's imports.
func (c *checker) v2Type(name string) types.Type {
	if c.v2aws == nil {
		c.v2aws = findPackage(c.pass.Pkg, pathV2AWS, map[*types.Package]bool{})
		if c.v2aws == nil {
			c.v2aws = types.NewPackage("", "") // looked, not there
		}
	}
	obj, _ := c.v2aws.Scope().Lookup(name).(*types.TypeName)
	if obj == nil {
		return nil
	}
	return obj.Type()
}

func findPackage(p *types.Package, path string, seen map[*types.Package]bool) *types.Package {
	if p == nil || seen[p] {
		return nil
	}
	seen[p] = true
	if pkgPath(p) == path {
		return p
	}
	for _, q := range p.Imports() {
		if r := findPackage(q, path, seen); r != nil {
			return r
		}
	}
	return nil
}

// pkgPath is the package's path with any vendor prefix removed.
func pkgPath(p *types.Package) string {
	path := p.Path()
	if i := strings.LastIndex(path, "/vendor/"); i >= 0 {
		return path[i+len("/vendor/"):]
	}
	return strings.TrimPrefix(path, "vendor/")
}

// isNamed reports whether t is the named type path.name.
func isNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Name() == name && obj.Pkg() != nil && pkgPath(obj.Pkg()) == path
}
