package gosnap

// Within is within, for the tests.
var Within = within
