module servergo

go 1.19
