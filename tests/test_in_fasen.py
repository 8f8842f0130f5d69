"""``validate_files`` (issue 17 §1): a batch read a burst at a time, and a burst of small
messages taken through parse, schema, screen and rules one step for all at a time. Every
file gets exactly what ``validate_file`` gives it alone, in the order given, whatever the
mix: valid and invalid messages of every type, schema errors side by side (the schema's
error log is that of its last validation), unreadable files, large files that go alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ijwcli import validatie

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TODAY = dt.date(2026, 12, 31)


def _mengsel(tmp_path: Path) -> list[str]:
    files: list[Path] = []
    for i, bron in enumerate(sorted(SAMPLES.glob("jw3*.xml"))):
        data = bron.read_bytes()
        varianten = [
            data,
            data.replace(b">999900018<", b">123456789<"),  # CS002: the rules find it
            data.replace(b"<", b" <", 1),  # a space before the declaration
            # A different schema error in each: the findings must not be another's.
            data.replace(b"2026-", f"20{i:02}-13-".encode(), 1),
            data[: len(data) // 2],  # cut off: not well-formed
        ]
        for j, v in enumerate(varianten):
            f = tmp_path / f"{bron.stem}_{j}.xml"
            f.write_bytes(v)
            files.append(f)
    (tmp_path / "map.xml").mkdir()  # a folder by the name of a message: cannot be read
    (tmp_path / "bom.xml").write_bytes(b"\xef\xbb\xbf" + (SAMPLES / "jw301_toewijzing.xml")
                                       .read_bytes())
    alle = [str(f) for f in files]
    # Unreadable files among the others, and one that does not exist.
    return [*alle[:7], str(tmp_path / "map.xml"), *alle[7:30], str(tmp_path / "weg.xml"),
            str(tmp_path / "bom.xml"), *alle[30:]]


def _alleen(files: list[str], regio: str | None = None) -> list[dict[str, object]]:
    return [validatie.validate_file(f, TODAY, regio).to_dict() for f in files]


@pytest.mark.parametrize("regio", [None, "hart-van-brabant"])
def test_zelfde_als_elk_bestand_alleen(tmp_path: Path, regio: str | None) -> None:
    files = _mengsel(tmp_path)
    verwacht = _alleen(files, regio)
    assert [r.to_dict() for r in validatie.validate_files(files, TODAY, regio)] == verwacht
    # The mix is what it says: valid, rule errors, schema errors, unreadable files.
    regels = {e["rule"] for r in verwacht for e in r["errors"]}  # type: ignore[attr-defined]
    assert {"CS002", "XSD", "OP192"} <= regels
    assert any(r["valid"] for r in verwacht)
    assert sum(r["bericht"] is None for r in verwacht) >= 3 + len(files) // 5


def test_kleine_schoten_en_grote_bestanden(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Bursts of three files or 5,000 bytes, and every file over 3,000 bytes taken alone:
    # the burst and step boundaries fall everywhere in the mix.
    files = _mengsel(tmp_path)
    verwacht = _alleen(files)
    monkeypatch.setattr(validatie, "_VOORUIT_AANTAL", 3)
    monkeypatch.setattr(validatie, "_VOORUIT_BYTES", 5000)
    monkeypatch.setattr(validatie, "_IN_FASEN_TOT", 3000)
    groot = sum(Path(f).is_file() and Path(f).stat().st_size > 3000 for f in files)
    assert 0 < groot < len(files)
    assert [r.to_dict() for r in validatie.validate_files(files, TODAY)] == verwacht


def test_validate_many_gebruikt_het(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _mengsel(tmp_path)
    gezien: list[list[str]] = []
    echt = validatie._in_fasen

    def in_fasen(reeks, today, regio):  # type: ignore[no-untyped-def]
        gezien.append([n for n, _ in reeks])
        return echt(reeks, today, regio)

    monkeypatch.setattr(validatie, "_in_fasen", in_fasen)
    uit = [r.to_dict() for r in validatie.validate_many(files, TODAY, jobs=1)]
    assert uit == _alleen(files)
    assert max(len(g) for g in gezien) > 1  # small messages went through together


def test_een_productcodelijst_zet_de_zeef_uit_voor_het_hele_schot(tmp_path: Path) -> None:
    # TR381 needs the configured list (the screen has no condition for it): a burst asks
    # once per type whether the screen is on, and with a list every message is walked.
    from ijwcli.validatie.regels import productcodes

    data = (SAMPLES / "jw301_toewijzing.xml").read_bytes()
    files = []
    for i in range(5):
        f = tmp_path / f"m{i}.xml"
        f.write_bytes(data)
        files.append(str(f))
    lijst = tmp_path / "codes.csv"
    lijst.write_text("productcategorie;productcode\n99;99X99\n", "utf-8")
    assert all(r.valid for r in validatie.validate_files(files, TODAY))
    productcodes.configureer(lijst)
    try:
        uit = list(validatie.validate_files(files, TODAY))
    finally:
        productcodes.configureer(None)
    assert all("TR381" in {e.rule for e in r.errors} for r in uit)
