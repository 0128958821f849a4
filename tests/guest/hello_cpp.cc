// Prints "Hello, world!" through iostream: C++ runtime, static constructors, libstdc++.
#include <iostream>

int main()
{
	std::cout << "Hello, world!" << std::endl;
	return 0;
}
