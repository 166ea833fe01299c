// Package config reads and validates keyscan's configuration file,
// .keyscan.toml, and turns it into matcher options and path filters.
//
// Every field is checked when the file is loaded; an error names the file and
// the field, so a typo never silently turns a rule off.
//
// Which file governs a file, and where its path globs start, is one rule
// for every command (Scope, ScopeOf): the top of the git work tree, never a
// .keyscan.toml below it, whatever path the file was named by.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/BurntSushi/toml"
	"github.com/bmatcuk/doublestar/v4"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/readfile"
	"github.com/keyscan/keyscan/scanner"
	"github.com/keyscan/keyscan/scanner/archive"
	"github.com/keyscan/keyscan/scanner/content"
)

// FileName is the configuration file keyscan looks for at the top of a
// work tree (ScopeOf).
const FileName = ".keyscan.toml"

// DefaultMaxFileSize is the largest file scanned when the config sets no limit.
const DefaultMaxFileSize = 25 << 20

// DefaultMaxFindings is the most findings reported of one file when the
// config sets no limit: far more than any real file holds (the keys of a
// team, a CloudTrail export), few enough that a file made of generated keys
// (50,000 a megabyte, 1.25 million under max_file_size) costs megabytes of
// memory and not gigabytes.
const DefaultMaxFindings = 10000

// DefaultCheckBudget scales the check budget of a file when the config
// sets none (check_budget): 1, the allowance that bounds any file's
// matcher time to a fixed part and a constant per byte, which no real file
// comes near (see scanner.Options.CheckBudget).
const DefaultCheckBudget = 1

// Config is a loaded, validated configuration. Use Default or Load.
type Config struct {
	Path string // file it came from; empty for the default

	// Include, when not empty, limits scanning to paths matching one of these globs.
	Include []string
	// Exclude skips paths matching any of these globs (doublestar syntax,
	// relative to the scan root, '/'-separated).
	Exclude []string
	// MaxFileSize is the largest file or blob scanned, in bytes; larger ones are
	// reported as skipped.
	MaxFileSize int64
	// Keywords are extra names whose assigned values are secret access keys.
	Keywords []string
	// AllowValues are values never reported.
	AllowValues []string
	// AllowRegexes are patterns whose matching values are never reported.
	AllowRegexes []*regexp.Regexp
	// Strict makes a scan exit 2 when a file or folder found while walking
	// could not be read (as --strict does).
	Strict bool
	// PreReceive holds the server-side settings of `keyscan pre-receive`;
	// only a server's configuration file sets them.
	PreReceive PreReceive
	// Archives are the limits for opening archives ([archives] table);
	// MaxMemberSize follows MaxFileSize.
	Archives archive.Limits
	// SkipBinary leaves binary files unscanned (binaries = false).
	SkipBinary bool
	// MaxFindings is the most findings reported of one file, blob or
	// archive member (max_findings_per_file); 0 means no limit. Past it
	// the values are counted and named in a warning (content.Options).
	MaxFindings int
	// CheckBudget scales each file's check budget (check_budget); 0 means
	// no limit. Past it the file's checks are counted, not made, and the
	// file is named in a warning (scanner.Options.CheckBudget).
	CheckBudget int
	// TypecheckTimeout is how long one Go package's type check may run,
	// in seconds, before it is abandoned, a gap of the report, and the
	// run exits 2 (typecheck_timeout; the deadline grows with the tokens
	// checked: analyzer.WithStallHandler).
	TypecheckTimeout int
}

// DefaultTypecheckTimeout is typecheck_timeout when the config sets none,
// and MaxTypecheckTimeout the most it may set: the configuration may come
// with the tree scanned, and a deadline is what keeps a check that never
// ends from holding the run (a CI job, a commit, a push) for good.
const (
	DefaultTypecheckTimeout = 5
	MaxTypecheckTimeout     = 300
)

// PreReceive is the [pre_receive] table: settings of the server-side gate.
// Relative paths are resolved against the configuration file's folder.
type PreReceive struct {
	// Log is the audit log file (JSON lines); empty for none.
	Log string
	// Baseline is the administrator's baseline file; empty for none.
	Baseline string
	// FailOpen accepts a push the gate could not check (exit 0 with a
	// warning) instead of refusing it.
	FailOpen bool
	// PushOptionExceptions honours `git push -o keyscan.allow=<fingerprint>`.
	PushOptionExceptions bool
	// RefuseAllowComments (allow_comments = false) refuses a value the push
	// adds that only a keyscan:allow comment, written by the pusher, lets
	// through; by default such a value passes and is logged.
	RefuseAllowComments bool
}

