package analyzer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
)

// GOOS does not tell a command that people run on their own machines
// from a server: a tool built for Linux only runs on Linux laptops and
// workstations too (fix31). What the program asks of the person who runs
// it does: a flag that chooses an AWS profile (--profile, --aws-profile)
// means the program runs where people keep named profiles in
// ~/.aws/config, their own machines, and not under an instance role,
// which a profile would not choose anyway. The instance role provider
// would leave such a program with no credentials, where removing the
// static provider lets the SDK's default chain take the profile chosen
// (or AWS_PROFILE, an IAM Identity Center login). So a flag of that name
// in the package or a package linked with it withholds the fix, the
// flag's file and line named.

// profileFlagNames are the names of a flag that chooses an AWS profile.
var profileFlagNames = map[string]bool{"profile": true, "aws-profile": true, "aws_profile": true, "awsprofile": true}

// profileFlagFuncs are the calls of the flag packages (flag, pflag and
// cobra's, kingpin's, viper's BindPFlag aside) that define a flag by name:
// the name is their first or second argument.
var profileFlagFuncs = map[string]bool{
	"String": true, "StringVar": true, "StringP": true, "StringVarP": true, "Flag": true,
	"StringSlice": true, "StringSliceVar": true, "Func": true, "TextVar": true,
}

// laptopProgram returns, marked, where Go source b (the file rel, not a
// test) defines a flag that chooses an AWS profile, or "". A flag named
// only "profile" is many programs' own (a CLI's --profile=dev for its own
// settings): it is an AWS profile's when its text says so (AWS, a named
// or shared-config profile) or when the program hands a profile to the
// SDK (sdkProfileUse) in this file or, asked only then, in another file
// of the program (others); else the fix is not withheld for it (fix32b).
func laptopProgram(b []byte, rel string, others func() bool) string {
	if !bytes.Contains(b, []byte("rofile")) {
		return ""
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, b, parser.SkipObjectResolution)
	if err != nil {
		return ""
	}
	name, at, text := profileFlag(f)
	if name == "" {
		return ""
	}
	if name == "profile" && !awsProfileText.MatchString(text) && !sdkProfileUse(b) && (others == nil || !others()) {
		return ""
	}
	return fmt.Sprintf("%sthe program takes an AWS profile from the person who runs it (the --%s flag, defined in %s:%d): it runs on people's "+
		"own machines, where they keep their profiles and no AWS role exists at all, so the instance role provider would give the client "+
		"no credentials; remove the static provider by hand so that the SDK's default chain takes the profile chosen "+
		"(config.WithSharedConfigProfile, AWS_PROFILE) or the user's IAM Identity Center login",
		noRoleMark, name, rel, fset.PositionFor(at, false).Line)
}

// profileFlag returns the name and place of the first flag of f that
// chooses an AWS profile: a flag package's call (flag.String("profile",
// …), cmd.Flags().StringVarP(&p, "profile", "p", …), kingpin's
// app.Flag("profile", …)), urfave/cli's &cli.StringFlag{Name: "profile"},
// or a field of a command's struct tagged as one (go-flags' long:"profile",
// kong's name:"profile" or a Profile field with help:, go-arg's
// arg:"--profile").
func profileFlag(f *ast.File) (string, token.Pos, string) {
	name, at, said := "", token.NoPos, ""
	lit := func(e ast.Expr) string {
		if l, ok := ast.Unparen(e).(*ast.BasicLit); ok && l.Kind == token.STRING {
			if s, err := strconv.Unquote(l.Value); err == nil && profileFlagNames[strings.ToLower(s)] {
				return strings.ToLower(s)
			}
		}
		return ""
	}
	// A flag is a profile's unless its text (usage, help) speaks of
	// profiling: -profile=cpu.out writes a CPU profile.
	found := func(s string, pos token.Pos, text string) {
		if s == "profile" && profilingText.MatchString(text) {
			return
		}
		name, at, said = s, pos, text
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if name != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if !ok || !profileFlagFuncs[sel.Sel.Name] {
				return true
			}
			for i := 0; i < 2 && i < len(n.Args); i++ {
				if s := lit(n.Args[i]); s != "" {
					found(s, n.Pos(), literals(n.Args))
				}
			}
		case *ast.CompositeLit:
			if !strings.Contains(typeName(n.Type), "Flag") {
				return true
			}
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Name" {
						if s := lit(kv.Value); s != "" {
							found(s, n.Pos(), literals(n.Elts))
						}
					}
				}
			}
		case *ast.Field:
			if n.Tag == nil {
				return true
			}
			tag, err := strconv.Unquote(n.Tag.Value)
			if err != nil {
				return true
			}
			st := reflect.StructTag(tag)
			for _, key := range []string{"long", "name", "flag", "arg"} {
				v, _, _ := strings.Cut(st.Get(key), ",")
				if v = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(v), "--")); profileFlagNames[v] {
					found(v, n.Pos(), tag)
					return false
				}
			}
			if _, kong := st.Lookup("help"); kong && len(n.Names) == 1 {
				switch n.Names[0].Name {
				case "Profile":
					found("profile", n.Pos(), tag)
				case "AWSProfile", "AwsProfile":
					found("aws-profile", n.Pos(), tag)
				}
			}
		}
		return name == ""
	})
	return name, at, said
}

// awsProfileText matches a flag's text (usage, help, tags) that says the
// profile is AWS's: AWS, a named or shared-config profile, ~/.aws.
var awsProfileText = lazyre.New(`(?i)\baws\b|AWS_PROFILE|named profile|shared[ -]config|credentials file|~/\.aws`)

// sdkProfileRe matches Go source that hands a profile to an AWS SDK:
// v2's config.WithSharedConfigProfile, a LoadOptions' SharedConfigProfile,
// v1's session.Options{Profile: …} or credentials.NewSharedCredentials,
// or AWS_PROFILE set for the SDK to read.
var sdkProfileRe = lazyre.New(`\bWithSharedConfigProfile\s*\(|\bSharedConfigProfile\s*:|\bNewSharedCredentials\s*\(|Setenv\s*\(\s*"AWS_PROFILE"`)

// sdkProfileUse reports whether Go source b hands a profile to an AWS
// SDK (sdkProfileRe, or a session.Options literal that sets Profile).
func sdkProfileUse(b []byte) bool {
	if !bytes.Contains(b, []byte("rofile")) {
		return false
	}
	if sdkProfileRe.Match(b) {
		return true
	}
	return bytes.Contains(b, []byte("session.Options{")) && sessionProfile.Match(b)
}

// sessionProfile matches v1's session.Options field Profile set.
var sessionProfile = lazyre.New(`\bProfile\s*:\s*[^\s,}]`)

// profilingText matches a flag's text that speaks of a profile of the
// program's run (pprof), not of an AWS profile.
var profilingText = lazyre.New(`(?i)\b(?:cpu|pprof|heap|memory|mem|trace|tracing|profiling|block|mutex|goroutine)\b`)

// literals is the text of the string literals among es (a call's
// arguments, a composite literal's elements), joined.
func literals(es []ast.Expr) string {
	var b strings.Builder
	for _, e := range es {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			e = kv.Value
		}
		if l, ok := ast.Unparen(e).(*ast.BasicLit); ok && l.Kind == token.STRING {
			b.WriteString(l.Value)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// typeName is the name of a composite literal's type as written:
// cli.StringFlag, StringFlag, "" for none.
func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.StarExpr:
		return typeName(t.X)
	}
	return ""
}
