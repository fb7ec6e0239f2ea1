/* libworkspace — auth area of the C API. See common.h for conventions. */
#ifndef LIBWORKSPACE_AUTH_H
#define LIBWORKSPACE_AUTH_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_AUTH_H */
