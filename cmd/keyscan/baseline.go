package main

import (
	"bytes"
	"context"
	"fmt"

	"strings"

	"github.com/keyscan/keyscan/baseline"
	"github.com/keyscan/keyscan/internal/outfile"
	"github.com/keyscan/keyscan/scanner"
)

const baselineUsage = "baseline [scan|history|staged] [flags] [ARGS]"

// runBaseline runs a scanning command and prints a baseline of what it
// found: keyscan baseline history --all . > .keyscan-baseline.json. The
// command runs with --format json, whose fingerprints the baseline keeps;
// secrets never reach the baseline.
func runBaseline(ctx context.Context, args []string, e *env) int {
	sub := ""
	var output string
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if a == "--" { // the rest are operands of the command
			rest = append(rest, args[i:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			if sub == "" && (a == "scan" || a == "history" || a == "staged") {
				sub = a // the command may come after --output
				continue
			}
			rest = append(rest, a) // an operand, or a flag's value: flags may follow operands
			continue
		}
		switch name {
		case "h", "help":
			fmt.Fprintf(e.stderr, "usage: keyscan %s\n\nRuns the command with its flags and prints a baseline of its findings "+
				"(fingerprints, rules and files; never secrets). --output FILE writes it to FILE.\n", baselineUsage)
			return exitClean
		case "format":
			fmt.Fprintln(e.stderr, "keyscan baseline: --format: a baseline has one format")
			return exitError
		case "test-keys":
			fmt.Fprintln(e.stderr, "keyscan baseline: --test-keys: a baseline records findings, and test keys are not reported")
			return exitError
		case "baseline":
			fmt.Fprintln(e.stderr, "keyscan baseline: --baseline: a new baseline records every current finding; write it afresh")
			return exitError
		case "output":
			if !hasValue {
				if i+1 >= len(args) {
					fmt.Fprintln(e.stderr, "keyscan baseline: --output needs a file")
					return exitError
				}
				i++
				value = args[i]
			}
			output = value
			continue
		}
		rest = append(rest, a)
	}
	if sub == "" {
		sub = "scan"
	}
	var run func(context.Context, []string, *env) int
	for _, c := range commands() {
		if c.name == sub {
			run = c.run
		}
	}
	var out bytes.Buffer
	sube := *e
	sube.stdout = &out
	if code := run(ctx, append([]string{"--format=json"}, rest...), &sube); code == exitError || code == exitInterrupted {
		return code
	}
	b, err := baseline.Parse(out.Bytes())
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan baseline: reading the %s report: %v\n", sub, err)
		return exitError
	}
	w := e.stdout
	var f *outfile.File
	if output != "" {
		if f, err = outfile.Create(output, false); err != nil {
			fmt.Fprintf(e.stderr, "keyscan baseline: %v\n", err)
			return exitError
		}
		w = f
	}
	err = b.Write(w)
	if f != nil {
		err = f.Finish(err)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan baseline: %v\n", err)
		return exitError
	}
	noun := "findings"
	if len(b.Entries) == 1 {
		noun = "finding"
	}
	fmt.Fprintf(e.stderr, "keyscan baseline: %d %s recorded\n", len(b.Entries), noun)
	return exitClean
}

// applyBaseline drops the findings recorded in the baseline file and returns
// the entries that matched nothing, for the user to delete.
func applyBaseline(fs scanner.Findings, path string) (scanner.Findings, []string, error) {
	b, err := baseline.Load(path)
	if err != nil {
		return nil, nil, err
	}
	kept, stale := b.Filter(fs)
	var s []string
	for _, e := range stale {
		s = append(s, e.String())
	}
	return kept, s, nil
}
