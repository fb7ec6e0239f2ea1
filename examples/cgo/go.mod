module example.com/libworkspace-cgo

go 1.19

require github.com/ambient-code/libworkspace/bindings/go v0.0.0

replace github.com/ambient-code/libworkspace/bindings/go => ../../bindings/go
