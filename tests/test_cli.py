"""The command line: exit codes and messages, through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from presskit.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("build", "kit", "validate", "schema", "preflight"):
        assert command in result.output


def test_validate_ok(small_project):
    result = run("validate", str(small_project))
    assert result.exit_code == 0
    assert "1 film(s) ok: small-film" in result.output


def test_validate_reports_problems_and_exits_1(small_project, monkeypatch):
    monkeypatch.chdir(small_project)
    film_yaml = small_project / "films" / "small-film" / "film.yaml"
    film_yaml.write_text(film_yaml.read_text().replace("runtime: 90", "runtime: 90 mins"))
    result = run("validate", "films/small-film")
    assert result.exit_code == 1
    assert "films/small-film/film.yaml:4: runtime: expected minutes as a whole number, got '90 mins'" in result.output
    assert "Traceback" not in result.output


def test_kit_on_broken_yaml_exits_1_without_traceback_and_writes_nothing(small_project, monkeypatch, tmp_path):
    monkeypatch.chdir(small_project)
    (small_project / "films" / "small-film" / "film.yaml").write_text("title: [broken\n")
    result = run("kit", "films/small-film", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "films/small-film/film.yaml:2: YAML syntax" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_kit_on_missing_folder(tmp_path):
    result = run("kit", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "expected a film folder holding film.yaml" in result.output


def test_schema_is_json_schema_of_the_film_format():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "presskit film"
    assert schema["additionalProperties"] is False
    assert {"title", "directors"} <= set(schema["required"])
    assert schema["properties"]["runtime"]["anyOf"][0]["minimum"] == 1


def test_schema_of_the_project_file():
    schema = json.loads(run("schema", "--project").output)
    assert schema["title"] == "presskit project"
    assert "paper" in schema["properties"]


def test_preflight_rejects_a_non_pdf(tmp_path):
    bogus = tmp_path / "x.pdf"
    bogus.write_text("hello")
    result = run("preflight", str(bogus))
    assert result.exit_code == 1
    assert "x.pdf: not a PDF file" in result.output


def test_preflight_json_reports_every_file_errors_included(tmp_path):
    """--json prints one JSON document whatever happens: a report per readable file, the error of each file
    that cannot be checked (missing, not a PDF, encrypted), and exit 1."""
    import pikepdf

    bogus = tmp_path / "x.pdf"
    bogus.write_text("hello")
    locked = tmp_path / "locked.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user=""))
    result = run("preflight", "--json", str(bogus), str(tmp_path / "missing.pdf"), str(locked))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["ok"], d["error"].split(": ", 1)[1]) for d in data] == [
        (False, "not a PDF file (starts with b'hello')"),
        (False, "no such file"),
        (False, "the PDF is encrypted; preflight needs an unencrypted file"),
    ]


def test_preflight_catalogue_takes_the_standard_from_the_file(tmp_path):
    from pdf_factory import PdfBuilder

    b = PdfBuilder("PDF/X-1a:2003")
    for _ in range(4):
        b.page()
    path = b.save(tmp_path / "x1a.pdf")
    data = json.loads(run("preflight", "--json", "--profile", "catalogue", str(path)).stdout)
    assert (data[0]["ok"], data[0]["standard"], data[0]["label"]) == (True, "x-1a", "PDF/X-1a:2003")
    forced = run("preflight", "--json", "--profile", "catalogue", "--standard", "x-4", str(path))
    assert forced.exit_code == 1
    assert {f["check"] for f in json.loads(forced.stdout)[0]["findings"] if f["severity"] == "error"} == {
        "pdfx-version"
    }


def test_schema_of_the_festival_file():
    schema = json.loads(run("schema", "--festival").output)
    assert schema["title"] == "presskit festival"
    assert {"venues", "sections", "screenings"} <= set(schema["properties"])


def _worker_dies(job):
    import os

    os._exit(3)  # as a worker killed by the kernel (out of memory) would


def test_a_dying_worker_is_a_clear_error_and_writes_nothing(tmp_path, monkeypatch, capsys):
    """A catalogue worker process that dies mid-build: one line saying so, exit 1, no catalogue written."""
    import sys
    from pathlib import Path

    import pytest

    import presskit.products.catalogue.parts as parts
    from presskit.cli import main

    monkeypatch.setattr(parts, "render_job", _worker_dies)
    data = Path(__file__).resolve().parent.parent / "data"
    monkeypatch.setattr(sys, "argv", ["presskit", "catalogue", str(data), "-o", str(tmp_path / "out"), "-j", "2"])
    with pytest.raises(SystemExit) as info:
        main(fast_exit=False)
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "Error: a worker process stopped unexpectedly" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "catalogue.pdf").exists()


def _disk_full(*args, **kwargs):
    import errno

    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.slow
def test_a_disk_that_fills_in_a_worker_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    """A worker that cannot write its part (a full disk): one line saying so, exit 1, no catalogue and no
    temporary file left in the output folder."""
    import sys
    from pathlib import Path

    import pytest

    import presskit.products.catalogue.parts as parts
    from presskit.cli import main

    monkeypatch.setattr(parts, "write_atomic", _disk_full)
    data = Path(__file__).resolve().parent.parent / "data"
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["presskit", "catalogue", str(data), "-o", str(out), "-j", "2"])
    with pytest.raises(SystemExit) as info:
        main(fast_exit=False)
    assert info.value.code == 1
    err = "\n".join(line for line in capsys.readouterr().err.splitlines() if not line.startswith("print: "))
    assert (
        err.startswith("Error: no space left on the device: could not be written; free some space")
        and "Traceback" not in err
    )
    assert not (out / "catalogue.pdf").exists()
    assert [p for p in out.rglob(".*") if p.is_file()] == []


@pytest.mark.slow
def test_too_little_room_for_the_merged_catalogue_is_said_before_writing(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data"
    out = tmp_path / "out"
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10 << 20, 9 << 20, 1 << 20))
    result = CliRunner().invoke(cli, ["catalogue", str(data), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1, result.output
    assert f"Error: {out}: no space left for the merged catalogue (about " in result.output
    assert "MB needed, 1 MB free); free some space, or write the output elsewhere (-o)" in result.output
    assert not (out / "catalogue.pdf").exists()
    assert [p.name for p in out.iterdir() if p.is_file()] == []


def test_other_os_errors_keep_their_traceback(monkeypatch):
    """Only the machine's errors (a full disk, no permission) become one line; any other OSError is a bug."""
    import pytest

    import presskit.cli as cli_module

    def broken(**kwargs):
        raise FileNotFoundError(2, "No such file or directory", "/nowhere")

    monkeypatch.setattr(cli_module, "cli", broken)
    with pytest.raises(FileNotFoundError):
        cli_module.main(fast_exit=False)


def test_the_command_ends_its_process_with_its_exit_code_and_all_its_output(small_project, tmp_path):
    """`python -m presskit` ends with os._exit once done (cli._end_process): the exit functions have run,
    everything it printed is there and the exit code is the command's."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "presskit"]
    done = subprocess.run([*command, "validate", str(small_project)], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stdout == "1 film(s) ok: small-film\n", done
    schema = subprocess.run([*command, "schema"], capture_output=True, text=True, env=env)
    assert schema.returncode == 0 and json.loads(schema.stdout)["title"] == "presskit film"
    missing = subprocess.run([*command, "validate", str(tmp_path / "none")], capture_output=True, text=True, env=env)
    assert missing.returncode == 1 and "Error: " in missing.stderr and "Traceback" not in missing.stderr
    usage = subprocess.run([*command, "bogus"], capture_output=True, text=True, env=env)
    assert usage.returncode == 2 and "No such command" in usage.stderr
