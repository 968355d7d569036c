"""Automatic quality criteria: small check functions, one registry.

Importing this package registers hubcms's own checks (content, accessibility, links,
readability); other apps register theirs with `register_check` from `registry`.
"""

from quality.checks.registry import (
    CheckResult,
    get_check,
    register_check,
    registered_codes,
)

__all__ = ["CheckResult", "get_check", "register_check", "registered_codes"]


def load_builtin_checks() -> None:
    """Import the modules that hold hubcms's own checks, so that they register themselves."""
    from quality.checks import (  # noqa: F401
        accessibility,
        content,
        links,
        readability,
    )
