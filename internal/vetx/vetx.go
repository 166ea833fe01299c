// Package vetx answers the runs go vet and go fix make of their tool for
// the packages a vetted package depends on, when the tool's analyzers
// export no facts.
//
// The go command runs a vet tool once per package of the build graph: once
// for each package the user names, and once "VetxOnly" for each package
// they depend on, the standard library's and the SDKs' included (~330
// packages for a program that uses the AWS SDKs). A VetxOnly run reports
// nothing; it leaves in a "vetx" file what the runs of the packages that
// import it need: the package's facts and its types (the go command still
// compiles the dependencies, but hands the vet tool no export data of
// theirs: their types reach it only through these files). unitchecker makes that file by checking the
// whole package, function bodies included, with every analyzer that
// exports facts. keyscan's analyzer exports none, and the types a package
// exports are declared outside function bodies, so the types of its
// declarations alone (types.Config.IgnoreFuncBodies) are the same file's
// worth at a fraction of the cost. The go command asks for these runs again
// whenever the tool's ID changes (keyscan's hashes the module's side
// files), so their cost is paid often.
//
// The file's layout is unitchecker's own: "vetx", the lengths of the types
// and of the facts (little-endian uint32s), the types in the indexed export
// format that gcexportdata writes, then the facts (none here). unitchecker
// reads it back in the runs that report; TestVetxAsUnitchecker checks, with
// unitchecker itself, that a package sees the same types through its file
// and through ours.
package vetx

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
)

// Config is what this package reads of the JSON file the go command
// describes a package with (unitchecker.Config's fields of the same names).
type Config struct {
	ImportPath  string            // the package's path
	GoVersion   string            // the module's Go version, "go1.26.0"
	GoFiles     []string          // the package's Go files, cgo's output included
	ImportMap   map[string]string // import path as written to package path
	PackageVetx map[string]string // package path to the vetx file of a direct import
	VetxOnly    bool              // the run reports nothing, only writes VetxOutput
	VetxOutput  string            // where the vetx file goes
}

// ReadConfig reads the go command's description of a package, name.
func ReadConfig(name string) (*Config, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	cfg := new(Config)
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, fmt.Errorf("cannot decode vet config %s: %v", name, err)
	}
	if len(cfg.GoFiles) == 0 {
		return nil, fmt.Errorf("package has no files: %s", cfg.ImportPath)
	}
	return cfg, nil
}

// UsesFacts reports whether any of analyzers, or an analyzer they require,
// exports facts: then a VetxOnly run must run them, and WriteTypes is not
// enough.
func UsesFacts(analyzers ...*analysis.Analyzer) bool {
	seen := map[*analysis.Analyzer]bool{}
	var uses func(a *analysis.Analyzer) bool
	uses = func(a *analysis.Analyzer) bool {
		if seen[a] {
			return false
		}
		seen[a] = true
		if len(a.FactTypes) > 0 {
			return true
		}
		for _, r := range a.Requires {
			if uses(r) {
				return true
			}
		}
		return false
	}
	for _, a := range analyzers {
		if uses(a) {
			return true
		}
	}
	return false
}

// magic opens every vetx file.
const magic = "vetx"

// WriteTypes checks the declarations of the package cfg describes against
// its imports' vetx files and writes its own vetx file, with no facts. An
// error is a package that does not parse or type-check, or a vetx file
// that cannot be read or written; the go command, which ignores a failed
// run of a dependency, then lacks its types, as with unitchecker.
func WriteTypes(cfg *Config) error {
	fset := token.NewFileSet()
	files := make([]*ast.File, 0, len(cfg.GoFiles))
	for _, name := range cfg.GoFiles {
		// No comments: the declarations' types are all that is kept. The
		// parser reads a //go:build line's Go version without them.
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	imports := map[string]*types.Package{}
	tc := &types.Config{
		Importer:         importer{cfg: cfg, fset: fset, imports: imports},
		Sizes:            types.SizesFor("gc", build.Default.GOARCH),
		GoVersion:        cfg.GoVersion,
		IgnoreFuncBodies: true,
	}
	pkg, err := tc.Check(cfg.ImportPath, fset, files, nil)
	if err != nil {
		return err
	}
	// The header's 12 bytes, then gcexportdata's 'i' and the types: the
	// 'i' is the last byte of the facts' length, 0.
	var buf bytes.Buffer
	buf.Write(make([]byte, 11))
	if err := gcexportdata.Write(&buf, fset, pkg); err != nil {
		return fmt.Errorf("exporting the types of %s: %v", cfg.ImportPath, err)
	}
	data := buf.Bytes()
	copy(data, magic)
	binary.LittleEndian.PutUint32(data[4:8], uint32(len(data)-12))
	binary.LittleEndian.PutUint32(data[8:12], 0)
	return os.WriteFile(cfg.VetxOutput, data, 0o666)
}

// importer gives the type checker a package's imports from their vetx
// files, as unitchecker does: each file's types are deep, so the direct
// imports' files are all a package needs.
type importer struct {
	cfg     *Config
	fset    *token.FileSet
	imports map[string]*types.Package // every package read so far, shared by the files read
}

func (im importer) Import(path string) (*types.Package, error) {
	p, ok := im.cfg.ImportMap[path]
	if !ok {
		return nil, fmt.Errorf("can't resolve import %q", path)
	}
	if p == "unsafe" {
		return types.Unsafe, nil
	}
	if pkg, ok := im.imports[p]; ok && pkg.Complete() {
		return pkg, nil
	}
	file, ok := im.cfg.PackageVetx[p]
	if !ok {
		return nil, fmt.Errorf("no package vetx file for %q", p)
	}
	typesData, err := readTypes(file)
	if err != nil {
		return nil, fmt.Errorf("invalid vetx file for %q: %v", p, err)
	}
	return gcexportdata.Read(bytes.NewReader(typesData), im.fset, im.imports, p)
}

// readTypes returns the types of the vetx file name with gcexportdata's
// leading 'i'.
func readTypes(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if len(data) < 12 || string(data[:4]) != magic {
		return nil, fmt.Errorf("%s is no vetx file", name)
	}
	n := uint64(binary.LittleEndian.Uint32(data[4:8]))
	if 12+n > uint64(len(data)) {
		return nil, fmt.Errorf("vetx file %s claims %d bytes of types, holds %d", name, n, len(data)-12)
	}
	// data[11], the facts' length's last byte, becomes the format's 'i'.
	data[11] = 'i'
	return data[11 : 12+n], nil
}
