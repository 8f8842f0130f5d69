"""A very large message walks the tree in two passes (``Context.groot``, issue 11 item 13:
bounded memory): the index, the parents' children, the empty leaves and the findings must be
exactly those of the ordinary walk, on every sample and on broken variants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ijwcli import validatie
from ijwcli.bericht import definitie_van, read_tree
from ijwcli.validatie import regels
from ijwcli.validatie.regels import Context

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TODAY = dt.date(2026, 4, 2)


def _varianten(data: bytes) -> list[bytes]:
    # A blank value, a comment inside a value, an unknown element: what the walk notes apart.
    return [data, data.replace(b"<ijw:Identificatie>", b"<ijw:Identificatie> <!-- x -->", 1),
            data.replace(b"</jw", b"<Vreemd/></jw", 1),
            data.replace(b">999900018<", b"><", 1)]


def _lees(data: bytes, groot: bool) -> tuple[object, list[tuple[str, str | None]]]:
    tree = read_tree(data)
    ctx = Context(tree, definitie_van(tree), TODAY)
    ctx.groot = groot
    gevonden = regels.run(ctx)
    index = {n: [e.sourceline for e in els] for n, els in (ctx._index or {}).items()}
    kinderen = sorted((o.sourceline, sorted((n, e.sourceline) for n, e in k.items()))
                      for o, k in (ctx._kinderen or {}).items())
    leeg = [e.sourceline for e in ctx.leeg()]
    return (index, kinderen, leeg), [(b.rule, b.path) for b in gevonden]


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("jw3*.xml")), ids=lambda p: p.name)
def test_twee_passen_lezen_hetzelfde(sample: Path) -> None:
    for data in _varianten(sample.read_bytes()):
        assert _lees(data, True) == _lees(data, False)


def test_groot_bestand_zelfde_uitkomst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Through validate_file (which lets the bytes go after the screen): with the threshold at
    # zero every file takes the large-message path, and the results stay the same.
    files = sorted(SAMPLES.glob("jw3*.xml"))
    voor = [validatie.validate_file(f, TODAY).to_dict() for f in files]
    monkeypatch.setattr(validatie, "_GROOT", 0)
    assert [validatie.validate_file(f, TODAY).to_dict() for f in files] == voor
