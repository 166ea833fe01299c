package analyzer

// IdleTokens is the tokens of declarations c holds of packages no check
// is using: what its bound caps.
func (c *ImportCache) IdleTokens() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.idle
}

// TypeWork is typeWork, for tests outside the package.
var TypeWork = typeWork
