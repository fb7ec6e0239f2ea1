/* libworkspace — spec area of the C API. See common.h for conventions. */
#ifndef LIBWORKSPACE_SPEC_H
#define LIBWORKSPACE_SPEC_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_SPEC_H */
