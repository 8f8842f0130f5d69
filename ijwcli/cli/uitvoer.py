"""One JSON shape for every command: what ``--format json`` prints on stdout.

Every command, when JSON is asked for (``--format json``, ``-f json``, or ``--json`` where a
command has it), writes exactly one JSON object with these six keys and no others::

    {
      "command":   "validate",          # as typed after ijwcli: "generate jw301", "convert" …
      "exit_code": 1,                   # the process exit code: 0 ok, 1 invalid, 2 usage/I/O
      "summary":   {"files": 3, ...},   # counts (numbers only), names per command
      "results":   [{...}, ...],        # one object per unit of work: file, message, row, rule
      "files":     [{"path", "bericht", "identificatie", "bron"}, ...],   # files written
      "findings":  [{"rule", "retourcode", "path", "line", "message",
                     "severity", "file", ...}, ...]                        # every finding
    }

- ``files`` lists what the run wrote, in one object shape for every command: ``path``,
  ``bericht`` (message type such as ``JW301``, or ``null`` for a workbook or sheet),
  ``identificatie`` (the BerichtIdentificatie, or ``null``) and ``bron`` (the input it was made
  from, or ``null``). Nothing written: ``[]``.
- ``findings`` holds every finding of the run with validate's keys ``rule``, ``retourcode``,
  ``path``, ``line``, ``message`` (a finding about an earlier message adds ``betreft``), plus
  ``severity`` (``error`` or ``warning``) and ``file`` (the input, or ``null``); a finding in a
  workbook adds ``sheet`` and ``cel``. ``rule`` is the iStandaarden code (CS002, TR301 …), ``XSD``
  for structure and datatypes, or one of ijwcli's own: ``EXCEL`` (a cell or a workbook),
  ``INVOER`` (a row or an input value), ``GEBRUIK`` (a usage error), ``BESTAND`` (I/O).
- Dates are ISO 8601 (``2026-03-01``) everywhere, also inside texts of the JSON.
- A usage or I/O error when JSON was asked for still prints the shape (on stdout), with the
  error as the only finding and exit code 2; the text on stderr stays as it was.

Each command's shape is published as a JSON Schema in ``ijwcli/cli/schemas/<command>.json``
(``generate jw301`` → ``generate-jw301.json``); :func:`schema` returns it with the shared
definitions of ``envelop.json`` filled in, so it stands alone.

Usage in a command module (the command's own objects go into ``results``)::

    from ijwcli.cli import uitvoer

    if format == "json":
        uitvoer.emit(uitvoer.document(
            "convert", exit_code,
            summary={"berichten": 3, "geschreven": 2},
            results=[...],
            files=[uitvoer.bestand("uit/446_A1.xml", "JW315", "A1", "in.xlsx")],
            findings=[uitvoer.bevinding(b, file="in.xml") for b in resultaat.errors]))

A new command adds ``schemas/<command>.json`` (copy a small one such as ``template.json``) and
is then held to it by ``tests/test_uitvoer.py``.

>>> d = document("template", 0, summary={"geschreven": 1},
...              files=[bestand("v.xlsx", "JW315")])
>>> sorted(d)
['command', 'exit_code', 'files', 'findings', 'results', 'summary']
>>> d["files"]
[{'path': 'v.xlsx', 'bericht': 'JW315', 'identificatie': None, 'bron': None}]
>>> bevinding({"rule": "CS002", "retourcode": "8001", "path": "Client/Bsn", "line": 7,
...            "message": "elfproef"}, file="a.xml")["severity"]
'error'
>>> json_gevraagd(["validate", "-f", "json", "x.xml"]), json_gevraagd(["validate", "x.xml"])
(True, False)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SLEUTELS = ("command", "exit_code", "summary", "results", "files", "findings")
BEVINDING_SLEUTELS = ("rule", "retourcode", "path", "line", "message")


def bestand(path: object, bericht: str | None = None, identificatie: str | None = None,
            bron: object | None = None) -> dict[str, str | None]:
    """One written file, in the shape every command uses."""
    return {"path": str(path), "bericht": bericht, "identificatie": identificatie,
            "bron": None if bron is None else str(bron)}


def bevinding(b: Any, *, file: object | None = None, severity: str = "error",
              **extra: object) -> dict[str, Any]:
    """A finding as JSON: a :class:`~ijwcli.validatie.regels.Bevinding` (or its dict) plus
    ``severity``, ``file`` and any extra keys (``sheet``, ``cel`` …)."""
    d = dict(b) if isinstance(b, Mapping) else b.to_dict()
    uit: dict[str, Any] = {k: d.get(k) for k in BEVINDING_SLEUTELS}
    if d.get("betreft") is not None:
        uit["betreft"] = d["betreft"]
    uit["severity"] = severity
    uit["file"] = None if file is None else str(file)
    uit.update(extra)
    return uit


def melding(rule: str, message: str, *, path: str | None = None, line: int | None = None,
            file: object | None = None, severity: str = "error",
            **extra: object) -> dict[str, Any]:
    """A finding of ijwcli's own (no retourcode): EXCEL, INVOER, GEBRUIK or BESTAND."""
    return bevinding({"rule": rule, "retourcode": None, "path": path, "line": line,
                      "message": message}, file=file, severity=severity, **extra)


