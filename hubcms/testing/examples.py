"""How many examples the Hypothesis and Schemathesis tests try.

Locally (`make test`) a quick budget; in CI (HUBCMS_CI=1) or with HUBCMS_FULL_EXAMPLES=1 the full
one. The generated tests are derandomized, so the quick budget runs the first examples of the same
sequence that CI runs in full.
"""

import os


def full_budget() -> bool:
    """Whether this run tries every example (CI, or asked for)."""
    return os.environ.get("HUBCMS_CI") == "1" or os.environ.get("HUBCMS_FULL_EXAMPLES") == "1"


def examples(full: int, *, quick: int) -> int:
    """`full` examples in CI, `quick` otherwise."""
    return full if full_budget() else min(quick, full)
