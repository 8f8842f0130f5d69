"""``ijwcli validate`` from the outside: exit codes, JSON shape, stdin, file rules, rule codes.

Bad inputs are made in the test by mutating the project's valid JW301 sample, so each test
shows exactly which change breaks which rule.
"""

from __future__ import annotations

import json
import os
import random
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from ijwcli.cli import app

from .conftest import ROOT, SAMPLES

JW301 = SAMPLES / "jw301_toewijzing.xml"
JW315 = SAMPLES / "jw315_verzoek_om_toewijzing.xml"
# The reference date for date rules: the Dagtekening of the JW301 sample.
TODAY = "2026-03-02"
runner = CliRunner()


def run(*args: str, input: bytes | None = None):  # noqa: A002
    return runner.invoke(app, ["validate", *args], input=input)


def run_json(*args: str, input: bytes | None = None) -> tuple[int, dict]:  # noqa: A002
    r = run(*args, "--format", "json", input=input)
    return r.exit_code, json.loads(r.stdout)


def mutate(source: Path, change: Callable[[etree._Element], None]) -> bytes:
    """The source message after ``change`` on its root, written as a UTF-8 file would be."""
    root = etree.fromstring(source.read_bytes())
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def set_text(localpath: str, value: str, index: int = 0) -> Callable[[etree._Element], None]:
    """Set the text of the ``index``-th element at a path of local names (``Client/Bsn``)."""
    xpath = "/".join(f"*[local-name()='{p}']" for p in localpath.split("/"))

    def change(root: etree._Element) -> None:
        root.xpath(xpath)[index].text = value

    return change


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def rules(result: dict) -> list[str]:
    return [e["rule"] for e in result["errors"]]


# --- exit codes and output shape -------------------------------------------------------------
def test_valid_file_exits_0():
    r = run(str(JW301), "--today", TODAY)
    assert r.exit_code == 0, r.output
    assert "1 geldig, 0 ongeldig" in r.stdout


def test_dagtekening_in_year_1_is_reported_not_a_traceback(tmp_path):
    # TR002 looks 120 years back from the Dagtekening; year 1 has no such past.
    bad = write(tmp_path, "oud.xml", mutate(JW301, set_text(
        "Header/BerichtIdentificatie/Dagtekening", "0001-01-01")))
    code, out = run_json(str(bad), "--today", TODAY)
    assert code == 1 and "TR134" in rules(out["results"][0])


def test_invalid_file_exits_1(tmp_path):
    bad = write(tmp_path, "bad.xml", mutate(JW301, set_text("Client/Bsn", "123456789")))
    r = run(str(bad))
    assert r.exit_code == 1
    assert "CS002" in r.stdout and "0 geldig, 1 ongeldig" in r.stdout


def test_missing_path_exits_2(tmp_path):
    r = run(str(JW301), str(tmp_path / "bestaat-niet.xml"))
    assert r.exit_code == 2
    assert "bestaat niet" in r.stderr
    assert "Traceback" not in r.output


def test_bad_today_is_a_usage_error():
    r = run(str(JW301), "--today", "2026-02-30")
    assert r.exit_code == 2
    assert "--today: '2026-02-30' is geen geldige datum" in r.stderr


def test_json_shape(tmp_path):
    write(tmp_path, "a_goed.xml", JW301.read_bytes())
    write(tmp_path, "b_fout.xml", mutate(JW301, set_text("Client/Bsn", "123456789")))
    code, doc = run_json(str(tmp_path), "--jobs", "1", "--today", TODAY)
    assert code == 1
    assert set(doc) == {"command", "exit_code", "summary", "results", "files", "findings"}
    assert doc["summary"] == {"files": 2, "valid": 1, "invalid": 1, "warned": 0}
    assert doc["files"] == [] and doc["exit_code"] == 1
    assert [(f["file"], f["rule"]) for f in doc["findings"]] == [
        (doc["results"][1]["file"], "CS002")]
    good, bad = doc["results"]
    for res in doc["results"]:
        assert set(res) == {"file", "bericht", "valid", "errors", "warnings"}
        assert res["warnings"] == []
        assert res["bericht"] == "JW301"
    assert good["file"].endswith("a_goed.xml") and good["valid"] is True and good["errors"] == []
    assert bad["valid"] is False
    (err,) = bad["errors"]
    assert set(err) == {"rule", "retourcode", "path", "line", "message"}
    assert err["rule"] == "CS002" and err["retourcode"] == "0001"
    assert err["path"] == "Client/Bsn"
    assert isinstance(err["line"], int) and "123456789" in err["message"]


