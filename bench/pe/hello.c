/* The PE input of the benchmark: bench/run compiles it once with x86_64-w64-mingw32-gcc and copies it. */
#include <stdio.h>

int main(void) {
    puts("hello from the hsm-signing benchmark");
    return 0;
}
