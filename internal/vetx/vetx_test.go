package vetx

import (
	"bytes"
	"encoding/json"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
	"golang.org/x/tools/go/gcexportdata"
)

// childEnv makes the test binary unitchecker itself, with usesOf: the
// reader and writer of vetx files WriteTypes must agree with.
const childEnv = "KEYSCAN_VETX_TEST_UNITCHECKER"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		unitchecker.Main(usesOf) // exits
	}
	os.Exit(m.Run())
}

// usesOf reports the type of every use of another package's object: what
// a package sees of its imports through their vetx files.
var usesOf = &analysis.Analyzer{
	Name: "usesof",
	Doc:  "report the type of each use of an imported object",
	Run: func(pass *analysis.Pass) (any, error) {
		for id, obj := range pass.TypesInfo.Uses {
			if obj.Pkg() != nil && obj.Pkg() != pass.Pkg {
				pass.Reportf(id.Pos(), "%s", types.ObjectString(obj, nil))
			}
		}
		return nil, nil
	},
}

// The package a: declarations of every kind, some of whose types only a
// check of the declarations works out (inferred, iota, generic, embedded,
// aliased, unsafe), and function bodies with their own types, which
// WriteTypes leaves unchecked.
const srcA = `package a

import "unsafe"

type (
	Point struct {
		X, Y int
		hidden []string
	}
	Shape interface {
		Area() float64
		Named
	}
	Named interface{ Name() string }
	List[T any] struct {
		items []T
		next  *List[T]
	}
	Alias  = Point
	Weekday int
	Embeds struct {
		Point
		*List[string]
	}
)

const (
	Sunday Weekday = iota
	Monday
	Big      = 1 << 100
	Small    = Big >> 98
	Greeting = "hello, " + "world"
	Size     = unsafe.Sizeof(Point{})
)

var (
	Origin   = Point{}
	Inferred = func() map[string][]*Point { return nil }()
	Count    = len(Greeting)
	Handler  func(Weekday) (Shape, error)
)

func (p Point) Area() float64   { type local struct{ z int }; return float64(local{p.X}.z) }
func (p *Point) Name() string    { return "point" }
func (l *List[T]) Push(v T) *List[T] { return &List[T]{items: append(l.items, v), next: l} }
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
func (d Weekday) String() string { return [...]string{"Sunday", "Monday"}[d] }
`

// The package b uses each of them.
const srcB = `package b

import "example.com/a"

var (
	p     a.Point
	q     a.Alias
	s     a.Shape = &p
	l     = new(a.List[int]).Push(1)
	names = a.Map([]a.Weekday{a.Sunday, a.Monday}, a.Weekday.String)
	e     a.Embeds
	x     = e.X + a.Count + int(a.Size) + a.Small
	g     = a.Greeting
	o, i  = a.Origin, a.Inferred
	h     = a.Handler
	area  = p.Area()
)
`

// config is unitchecker's vet.cfg, as the go command writes it, for the
// fields both unitchecker and WriteTypes read.
type config struct {
	ID, ImportPath, GoVersion string
	GoFiles                   []string
	ImportMap                 map[string]string
	PackageVetx               map[string]string
	VetxOnly                  bool
	VetxOutput                string
}

func writeConfig(t *testing.T, name string, cfg config) string {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// unitcheck runs unitchecker on the config file cfg; it returns what it
// printed and its exit status.
func unitcheck(t *testing.T, cfg string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], cfg)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

