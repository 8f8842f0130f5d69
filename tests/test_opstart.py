"""Start-up of every command: what a one-file call imports and does beyond the floor.

Shell scripts call ijwcli once per file, so each command's one-file run must stay close to
``python -c "import typer, rich.console, lxml.etree"`` (issue 17: at most 1.5× that; the
benchmark ``benchmarks/validate_speed.py`` measures it in wall time). A timed test would be
flaky on a shared machine, so this holds the causes instead, for every command the app has
(a command without a one-file case in :data:`COMMANDOS` fails
:func:`test_elk_commando_heeft_een_opstartgeval`, so a new command is guarded too):

- the modules it imports (``sys.modules`` at exit, in a fresh interpreter) beyond the floor
  are ijwcli's own and a short list of light ones; the Excel commands may add openpyxl with
  what it imports, the register commands SQLAlchemy (their work needs them). Pydantic (that
  Typer pulls in for Path parameters), markdown-it and Pygments (Typer's help), the other
  heavy libraries and, say, ``importlib.resources``, ``secrets`` or ``_strptime`` must not
  appear;
- the Python work it does, counted as profile events (every call and return of a Python or
  C function, ``sys.setprofile``): deterministic, and it counts what time measurements
  cannot separate from a busy machine: regular expressions compiled at import, TOML parsed
  on every run, a Rich table measured cell by cell. The budget is :data:`BUDGET` times the
  floor's own events (the floor with openpyxl or SQLAlchemy for those commands). Events are
  not time: a C library's work (parsing, the XSD) counts once per call, Rich's rendering
  many times. Calibrated against instruction counts (valgrind) and the benchmark: at 1.5×
  the floor's events a one-file run stayed within 1.5× the floor's wall time; the old
  ``regels`` table (4.3×) did not;
- the full collections of the cyclic collector: no more than the floor's. One such round
  walks every object loaded; the register commands' own imports set one off (50-80 ms of a
  verwerk run) until :class:`ijwcli.cli.snelstart.App` froze what was loaded before the
  command runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BUDGET = 1.8
# Where the events say more than the time: validate's help renders a panel of every option in
# Rich (many small calls, little time): 1.96× the floor's events at 1.38× its instructions.
# The overview help (sketches of the commands, see ijwcli.cli.snelstart) and generate jw301
# (the screen is no longer set up for one message) now keep to BUDGET.
RUIMER = {"validate --help": 2.1}

# Counts profile events from the first line on and writes them, with sys.modules, at exit.
_TEL = """
import sys
_n = [0]
def _tel(frame, event, arg):
    _n[0] += 1
sys.setprofile(_tel)
def _klaar(uit, code=None):
    sys.setprofile(None)
    import json
    import gc
    open(uit, "w").write(json.dumps({"events": _n[0], "modules": sorted(sys.modules),
                                     "exit": code,
                                     "volledig": gc.get_stats()[2]["collections"]}))
"""
_RUN = _TEL + """
uit = sys.argv[1]
sys.argv = ["ijwcli", *sys.argv[2:]]
code = None
try:
    from ijwcli.cli import app
    app(prog_name="ijwcli")
except SystemExit as exc:
    code = exc.code
finally:
    _klaar(uit, code)
