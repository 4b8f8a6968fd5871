#include "l1emu/stream/lhc_constants.h"
// The constants are header-only; this unit keeps the library non-empty until the sources land.
