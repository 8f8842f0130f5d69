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
    with pytest.raises(RuntimeError), bestanden.atomair(doel) as f:
        f.write(b"half")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


# --- hostile file systems (issue 11) ------------------------------------------------------


def test_a_link_at_the_output_name_is_refused_and_its_target_kept(tmp_path):
    invoer = tmp_path / "in.xml"
    invoer.write_bytes(b"origineel")
    (tmp_path / "uit.xml").symlink_to(invoer)
    for force in (False, True):
        with pytest.raises(FileError, match="symbolische koppeling"):
            bestanden.schrijf_alles([(tmp_path / "uit.xml", b"nieuw")], force=force)
    assert invoer.read_bytes() == b"origineel"
    assert (tmp_path / "uit.xml").is_symlink()


def test_a_dangling_link_is_refused_too(tmp_path):
    (tmp_path / "uit.xml").symlink_to(tmp_path / "nergens.xml")
    with pytest.raises(FileError, match="symbolische koppeling"):
        bestanden.schrijf_atomair(tmp_path / "uit.xml", b"x")
    assert not (tmp_path / "nergens.xml").exists()


def test_planted_links_at_old_style_temporary_names_are_never_followed(tmp_path):
    import os

    invoer = tmp_path / "in.xml"
    invoer.write_bytes(b"origineel")
    for naam in ("uit.xml", "a.xml"):
        (tmp_path / f".{naam}.{os.getpid()}.tmp").symlink_to(invoer)
        (tmp_path / f".{naam}.tmp").symlink_to(invoer)
    bestanden.schrijf_alles([(tmp_path / "uit.xml", b"nieuw")])
    bestanden.schrijf_atomair(tmp_path / "a.xml", b"ook")
    assert invoer.read_bytes() == b"origineel"
    assert (tmp_path / "uit.xml").read_bytes() == b"nieuw"
    assert not (tmp_path / "uit.xml").is_symlink()


def test_a_device_node_is_never_replaced(tmp_path):
    with pytest.raises(FileError, match="geen gewoon bestand"):
        bestanden.schrijf_atomair(bestanden.Path("/dev/null"), b"x", force=True)
    import stat

    assert stat.S_ISCHR(bestanden.os.stat("/dev/null").st_mode)


def test_output_files_get_the_umask_mode(tmp_path):
    import os

    oud = os.umask(0o022)
    try:
        bestanden.bestandsmodus.cache_clear()
        bestanden.schrijf_atomair(tmp_path / "a.xml", b"x")
        bestanden.schrijf_alles([(tmp_path / "b.xml", b"x")])
    finally:
        os.umask(oud)
        bestanden.bestandsmodus.cache_clear()
    for n in ("a.xml", "b.xml"):
        assert (tmp_path / n).stat().st_mode & 0o777 == 0o644


def test_a_read_only_folder_is_one_clean_error_naming_the_file(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(FileError, match=r"ro/a.xml: kan niet schrijven \(geen toestemming\)"):
            bestanden.schrijf_alles([(ro / "a.xml", b"x")])
    finally:
        ro.chmod(0o755)


def test_disk_full_names_the_file(tmp_path, monkeypatch):
    import errno

    echt = bestanden._Tijdelijk.__init__

    def vol(self, doel):
        echt(self, doel)

        class Vol:
            closed = False

            def write(self, data):
                raise OSError(errno.ENOSPC, "No space left on device")

            def close(self):
                self.closed = True

        self.bestand.close()
        self.bestand = Vol()

    monkeypatch.setattr(bestanden._Tijdelijk, "__init__", vol)
    with pytest.raises(FileError, match=r"b.xml: kan niet schrijven \(de schijf is vol\)"):
        bestanden.schrijf_alles([(tmp_path / "b.xml", b"x")])
    assert list(tmp_path.iterdir()) == []
