#include "capi/capi.hpp"
#include "libworkspace/store.h"
