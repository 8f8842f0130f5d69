"""Schema validation against the compiled model, as findings with their rule and line.

The Dutch wording of libxml2's messages is :func:`ijwcli.model.xsdtaal.vertaal`.
"""

from __future__ import annotations

from lxml import etree

from ijwcli.model.xsdtaal import vertaal
from ijwcli.validatie.regels import TABEL, Bevinding

# Schema failures on these elements break a named constraint rather than only the schema.
_RULE_BY_ELEMENT = {"BerichtVersie": "CS025", "BerichtSubversie": "CS015"}


def _readable_path(xpath: str | None) -> str | None:
    if not xpath:
        return None
    parts = [p.split(":")[-1] for p in xpath.strip("/").split("/")]
    return "/".join(parts[1:]) or parts[0]


def bevindingen(schema: etree.XMLSchema) -> list[Bevinding]:
    out = []
    for err in schema.error_log:
        path = _readable_path(err.path)
        last = path.rsplit("/", 1)[-1].split("[")[0] if path else ""
        code = _RULE_BY_ELEMENT.get(last, "XSD")
        out.append(Bevinding(code, TABEL[code].retourcode, path, err.line, vertaal(err.message)))
    return out
