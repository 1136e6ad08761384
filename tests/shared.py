"""Fixtures built once and read by many tests, counted for every reader under mutmut.

mutmut's first pass ("stats") records, per test, the core functions called while that test
ran, and later runs a mutant only against the tests that reached its function. A fixture
built once (a site, a catalog, a router) is built inside the first test that asks for it, so
every later reader of it would look as if it reached no core function, and mutmut would never
run it against a mutant it kills. A fixture marked :func:`shared` records the functions its
build called; ``conftest._shared_builds_count_for_their_readers`` counts them again for each
test that uses it. Outside mutmut's stats pass both do nothing.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# (module, fixture name) of every shared fixture -> the functions its build called.
CALLS: dict[tuple[str, str], set[str]] = {}
KEYS: set[tuple[str, str]] = set()


def mutmut_calls() -> set[str] | None:
    """The functions mutmut has seen called in this test so far (only in its stats pass)."""
    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return None
    try:
        from mutmut.state import state  # pinned in requirements-dev.txt (3.8.1)
    except ImportError:
        return None
    calls: set[str] = state()._stats
    return calls


def shared(fn: F) -> F:
    """Mark a (module or session scoped, returning) fixture function as built once for many
    readers; put it under ``@pytest.fixture``."""
    key = (fn.__module__, fn.__name__)
    KEYS.add(key)

    @functools.wraps(fn)
    def build(*args: Any, **kwargs: Any) -> Any:
        before = set(mutmut_calls() or ())
        value = fn(*args, **kwargs)
        CALLS.setdefault(key, set()).update((mutmut_calls() or set()) - before)
        return value

    return build  # type: ignore[return-value]


def credit(request: Any) -> None:
    """Count the builds of the shared fixtures ``request``'s test uses for that test."""
    calls = mutmut_calls()
    if calls is None:
        return
    module = request.module.__name__ if request.module is not None else ""
    for name in request.fixturenames:
        # A test module's own fixture shadows conftest's of the same name.
        key = next((k for k in ((module, name), ("conftest", name)) if k in KEYS), None)
        if key is not None:
            request.getfixturevalue(name)
            calls.update(CALLS.get(key, ()))
