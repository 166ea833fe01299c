package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func runVersion(ctx context.Context, args []string, e *env) int {
	fl := newFlagSet("version", "version", e)
	if ok, code := parseFlags(fl, args); !ok {
		return code
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(e.stderr, "keyscan version: unexpected argument %q\n", fl.Arg(0))
		return exitError
	}
	fmt.Fprintf(e.stdout, "keyscan %s\n", version())
	return exitClean
}

func runRules(ctx context.Context, args []string, e *env) int {
	fl := newFlagSet("rules", "rules [--format text|json|markdown]", e)
	format := fl.String("format", "text", "text, json or markdown (the README's rule table)")
	if ok, code := parseFlags(fl, args); !ok {
		return code
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(e.stderr, "keyscan rules: unexpected argument %q\n", fl.Arg(0))
		return exitError
	}
	set, err := rules.NewSet(rules.AWS())
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan rules: %v\n", err)
		return exitError
	}
	switch *format {
	case "text":
		fmt.Fprint(e.stdout, rules.Text(set))
	case "markdown":
		fmt.Fprint(e.stdout, rules.Markdown(set))
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rules.Docs(set)); err != nil {
			// The wording of every lost output (newuser LOW-28).
			fmt.Fprintf(e.stderr, "keyscan: writing standard output: %v\n", err)
			return exitError
		}
	default:
		fmt.Fprintf(e.stderr, "keyscan rules: --format: unknown format %q (want text, json or markdown)\n", *format)
		return exitError
	}
	return exitClean
}

// runFake prints credentials that look real to keyscan and belong to no
// one, to try the scanner and the hooks without AWS's ...EXAMPLE keys, which
// keyscan never reports.
func runFake(ctx context.Context, args []string, e *env) int {
	fl := newFlagSet("fake", "fake [--kind long-term|temporary] [--seed N] [--format ini|env|text]", e)
	seed := fl.String("seed", "", "seed for repeatable keys (default: random)")
	format := fl.String("format", "ini", "ini (a credentials profile), env (shell exports) or text (the values, space-separated)")
	kind := fl.String("kind", "long-term", "long-term (an AKIA key ID and its secret) or temporary (an ASIA key ID, its secret and a session token)")
	if ok, code := parseFlags(fl, args); !ok {
		return code
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(e.stderr, "keyscan fake: unexpected argument %q (fake takes flags only; redirect the output to a file)\n", fl.Arg(0))
		return exitError
	}
	s := rand.Uint64()
	if *seed != "" {
		n, err := strconv.ParseUint(*seed, 10, 64)
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan fake: --seed: %q is not a whole number\n", *seed)
			return exitError
		}
		s = n
	}
	g := fakekey.New(s)
	var id, secret, token string
	switch *kind {
	case "long-term":
		id, secret = g.KeyID("AKIA"), g.Secret()
	case "temporary":
		id, secret, token = g.KeyID("ASIA"), g.Secret(), g.SessionToken()
	default:
		fmt.Fprintf(e.stderr, "keyscan fake: --kind: unknown kind %q (want long-term or temporary)\n", *kind)
		return exitError
	}
	const header = "# fake credentials made by keyscan fake: they belong to no one\n"
	switch *format {
	case "ini":
		fmt.Fprintf(e.stdout, "%s[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", header, id, secret)
		if token != "" {
			fmt.Fprintf(e.stdout, "aws_session_token = %s\n", token)
		}
	case "env":
		fmt.Fprintf(e.stdout, "%sexport AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\n", header, id, secret)
		if token != "" {
			fmt.Fprintf(e.stdout, "export AWS_SESSION_TOKEN=%s\n", token)
		}
	case "text":
		fmt.Fprintln(e.stdout, strings.TrimSpace(id+" "+secret+" "+token))
	default:
		fmt.Fprintf(e.stderr, "keyscan fake: --format: unknown format %q (want ini, env or text)\n", *format)
		return exitError
	}
	return exitClean
}
