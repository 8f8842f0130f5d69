"""Start-up of every command: what a one-file call imports beyond the floor.

Shell scripts call ijwcli once per file, so each command's one-file run must stay close to
``python -c "import typer, rich.console, lxml.etree"`` (issue 17: at most 1.5× that; the
benchmark ``benchmarks/validate_speed.py`` measures it). A timed test would be flaky on a
shared machine, so this holds the cause instead: the modules each call imports (sys.modules
at exit, in a fresh interpreter) beyond that floor must be ijwcli's own, a short list of
light modules, and for convert/template openpyxl or XlsxWriter with what they import. Pydantic (that
Typer pulls in for Path parameters), markdown-it and Pygments (that Typer's help pulls in)
and the heavy optional libraries must not appear.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

_RUN = """
import json, sys
uit = sys.argv[1]
sys.argv = ["ijwcli", *sys.argv[2:]]
try:
    from ijwcli.cli import app
    app(prog_name="ijwcli")
except SystemExit:
    pass
finally:
    open(uit, "w").write(json.dumps(sorted(sys.modules)))
"""

# Light modules a command may add (each ~1 ms or less): the stdlib pieces a command really
# uses, Rich's table and panel, Typer's help renderer (for --help only; a placeholder keeps
# its Markdown and traceback support out), dateutil (verlenging's month arithmetic), and for
# the Excel commands any part of openpyxl or XlsxWriter (the workbook writer, ~35 ms).
_LICHT = ("_csv", "csv", "calendar", "_strptime", "base64", "hmac", "secrets", "fractions",
          "string", "_string", "tempfile", "zipfile", "binascii", "hashlib", "_hashlib",
          "_blake2", "openpyxl", "xlsxwriter",
          "decimal", "_decimal", "gc", "runpy", "tomllib", "importlib.resources",
          "importlib.readers", "dateutil", "json", "_json", "encodings", "typer._click",
          "typer.rich_utils", "rich._emoji_codes", "rich._ratio", "rich.box", "rich.padding",
          "rich.panel", "rich.table", "rich.columns", "rich._unicode_data", "rich.rule")
_ZWAAR = ("pydantic", "pydantic_core", "markdown_it", "pygments", "sqlalchemy", "jinja2",
          "psycopg", "multiprocessing", "concurrent", "asyncio", "email", "http", "urllib",
          "stdnum", "holidays", "platformdirs")


def _binnen(naam: str, pakketten: tuple[str, ...]) -> bool:
    return any(naam == p or naam.startswith(p + ".") for p in pakketten)


def _modules(tmp: Path, *args: str, code: str = _RUN) -> set[str]:
    uit = tmp / "modules.json"
    cmd = [sys.executable, "-c", code, str(uit), *args]
    subprocess.run(cmd, cwd=tmp, capture_output=True, timeout=60)
    return set(json.loads(uit.read_text()))


def _vloer(tmp: Path, extra: str = "") -> set[str]:
    code = ("import json, sys; import typer, rich.console, lxml.etree" + extra +
            "; open(sys.argv[1], 'w').write(json.dumps(sorted(sys.modules)))")
    return _modules(tmp, code=code)


@pytest.fixture(scope="module")
def vloeren(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], set[str]]:
    tmp = tmp_path_factory.mktemp("vloer")
    return _vloer(tmp), _vloer(tmp, ", openpyxl")


def _jw301_werkboek(tmp: Path) -> Path:
    wb = tmp / "in.xlsx"
    subprocess.run([sys.executable, "-m", "ijwcli", "convert", str(SAMPLES /
                    "jw301_toewijzing.xml"), "-o", str(wb)], capture_output=True, timeout=60)
    return wb


# (name, arguments, may add openpyxl); {tmp} is a fresh folder, {wb} a JW301 workbook.
COMMANDOS = [
    ("validate FILE", ["validate", "{s}/jw301_toewijzing.xml"], False),
    ("ijwcli --help", ["--help"], False),
    ("validate --help", ["validate", "--help"], False),
    ("regels", ["regels", "--bericht", "JW315"], False),
    ("retour FILE", ["retour", "{s}/jw301_toewijzing.xml", "-o", "{tmp}/uit", "--today",
                     "2026-03-03"], False),
    ("generate jw307", ["generate", "jw307", "--from", "{s}/jw305_start.xml", "--einddatum",
                        "2026-03-10", "--reden", "31", "-o", "{tmp}/jw307.xml", "--today",
                        "2026-03-20"], False),
    ("generate jw301", ["generate", "jw301", "--from", "{s}/jw315_verzoek_om_toewijzing.xml",
                        "--toewijzingnummer-start", "700100", "-w", "postcode=5038EA", "-w",
                        "huisnummer=12", "-w", "straatnaam=Stationsstraat", "-w",
                        "plaatsnaam=Tilburg", "-o", "{tmp}/jw301.xml"], False),
    ("verlenging", ["verlenging", "--regio", "hart-van-brabant", "--verwijzer", "toegang",
                    "--ingangsdatum", "2026-01-01", "--einddatum", "2026-12-31", "--volume",
                    "100", "--eenheid", "04", "--frequentie", "6", "--nieuwe-einddatum",
                    "2027-05-31", "--extra-volume", "30", "--today", "2026-10-01"], False),
    ("convert xml→xlsx", ["convert", "{s}/jw301_toewijzing.xml", "-o", "{tmp}/uit.xlsx"],
     True),
    ("convert xlsx→xml", ["convert", "{wb}", "-o", "{tmp}/xml"], True),
    ("template", ["template", "JW315", "-o", "{tmp}/leeg.xlsx"], True),
    ("toon FILE", ["toon", "{s}/jw301_toewijzing.xml"], False),
]


@pytest.mark.parametrize(("naam", "args", "excel"), COMMANDOS, ids=[c[0] for c in COMMANDOS])
def test_een_aanroep_importeert_weinig_meer_dan_de_vloer(
        naam: str, args: list[str], excel: bool, tmp_path: Path,
        vloeren: tuple[set[str], set[str]]) -> None:
    vloer, vloer_excel = vloeren
    wb = _jw301_werkboek(tmp_path) if "{wb}" in args else ""
    argv = [a.format(s=SAMPLES, tmp=tmp_path, wb=wb) for a in args]
    extra = _modules(tmp_path, *argv) - (vloer_excel if excel else vloer)
    eigen = {m for m in extra if m == "ijwcli" or m.startswith("ijwcli.")}
    assert "ijwcli.cli" in eigen, f"{naam}: de opdracht liep niet ({sorted(extra)[:5]})"
    verboden = _ZWAAR if excel else (*_ZWAAR, "openpyxl", "xlsxwriter")
    zwaar = sorted(m for m in extra if _binnen(m, verboden))
    assert not zwaar, f"{naam} importeert {zwaar}"
    onbekend = sorted(m for m in extra - eigen if not _binnen(m, _LICHT))
    assert not onbekend, (f"{naam} importeert meer dan de vloer: {onbekend} (licht genoeg? "
                          "zet het dan in _LICHT; anders lui importeren)")


def test_vloer_zelf_zonder_pydantic(vloeren: tuple[set[str], set[str]]) -> None:
    # The comparison means something only while the floor itself is the lean one.
    assert not any(_binnen(m, ("pydantic", "markdown_it")) for m in vloeren[0])