"""
_VLOER = _TEL + "import typer, rich.console, lxml.etree@EXTRA@\n_klaar(sys.argv[1])\n"

# Light modules a command may add (each ~1 ms or less): the stdlib pieces a command really
# uses, Rich's table and panel, Typer's help renderer (for --help only; a placeholder keeps
# its Markdown and traceback support out), dateutil (verlenging's month arithmetic).
_LICHT = ("_csv", "csv", "calendar", "base64", "binascii", "fractions", "string", "_string",
          "tempfile", "decimal", "_decimal", "gc", "runpy", "json", "_json", "encodings",
          "dateutil", "typer._click", "typer.rich_utils", "rich._ratio", "rich.box",
          "rich.padding", "rich.panel", "rich.table", "rich.columns", "rich._unicode_data",
          "rich.rule", "rich._loop", "rich._pick", "rich.cells", "rich._wrap",
          "rich._emoji_codes", "glob")
_ZWAAR = ("pydantic", "pydantic_core", "markdown_it", "pygments", "sqlalchemy", "jinja2",
          "psycopg", "multiprocessing", "concurrent", "asyncio", "email", "http", "urllib",
          "stdnum", "holidays", "platformdirs", "openpyxl", "xlsxwriter", "python_calamine",
          "importlib.resources", "importlib.metadata", "secrets", "_strptime", "tomllib",
          "rich.markdown", "rich.traceback", "rich.syntax")
# A command's own heavy library: the floor it is held against includes it, and so may its run.
_BIBLIOTHEEK = {"openpyxl": ("openpyxl", "xlsxwriter", "python_calamine", "zipfile", "et_xmlfile",
                             "_strptime", "tomllib", "importlib.resources",
                             "importlib.readers", "importlib.metadata", "hashlib", "_hashlib",
                             "_blake2", "hmac", "secrets"),
                "sqlalchemy": ("sqlalchemy", "greenlet", "sqlite3", "_sqlite3", "uuid",
                               "_uuid", "decimal", "_decimal", "_strptime", "psycopg",
                               "importlib.metadata", "importlib.resources", "zipfile",
                               "secrets", "hmac", "hashlib", "_hashlib", "_blake2", "tomllib",
                               "platformdirs"),
                # config show looks up the user's configuration folder.
                "platformdirs": ("platformdirs", "tomllib")}


# As installed: Python writes and reads bytecode and ijwcli its data caches (the first run of
# each case writes them), whatever the shell running the tests says.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _binnen(naam: str, pakketten: tuple[str, ...]) -> bool:
    return any(naam == p or naam.startswith(p + ".") for p in pakketten)


def _draai(tmp: Path, code: str, *args: str, cwd: Path | None = None) -> dict:
    uit = tmp / "opstart.json"
    uit.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-c", code, str(uit), *args], cwd=cwd or tmp,
                   capture_output=True, timeout=60, env=_ENV)
    return json.loads(uit.read_text())


@pytest.fixture(scope="module")
def vloeren(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, dict]:
    tmp = tmp_path_factory.mktemp("vloer")
    return {lib: _draai(tmp, _VLOER.replace("@EXTRA@", f", {lib}" if lib else ""))
            for lib in (None, "openpyxl", "sqlalchemy", "platformdirs")}


@pytest.fixture(scope="module")
def invoer(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A JW301 workbook ({wb}), a register holding the JW301 sample ({db}), an inbox with
    the JW315 sample ({inbox}) and a gemeente's ijwcli.toml ({cfg})."""
    tmp = tmp_path_factory.mktemp("invoer")
    wb, db = tmp / "in.xlsx", tmp / "register.db"
    inbox, cfg = tmp / "inbox", tmp / "ijwcli.toml"
    inbox.mkdir()
    (inbox / "jw315.xml").write_bytes((SAMPLES / "jw315_verzoek_om_toewijzing.xml").read_bytes())
    cfg.write_text('rol = "gemeente"\ncode = "0855"\n')
    jw301 = str(SAMPLES / "jw301_toewijzing.xml")
    for args in (["convert", jw301, "-o", str(wb)],
                 ["register", "add", jw301, "--db", str(db), "--today", "2026-03-03"]):
        subprocess.run([sys.executable, "-m", "ijwcli", *args], capture_output=True,
                       timeout=60, check=True, env=_ENV)
    return {"wb": str(wb), "db": str(db), "inbox": str(inbox), "cfg": str(cfg)}


# (label, command, arguments, own library); {s} the samples, {tmp} a fresh folder, {wb} a JW301
# workbook, {db} a register with the JW301 sample. The command is as the app names it.
COMMANDOS = [
    ("validate FILE", "validate", ["validate", "{s}/jw301_toewijzing.xml"], None),
    ("ijwcli --help", "", ["--help"], None),
    ("validate --help", "validate", ["validate", "--help"], None),
    ("regels", "regels", ["regels", "--bericht", "JW315"], None),
    ("retour FILE", "retour", ["retour", "{s}/jw301_toewijzing.xml", "-o", "{tmp}/uit",
                               "--today", "2026-03-03"], None),
    ("generate jw307", "generate jw307",
     ["generate", "jw307", "--from", "{s}/jw305_start.xml", "--einddatum", "2026-03-10",
      "--reden", "31", "-o", "{tmp}/jw307.xml", "--today", "2026-03-20"], None),
    ("generate jw301", "generate jw301",
     ["generate", "jw301", "--from", "{s}/jw315_verzoek_om_toewijzing.xml",
      "--toewijzingnummer-start", "700100", "-w", "postcode=5038EA", "-w", "huisnummer=12",
      "-w", "straatnaam=Stationsstraat", "-w", "plaatsnaam=Tilburg", "-o", "{tmp}/jw301.xml"],
     None),
    ("verlenging", "verlenging",
     ["verlenging", "--regio", "hart-van-brabant", "--verwijzer", "toegang", "--ingangsdatum",
      "2026-01-01", "--einddatum", "2026-12-31", "--volume", "100", "--eenheid", "04",
      "--frequentie", "6", "--nieuwe-einddatum", "2027-05-31", "--extra-volume", "30",
      "--today", "2026-10-01"], None),
    ("convert xml→xlsx", "convert", ["convert", "{s}/jw301_toewijzing.xml", "-o",
                                     "{tmp}/uit.xlsx"], "openpyxl"),
    ("convert xlsx→xml", "convert", ["convert", "{wb}", "-o", "{tmp}/xml"], "openpyxl"),
    ("template", "template", ["template", "JW315", "-o", "{tmp}/leeg.xlsx"], "openpyxl"),
    ("toon FILE", "toon", ["toon", "{s}/jw301_toewijzing.xml"], None),
    ("config show", "config show", ["config", "show"], "platformdirs"),
    # These write to the register: a fresh one in {tmp} for each run.
    ("register add", "register add", ["register", "add", "{s}/jw305_start.xml", "--db",
                                      "{tmp}/register.db", "--today", "2026-03-20"],
     "sqlalchemy"),
    ("generate jw319", "generate jw319",
     ["generate", "jw319", "--from", "{s}/jw315_verzoek_om_toewijzing.xml", "--antwoord",
      "afgewezen", "--reden", "4", "--db", "{tmp}/register.db", "-o", "{tmp}/uit",
      "--today", "2026-03-03"], "sqlalchemy"),
    ("generate jw325", "generate jw325",
     ["generate", "jw325", "--from", "{s}/jw323_declaratie.xml", "--db", "{tmp}/register.db",
      "-o", "{tmp}/uit", "--today", "2026-04-02"], "sqlalchemy"),
    ("verwerk", "verwerk", ["verwerk", "{inbox}", "-o", "{tmp}/uit", "--config", "{cfg}",
                            "--db", "{tmp}/register.db", "--laat-staan", "--today",
                            "2026-03-03"], "sqlalchemy"),
    ("register list", "register list", ["register", "list", "--db", "{db}"], "sqlalchemy"),
    ("register client", "register client", ["register", "client", "999900018", "--db",
                                             "{db}"], "sqlalchemy"),
    ("register toon", "register toon", ["register", "toon", "T2026030201", "--db", "{db}"],
     "sqlalchemy"),
    ("register export", "register export", ["register", "export", "-o", "{tmp}/export",
                                            "--db", "{db}"], "sqlalchemy"),
    ("register info", "register info", ["register", "info", "--db", "{db}"], "sqlalchemy"),
]


