"""Output files: all or nothing, never over an input, never over without --force."""

from __future__ import annotations

import pytest

from ijwcli import bestanden
from ijwcli.errors import FileError


def test_a_failing_batch_leaves_nothing_behind(tmp_path):
    (tmp_path / "b.xml").mkdir()  # renaming a file onto a folder fails halfway the batch
    with pytest.raises(FileError):
        bestanden.schrijf_alles([(tmp_path / "a.xml", b"a"), (tmp_path / "b.xml", b"b")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xml"]


def test_input_is_never_overwritten_even_with_force(tmp_path):
    invoer = tmp_path / "in.xml"
    invoer.write_bytes(b"origineel")
    with pytest.raises(FileError, match="invoerbestand"):
        bestanden.schrijf_alles([(invoer, b"nieuw")], force=True, invoer=[invoer])
    assert invoer.read_bytes() == b"origineel"


def test_force_replaces_and_missing_folders_are_made(tmp_path):
    doel = tmp_path / "a" / "b" / "x.xml"
    bestanden.schrijf_atomair(doel, b"1")
    bestanden.schrijf_alles([(doel, b"2")], force=True)
    assert doel.read_bytes() == b"2"


def test_two_outputs_with_one_name_are_refused(tmp_path):
    with pytest.raises(FileError, match="dezelfde naam"):
        bestanden.controleer_doelen([tmp_path / "x.xml", tmp_path / "x.xml"])


def test_atomair_removes_its_temporary_file_on_error(tmp_path):
    doel = tmp_path / "x.csv"
    with pytest.raises(RuntimeError), bestanden.atomair(doel) as tmp:
        tmp.write_text("half")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
