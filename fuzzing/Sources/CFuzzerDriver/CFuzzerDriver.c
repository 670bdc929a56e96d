// Header-only module: LLVMFuzzerRunDriver is defined by libFuzzer itself.
#include "CFuzzerDriver.h"