// file mirrors the TOML layout.
type file struct {
	Include     []string `toml:"include"`
	Exclude     []string `toml:"exclude"`
	MaxFileSize any      `toml:"max_file_size"`
	Keywords    []string `toml:"keywords"`
	Strict      bool     `toml:"strict"`
	MaxFindings *int64   `toml:"max_findings_per_file"`
	CheckBudget *int64   `toml:"check_budget"`
	Timeout     *int64   `toml:"typecheck_timeout"`
	Binaries    *bool    `toml:"binaries"`
	Archives    struct {
		MaxDepth   *int64 `toml:"max_depth"`
		MaxBytes   any    `toml:"max_bytes"`
		MaxSize    any    `toml:"max_archive_size"`
		MaxRatio   *int64 `toml:"max_ratio"`
		MaxMembers *int64 `toml:"max_members"`
	} `toml:"archives"`
	Allow struct {
		Values  []string `toml:"values"`
		Regexes []string `toml:"regexes"`
		Paths   []string `toml:"paths"`
	} `toml:"allow"`
	PreReceive struct {
		Log                  string `toml:"log"`
		Baseline             string `toml:"baseline"`
		FailOpen             bool   `toml:"fail_open"`
		PushOptionExceptions bool   `toml:"push_option_exceptions"`
		AllowComments        *bool  `toml:"allow_comments"`
	} `toml:"pre_receive"`
}

// Default returns the configuration used when there is no file.
func Default() *Config {
	return &Config{MaxFileSize: DefaultMaxFileSize, Archives: archive.DefaultLimits(), MaxFindings: DefaultMaxFindings,
		CheckBudget: DefaultCheckBudget, TypecheckTimeout: DefaultTypecheckTimeout}
}

// MaxSize is the largest configuration file read: far over any real one,
// small enough that a file swapped for a huge one costs nothing.
const MaxSize = 1 << 20

// Find returns the path of the configuration file at root, or "" when there
// is none. The file sits in a tree that may come from a stranger (a pull
// request in CI), so it must be a regular file inside the root: a symlink
// whose target leaves the root (to /proc/kmsg, whose read blocks, or to
// /etc/shadow) and a FIFO or device are refused with an error naming them,
// never opened. A link that stays inside the root is read. A file in a folder
// every user can write to (/tmp), or writable by all itself, is refused too.
func Find(root string) (string, error) {
	dir := root
	fi, err := os.Stat(root)
	if err != nil {
		return "", nil // the scan reports the root it cannot read
	}
	if !fi.IsDir() {
		dir = filepath.Dir(root)
	}
	p := filepath.Join(dir, FileName)
	fi, err = os.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.ENOTDIR):
		// None, or a folder that cannot be searched: then none of its
		// files can be read either, and the scan says so.
		return "", nil
	case err != nil:
		return "", fmt.Errorf("config: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		realDir, err := filepath.EvalSymlinks(dir)
		if err == nil {
			realDir, err = filepath.Abs(realDir)
		}
		if err != nil {
			return "", fmt.Errorf("config: %w", err)
		}
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			return "", fmt.Errorf("config %s: a symlink that does not resolve: %w", p, readfile.UnwrapPath(err))
		}
		if target, err = filepath.Abs(target); err != nil {
			return "", fmt.Errorf("config: %w", err)
		}
		sep := string(filepath.Separator)
		if !strings.HasPrefix(target, strings.TrimSuffix(realDir, sep)+sep) {
			return "", fmt.Errorf("config %s: a symlink to %s, outside the scan root: not read (name it with --config to use it)", p, target)
		}
		if fi, err = os.Stat(target); err != nil {
			return "", fmt.Errorf("config: %w", err)
		}
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("config %s: %s, not a regular file: not read", p, readfile.ModeName(fi.Mode()))
	}
	// A file any user may have written (a folder such as /tmp, or the
	// file itself writable by all) is not the tree owner's word: it could
	// exclude everything from a scan of a file someone names there.
	if fi.Mode().Perm()&0o002 != 0 {
		return "", fmt.Errorf("config %s: writable by every user: not read (name a configuration with --config, or remove the file)", p)
	}
	if di, err := os.Stat(dir); err == nil && di.Mode().Perm()&0o002 != 0 {
		return "", fmt.Errorf("config %s: in %s, a folder every user can write to: not read (name a configuration with --config, or remove the file)", p, dir)
	}
	return p, nil
}

// Load reads and validates the configuration file at path. The file must be
// a regular file of at most MaxSize bytes; it is read without blocking (see
// internal/readfile), so a FIFO or a procfs file named with --config ends
// the run with an error rather than hanging it.
func Load(path string) (*Config, error) {
	data, err := readfile.File(path, false, MaxSize)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path = path
	dir := filepath.Dir(path)
	for _, p := range []*string{&c.PreReceive.Log, &c.PreReceive.Baseline} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	return c, nil
}

