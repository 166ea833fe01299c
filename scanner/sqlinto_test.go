package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// BenchmarkSelectInto: a secret's name handed @s, below 16 MiB of MySQL's
// SELECT … INTO lines (qa22 M5's near misses: values of a secret's length
// into other variables, and @s itself given an expression), so every
// command is one whose names are asked.
func BenchmarkSelectInto(b *testing.B) {
	sc, err := scanner.New(scanner.Options{})
	if err != nil {
		b.Fatal(err)
	}
	g := fakekey.New(2933)
	unit := "SELECT '" + g.Secret() + "', 'ci' INTO @t, @u FROM DUAL;\nSELECT CONCAT(@t, 'x') INTO @s;\n"
	data := []byte(strings.Repeat(unit, (16<<20)/len(unit)) + "UPDATE creds SET aws_secret_access_key = @s;\n")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		sc.ScanAll("seed.sql", data)
	}
	reportCPU(b, cpu, len(data))
}
