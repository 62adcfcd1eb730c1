"""What each suite check was and what it observed, attached to its pytest reports for the report writer.

At collection every check of :mod:`tf_rnn_checks.checks` gets its metadata (id, family, check, params,
docstring); while it runs, :func:`tf_rnn_checks.observations.observe` records land in a
:class:`~tf_rnn_checks.observations.Recording`. Both travel in ``user_properties``, which xdist carries from
the workers back to the controller.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest

CHECK_PROPERTY = "tf_rnn_checks_check"
OBSERVATIONS_PROPERTY = "observations"
TOLERANCES_PROPERTY = "tolerances"
CHECKS_PACKAGE = "tf_rnn_checks.checks."


_SPHINX_ROLE = re.compile(r":(?:mod|func|class|meth|data|attr):`~?([^`]+)`")


def plain_text(docstring: str | None) -> str:
    """A docstring as one line of plain Markdown: whitespace collapsed, Sphinx roles (``:mod:`x```) as code (`` `x` ``)."""
    return _SPHINX_ROLE.sub(r"`\1`", " ".join((docstring or "").split()))


def check_metadata(item: pytest.Item) -> dict[str, Any] | None:
    """Family, check name, parameters and docstring of a suite check; None for other tests."""
    function = getattr(item, "function", None)
    module = getattr(function, "__module__", "") or ""
    if function is None or not module.startswith(CHECKS_PACKAGE):
        return None
    family = module[len(CHECKS_PACKAGE) :]
    callspec = getattr(item, "callspec", None)
    params = {name: str(value) for name, value in callspec.params.items()} if callspec else {}
    name = item.name
    return {
        "id": f"{family}::{name}",
        "family": family,
        "check": getattr(item, "originalname", name),
        "params": params,
        "docstring": plain_text(inspect.getdoc(function)),
        "family_doc": plain_text(inspect.getdoc(sys.modules.get(module))) if sys.modules.get(module) else "",
    }


def item_property(properties: list[tuple[str, Any]], name: str) -> Any:
    """The value of ``name`` in a report's or item's ``user_properties`` (the last one wins), else None."""
    found = None
    for entry in properties:
        if len(entry) == 2 and entry[0] == name:
            found = entry[1]
    return found


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        metadata = check_metadata(item)
        if metadata is not None:
            item.user_properties.append((CHECK_PROPERTY, metadata))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[Any]:
    from tf_rnn_checks.observations import Recording

    with Recording() as recording:
        try:
            return (yield)
        finally:
            item.user_properties.append((OBSERVATIONS_PROPERTY, recording.records))
            item.user_properties.append((TOLERANCES_PROPERTY, recording.tolerances))
