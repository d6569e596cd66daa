#include "actjit.h"

extern "C" const char* actjit_version(void) { return ACTJIT_VERSION; }
