package report_test

import (
	"io"
	"testing"

	"github.com/keyscan/keyscan/report"
	"github.com/keyscan/keyscan/scanner"
)

// BenchmarkWrite writes a history-sized report: 10,000 findings.
func BenchmarkWrite(b *testing.B) {
	one := fixture(&testing.T{}, true)
	fs := make(scanner.Findings, 0, 10000)
	for len(fs) < 10000 {
		fs = append(fs, one...)
	}
	for _, format := range []string{"text", "json", "sarif"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := report.Write(io.Discard, fs, report.Options{Format: format, Command: "history"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
