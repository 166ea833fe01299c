package fix

import (
	"os"

	"golang.org/x/sys/windows"
)

// linkCount is the number of hard links of the open file f.
func linkCount(f *os.File) (uint32, error) {
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(windows.Handle(f.Fd()), &info); err != nil {
		return 0, err
	}
	return info.NumberOfLinks, nil
}
