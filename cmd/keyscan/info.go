package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strconv"

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
			fmt.Fprintf(e.stderr, "keyscan rules: %v\n", err)
			return exitError
		}
	default:
		fmt.Fprintf(e.stderr, "keyscan rules: --format: unknown format %q (want text, json or markdown)\n", *format)
		return exitError
	}
	return exitClean
}

func runFake(ctx context.Context, args []string, e *env) int {
	fl := newFlagSet("fake", "fake [--seed N] [--format text|env|ini]", e)
	seed := fl.String("seed", "", "seed for repeatable keys (default: random)")
	format := fl.String("format", "ini", "ini (a credentials profile), env (shell exports) or text")
	if ok, code := parseFlags(fl, args); !ok {
		return code
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
	id, secret := g.KeyID("AKIA"), g.Secret()
	switch *format {
	case "ini":
		fmt.Fprintf(e.stdout, "# fake credentials made by keyscan fake: they belong to no one\n[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", id, secret)
	case "env":
		fmt.Fprintf(e.stdout, "# fake credentials made by keyscan fake: they belong to no one\nexport AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\n", id, secret)
	case "text":
		fmt.Fprintf(e.stdout, "%s %s\n", id, secret)
	default:
		fmt.Fprintf(e.stderr, "keyscan fake: --format: unknown format %q (want ini, env or text)\n", *format)
		return exitError
	}
	return exitClean
}
