/* libworkspace — workspace area of the C API. See common.h for conventions. */
#ifndef LIBWORKSPACE_WORKSPACE_H
#define LIBWORKSPACE_WORKSPACE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_WORKSPACE_H */
