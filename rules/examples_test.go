package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

func TestRulesValidate(t *testing.T) {
	if _, err := rules.NewSet(rules.AWS()); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesRuleAndField(t *testing.T) {
	r := rules.AWS()[0]
	r.Why = ""
	r.FalsePositives = append(r.FalsePositives, rules.Example{Name: "x", Text: "{{NOPE}}"})
	err := r.Validate()
	if err == nil {
		t.Fatal("Validate accepted a rule with no Why")
	}
	for _, want := range []string{`rule "aws-access-key-id": Why: is empty`, "needs a reason", "unknown placeholder {{NOPE}}"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestExamples runs every rule's documented examples through the matcher,
// several times with different generated keys.
func TestExamples(t *testing.T) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules.AWS() {
		for seed := uint64(1); seed <= 20; seed++ {
			vals := fakekey.New(seed).Values()
			run := func(kind string, i int, ex rules.Example) {
				t.Run(fmt.Sprintf("%s/%s%d/seed%d", r.ID, kind, i, seed), func(t *testing.T) {
					text := rules.Fill(ex.Text, vals)
					got := 0
					for _, f := range sc.Scan(ex.Name, []byte(text)) {
						if f.Rule == r.ID {
							got++
						}
					}
					if got != ex.Want {
						t.Errorf("%s (%s): %d findings of %s, want %d\n%s", ex.Name, ex.Reason, got, r.ID, ex.Want, text)
					}
				})
			}
			for i, ex := range r.TruePositives {
				run("tp", i, ex)
			}
			for i, ex := range r.FalsePositives {
				run("fp", i, ex)
			}
		}
	}
}
