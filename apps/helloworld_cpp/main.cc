// Hello world in C++: iostream, std::string and std::vector from libstdc++,
// and an exception thrown and caught (the unwinder in libgcc_s walks the
// loaded objects with dl_iterate_phdr).
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

static int thrower(int n)
{
	if (n > 2)
		throw std::runtime_error("n=" + std::to_string(n));
	return n;
}

int main()
{
	std::vector<std::string> words{"Hello,", "world!"};
	std::string line;
	for (const auto &w : words)
		line += (line.empty() ? "" : " ") + w;
	std::cout << line << " (C++)" << std::endl;
	try {
		thrower(3);
	} catch (const std::exception &e) {
		std::cout << "caught: " << e.what() << std::endl;
	}
	return 0;
}
