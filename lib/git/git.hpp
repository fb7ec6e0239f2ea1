// The git layer: clone, workflow clone, backup and restore of repositories.
#pragma once

#include "git/backup.hpp"
#include "git/clone.hpp"
#include "git/restore.hpp"
#include "git/workflow.hpp"
