"""libworkspace: prepare and persist the workspace of agent-session pods.

Thin bindings over the C++ library: functions take and return plain Python
objects (str, dict, list); failures raise subclasses of ``libworkspace.Error``
carrying the library's message and its ``code``.
"""
from ._libworkspace import *  # noqa: F401,F403
from ._libworkspace import __version__, Error  # noqa: F401
