// Package embedfiles embeds files that hold keys.
package embedfiles

import "embed"

//go:embed creds.ini
var creds string

//go:embed conf
var conf embed.FS

// Nothing embeds this one.
var _ = "placeholder"
