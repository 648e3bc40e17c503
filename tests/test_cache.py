"""The cache layer (presskit/cache.py): the key function, the state file and its sections."""

from __future__ import annotations

import hashlib
import json
import os

from presskit import cache, pool
from presskit.cache import State


def test_the_key_is_the_sha256_of_the_pieces_each_followed_by_a_nul_byte():
    assert cache.key("a", "bc") == hashlib.sha256(b"a\0bc\0").hexdigest()
    assert cache.key("é", b"\xff") == hashlib.sha256("é".encode() + b"\0\xff\0").hexdigest()
    assert cache.key("ab", "c") != cache.key("a", "bc") != cache.key("bc", "a")
    assert cache.key() == hashlib.sha256(b"").hexdigest()


def test_the_image_key_keeps_its_pieces_and_leaves_the_cache_version_out(monkeypatch):
    """The prepared image's name is in every PDF: its key is the digest it always was (pinned here), and
    bumping cache.VERSION does not change it."""
    from presskit.edition import Edition
    from presskit.images import cache_key

    pinned = "426faa0e9861582cc2807f49d9372527bbc4b58c6fbf63ca1287d45de3083483"
    assert cache_key(b"data", Edition("screen"), 7.0) == pinned
    monkeypatch.setattr(cache, "VERSION", "another")
    assert cache_key(b"data", Edition("screen"), 7.0) == pinned


def _file(folder, name="film.yaml", text="title: A\n"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_state_file_round_trip(tmp_path):
    source, target = _file(tmp_path), _file(tmp_path, "catalogue.pdf", "%PDF")
    state = State(tmp_path / ".cache")
    state.memo("tag").put(source, "yaml", {"title": "A"})
    state.ink()["dct:1"] = 240.5
    state.record("catalogue-print", "inputs", target, {"pages": 20})
    state.save()
    stored = json.loads((tmp_path / ".cache" / "state.json").read_text(encoding="utf-8"))
    assert stored["tag"] == f"presskit cache {cache.VERSION}" and {"memo", "ink", "stamps"} <= set(stored)

    again = State(tmp_path / ".cache")
    assert again.memo("tag").get(source, "yaml") == {"title": "A"}
    assert again.ink() == {"dct:1": 240.5}
    assert again.unchanged("catalogue-print", "inputs", target)["pages"] == 20
    assert again.unchanged("catalogue-print", "other inputs", target) is None
    os.utime(target, ns=(0, 0))
    assert again.unchanged("catalogue-print", "inputs", target) is None  # not the file the build left
    assert again.memo("other code").get(source, "yaml") is None  # a section's tag differs: dropped


def test_a_section_is_parsed_only_when_asked_for_and_a_reformatted_file_still_reads(tmp_path):
    """The stamps are read without parsing the memo (a "nothing changed" rebuild of a big festival); the
    file is one JSON object, read as well when a person reformatted it."""
    source, target = _file(tmp_path), _file(tmp_path, "catalogue.pdf", "%PDF")
    state = State(tmp_path)
    state.memo("tag").put(source, "yaml", {"title": "A\nB"})
    state.record("catalogue-print", "inputs", target, {"pages": 4})
    state.save()
    again = State(tmp_path)
    assert again.unchanged("catalogue-print", "inputs", target)["pages"] == 4
    assert isinstance(again._stored["memo"], memoryview)  # not parsed
    assert again.memo("tag").get(source, "yaml") == {"title": "A\nB"}

    path = tmp_path / "state.json"
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2), encoding="utf-8")
    reformatted = State(tmp_path)
    assert reformatted.memo("tag").get(source, "yaml") == {"title": "A\nB"}
    assert reformatted.unchanged("catalogue-print", "inputs", target)["pages"] == 4


def test_the_state_is_written_once_and_only_when_something_was_learnt(tmp_path):
    source = _file(tmp_path)
    state = State(tmp_path)
    state.memo("tag").get(source, "yaml")
    state.save()
    assert not (tmp_path / "state.json").exists()
    state.memo("tag").put(source, "yaml", 1)
    state.save()
    written = (tmp_path / "state.json").stat().st_mtime_ns
    os.utime(tmp_path / "state.json", ns=(written - 10**9, written - 10**9))
    state.save()  # nothing new since
    assert (tmp_path / "state.json").stat().st_mtime_ns == written - 10**9


