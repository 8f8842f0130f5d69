"""The iJw 3.2 message model: datatypes (:mod:`.datatypes`), message classes
(:mod:`.berichten`), the schemas and the code lists.

:func:`codelijsten` lives here rather than beside the datatypes: a command that only names
codes (verlenging's eenheid, the register's tables) need not build the model for it.
"""

from __future__ import annotations

from functools import cache

from ijwcli.pakketdata import laad_toml


@cache
def codelijsten() -> dict[str, dict[str, str]]:
    """All code lists, keyed by datatype name (``LDT_Eenheid`` …).

    >>> codelijsten()["LDT_Eenheid"]["04"]
    'Uur'
    """
    return laad_toml("ijwcli.model", "codelijsten.toml")
