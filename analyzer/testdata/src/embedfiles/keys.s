// An assembly file is one of the package's other files.
// old key AKIAUYQAXJY72IWXWJUP // want `AKIA\*+WJUP .*in keys.s: remove the key from the file`