// Parse validates a configuration given as TOML text.
func Parse(data []byte) (*Config, error) {
	var f file
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("unknown field %s (known: include, exclude, max_file_size, max_findings_per_file, check_budget, typecheck_timeout, keywords, strict, binaries, archives.max_depth, archives.max_bytes, archives.max_archive_size, archives.max_ratio, archives.max_members, allow.values, allow.regexes, allow.paths, pre_receive.log, pre_receive.baseline, pre_receive.fail_open, pre_receive.push_option_exceptions, pre_receive.allow_comments)", strings.Join(keys, ", "))
	}
	c := Default()
	var errs []error
	globs := func(field string, gs []string) []string {
		for _, g := range gs {
			if !doublestar.ValidatePattern(g) {
				errs = append(errs, fmt.Errorf("%s: invalid glob %q", field, g))
			}
		}
		return gs
	}
	c.Include = globs("include", f.Include)
	c.Exclude = append(globs("exclude", f.Exclude), globs("allow.paths", f.Allow.Paths)...)
	if f.MaxFileSize != nil {
		n, err := parseSize(f.MaxFileSize)
		if err != nil {
			errs = append(errs, fmt.Errorf("max_file_size: %w", err))
		}
		c.MaxFileSize = n
	}
	for _, k := range f.Keywords {
		if len(strings.TrimSpace(k)) < 3 {
			errs = append(errs, fmt.Errorf("keywords: %q is too short (3 characters at least)", k))
		}
	}
	c.Keywords = f.Keywords
	if f.Binaries != nil {
		c.SkipBinary = !*f.Binaries
	}
	count := func(field string, v *int64, dst *int64) {
		if v == nil {
			return
		}
		if *v < 0 {
			errs = append(errs, fmt.Errorf("%s: must not be negative, not %d", field, *v))
			return
		}
		*dst = *v
	}
	depth, ratio, members := int64(c.Archives.MaxDepth), c.Archives.MaxRatio, int64(c.Archives.MaxMembers)
	count("archives.max_depth", f.Archives.MaxDepth, &depth)
	if depth > archive.DeepestDepth {
		errs = append(errs, fmt.Errorf("archives.max_depth: at most %d, not %d (each level keeps its name and state: a gzip that holds itself, opened a hundred thousand levels deep, took 16 GB)", archive.DeepestDepth, depth))
		depth = archive.DeepestDepth
	}
	count("archives.max_ratio", f.Archives.MaxRatio, &ratio)
	count("archives.max_members", f.Archives.MaxMembers, &members)
	maxFindings := int64(c.MaxFindings)
	count("max_findings_per_file", f.MaxFindings, &maxFindings)
	c.MaxFindings = int(min(maxFindings, 1<<40))
	checkBudget := int64(c.CheckBudget)
	count("check_budget", f.CheckBudget, &checkBudget)
	c.CheckBudget = int(min(checkBudget, 1<<16))
	if t := f.Timeout; t != nil {
		if *t < 1 || *t > MaxTypecheckTimeout {
			errs = append(errs, fmt.Errorf("typecheck_timeout: from 1 to %d seconds, not %d (a type check that never ends must not hold the run)", MaxTypecheckTimeout, *t))
		} else {
			c.TypecheckTimeout = int(*t)
		}
	}
	c.Archives.MaxDepth, c.Archives.MaxRatio, c.Archives.MaxMembers = int(depth), ratio, int(members)
	if f.Archives.MaxBytes != nil {
		n, err := parseSize(f.Archives.MaxBytes)
		if err != nil {
			errs = append(errs, fmt.Errorf("archives.max_bytes: %w", err))
		}
		c.Archives.MaxBytes = n
	}
	if f.Archives.MaxSize != nil {
		n, err := parseSize(f.Archives.MaxSize)
		if err != nil {
			errs = append(errs, fmt.Errorf("archives.max_archive_size: %w", err))
		}
		c.Archives.MaxArchiveSize = n
	}
	for _, v := range f.Allow.Values {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, errors.New("allow.values: empty value"))
		}
	}
	c.AllowValues = f.Allow.Values
	for _, r := range f.Allow.Regexes {
		re, err := regexp.Compile(r)
		if err != nil {
			errs = append(errs, fmt.Errorf("allow.regexes: %q: %w", r, err))
			continue
		}
		if what := matchesEverything(re); what != "" {
			errs = append(errs, fmt.Errorf("allow.regexes: %q matches %s: it would hide every finding of that kind", r, what))
			continue
		}
		c.AllowRegexes = append(c.AllowRegexes, re)
	}
	c.PreReceive = PreReceive{Log: f.PreReceive.Log, Baseline: f.PreReceive.Baseline,
		FailOpen: f.PreReceive.FailOpen, PushOptionExceptions: f.PreReceive.PushOptionExceptions,
		RefuseAllowComments: f.PreReceive.AllowComments != nil && !*f.PreReceive.AllowComments}
	c.Strict = f.Strict
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

