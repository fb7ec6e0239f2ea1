#include "capi/capi.hpp"
#include "libworkspace/auth.h"
