"""The project's own TOML tables (rule table, code lists, gemeentelijsten), read fast.

``tomllib`` is pure Python: parsing the rule table, the code lists and a gemeentelijst takes
about as long as everything else a one-file ``ijwcli validate`` does after Python and its
libraries have started, and shell scripts call the tool once per file. :func:`laad_toml`
parses a table beside a module once and keeps the result in that package's ``__pycache__``
in marshal form (the format of ``.pyc`` files). Like a ``.pyc`` it is keyed by the source
file's size and modification time, so an edited table is parsed again. A cache that cannot
be written (read-only install, ``PYTHONDONTWRITEBYTECODE``) or read is skipped: the table is
then parsed every time, with the same result.

>>> import ijwcli.validatie.regels
>>> tabel = laad_toml("ijwcli.validatie.regels", "tabel.toml")
>>> tabel["OP192"]["retourcode"]
'0001'
>>> laad_toml("ijwcli.validatie.regels", "tabel.toml") == tabel
True
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any

# Part of the cache key: a new Python (marshal format) or a new layout here starts afresh.
_VERSIE = (1, sys.implementation.cache_tag)


def pakketmap(package: str) -> str:
    """The folder of ``package``, where its data files live (its parent must be imported)."""
    module = sys.modules.get(package)
    if module is not None:
        return os.path.dirname(module.__file__ or "")
    # Not imported, and not imported for its data: a package's own import (the rule checks
    # that register themselves) can cost more than the one-file call that reads its table.
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"geen pakket {package}")
    return spec.submodule_search_locations[0]


def pakketbestand(package: str, name: str) -> str:
    """The path of data file ``name`` beside the modules of ``package``."""
    return os.path.join(pakketmap(package), name)


def laad_toml(package: str, name: str) -> dict[str, Any]:
    """The parsed TOML file ``name`` of ``package``, from the marshal cache when it is fresh."""
    path = pakketbestand(package, name)
    st = os.stat(path)
    sleutel = (_VERSIE, st.st_size, st.st_mtime_ns)
    cache = os.path.join(os.path.dirname(path), "__pycache__", f"{name}.marshal")
    try:
        with open(cache, "rb") as fh:
            opgeslagen, data = marshal.load(fh)
        if opgeslagen == sleutel:
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass  # no cache yet, or an unreadable one: parse
    import tomllib

    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    if not sys.dont_write_bytecode:
        _bewaar(cache, (sleutel, data))
    return data


def _bewaar(cache: str, inhoud: object) -> None:
    tmp = f"{cache}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(tmp, "wb") as fh:
            marshal.dump(inhoud, fh)
        # Atomic: a process reading at the same time sees the old cache or the new one.
        os.replace(tmp, cache)
    except (OSError, ValueError):
        # Read-only package, or values marshal cannot hold (TOML dates): no cache then.
        try:
            os.unlink(tmp)
        except OSError:
            pass
