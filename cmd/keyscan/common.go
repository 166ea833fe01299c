package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/keyscan/keyscan/config"
	"github.com/keyscan/keyscan/internal/outfile"
	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/content"
)

// commonFlags are the flags every scanning command takes (see the README).
type commonFlags struct {
	format      string
	output      string
	configPath  string
	baseline    string
	showSecrets bool
	noColor     bool
	quiet       bool
	verbose     bool
	verify      bool
	stsEndpoint string
	testKeys    bool

	// tests are the test keys the command found and does not report (see
	// scanner.Finding.TestKey): the summary counts them, and --test-keys
	// lists them in JSON.
	tests scanner.Findings

	// coverage, set by a command that walks files, is what the summary
	// says was not scanned.
	coverage *report.Coverage

	// unlisted counts the candidate values past max_findings_per_file: the
	// summary says so, and with no finding listed the exit status is 2.
	unlisted int

	// moved, set by scan and staged, which see one path per finding, tells
	// whether the file a baseline entry names is gone (renamed, moved):
	// such an entry accepts its value at a new path (baseline.FilterMoved).
	moved func(f *scanner.Finding, file string) bool

	// scanned, set by scan, tells whether the file a baseline entry names
	// lies in what the run walked: only such an entry can be stale (nil:
	// every entry).
	scanned func(file string) bool

	// gaps are what the run could not read (see report.Gap): the report
	// says so in every format, whether or not they make it exit 2.
	gaps []report.Gap

	// sc is the matcher setup made: emit scans the paths the report shows
	// with it, to redact a secret a path holds (scanner.Scanner.HidePaths).
	sc *scanner.Scanner
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.format, "format", "text", "output format: text, json or sarif")
	fs.StringVar(&c.output, "output", "", "write the report to `FILE` instead of standard output (- is standard output)")
	fs.StringVar(&c.configPath, "config", "", "configuration `FILE` (default: .keyscan.toml at the top of the git work tree; outside one, the nearest at or above the path)")
	fs.StringVar(&c.baseline, "baseline", "", "suppress the findings recorded in baseline `FILE`")
	fs.BoolVar(&c.showSecrets, "show-secrets", false, "print secret values unredacted")
	fs.BoolVar(&c.noColor, "no-color", false, "no colour in text output (NO_COLOR is honoured too)")
	fs.BoolVar(&c.quiet, "quiet", false, "print findings only: no progress, no summary, no warnings")
	fs.BoolVar(&c.verbose, "verbose", false, "text: one block per finding with its context and whole advice, instead of grouping by file")
	fs.BoolVar(&c.verify, "verify", false, "ask AWS STS whether each key pair is active (sends a signed request, never the secret)")
	fs.StringVar(&c.stsEndpoint, "sts-endpoint", "", "STS endpoint `URL` for --verify (default: the regional AWS endpoint)")
	fs.BoolVar(&c.testKeys, "test-keys", false, "with --format json: also list the test key IDs of account 000000000000 that are not reported, and the secrets paired with them, each with a test_key field saying why")
}

func (c *commonFlags) validate() error {
	switch c.format {
	case "text", "json", "sarif":
	default:
		return fmt.Errorf("--format: unknown format %q (want text, json or sarif)", c.format)
	}
	if c.testKeys && c.format != "json" {
		return fmt.Errorf("--test-keys needs --format json (the text summary counts test keys; JSON lists them)")
	}
	if c.stsEndpoint != "" && !c.verify {
		return fmt.Errorf("--sts-endpoint needs --verify")
	}
	if c.stsEndpoint != "" {
		u, err := url.Parse(c.stsEndpoint)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("--sts-endpoint: %q is not an http(s) URL", c.stsEndpoint)
		}
	}
	return nil
}