def test_a_corrupt_or_foreign_state_file_is_ignored_and_rebuilt(tmp_path):
    source = _file(tmp_path)
    good = State(tmp_path)
    good.memo("tag").put(source, "yaml", 1)
    good.save()
    text = (tmp_path / "state.json").read_text(encoding="utf-8")
    foreign = text.replace(f'"presskit cache {cache.VERSION}"', '"presskit cache 0"')
    for bad in ("{not json", "", "[1, 2]", '"text"', foreign, '{"tag": 1, "memo": []}'):
        (tmp_path / "state.json").write_text(bad, encoding="utf-8")
        state = State(tmp_path)
        assert state.memo("tag").get(source, "yaml") is None and state.ink() == {}
        assert state.unchanged("catalogue-print", "inputs", source) is None
    (tmp_path / "state.json").write_bytes(b"\xff\xfe")
    state = State(tmp_path)
    state.memo("tag").put(source, "yaml", 2)
    state.save()
    assert State(tmp_path).memo("tag").get(source, "yaml") == 2


def test_the_memo_forgets_a_file_whose_size_or_modification_time_changed(tmp_path):
    source = _file(tmp_path)
    memo = State(tmp_path).memo("tag")
    memo.put(source, "yaml", {"title": "A"})
    assert memo.get(source, "yaml") == {"title": "A"}
    st = source.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert memo.get(source, "yaml") is None  # touched
    memo.put(source, "yaml", {"title": "A"})
    source.write_text("title: AB\n", encoding="utf-8")
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert memo.get(source, "yaml") is None  # same time, another size
    before = memo.stat(source)
    source.write_text("title: ABC\n", encoding="utf-8")
    memo.put(source, "yaml", {"title": "AB"}, before)  # read before it changed: not remembered
    assert memo.get(source, "yaml") is None


def test_the_memo_drops_files_that_are_gone_and_the_ink_keeps_the_latest(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "INK_LIMIT", 2)
    kept, gone = _file(tmp_path, "a.yaml"), _file(tmp_path, "b.yaml")
    state = State(tmp_path)
    memo = state.memo("tag")
    memo.put(kept, "yaml", 1)
    memo.put(gone, "yaml", 2)
    state.ink().update({"dct:1": 1.0, "dct:2": 2.0, "dct:3": 3.0})
    gone.unlink()
    state.save()
    again = State(tmp_path)
    assert again.memo("tag").get(kept, "yaml") == 1
    assert str(gone) not in json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))["memo"]["data"]
    assert again.ink() == {"dct:2": 2.0, "dct:3": 3.0}


def _measure(state: State, item: str) -> str:
    state.ink()[f"dct:{item}"] = float(len(item))
    return item.upper()


def test_what_forked_workers_learn_comes_back_into_the_build_s_state(tmp_path):
    state = State(tmp_path)
    state.ink()["dct:known"] = 1.0
    assert pool.fork_map(_measure, state, ["a", "bb", "ccc"], 2, state=state) == ["A", "BB", "CCC"]
    assert state.ink() == {"dct:known": 1.0, "dct:a": 1.0, "dct:bb": 2.0, "dct:ccc": 3.0}
    state.save()
    assert State(tmp_path).ink() == state.ink()


def test_a_worker_sends_back_only_what_it_learnt_since_it_last_did(tmp_path):
    source = _file(tmp_path)
    worker = State(tmp_path)
    worker.ink()["dct:1"] = 1.0
    worker.memo("tag").put(source, "yaml", 1)
    worker.record("catalogue-print", "inputs", source, {"pages": 4})
    learnt = worker.take_learnt()
    assert set(learnt) == {"memo", "ink", "stamps"} and worker.take_learnt() == {}
    parent = State(tmp_path)
    parent.merge(learnt)
    assert parent.ink() == {"dct:1": 1.0} and parent.memo("tag").get(source, "yaml") == 1
    assert parent.unchanged("catalogue-print", "inputs", source)["pages"] == 4
