"""The registry of automatic quality checks.

Each check is a plain function that takes a page and returns a `CheckResult` with a Dutch message
and the field it concerns. A `QualityCriterion` of kind "automatic" names its check by code; the gate
looks the function up here. Register a check with `@register_check("code")`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail.models import Page


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one automatic check on one page."""

    passed: bool
    message: str
    field: str = ""


CheckFunction = Callable[[Page], CheckResult]

_REGISTRY: dict[str, CheckFunction] = {}


def register_check(code: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register `function` as the automatic check for criterion `code`."""

    def decorator(function: CheckFunction) -> CheckFunction:
        if code in _REGISTRY and _REGISTRY[code] is not function:
            raise ValueError(f"A quality check with code {code!r} is already registered.")
        _REGISTRY[code] = function
        return function

    return decorator


def get_check(code: str) -> CheckFunction | None:
    """The check registered for `code`, or None."""
    return _REGISTRY.get(code)


def registered_codes() -> list[str]:
    """The codes of every registered check, sorted."""
    return sorted(_REGISTRY)