def test_stdin(tmp_path):
    code, doc = run_json("-", "--today", TODAY, input=JW301.read_bytes())
    assert code == 0
    assert doc["results"][0]["file"] == "-" and doc["results"][0]["bericht"] == "JW301"
    code, doc = run_json("-", input=mutate(JW301, set_text("Header/BerichtVersie", "4")))
    assert code == 1 and rules(doc["results"][0]) == ["CS025"]


def test_stdin_and_exit_codes_through_the_console_script(tmp_path):
    exe = Path(sys.executable).parent / "ijwcli"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ijwcli"]
    ok = subprocess.run([*cmd, "validate", "-", "-q", "--today", TODAY], input=JW301.read_bytes(),
                        capture_output=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([*cmd, "validate", "-"], input=b"\xef\xbb\xbf" + JW301.read_bytes(),
                         capture_output=True, cwd=ROOT)
    assert bad.returncode == 1 and b"OP192" in bad.stdout
    missing = subprocess.run([*cmd, "validate", str(tmp_path / "nergens")],
                             capture_output=True, cwd=ROOT)
    assert missing.returncode == 2 and b"Traceback" not in missing.stderr


def test_quiet_prints_the_invalid_files_and_the_summary(tmp_path):
    bad = write(tmp_path, "bad.xml", mutate(JW301, set_text("Client/Bsn", "123456789")))
    loud = run(str(bad))
    quiet = run(str(bad), "--quiet")
    assert loud.exit_code == quiet.exit_code == 1
    assert "CS002" in loud.stdout and "Client/Bsn" in loud.stdout
    assert quiet.stdout.strip().splitlines() == [f"ongeldig: {bad} (1 fout(en): CS002)",
                                                 "1 bestand(en): 0 geldig, 1 ongeldig"]


def test_jobs_2_gives_the_same_results_as_jobs_1(tmp_path):
    changes = [set_text("Client/Bsn", "123456789"), set_text("Header/BerichtSubversie", "1"),
               set_text("Header/BerichtIdentificatie/Identificatie", "")]
    for d in ("d0", "d1"):
        (tmp_path / d).mkdir()
    for i in range(12):
        data = JW301.read_bytes() if i % 3 else mutate(JW301, changes[i // 3 % len(changes)])
        write(tmp_path / f"d{i % 2}", f"m{i:02}.xml", data)
    write(tmp_path, "kapot.xml", b"<jw301:Bericht")
    one = run_json(str(tmp_path), "--jobs", "1", "--today", TODAY)
    two = run_json(str(tmp_path), "--jobs", "2", "--today", TODAY)
    assert one == two
    assert one[0] == 1 and one[1]["summary"] == {"files": 13, "valid": 8, "invalid": 5,
                                                           "warned": 0}
    assert [r["file"] for r in one[1]["results"]] == sorted(r["file"] for r in one[1]["results"])


# --- file rules ------------------------------------------------------------------------------
def _only_result(path: Path) -> dict:
    code, doc = run_json(str(path))
    assert code == 1, doc
    (res,) = doc["results"]
    assert res["valid"] is False and res["errors"]
    return res


def test_bom_is_op192(tmp_path):
    res = _only_result(write(tmp_path, "bom.xml", b"\xef\xbb\xbf" + JW301.read_bytes()))
    assert rules(res) == ["OP192"] and res["errors"][0]["retourcode"] == "0001"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_invalid(tmp_path, encoding):
    text = JW301.read_text("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    res = _only_result(write(tmp_path, "u16.xml", text.encode(encoding)))
    assert "UTF-16" in res["errors"][0]["message"]


def test_latin1_bytes_are_invalid_utf8(tmp_path):
    data = mutate(JW301, set_text("Client/Naam/Voornamen", "Zoë")).replace(
        "Zoë".encode(), "Zoë".encode("latin-1"))
    res = _only_result(write(tmp_path, "latin1.xml", data))
    assert rules(res) == ["OP192"] and res["errors"][0]["line"] > 1


@pytest.mark.parametrize("data", [b"", b"   \r\n"], ids=["leeg", "witruimte"])
def test_empty_file(tmp_path, data):
    res = _only_result(write(tmp_path, "leeg.xml", data))
    assert res["bericht"] is None and "leeg" in res["errors"][0]["message"]


def test_truncated_xml(tmp_path):
    data = JW301.read_bytes()
    res = _only_result(write(tmp_path, "half.xml", data[: len(data) // 2]))
    assert "goedgevormde XML" in res["errors"][0]["message"]


@pytest.mark.parametrize("data", [b"Dit is geen XML.\n", b"\x89PNG\r\n\x1a\n\x00\x00",
                                  b'{"bericht": "JW301"}'], ids=["tekst", "png", "json"])
def test_non_xml(tmp_path, data):
    res = _only_result(write(tmp_path, "geen.xml", data))
    assert res["bericht"] is None
    assert "Traceback" not in json.dumps(res)


def test_foreign_xml_is_not_an_ijw_message(tmp_path):
    res = _only_result(write(tmp_path, "vreemd.xml", b'<?xml version="1.0"?><html/>\n'))
    assert res["bericht"] is None and "namespace" in res["errors"][0]["message"]


def test_xxe_system_entity_is_refused_unresolved(tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-WACHTWOORD-42")
    body = JW301.read_text("utf-8").split("\n", 1)[1].replace(
        "<ijw:Voornamen>Sanne</ijw:Voornamen>", "<ijw:Voornamen>&xxe;</ijw:Voornamen>")
    data = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE jw301:Bericht [\n'
            f'  <!ENTITY xxe SYSTEM "file://{secret}">\n]>\n{body}').encode()
    path = write(tmp_path, "xxe.xml", data)
    res = _only_result(path)
    assert "DOCTYPE" in res["errors"][0]["message"] and res["errors"][0]["line"] == 2
    r = run(str(path))
    assert "GEHEIM" not in r.output


def test_billion_laughs_is_refused(tmp_path):
    ents = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = (f'<?xml version="1.0"?><!DOCTYPE b [<!ENTITY l0 "ha">{ents}]>'
            f"<b>&l9;</b>").encode()
    res = _only_result(write(tmp_path, "lol.xml", data))
    assert "ENTITY" in res["errors"][0]["message"]


def test_external_dtd_is_refused(tmp_path):
    data = b'<?xml version="1.0"?>\n<!doctype b SYSTEM "http://example.org/x.dtd">\n<b/>'
    res = _only_result(write(tmp_path, "dtd.xml", data))
    assert res["errors"][0]["line"] == 2


def test_one_bad_file_never_stops_a_batch(tmp_path):
    write(tmp_path, "01_goed.xml", JW301.read_bytes())
    write(tmp_path, "02_bom.xml", b"\xef\xbb\xbf" + JW301.read_bytes())
    write(tmp_path, "03_leeg.xml", b"")
    write(tmp_path, "04_half.xml", JW301.read_bytes()[:300])
    write(tmp_path, "05_lol.xml", b'<!DOCTYPE a [<!ENTITY a "a">]><a>&a;</a>')
    write(tmp_path, "06_utf16.xml", JW301.read_text("utf-8").encode("utf-16"))
    write(tmp_path, "07_goed.xml", JW301.read_bytes())
    (tmp_path / "08_map.xml").mkdir()  # a directory named like a message is not a file
    write(tmp_path, "negeer.txt", b"geen bericht")
    for jobs in ("1", "2"):
        code, doc = run_json(str(tmp_path), "--jobs", jobs, "--today", TODAY)
        assert code == 1
        assert doc["summary"] == {"files": 7, "valid": 2, "invalid": 5, "warned": 0}
        names = [Path(r["file"]).name for r in doc["results"]]
        assert names == [f"0{i}_{n}.xml" for i, n in
                         enumerate(["goed", "bom", "leeg", "half", "lol", "utf16", "goed"], 1)]


# --- datatype-level rules --------------------------------------------------------------------
def _rules_after(tmp_path: Path, source: Path, *changes: Callable[[etree._Element], None],
                 today: str = TODAY) -> tuple[int, dict]:
    def all_changes(root: etree._Element) -> None:
        for c in changes:
            c(root)

    path = write(tmp_path, "m.xml", mutate(source, all_changes))
    code, doc = run_json(str(path), "--today", today)
    return code, doc["results"][0]


@pytest.mark.parametrize(("bsn", "valid"), [("999900006", True), ("123456789", False),
                                            ("999900018", True), ("999900007", False)])
def test_cs002_bsn_elfproef(tmp_path, bsn, valid):
    code, res = _rules_after(tmp_path, JW301, set_text("Client/Bsn", bsn))
    assert res["valid"] is valid and code == (0 if valid else 1)
    if not valid:
        assert rules(res) == ["CS002"]
        lines = (tmp_path / "m.xml").read_text().splitlines()
        assert res["errors"][0]["line"] == lines.index(f"\t\t<jw301:Bsn>{bsn}</jw301:Bsn>") + 1


def test_cs003_einddatum_before_ingangsdatum(tmp_path):
    code, res = _rules_after(tmp_path, JW301, set_text(
        "Client/ToegewezenProducten/ToegewezenProduct/Einddatum", "2026-02-28"))
    assert code == 1 and rules(res) == ["CS003"]
    assert res["errors"][0]["path"].endswith("ToegewezenProduct/Einddatum")
    # On the same day is allowed.
    code, res = _rules_after(tmp_path, JW301, set_text(
        "Client/ToegewezenProducten/ToegewezenProduct/Einddatum", "2026-03-01"))
    assert code == 0, res


def test_cs003_in_a_verzoek_om_toewijzing(tmp_path):
    product = "Client/AangevraagdeProducten/AangevraagdProduct"
    code, res = _rules_after(tmp_path, JW315, set_text(f"{product}/ToewijzingEinddatum",
                                                       "2020-01-01"))
    assert code == 1 and "CS003" in rules(res), res


@pytest.mark.parametrize(("element", "value", "rule"), [
    ("BerichtVersie", "4", "CS025"), ("BerichtVersie", "03", "CS025"),
    ("BerichtSubversie", "1", "CS015"), ("BerichtSubversie", "3", "CS015")])
def test_cs015_cs025_fixed_versions(tmp_path, element, value, rule):
    code, res = _rules_after(tmp_path, JW301, set_text(f"Header/{element}", value))
    assert code == 1 and rules(res) == [rule]
    assert res["errors"][0]["path"] == f"Header/{element}"


def test_wrong_berichtcode_is_a_schema_error(tmp_path):
    code, res = _rules_after(tmp_path, JW301, set_text("Header/BerichtCode", "446"))
    assert code == 1 and rules(res) == ["XSD"] and res["errors"][0]["path"] == "Header/BerichtCode"


@pytest.mark.parametrize(("land", "postcode", "valid"), [
    ("NL", "12345", False), ("NL", "5038 EA", False), ("NL", "0123AB", False),
    ("NL", "5038EA", True), ("BE", "12345", True)])
def test_cs089_dutch_postcode(tmp_path, land, postcode, valid):
    adres = "Client/Contactgegevens/Contact/Adres"
    code, res = _rules_after(tmp_path, JW301, set_text(f"{adres}/LandCode", land),
                             set_text(f"{adres}/Postcode", postcode))
    assert res["valid"] is valid, res
    if not valid:
        assert rules(res) == ["CS089"]
        assert res["errors"][0]["path"] == "Client/Contactgegevens/Contact/Adres/Postcode"


def test_rs033_empty_periode(tmp_path):
    def lege_periode(root: etree._Element) -> None:
        contact = root.xpath("//*[local-name()='Contactgegevens']/*[local-name()='Contact']")[0]
        etree.SubElement(contact, f"{{{etree.QName(root).namespace}}}Periode")

    code, res = _rules_after(tmp_path, JW301, lege_periode)
    # <Periode/> is schema-valid (both dates are optional): only RS033 sees it. (Rules about
    # when a contact may have a Periode at all may add their own findings.)
    assert code == 1 and "RS033" in rules(res) and "XSD" not in rules(res)
    (err,) = [e for e in res["errors"] if e["rule"] == "RS033"]
    assert err["path"] == "Client/Contactgegevens/Contact/Periode"


@pytest.mark.parametrize("value", ["", " \t ", "\u00a0"], ids=["leeg", "witruimte", "nbsp"])
def test_rs033_empty_value_is_reported_once(tmp_path, value):
    code, res = _rules_after(tmp_path, JW301, set_text("Client/Naam/Voornamen", value))
    assert code == 1 and rules(res) == ["RS033"]


def test_comment_in_a_value_is_markup_not_rs033(tmp_path):
    # The value is still there (not empty: no RS033), but a comment inside a value is a
    # finding of its own (issue 10): rules that read only the text before it are fooled.
    def commentaar(root: etree._Element) -> None:
        root.xpath("//*[local-name()='Voornamen']")[0].append(etree.Comment(" tweede naam "))

    code, res = _rules_after(tmp_path, JW301, commentaar)
    assert code == 1 and rules(res) == ["MARKUP"], res
    assert res["errors"][0]["path"] == "Client/Naam/Voornamen"


def test_comment_between_elements_is_harmless(tmp_path):
    def commentaar(root: etree._Element) -> None:
        root.xpath("//*[local-name()='Naam']")[0].insert(0, etree.Comment(" naam "))

    code, res = _rules_after(tmp_path, JW301, commentaar)
    assert code == 0, res


def test_impossible_date_is_invalid(tmp_path):
    code, res = _rules_after(tmp_path, JW301, set_text(
        "Header/BerichtIdentificatie/Dagtekening", "2026-06-31"))
    assert code == 1 and rules(res) == ["XSD"] and "2026-06-31" in res["errors"][0]["message"]


# --- start-up: plain option values are converted without Pydantic -----------------------------
def test_one_file_call_does_not_import_pydantic_or_multiprocessing():
    code = ("import sys\nfrom ijwcli.cli import app\n"
            f"try:\n    app(['validate', {str(JW301)!r}, '-q', '--today', {TODAY!r}],"
            " prog_name='ijwcli')\n"
            "except SystemExit as e:\n    assert e.code == 0, e.code\n"
            "heavy = [m for m in ('pydantic', 'stdnum', 'concurrent.futures', 'rich.table',\n"
            "                     'xml.sax.saxutils') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr.decode()


@pytest.mark.parametrize(("args", "fragment"), [
    (["--jobs", "0"], "0 is kleiner dan het minimum 1"),
    (["--jobs", "twee"], "'twee' is geen geheel getal"),
    (["--format", "xml"], "'xml' is geen van 'text', 'json'"),
])
def test_bad_option_values_are_usage_errors(args, fragment):
    r = run(str(JW301), *args)
    assert r.exit_code == 2
    assert fragment in " ".join(r.stderr.split())


def test_option_values_are_typed():
    code, doc = run_json(str(JW301), "-j", "1", "--today", TODAY)
    assert code == 0 and doc["summary"]["valid"] == 1
    r = run(str(JW301), "--format", "text", "--quiet", "--today", TODAY)
    assert r.exit_code == 0 and r.stdout.startswith("1 bestand(en)")


def test_elfproef_equals_stdnum():
    from stdnum.nl import bsn

    from ijwcli.validatie.regels.datatypen import elfproef

    rng = random.Random(11)
    numbers = [f"{rng.randrange(10**9):09d}" for _ in range(5000)]
    numbers += ["999900006", "000000000", "100000009", "99990000٦"]
    assert [elfproef(n) for n in numbers] == [bsn.is_valid(n) for n in numbers]
    assert sum(map(elfproef, numbers)) > 300  # about one in eleven passes


def test_expand_finds_xml_files_recursively_in_path_order(tmp_path):
    from ijwcli.validatie import expand

    for rel in ["B.xml", "a.XML", "a-b/q.xml", "a/z.xml", "a/diep/y.xml", "map.xml/in.xml",
                "notities.txt", "oud.xml.bak", ".verborgen.xml"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"<x/>")
    (tmp_path / "link.xml").symlink_to(tmp_path / "B.xml")
    (tmp_path / "kapot.xml").symlink_to(tmp_path / "nergens.xml")
    (tmp_path / "rond.xml").symlink_to(tmp_path / "rond.xml")
    (tmp_path / "linkmap").symlink_to(tmp_path / "a", target_is_directory=True)
    # The definition: what Path.rglob finds, files only, sorted as paths.
    oracle = sorted(f for f in tmp_path.rglob("*") if f.suffix.lower() == ".xml" and f.is_file())
    found = expand([tmp_path, tmp_path / "B.xml"])
    assert found == [*oracle, tmp_path / "B.xml"]
    assert [f.relative_to(tmp_path).as_posix() for f in oracle] == [
        ".verborgen.xml", "B.xml", "a/diep/y.xml", "a/z.xml", "a-b/q.xml", "a.XML", "link.xml",
        "map.xml/in.xml"]


def test_a_call_builds_only_its_own_command(monkeypatch, capsys):
    import typer.main

    from ijwcli.cli import app

    gebouwd: list[str] = []
    echt = typer.main.get_command_from_info

    def tel(*, command_info, **kwargs):
        gebouwd.append(command_info.name or command_info.callback.__name__)
        return echt(command_info=command_info, **kwargs)

    monkeypatch.setattr(typer.main, "get_command_from_info", tel)
    alle = len(app.registered_commands)
    assert alle > 1
    app(["validate", str(JW301), "-q", "--today", TODAY], standalone_mode=False)
    assert gebouwd == ["validate"]
    assert len(app.registered_commands) == alle
    # Without a command, or with a misspelt one, every command is sketched (name and help,
    # no parameters): help and suggestions stay whole.
    gebouwd.clear()
    with pytest.raises(SystemExit) as exc:
        app(["--help"])
    assert exc.value.code == 0 and len(gebouwd) >= alle and "verlenging" in gebouwd
    assert "validate" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        app(["valdate", str(JW301)])
    assert exc.value.code == 2 and "validate" in capsys.readouterr().err


@pytest.mark.parametrize(("data", "named"), [
    (b"<Bericht><Header/></Bericht>", "rootelement 'Bericht' heeft geen namespace"),
    (b'<x:Bericht xmlns:x="http://example.org/jw301"/>',
     "rootelement 'Bericht' heeft namespace 'http://example.org/jw301'"),
], ids=["zonder", "vreemd"])
def test_root_outside_the_ijw_namespaces_names_element_and_namespace(tmp_path, data, named):
    res = _only_result(write(tmp_path, "root.xml", b'<?xml version="1.0"?>\n' + data))
    (err,) = res["errors"]
    assert named in err["message"] and "None" not in err["message"]
    assert err["line"] == 2 and res["bericht"] is None


def test_an_os_error_escaping_a_command_is_one_line_and_exit_2(capsys):
    # The net under every command: an I/O failure the library did not turn into a finding
    # (a folder it may not list, a symlink loop) is an I/O error, not a traceback.
    import errno

    import typer

    from ijwcli.cli import handle_errors

    @handle_errors
    def command() -> None:
        raise OSError(errno.EACCES, "Permission denied", "in/geheim")

    with pytest.raises(typer.Exit) as exc:
        command()
    assert exc.value.exit_code == 2
    assert capsys.readouterr().err.strip() == "fout: in/geheim: Permission denied"


def test_a_symlink_loop_in_a_folder_gives_no_traceback(tmp_path):
    write(tmp_path, "01_goed.xml", JW301.read_bytes())
    (tmp_path / "a.xml").symlink_to(tmp_path / "b.xml")
    (tmp_path / "b.xml").symlink_to(tmp_path / "a.xml")
    r = run(str(tmp_path), "--today", TODAY)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    # Like Path.rglob, a link that leads nowhere (here: in a circle) is no file to validate.
    assert r.exit_code == 0, r.output
    assert "1 bestand(en): 1 geldig" in r.output and "Traceback" not in r.output


def test_python_m_ijwcli_runs_the_example_of_validate_help():
    # `python -m ijwcli` is the other way in besides the console script; the Example line of
    # `validate --help` must run as written from the project root.
    env = {**os.environ, "COLUMNS": "200", "TERMINAL_WIDTH": "200"}
    helptext = subprocess.run([sys.executable, "-m", "ijwcli", "validate", "--help"],
                              capture_output=True, text=True, cwd=ROOT, env=env)
    assert helptext.returncode == 0, helptext.stderr
    (example,) = re.findall(r"Example: ijwcli (.+?)\s*$", helptext.stdout, re.MULTILINE)
    r = subprocess.run([sys.executable, "-m", "ijwcli", *shlex.split(example)],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["summary"]["files"] == len(list(SAMPLES.glob("*.xml")))


def test_unusable_productcode_list_is_a_usage_error_naming_the_list(tmp_path, monkeypatch):
    # A broken TR381 list is a bad option value (exit 2), not a finding of every message (1).
    lijst = tmp_path / "codes.csv"
    lijst.write_text("cat,code\n45,45A05\n", "utf-8")
    r = run(str(JW301), "--today", TODAY, "--productcodes", str(lijst))
    assert r.exit_code == 2, r.output
    assert f"{lijst}:1: kolom productcategorie of categorie ontbreekt" in r.stderr
    monkeypatch.setenv("IJWCLI_PRODUCTCODES", str(lijst))
    r = runner.invoke(app, ["retour", str(JW301), "-o", str(tmp_path), "--today", TODAY])
    assert r.exit_code == 2, r.output
    assert f"{lijst}:1: kolom productcategorie" in r.stderr
    assert not list(tmp_path.glob("JW302_*.xml"))


def test_an_empty_folder_is_valid_but_said(tmp_path):
    leeg = tmp_path / "inbox"
    leeg.mkdir()
    r = run(str(leeg))
    assert r.exit_code == 0
    assert "geen *.xml-bestanden gevonden" in r.stderr and "0 bestand(en)" in r.stdout


@pytest.mark.parametrize("args", [[], ["--help"], ["generate"], ["generate", "--help"],
                                  ["register", "-h"], ["config", "--help"],
                                  ["--help", "validate"], ["valdate", "x.xml"],
                                  ["generate", "jw999"]])
def test_help_from_sketches_is_typers_own(args, capsys):
    """Help and errors drawn from sketches are what Typer prints with every command built."""
    import typer

    from ijwcli.cli import app

    def uitvoer(aanroep):
        with pytest.raises(SystemExit) as exc:
            aanroep(args)
        out = capsys.readouterr()
        return exc.value.code, out.out, out.err

    geschetst = uitvoer(app)
    assert geschetst == uitvoer(lambda a: typer.Typer.__call__(app, a))
    assert geschetst[1] + geschetst[2]
