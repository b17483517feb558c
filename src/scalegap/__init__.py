"""scalegap: will the AI pilot hold up in production?"""

from scalegap.lean_imports import keep_unused_libraries_out

__version__ = "0.1.0"

keep_unused_libraries_out()  # every scalegap process: the run, its chapter workers and kernels
