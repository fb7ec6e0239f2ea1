/* libworkspace — umbrella header: include this one. */
#ifndef LIBWORKSPACE_H
#define LIBWORKSPACE_H

#include "common.h"
#include "spec.h"
#include "auth.h"
#include "store.h"
#include "git.h"
#include "workspace.h"

#endif /* LIBWORKSPACE_H */