var sizeRE = regexp.MustCompile(`^\s*(\d+)\s*([KMG]I?B?|B)?\s*$`) // matched upper-cased

// parseSize accepts a byte count or a string such as "10MB" or "512KiB".
func parseSize(v any) (int64, error) {
	switch v := v.(type) {
	case int64:
		if v <= 0 {
			return 0, fmt.Errorf("must be positive, not %d", v)
		}
		return v, nil
	case string:
		m := sizeRE.FindStringSubmatch(strings.ToUpper(v))
		if m == nil {
			return 0, fmt.Errorf("%q is not a size (e.g. 10MB, 512KiB, 1048576)", v)
		}
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%q is not a positive size", v)
		}
		shift := 0
		switch strings.TrimSuffix(strings.TrimSuffix(m[2], "B"), "I") {
		case "K":
			shift = 10
		case "M":
			shift = 20
		case "G":
			shift = 30
		}
		if n > math.MaxInt64>>shift {
			return 0, fmt.Errorf("%q is too large (at most %d bytes)", v, int64(math.MaxInt64))
		}
		return n << shift, nil
	}
	return 0, fmt.Errorf("want a number of bytes or a string such as \"10MB\", not %v", v)
}

// ScannerOptions returns the matcher options the configuration asks for.
func (c *Config) ScannerOptions() scanner.Options {
	return scanner.Options{Keywords: c.Keywords, AllowValues: c.AllowValues, AllowPatterns: c.AllowRegexes, CheckBudget: c.CheckBudget}
}

// ContentOptions returns what the configuration asks to look into: archives
// with their limits (members no larger than MaxFileSize), binary files.
func (c *Config) ContentOptions() content.Options {
	lim := c.Archives
	lim.MaxMemberSize = c.MaxFileSize
	lim.Run = archive.NewBudget(archive.RunBudget) // one per run: each call is one
	return content.Options{Archives: lim, SkipBinary: c.SkipBinary, MaxFindings: c.MaxFindings}
}

// ExcludeFunc returns Excluded, or nil when the configuration has no
// include or exclude glob and so leaves no path out: a history walk that
// has no path to test can let a folder met again under another path stand
// for the first (see scanner/history's walkTree).
func (c *Config) ExcludeFunc() func(rel string) bool {
	if len(c.Include) == 0 && len(c.Exclude) == 0 {
		return nil
	}
	return c.Excluded
}

// Excluded reports whether the '/'-separated relative path rel is left out
// by the include and exclude globs. A directory is excluded when it matches
// an exclude glob (or the glob with "/**" appended matches below it).
func (c *Config) Excluded(rel string) bool {
	rel = filepath.ToSlash(rel)
	for _, g := range c.Exclude {
		if match(g, rel) {
			return true
		}
	}
	if len(c.Include) == 0 {
		return false
	}
	for _, g := range c.Include {
		if match(g, rel) {
			return false
		}
	}
	return true
}

// ExcludedDir reports whether a whole directory can be skipped.
func (c *Config) ExcludedDir(rel string) bool {
	rel = filepath.ToSlash(rel)
	for _, g := range c.Exclude {
		if match(g, rel) || match(g, rel+"/") {
			return true
		}
		if strings.HasSuffix(g, "/**") && match(strings.TrimSuffix(g, "/**"), rel) {
			return true
		}
	}
	return false
}

func match(glob, rel string) bool {
	ok, _ := doublestar.Match(glob, rel)
	return ok
}

// matchesEverything says which kind of value an allow pattern would match
// every one of ("any value", "every access key ID", ...), or "" when it is
// selective. A pattern that matches the empty string matches every value
// (regexp finds it anywhere); otherwise it is tried on freshly generated
// keys of each kind: a pattern that allows all of them allows any real key.
func matchesEverything(re *regexp.Regexp) string {
	if re.MatchString("") {
		return "the empty string, so any value"
	}
	g := fakekey.New(1)
	kinds := []struct {
		what string
		gen  func() string
	}{
		{"every access key ID", func() string { return g.KeyID("AKIA") }},
		{"every temporary access key ID", func() string { return g.KeyID("ASIA") }},
		{"every secret access key", g.Secret},
		{"every session token", g.SessionToken},
	}
	for _, k := range kinds {
		all := true
		for range 16 {
			if !re.MatchString(k.gen()) {
				all = false
				break
			}
		}
		if all {
			return k.what
		}
	}
	return ""
}
