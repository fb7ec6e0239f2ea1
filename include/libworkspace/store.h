/* libworkspace — store area of the C API. See common.h for conventions. */
#ifndef LIBWORKSPACE_STORE_H
#define LIBWORKSPACE_STORE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_STORE_H */
