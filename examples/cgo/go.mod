module example.com/libworkspace-cgo

go 1.19
