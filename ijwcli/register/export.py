"""Export: many messages at once, as the bytes they were received or sent with.

>>> naam({"id": 7, "bericht": "JW301", "identificatie": "T1/2"})
'JW301_T1_2.xml'
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine

from ijwcli.register.vragen import Filter, inhoud, lijst


def naam(rij: dict[str, Any]) -> str:
    """The file name of an exported message: type and Identificatie, safe for any folder."""
    ident = re.sub(r"[^A-Za-z0-9._-]", "_", rij["identificatie"] or f"id{rij['id']}")
    return f"{rij['bericht'] or 'onleesbaar'}_{ident}.xml"


def exporteer(engine: Engine, f: Filter) -> list[tuple[str, bytes, dict[str, Any]]]:
    """``(file name, bytes, overview row)`` for every message matching ``f``; names unique."""
    rijen = lijst(engine, f)
    data = inhoud(engine, [r["id"] for r in rijen])
    uit: list[tuple[str, bytes, dict[str, Any]]] = []
    gezien: set[str] = set()
    for r in rijen:
        n = naam(r)
        if n.lower() in gezien:
            # Two senders may use the same Identificatie: the id keeps both.
            n = n.removesuffix(".xml") + f"_{r['id']}.xml"
        gezien.add(n.lower())
        uit.append((n, data[r["id"]], r))
    return uit
