/* Start-up reference for the CPU benchmark: does nothing. */
#include "rt.h"
int main(void) { return 0; }
