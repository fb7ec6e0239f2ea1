module github.com/ambient-code/libworkspace/bindings/go

go 1.19
