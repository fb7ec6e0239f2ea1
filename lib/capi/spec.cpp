#include "capi/capi.hpp"
#include "libworkspace/spec.h"