def document(command: str, exit_code: int, *, summary: Mapping[str, int | float] | None = None,
             results: Iterable[Any] = (), files: Iterable[Mapping[str, Any]] = (),
             findings: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The one JSON object of a command's run."""
    return {"command": command, "exit_code": exit_code, "summary": dict(summary or {}),
            "results": list(results), "files": list(files), "findings": list(findings)}


def _iso(value: object) -> str:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def dumps(data: object) -> str:
    """Stable JSON text: UTF-8 as is, two-space indent, dates ISO 8601."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_iso)


def emit(data: object) -> None:
    """Write ``data`` as JSON on stdout."""
    sys.stdout.write(dumps(data) + "\n")
    sys.stdout.flush()


def json_gevraagd(argv: Sequence[str] | None = None) -> bool:
    """Whether a command line asks for JSON output (before Click has parsed it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--json" or a in ("--format=json", "-fjson"):
            return True
        if a in ("--format", "-f") and i + 1 < len(args) and args[i + 1] == "json":
            return True
    return False


def commando(argv: Sequence[str] | None = None) -> str:
    """The command named on a command line: ``validate``, or ``generate jw301`` for a group."""
    args = [a for a in (sys.argv[1:] if argv is None else argv)]
    woorden: list[str] = []
    i = 0
    while i < len(args) and len(woorden) < 2:
        a = args[i]
        if a == "--":
            break
        if a.startswith("-"):
            i += 1
            continue
        woorden.append(a)
        if woorden[0] not in GROEPEN:
            break
        i += 1
    return " ".join(woorden) or "ijwcli"


# Commands with subcommands; their JSON "command" (and schema) names both words.
GROEPEN = {"generate", "register", "config"}


def fout_document(message: str, exit_code: int, *, rule: str = "GEBRUIK",
                  path: str | None = None, argv: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON of a run that stopped on a usage or I/O error."""
    return document(commando(argv), exit_code,
                    findings=[melding(rule, message, path=path)])


def schemanaam(command: str) -> str:
    """``generate jw301`` → ``generate-jw301``."""
    return command.replace(" ", "-")


def schema(command: str) -> dict[str, Any]:
    """The JSON Schema of a command's output, standing alone (shared definitions inlined)."""
    from importlib.resources import files

    map_ = files("ijwcli.cli") / "schemas"
    eigen = json.loads((map_ / f"{schemanaam(command)}.json").read_text("utf-8"))
    basis = json.loads((map_ / "envelop.json").read_text("utf-8"))

    def los(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("envelop.json#/$defs/"):
                return {**{k: los(v) for k, v in node.items() if k != "$ref"},
                        "$ref": "#/$defs/" + ref.rsplit("/", 1)[1]}
            return {k: los(v) for k, v in node.items()}
        if isinstance(node, list):
            return [los(v) for v in node]
        return node

    uit = los(eigen)
    uit["$defs"] = {**basis["$defs"], **uit.get("$defs", {})}
    return uit


def schemas() -> list[str]:
    """The commands with a published schema."""
    from importlib.resources import files

    return sorted(p.name[:-5].replace("-", " ") for p in (files("ijwcli.cli") / "schemas")
                  .iterdir() if p.name.endswith(".json") and p.name != "envelop.json")
