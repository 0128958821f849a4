module clientgo

go 1.19
