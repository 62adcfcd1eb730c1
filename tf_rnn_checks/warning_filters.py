"""TF's known warnings, ignored by message and category: the suite's ``filterwarnings``, kept in one place.

The list lives in the packaged suite's configuration, ``tf_rnn_checks/suite/pytest.ini`` (it ships in the
wheel); ``pyproject.toml`` holds the same list for the checkout's pytest, and
``tests/meta/test_suite_entry.py`` keeps the two equal. :func:`ignoring_known_tf_warnings` applies it the
way pytest applies ini filters, so the generic checks on a user's cell (``check_cell`` in a script or a
notebook) stay quiet about what the suite already documents, while any other warning still shows.
"""

from __future__ import annotations

import builtins
import configparser
import contextlib
import functools
import warnings
from collections.abc import Iterator

from tf_rnn_checks.suite import SUITE_INI


@functools.cache
def known_tf_warning_filters() -> tuple[str, ...]:
    """The ``action:message:category`` filter lines of the packaged suite's ``pytest.ini``, in order."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(SUITE_INI)
    return tuple(line.strip() for line in ini["pytest"]["filterwarnings"].splitlines() if line.strip())


def _filter_arguments(text: str) -> tuple[str, str, type[Warning], str, int]:
    """``warnings.filterwarnings`` arguments from one ini line ``action:message:category[:module[:lineno]]`` (regexes kept)."""
    action, message, category, module, lineno = [*text.split(":", 4), "", "", "", ""][:5]
    warning = getattr(builtins, category or "Warning", None)
    if not (isinstance(warning, type) and issubclass(warning, Warning)):
        raise ValueError(f"text: expected a built-in warning category in {text!r}, got {category!r}")
    return action, message, warning, module, int(lineno or 0)


@contextlib.contextmanager
def ignoring_known_tf_warnings() -> Iterator[None]:
    """Inside, the warnings the suite's ``filterwarnings`` ignore are ignored; the previous filters come back on exit."""
    with warnings.catch_warnings():
        for text in known_tf_warning_filters():
            warnings.filterwarnings(*_filter_arguments(text))
        yield
