/* libworkspace — git area of the C API. See common.h for conventions. */
#ifndef LIBWORKSPACE_GIT_H
#define LIBWORKSPACE_GIT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_GIT_H */
