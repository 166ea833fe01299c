package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// An SDK client's operations take options of their own after the input:
// client.GetObject(ctx, in, func(o *s3.Options) { o.BaseEndpoint = minio })
// in aws-sdk-go-v2, svc.GetObjectWithContext(ctx, in, opt) in v1; so do the
// presign clients built on a client (s3.NewPresignClient(client, opts...)).
// Such an option points those calls at another server, whatever the client
// was built with. The escape search follows credentials to the client they are
// built into, not the client on to its calls (it is stored in fields, passed
// around, wrapped), so an operation option that may set an endpoint counts
// for the whole package, as an environment write does (envSetting): no fix
// is offered in a package where a client's call may go to MinIO.

// perOpSetting returns, marked, the first argument of the package given to a
// client operation as a per-operation option that sets an endpoint or a
// profile or that keyscan cannot read whole, or "". Test files are read
// without types, in the pass with them as in the pass without them, so that
// go fix gets one answer from both: there an option counts when it is a
// function literal taking an SDK Options or Request pointer that names an
// endpoint field or option.
func (c *checker) perOpSetting() string {
	c.perOpOnce.Do(func() {
		info := c.pass.TypesInfo
		parents := c.parentMap()
		dir := sourceDir(c.pass) // not a cgo package's temporary folder
		for _, f := range c.pass.Files {
			tf := c.pass.Fset.File(f.FileStart)
			if tf == nil {
				continue
			}
			if strings.HasSuffix(tf.Name(), "_test.go") {
				continue
			}
			st := &escapeState{fs: &fileState{c: c, file: f, tf: tf}, parents: parents, seen: map[types.Object]bool{}, read: map[types.Object]bool{}}
			ast.Inspect(f, func(n ast.Node) bool {
				if c.perOp != "" {
					return false
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				first := operationOptions(info, call)
				if first < 0 {
					return true
				}
				for _, a := range call.Args[first:] {
					if why := st.readable(a, 0); why != "" {
						c.perOp = perOpWhy(why, c.pass.Fset, call)
						return false
					}
				}
				return true
			})
		}
		if c.perOp != "" || dir == "" {
			return
		}
		c.eachTestCall(dir, func(fset *token.FileSet, call *ast.CallExpr) bool {
			for _, a := range call.Args {
				if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok && takesSDKOptions(lit.Type) {
					if what := namedEndpoint(lit.Body); what != "" {
						c.perOp = perOpWhy(endpointMark+what, fset, call)
						return false
					}
				}
			}
			return true
		})
	})
	return c.perOp
}

// operationOptions returns the index of the first per-operation option of
// call when it calls a method of an SDK client (or paginator, presigner,
// waiter: any type of a service package) that takes options after its
// input, or a function of a service package that wraps a client built
// already and takes options for it (s3.NewPresignClient(client,
// s3.WithPresignClientFromClientOptions(withMinio))), or -1. The options
// are the variadic arguments; with `opts...`, the slice.
func operationOptions(info *types.Info, call *ast.CallExpr) int {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok {
		return -1
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || !sig.Variadic() {
		return -1
	}
	switch {
	case sig.Recv() != nil:
		if !isClient(sig.Recv().Type()) {
			return -1
		}
	case copiesClient(info, fn, call):
	case sig.Params().Len() < 2 || !isClient(sig.Params().At(0).Type()):
		return -1
	}
	first := sig.Params().Len() - 1
	if first >= len(call.Args) {
		return -1
	}
	return first
}

// copiesClient reports whether call builds a v2 client from the options
// of one built already (s3.New(client.Options(), withMinio)): the new
// client has the first one's credentials, and its options may send them
// elsewhere, as an operation's do (fix29).
func copiesClient(info *types.Info, fn *types.Func, call *ast.CallExpr) bool {
	if fn.Name() != "New" || !strings.HasPrefix(pkgPath(fn.Pkg()), "github.com/aws/aws-sdk-go-v2/service/") || len(call.Args) < 2 {
		return false
	}
	inner, ok := ast.Unparen(call.Args[0]).(*ast.CallExpr)
	if !ok {
		return false
	}
	m, ok := typeutil.Callee(info, inner).(*types.Func)
	if !ok || m.Name() != "Options" {
		return false
	}
	recv := m.Signature().Recv()
	return recv != nil && isClient(recv.Type()) // also promoted from an embedded client
}

// takesSDKOptions reports whether a function literal's first parameter is a
// pointer to a type named Options (aws-sdk-go-v2's per-client options) or
// Request (aws-sdk-go v1's request.Option), read without types.
func takesSDKOptions(ft *ast.FuncType) bool {
	if ft.Params == nil || len(ft.Params.List) == 0 {
		return false
	}
	star, ok := ft.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	return ok && (sel.Sel.Name == "Options" || sel.Sel.Name == "Request" || sel.Sel.Name == "PresignOptions")
}

// namedEndpoint returns the first endpoint field or option named in n, read
// without types, or "".
func namedEndpoint(n ast.Node) string {
	found := ""
	ast.Inspect(n, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok && (endpointFields[sel.Sel.Name] || endpointFuncs[sel.Sel.Name] || sel.Sel.Name == "ClientOptions") {
			found = sel.Sel.Name
		}
		return true
	})
	return found
}

// perOpWhy says which operation the option was given to, and where.
func perOpWhy(why string, fset *token.FileSet, call *ast.CallExpr) string {
	pos := fset.PositionFor(call.Pos(), false)
	return fmt.Sprintf("%s, a per-operation option of %s at %s:%d", why, exprString(call.Fun), filepath.Base(pos.Filename), pos.Line)
}