def alle_commandos() -> list[str]:
    """Every command of the app, as typed: ``validate``, ``generate jw301`` …"""
    from ijwcli.cli import app
    from ijwcli.cli.snelstart import commandonaam

    namen = [commandonaam(c) for c in app.registered_commands]
    for g in app.registered_groups:
        namen += [f"{g.name} {commandonaam(c)}" for c in g.typer_instance.registered_commands]
    return sorted(n for n in namen if n)


def test_elk_commando_heeft_een_opstartgeval() -> None:
    gedekt = {c for _, c, _, _ in COMMANDOS}
    zonder = [c for c in alle_commandos() if c not in gedekt]
    assert not zonder, (f"geen opstartgeval voor {zonder}: zet een aanroep op één bestand in "
                        "tests/test_opstart.py COMMANDOS")


@pytest.mark.parametrize(("naam", "commando", "args", "lib"), COMMANDOS,
                         ids=[c[0] for c in COMMANDOS])
def test_een_aanroep_doet_weinig_meer_dan_de_vloer(
        naam: str, commando: str, args: list[str], lib: str | None, tmp_path: Path,
        vloeren: dict[str | None, dict], invoer: dict[str, str]) -> None:
    vloer = vloeren[lib]
    map_ = tmp_path / "werk"
    map_.mkdir()
    argv = [a.format(s=SAMPLES, tmp=map_, **invoer) for a in args]
    _draai(tmp_path, _RUN, *argv, cwd=map_)  # first run: bytecode and data caches written
    for f in map_.rglob("*"):
        if f.is_file():
            f.unlink()
    run = _draai(tmp_path, _RUN, *argv, cwd=map_)
    extra = set(run["modules"]) - set(vloer["modules"])
    eigen = {m for m in extra if m == "ijwcli" or m.startswith("ijwcli.")}
    assert "ijwcli.cli" in eigen, f"{naam}: de opdracht liep niet ({sorted(extra)[:5]})"
    assert run["exit"] in (0, None), f"{naam}: exit {run['exit']} (het geval moet slagen)"
    toegestaan = _BIBLIOTHEEK.get(lib or "", ())
    zwaar = sorted(m for m in extra if _binnen(m, _ZWAAR) and not _binnen(m, toegestaan))
    assert not zwaar, f"{naam} importeert {zwaar}"
    onbekend = sorted(m for m in extra - eigen if not _binnen(m, (*_LICHT, *toegestaan)))
    assert not onbekend, (f"{naam} importeert meer dan de vloer: {onbekend} (licht genoeg? "
                          "zet het dan in _LICHT; anders lui importeren)")
    # A full collection walks every object loaded (50-80 ms for verwerk): the command's own
    # imports may not set one off where the floor's did not (App freezes what is loaded).
    assert run["volledig"] <= vloer["volledig"], (
        f"{naam}: {run['volledig']} volledige gc-rondes, de vloer {vloer['volledig']}")
    verhouding = run["events"] / vloer["events"]
    budget = RUIMER.get(naam, BUDGET)
    assert verhouding <= budget, (
        f"{naam}: {run['events']} profielgebeurtenissen, {verhouding:.2f}× de vloer (budget "
        f"{budget}×): werk bij het importeren (regex, tabellen) of bij het tonen uitstellen")


def test_vloer_zelf_zonder_pydantic(vloeren: dict[str | None, dict]) -> None:
    # The comparison means something only while the floor itself is the lean one.
    assert not any(_binnen(m, ("pydantic", "markdown_it")) for m in vloeren[None]["modules"])
