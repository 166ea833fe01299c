package golangciplugin_test

import (
	"testing"

	"github.com/keyscan/keyscan/golangciplugin"
)

func TestNew(t *testing.T) {
	p, err := golangciplugin.New(map[string]any{"config": "/some/keyscan.toml"})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Name != "keyscan" || as[0].Flags.Lookup("config").Value.String() != "/some/keyscan.toml" {
		t.Errorf("BuildAnalyzers: %v", as)
	}
	if p.GetLoadMode() != "typesinfo" {
		t.Errorf("GetLoadMode: %q", p.GetLoadMode())
	}
	if _, err := golangciplugin.New(map[string]any{"confg": "x"}); err == nil {
		t.Error("New accepted an unknown setting")
	}
	if _, err := golangciplugin.New(nil); err != nil {
		t.Errorf("New(nil): %v", err)
	}
}
