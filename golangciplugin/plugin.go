// Package golangciplugin makes keyscan's analyzer a golangci-lint module
// plugin: a custom golangci-lint built with `golangci-lint custom` from a
// .custom-gcl.yml that names this package runs it as the linter "keyscan",
// reports what go vet -vettool=keyscan reports, and with --fix applies the
// same suggested fixes.
//
// golangci-lint finds module plugins through a registry that each plugin
// fills from an init function; that registration is this package's only
// state. The plugin depends on nothing but
// github.com/golangci/plugin-module-register, so that a custom build pulls
// in no more than keyscan itself.
package golangciplugin

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/keyscan/keyscan/analyzer"
)

func init() { register.Plugin("keyscan", New) }

// Settings are the plugin's settings in .golangci.yml
// (linters.settings.custom.keyscan.settings).
type Settings struct {
	// Config names a keyscan configuration file; by default the analyzer
	// reads .keyscan.toml at the root of the module being linted.
	Config string `json:"config"`
}

// New returns the plugin for the given settings.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("keyscan plugin settings: %w", err)
	}
	return plugin{settings: s}, nil
}

type plugin struct{ settings Settings }

// BuildAnalyzers returns a fresh analyzer, configured by the settings.
func (p plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	a := analyzer.New(nil)
	if p.settings.Config != "" {
		if err := a.Flags.Set("config", p.settings.Config); err != nil {
			return nil, fmt.Errorf("keyscan plugin settings: config: %w", err)
		}
	}
	return []*analysis.Analyzer{a}, nil
}

// GetLoadMode asks for type information: static credentials are recognised
// by the resolved package paths of the SDK calls, and split keys by
// constant folding.
func (plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