// newFlagSet returns a flag set that reports errors instead of exiting.
// Its usage is written to fs.Output(): stderr, with a usage error;
// stdout when it was asked for (parseFlags, helpOutput).
func newFlagSet(name, usage string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(flagOutput{Writer: e.stderr, help: e.stdout})
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: keyscan %s\n", usage)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// flagOutput is a flag set's output: its errors go to the Writer
// (stderr), and its usage, when it was asked for, to help (stdout): help
// asked for is the answer, as `keyscan help` is, and can be piped (qa36
// D1: `keyscan scan --help | grep verify` found nothing), and help that
// cannot be written fails the run (exit 2) as any output does.
type flagOutput struct {
	io.Writer
	help io.Writer
}

// printHelp writes fs's usage where help asked for goes (flagOutput).
func printHelp(fs *flag.FlagSet) {
	out := fs.Output()
	if fo, ok := out.(flagOutput); ok {
		fs.SetOutput(fo.help)
		defer fs.SetOutput(out)
	}
	fs.Usage()
}

// parseFlags parses args and reports whether the command should go on; when
// it should not, code is the exit status. Flags may come anywhere, before or
// after the paths (keyscan scan DIR --format json), as in go, kubectl and
// gitleaks; "--" ends them, so a path that starts with "-" can follow it.
// fs.Args() then holds the operands in order.
func parseFlags(fs *flag.FlagSet, args []string) (ok bool, code int) {
	var operands []string
	usage := fs.Usage
	// The flag package prints the usage at --help as at an error, to
	// the same output: said here instead, each where it goes.
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	for {
		if err := fs.Parse(args); err != nil {
			fs.Usage = usage
			if err == flag.ErrHelp {
				asked, bad := helpAsked(args[len(args)-len(fs.Args())-1])
				if bad != "" {
					fmt.Fprintf(fs.Output(), "%s\n", bad)
					usage()
					return false, exitError
				}
				if !asked {
					args = fs.Args() // --help=false: no request, the command runs
					continue
				}
				printHelp(fs)
				return false, exitClean
			}
			usage()
			return false, exitError
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			operands = append(operands, rest...) // after "--": no more flags
			break
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
	// Parsing "--" and the operands sets fs.Args() to them and no flag.
	_ = fs.Parse(append([]string{"--"}, operands...))
	return true, 0
}

// helpAsked reports whether arg, the -h or -help flag the flag package
// took for a request for help whatever its value, asks for help: Go's flag
// package does so for --help=false too (qa38: keyscan scan --help=false .
// printed the help and exited 0, scanning nothing). A value that is no
// boolean is a usage error, as for any boolean flag; bad says so.
func helpAsked(arg string) (asked bool, bad string) {
	name, v, ok := strings.Cut(arg, "=")
	if !ok {
		return true, ""
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Sprintf("invalid boolean value %q for -%s: parse error", v, strings.TrimLeft(name, "-"))
	}
	return b, ""
}

// loadConfig reads the configuration named by --config, or .keyscan.toml at
// root when there is one.
func loadConfig(c *commonFlags, root string) (*config.Config, error) {
	if c.configPath != "" {
		return config.Load(c.configPath)
	}
	p, err := config.Find(root)
	if err != nil {
		return nil, err
	}
	return loadFound(p)
}

// loadFound loads the configuration config.Find found at p, or the
// default when it found none ("").
func loadFound(p string) (*config.Config, error) {
	if p == "" {
		return config.Default(), nil
	}
	return config.Load(p)
}

// setup loads the configuration for root (see loadConfig) and builds the
// matcher from it: the first step of every scanning command.
func setup(c *commonFlags, root string) (*config.Config, *scanner.Scanner, error) {
	cfg, err := loadConfig(c, root)
	if err != nil {
		return nil, nil, err
	}
	sc, err := scanner.New(cfg.ScannerOptions())
	if err != nil {
		return nil, nil, err
	}
	c.sc = sc
	return cfg, sc, nil
}

// strictGap records that n things (one, many) were left out, and what of
// them ("could not be read", strictArchives, ...), as a gap of the run
// under reason (report.Gap), whatever --strict says: every format says
// what was not read (qa33 M3: a report read without its exit status must
// not pass for clean). strictN of them are in what --strict (or strict =
// true) covers (n, or 0 without it; scan's roots each follow their own
// configuration): when there are any, it prints so and reports true, and
// the command exits 2. Without, the warnings have named each, and the exit
// status is left to the findings.
func (c *commonFlags) strictGap(w io.Writer, command, reason string, n, strictN int, one, many, what string) bool {
	if n <= 0 {
		return false
	}
	msg := report.Count(n, one, many) + " " + what
	c.gaps = append(c.gaps, report.Gap{Reason: reason, Count: n, Message: msg})
	if strictN <= 0 {
		return false
	}
	fmt.Fprintf(w, "keyscan %s: strict: %s %s\n", command, report.Count(strictN, one, many), what)
	return true
}

// strictCount is n when strict, else 0: strictGap's strictN.
func strictCount(strict bool, n int) int {
	if strict {
		return n
	}
	return 0
}

// gapFail records a gap that fails the run whatever --strict says (a
// gate's: a file not checked whole), prints it (its line names no
// --strict), and reports whether there was one.
func (c *commonFlags) gapFail(w io.Writer, command, reason string, n int, one, many, what string) bool {
	if n <= 0 {
		return false
	}
	msg := report.Count(n, one, many) + " " + what
	fmt.Fprintf(w, "keyscan %s: %s\n", command, msg)
	c.gaps = append(c.gaps, report.Gap{Reason: reason, Count: n, Message: msg})
	return true
}

// tooLargeFail fails a hook on the files it skipped for their size,
// whatever --strict says (qa13 MEDIUM-13): the server's gate refuses a push
// that holds one, and a hook that let it pass would only move the refusal
// to the push, past the point where the file is easy to take out. The
// warnings (content.Options.TooLarge) name each file, its size, the limit
// and the setting; under --quiet, which drops warnings, they are listed
// here.
//
// With --quiet the files are listed after the line, through hide (a
// warningLine): a path that holds a key ID is redacted there as in every
// other warning (qa36 M6b).
func (c *commonFlags) tooLargeFail(w io.Writer, command string, n int, warnings []string, hide func(string) string) bool {
	if !c.gapFail(w, command, "too-large", n, "file", "files", hookTooLarge) {
		return false
	}
	if c.quiet {
		for _, s := range warnings {
			if content.IsTooLarge(s) {
				fmt.Fprintf(w, "  %s\n", hide(s))
			}
		}
	}
	return true
}

// texts returns the warnings' texts, for tooLargeFail.
func texts[W fmt.Stringer](ws []W) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}

// hookTooLarge is what a hook says of the files it did not read for their
// size.
const hookTooLarge = "over its size limit not scanned: a hook fails on it, as the server's gate does; to allow it, " +
	"raise max_file_size (for an archive, archives.max_archive_size) in .keyscan.toml, or exclude the path there"

// The --strict messages the scanning commands share.
const (
	strictTooLarge = "not scanned (larger than max_file_size)"
	strictArchives = "not scanned whole (archive limits, unreadable members or formats not opened)"
	strictUnlisted = "past max_findings_per_file not checked or listed"
	// strictUndecoded: content.Undecoded's warnings say which and why.
	strictUndecoded = "not decoded whole (a file's decode budget spent, a gzip bomb, or a run cut short): not scanned"
	// strictUnchecked: content.Unchecked's warnings say which and how much.
	strictUnchecked = "not checked whole (the file's check budget spent): not known to be clean"
	// strictGoLeft: content.GoBudget's warning says how many and from where.
	// hookGoTooLarge: content.GoBudget's warning names the first.
	hookGoTooLarge = "too large to type-check (over 262,144 tokens), or with types too costly to check or declarations Go's parser cannot read, that may build a key within itself: check them with go vet -vettool=keyscan or keyscan scan, exclude them, or set check_budget = 0 to type-check the large ones whatever their size"
	strictGoLeft   = "left to the byte scan, not type-checked (the type-check budget spent): a key such a file builds within itself is not known"
	// strictLFS: a work tree's pointer whose content scan could not read.
	strictLFS    = "not scanned (the content is not in the repository's lfs/objects: git lfs pull first)"
	strictSparse = "not in the work tree (a sparse checkout): not scanned (keyscan history --ref HEAD, or a full checkout)"
)

// emit applies the baseline and verification, writes the report, and returns
// the exit status for the findings.
func emit(ctx context.Context, fs scanner.Findings, c *commonFlags, command string, e *env) int {
	if c.baseline != "" {
		kept, stale, moved, err := applyBaseline(fs, c.baseline, command, c.moved, c.scanned)
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan: %v\n", err)
			return exitError
		}
		if n := len(fs) - len(kept); n > 0 && !c.quiet {
			fmt.Fprintf(e.stderr, "keyscan: %s accepted by the baseline %s (still live keys until rotated)\n",
				report.Count(n, "finding", "findings"), c.baseline)
		}
		fs = kept
		if !c.quiet {
			for _, s := range stale {
				fmt.Fprintf(e.stderr, "keyscan: baseline entry no longer matches, remove it: %s\n", report.Printable(s))
			}
			for _, s := range moved {
				fmt.Fprintf(e.stderr, "keyscan: baseline entry matched at a new path (its file is gone: renamed or moved), make the baseline again to record it: %s\n", report.Printable(s))
			}
		}
	}
	if c.verify {
		if err := verifyFindings(ctx, fs, c, e); err != nil {
			fmt.Fprintf(e.stderr, "keyscan: verify: %v\n", err)
			return exitError
		}
	}
	fs.Sort()
	if len(fs) == 0 && command == "staged" && c.format == "text" && c.output == "" && !c.verbose && len(c.gaps) == 0 {
		// A hook is silent when all is well, like git's own hooks: a line
		// on every commit teaches people to skip the hook's output.
		// --verbose keeps it, and so does a run that could not read
		// all it was asked to.
		return exitClean
	}
	if len(fs) == 0 && c.unlisted > 0 && !slices.ContainsFunc(c.gaps, func(g report.Gap) bool { return g.Reason == "unlisted" }) {
		// None listed and some past the limit: exit 2 below.
		c.gaps = append(c.gaps, report.Gap{Reason: "unlisted", Count: c.unlisted,
			Message: report.Count(c.unlisted, "candidate value", "candidate values") + " " + strictUnlisted})
	}
	if !c.showSecrets || c.format == "sarif" {
		// A secret in a path is hidden as values are: a folder named
		// after one shows in every finding below it.
		fs = c.sc.HidePaths(fs, c.tests)
		c.tests = c.sc.HidePaths(c.tests, fs)
	}
	if c.showSecrets && c.format == "sarif" && !c.quiet {
		fmt.Fprintln(e.stderr, "keyscan: --show-secrets does not apply to SARIF: code scanning uploads keep values redacted")
	}
	var w io.Writer = e.stdout
	var out *outfile.File
	color := c.format == "text" && !c.noColor && e.getenv("NO_COLOR") == "" && isTerminal(e.stdout)
	if c.output != "" && c.output != "-" { // "-" is standard output, as for most tools
		// A report with the secrets in it is readable by its owner only.
		// Missing folders are made, each from the open folder above it.
		f, err := outfile.CreateBeneathDirs(c.output, c.showSecrets && c.format != "sarif")
		if err != nil {
			fmt.Fprintf(e.stderr, "keyscan: --output: %v\n", err)
			return exitError
		}
		out = f
		w = f
		color = false
	}
	opts := report.Options{
		Format:      c.format,
		ShowSecrets: c.showSecrets,
		Color:       color,
		Command:     command,
		Version:     version(),
		Quiet:       c.quiet,
		Verbose:     c.verbose,
		Coverage:    c.coverage,
		TestKeys:    c.tests,
		ListTests:   c.testKeys,
		Unlisted:    c.unlisted,
		Gaps:        c.gaps,
	}
	err := report.Write(w, fs, opts)
	if out != nil {
		if err != nil {
			out.Abort()
		} else if err = out.Close(); err != nil {
			err = fmt.Errorf("--output: %w", err)
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "keyscan: writing report: %v\n", err)
		return exitError
	}
	if len(fs) > 0 {
		return exitFindings
	}
	if c.unlisted > 0 {
		// Values were found and none is listed (the listed ones were test
		// keys, or the baseline's): what the unlisted ones are is unknown.
		fmt.Fprintf(e.stderr, "keyscan: %s past max_findings_per_file not checked or listed: not known to be clean\n", report.Count(c.unlisted, "candidate value", "candidate values"))
		return exitError
	}
	return exitClean
}

func isTerminal(w io.Writer) bool {
	if c, ok := w.(*checkedWriter); ok {
		w = c.w
	}
	w = unguarded(w)
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// warningHider returns what the commands pass each warning through: a
// secret or session token in a path it shows is redacted unless
// --show-secrets (show), as in the findings' paths (scanner.PathHider).
// fs are the findings of the run, whose values in paths are known; sc
// finds the others (nil: none). Made once per run: the hider memoises
// the paths it has seen, and a run can print thousands of warnings.
func warningHider(show bool, sc *scanner.Scanner, fs ...scanner.Findings) func(string) string {
	if show {
		return func(s string) string { return s }
	}
	return sc.PathHider(fs...)
}

// warningLine is warningHider for a line of stderr that names files and
// commits' paths others chose (a warning): its control characters and
// characters that reorder or hide text are escaped too (report.Printable),
// as the reports write names, so that a name's escape sequences cannot
// drive the terminal nor its line breaks forge lines of their own in a CI
// log (a "::error::" workflow command, a "no credentials found"; qa24 M2).
// No warning holds a line break of its own.
func warningLine(show bool, sc *scanner.Scanner, fs ...scanner.Findings) func(string) string {
	hide := warningHider(show, sc, fs...)
	return func(s string) string { return report.Printable(hide(s)) }
}
