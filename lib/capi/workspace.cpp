#include "capi/capi.hpp"
#include "libworkspace/workspace.h"