// TestVetxAsUnitchecker: the vetx file WriteTypes writes for a package
// declares what unitchecker's own declares, object for object, and a
// package that imports it, checked by unitchecker, sees the same types
// through either file.
func TestVetxAsUnitchecker(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{"a/a.go": srcA, "b/b.go": srcB} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfgA := config{
		ID: "example.com/a", ImportPath: "example.com/a", GoVersion: "go1.26",
		GoFiles:   []string{filepath.Join(dir, "a", "a.go")},
		ImportMap: map[string]string{"unsafe": "unsafe"},
		VetxOnly:  true,
	}

	theirs := cfgA
	theirs.VetxOutput = filepath.Join(dir, "a.unitchecker.vetx")
	if out, code := unitcheck(t, writeConfig(t, filepath.Join(dir, "a.unitchecker.cfg"), theirs)); code != 0 {
		t.Fatalf("unitchecker, VetxOnly: exit %d\n%s", code, out)
	}
	ours := cfgA
	ours.VetxOutput = filepath.Join(dir, "a.ours.vetx")
	cfg, err := ReadConfig(writeConfig(t, filepath.Join(dir, "a.ours.cfg"), ours))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.VetxOnly || cfg.ImportPath != "example.com/a" || len(cfg.GoFiles) != 1 {
		t.Fatalf("ReadConfig read %+v", cfg)
	}
	if err := WriteTypes(cfg); err != nil {
		t.Fatalf("WriteTypes: %v", err)
	}

	want, got := declared(t, theirs.VetxOutput), declared(t, ours.VetxOutput)
	if len(want) < 20 {
		t.Fatalf("unitchecker's vetx declares too little to compare:\n%s", strings.Join(want, "\n"))
	}
	if !slices.Equal(got, want) {
		t.Errorf("WriteTypes declares\n\t%s\nunitchecker declares\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}

	// The package b, checked and reported by unitchecker, through each file.
	uses := map[string]string{}
	for _, vetx := range []string{theirs.VetxOutput, ours.VetxOutput} {
		cfgB := config{
			ID: "example.com/b", ImportPath: "example.com/b", GoVersion: "go1.26",
			GoFiles:     []string{filepath.Join(dir, "b", "b.go")},
			ImportMap:   map[string]string{"example.com/a": "example.com/a"},
			PackageVetx: map[string]string{"example.com/a": vetx},
		}
		out, code := unitcheck(t, writeConfig(t, filepath.Join(dir, "b.cfg"), cfgB))
		if code != 1 || !strings.Contains(out, "func (*example.com/a.List[int]).Push(v int) *example.com/a.List[int]") {
			t.Fatalf("unitchecker on b with %s: exit %d, want 1 and each use reported:\n%s", filepath.Base(vetx), code, out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		slices.Sort(lines) // reported in map order
		uses[vetx] = strings.Join(lines, "\n")
	}
	if uses[ours.VetxOutput] != uses[theirs.VetxOutput] {
		t.Errorf("b sees through WriteTypes' file\n%s\nand through unitchecker's\n%s", uses[ours.VetxOutput], uses[theirs.VetxOutput])
	}
}

// declared lists the objects the vetx file name declares for example.com/a,
// with the methods of its named types, one a line.
func declared(t *testing.T, name string) []string {
	t.Helper()
	data, err := readTypes(name)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := gcexportdata.Read(bytes.NewReader(data), token.NewFileSet(), map[string]*types.Package{}, "example.com/a")
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	var lines []string
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		obj := scope.Lookup(n)
		line := types.ObjectString(obj, nil)
		if c, ok := obj.(*types.Const); ok {
			line += " = " + c.Val().ExactString()
		}
		lines = append(lines, line)
		if tn, ok := obj.(*types.TypeName); ok {
			if named, ok := tn.Type().(*types.Named); ok {
				for m := range named.Methods() {
					lines = append(lines, "\t"+types.ObjectString(m, nil))
				}
			}
		}
	}
	return lines
}

// TestWriteTypesRefuses: a package that does not type-check, or whose
// import has no vetx file, gets none, as unitchecker gives none.
func TestWriteTypesRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"bad.go":     "package bad\n\nvar X int = \"not an int\"\n",
		"imports.go": "package imports\n\nimport \"example.com/missing\"\n\nvar X = missing.Y\n",
	} {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, name+".vetx")
		cfg := &Config{ImportPath: "example.com/" + strings.TrimSuffix(name, ".go"), GoVersion: "go1.26", GoFiles: []string{file},
			ImportMap: map[string]string{"example.com/missing": "example.com/missing"}, VetxOnly: true, VetxOutput: out}
		if err := WriteTypes(cfg); err == nil {
			t.Errorf("%s: WriteTypes: no error", name)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: WriteTypes wrote a vetx file", name)
		}
	}
}

// TestUsesFacts: an analyzer exports facts itself or through one it
// requires; keyscan's own analyzer is checked by its command's tests.
func TestUsesFacts(t *testing.T) {
	type fact struct{ analysis.Fact }
	plain := &analysis.Analyzer{Name: "plain", Doc: "plain", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	facts := &analysis.Analyzer{Name: "facts", Doc: "facts", Run: plain.Run, FactTypes: []analysis.Fact{new(fact)}}
	requires := &analysis.Analyzer{Name: "requires", Doc: "requires", Run: plain.Run, Requires: []*analysis.Analyzer{plain, facts}}
	for _, c := range []struct {
		as   []*analysis.Analyzer
		want bool
	}{
		{[]*analysis.Analyzer{plain}, false},
		{[]*analysis.Analyzer{facts}, true},
		{[]*analysis.Analyzer{plain, requires}, true},
	} {
		if got := UsesFacts(c.as...); got != c.want {
			t.Errorf("UsesFacts(%v) = %v, want %v", c.as, got, c.want)
		}
	}
}

// FuzzReadTypes: any file is read without a panic, and what is read lies
// inside it.
func FuzzReadTypes(f *testing.F) {
	f.Add([]byte("vetx\x04\x00\x00\x00\x00\x00\x00\x00abcd"))
	f.Add([]byte("vetx\xff\xff\xff\xff\x00\x00\x00\x00"))
	f.Add([]byte("vetx"))
	f.Add([]byte("not a vetx file at all"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "f.vetx")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readTypes(name)
		if err != nil {
			return
		}
		if len(got) < 1 || got[0] != 'i' || len(got)-1 > len(data)-12 || !bytes.Equal(got[1:], data[12:12+len(got)-1]) {
			t.Fatalf("readTypes(%q) = %q", data, got)
		}
	})
}
