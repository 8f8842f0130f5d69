"""samples/ holds one valid message per type, in sync with scripts/make_samples.py."""

from __future__ import annotations

import runpy
import subprocess
import sys

import pytest
from lxml import etree

from ijwcli.bericht import parse, to_xml
from ijwcli.model.berichten import BERICHTEN
from ijwcli.validatie import validate_file

from .conftest import ROOT, SAMPLES, SHARED

SAMPLE_FILES = sorted(SAMPLES.glob("*.xml"))


def test_every_message_type_has_a_sample():
    codes = {etree.QName(etree.parse(str(f)).getroot()).namespace.split("/")[-2].upper()
             for f in SAMPLE_FILES}
    assert codes == set(BERICHTEN)


def test_samples_are_written_by_make_samples():
    build = runpy.run_path(str(ROOT / "scripts" / "make_samples.py"))["build"]
    built = build()
    assert {f"{n}.xml" for n in built} == {f.name for f in SAMPLE_FILES}
    for name, b in built.items():
        assert (SAMPLES / f"{name}.xml").read_bytes() == to_xml(b), name


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_is_valid_under_project_validator(path):
    r = validate_file(path)
    assert r.valid, r.errors


def test_samples_are_accepted_by_reference_tool():
    tool = SHARED / "tools" / "ijw-xsd-check"
    if not tool.exists():
        pytest.skip("../shared/tools/ijw-xsd-check is not beside the checkout")
    proc = subprocess.run([sys.executable, str(tool), str(SAMPLES)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.count("ok ") == len(SAMPLE_FILES)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_survives_parse_and_write_byte_for_byte(path):
    data = path.read_bytes()
    assert to_xml(parse(data)) == data


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_file_rules(path):
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    lines = data.split(b"\r\n")
    assert b"\n" not in b"".join(lines)  # every line ends in CR/LF
    # One element per line: no line holds two start tags.
    assert all(line.count(b"<") <= 2 for line in lines)
