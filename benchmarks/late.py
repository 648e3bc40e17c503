"""The late changes of the night before press, made to a copy of the benchmark project (benchmarks/run.py):
each one a change to festival.yaml (and, for an added film, a new film folder), undone by `restore`.

    withdraw   one film of the first section withdrawn, and its screenings
    add        a new film (a copy of another, under a new slug and title) added to the first section
    move       one film of the first section moved to the last
    time       one screening's time changed (by five minutes, the same hour row of the schedule)
    rename     the first section renamed

The first section: everything after a change there moves on, the worst case for a page-numbered book.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import generate  # benchmarks/generate.py (its YAML dump, so the file reads as the generator writes it)

KINDS = {
    "withdraw": "one film withdrawn (and its screenings)",
    "add": "one film added to a section",
    "move": "one film moved to another section",
    "time": "one screening's time changed",
    "rename": "a section renamed",
}
NEW_SLUG = "film-late-addition"


class LateChanges:
    def __init__(self, project: Path):
        self.project = project
        self.festival_path = project / "festival.yaml"
        self.original = self.festival_path.read_bytes()
        self.head = self.original.decode("utf-8").split("\n", 1)[0] + "\n"

    def _data(self) -> dict:
        import yaml

        return yaml.safe_load(self.original)

    def _save(self, data: dict) -> None:
        _write(self.festival_path, (self.head + generate.dump(data)).encode("utf-8"))

    def _pick(self, data: dict) -> tuple[dict, int]:
        """The first section and the index in it of a full-page film a few films in (not the opening film)."""
        section = data["sections"][0]
        full = [i for i, item in enumerate(section["films"]) if item.get("page", "full") == "full"]
        return section, full[min(2, len(full) - 1)]

    def apply(self, kind: str) -> str:
        """Make the change `kind` (KINDS); returns what was changed, for the log."""
        data = self._data()
        section, index = self._pick(data)
        if kind == "withdraw":
            item = section["films"].pop(index)
            data["screenings"] = [s for s in data["screenings"] if s["film"] != item["film"]]
            what = f"{item['film']} withdrawn from {section['id']}"
        elif kind == "add":
            source = section["films"][index]["film"]
            self._copy_film(source)
            section["films"].insert(index, {"film": NEW_SLUG, "page": "full"})
            what = f"{NEW_SLUG} (a copy of {source}) added to {section['id']}"
        elif kind == "move":
            item = section["films"].pop(index)
            data["sections"][-1]["films"].append(item)
            what = f"{item['film']} moved from {section['id']} to {data['sections'][-1]['id']}"
        elif kind == "time":
            screening = data["screenings"][0]
            hour, minute = screening["time"].split(":")
            screening["time"] = f"{hour}:{(int(minute) + 5) % 60:02d}"
            what = f"screening {screening['code']} moved to {screening['time']}"
        elif kind == "rename":
            title = section["title"]
            section["title"] = {lang: f"{text} Late" for lang, text in title.items()}
            what = f"section {section['id']} renamed {section['title']}"
        else:
            raise ValueError(f"unknown late change {kind!r}")
        self._save(data)
        return what

    def _copy_film(self, source: str) -> None:
        import yaml

        src, dst = self.project / "films" / source, self.project / "films" / NEW_SLUG
        shutil.rmtree(dst, ignore_errors=True)
        for folder, _, files in os.walk(src):
            rel = Path(folder).relative_to(src)
            (dst / rel).mkdir(parents=True, exist_ok=True)
            for name in files:
                if name != "film.yaml":
                    os.link(Path(folder) / name, dst / rel / name)
        text = (src / "film.yaml").read_text(encoding="utf-8")
        film = yaml.safe_load(text)
        film["title"] = {lang: f"{value} (Late Addition)" for lang, value in film["title"].items()}
        head = text.split("\n", 1)[0] + "\n"
        _write(dst / "film.yaml", (head + generate.dump(film)).encode("utf-8"))

    def restore(self) -> None:
        _write(self.festival_path, self.original)
        shutil.rmtree(self.project / "films" / NEW_SLUG, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
