module threadtest

go 1.19
