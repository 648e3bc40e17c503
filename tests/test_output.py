"""presskit.output: a product's files written together or not at all."""

from __future__ import annotations

import pytest

from presskit import output


def test_files_written_together_are_installed_when_the_block_ends(tmp_path):
    with output.together():
        output.write_atomic(tmp_path / "a.pdf", b"A", output=True)
        assert not (tmp_path / "a.pdf").exists()  # staged, not installed yet
        output.write_atomic(tmp_path / "cache.json", b"C")  # (a cache's file: installed at once)
        assert (tmp_path / "cache.json").read_bytes() == b"C"
    assert (tmp_path / "a.pdf").read_bytes() == b"A"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "cache.json"]


def test_a_failure_installs_none_and_leaves_the_earlier_files(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"old")
    with pytest.raises(RuntimeError), output.together():
        output.write_atomic(tmp_path / "a.pdf", b"new", output=True)
        output.write_atomic(tmp_path / "b.pdf", b"new", output=True)
        raise RuntimeError("the second edition failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old"


def test_groups_holding_the_same_files_or_none_are_told_apart(tmp_path):
    """A rebuild: one edition unchanged (its group empty), the other staged in a worker's group and handed
    to the product's: the groups are lists, equal when empty, and must be found by identity."""
    with output.together():
        with output.held():
            pass  # an edition whose file did not change
        with output.held() as edition:
            output.write_atomic(tmp_path / "print.pdf", b"P", output=True)
        output.stage(list(edition))
    assert (tmp_path / "print.pdf").read_bytes() == b"P"
    assert output._GROUPS == []
    assert [p.name for p in tmp_path.iterdir()] == ["print.pdf"]  # no temporary file left
