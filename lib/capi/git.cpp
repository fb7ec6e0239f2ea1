#include "capi/capi.hpp"
#include "libworkspace/git.h"
