"""What changed, for the printer (presskit/changes.py, `presskit catalogue --changed-since OLD.pdf`): pages
compared by what they print, paired through pages added and removed, the plates to replace, the JSON
report and the contact sheet; an earlier PDF that cannot be compared is an error before anything is built.

The fast tests compare small PDFs drawn with pikepdf (standard fonts, no WeasyPrint); the slow ones build a
real catalogue, change it, and rebuild it with --changed-since.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from pikepdf import Dictionary, Name

from presskit.changes import SHEET_SUFFIX, ComparisonError, changes_since, compare, read_earlier
from presskit.cli import cli

ROOT = Path(__file__).resolve().parent.parent


# --- small PDFs ----------------------------------------------------------------------------------------


def booklet(path: Path, pages: list[str], folios: bool = True, shift: int = 0) -> Path:
    """A PDF of one page per text (a title line and a paragraph in Helvetica), its folio at the foot;
    `shift` unused objects first, so that its objects have other numbers."""
    pdf = pikepdf.new()
    for k in range(shift):
        pdf.make_indirect(Dictionary(Unused=k))
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    for number, text in enumerate(pages, 1):
        lines = [f"BT /F1 20 Tf 60 760 Td ({text.split('.')[0]}) Tj ET"]
        lines += [f"BT /F1 11 Tf 60 {700 - 16 * k} Td ({line}) Tj ET" for k, line in enumerate(text.split(". "))]
        if folios:
            lines.append(f"BT /F1 10 Tf 290 40 Td ({number}) Tj ET")
        content = pdf.make_stream("\n".join(lines).encode("latin-1"))
        pdf.pages.append(
            pikepdf.Page(
                Dictionary(
                    Type=Name.Page,
                    MediaBox=[0, 0, 595, 842],
                    Contents=content,
                    Resources=Dictionary(Font=Dictionary(F1=font)),
                )
            )
        )
    pdf.save(path, deterministic_id=True)
    return path


FILMS = [
    f"{title}. A film about {subject}. It runs {runtime} minutes. Directed by {director}"
    for title, subject, runtime, director in [
        ("Contents", "every page of the festival", 1, "the festival"),
        ("Winter Harbour", "a harbour town in winter and a debt", 94, "Ana Plante"),
        ("The Glass House", "a family and a house of glass", 101, "Louis Okafor"),
        ("Wolves of the Orchard", "two sisters and an orchard", 88, "Mira Novak"),
        ("Summer Letters", "letters found in a summer house", 112, "Jan Costa"),
        ("The Silent River", "a river that burned one night", 97, "Kenji Moreau"),
        ("Index", "titles and directors of the festival", 2, "the festival"),
    ]
]


def test_an_identical_document_has_no_page_changed(tmp_path):
    old = booklet(tmp_path / "old.pdf", FILMS)
    new = booklet(tmp_path / "new.pdf", FILMS)
    report, *_ = compare(read_earlier(old), new, old)
    assert report.unchanged and report.plates == [] and report.changes == []
    assert report.format_text() == f"no page changed since {old} (7 pages)"


def test_a_changed_paragraph_is_one_changed_page_framed_where_it_changed(tmp_path):
    old = booklet(tmp_path / "old.pdf", FILMS)
    films = list(FILMS)
    films[3] = films[3].replace("two sisters", "three sisters")
    new = booklet(tmp_path / "new.pdf", films)
    report, *_ = compare(read_earlier(old), new, old)
    assert report.plates == [4]
    [change] = report.changes
    assert (change.status, change.page, change.old_page) == ("changed", 4, 4)
    left, top, right, bottom = change.box
    assert 55 < left < 140 and 120 < top < 160 and bottom < 170  # the second line, 700 pt from the foot
    assert report.format_text().splitlines() == [
        f"{new}: 1 of 7 page(s) print differently from {old}; replace the plates of page 4",
        "  changed: page 4",
    ]


@pytest.mark.parametrize(
    ("size", "font", "before", "after"),
    [(9, "Helvetica", "page 16", "page 18"), (6, "Times-Roman", "film, the", "film. the"), (5, "Helvetica", "i", "l")],
)
def test_the_smallest_change_in_small_type_is_a_changed_page(tmp_path, size, font, before, after):
    """A page number in the contents, a comma: what a printer must not miss."""

    def one_line(path: Path, text: str) -> Path:
        pdf = pikepdf.new()
        face = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/" + font)))
        content = pdf.make_stream(f"BT /F1 {size} Tf 60 700 Td (The index {text} runs on) Tj ET".encode())
        resources = Dictionary(Font=Dictionary(F1=face))
        pdf.pages.append(
            pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=[0, 0, 595, 842], Contents=content, Resources=resources))
        )
        pdf.save(path)
        return path

    old, new = one_line(tmp_path / "old.pdf", before), one_line(tmp_path / "new.pdf", after)
    report, *_ = compare(read_earlier(old), new, old)
    assert report.plates == [1] and report.of("changed")[0].box is not None
    same, *_ = compare(read_earlier(old), one_line(tmp_path / "again.pdf", before), old)
    assert same.unchanged


def test_pages_alike_in_bytes_are_paired_without_being_rendered(tmp_path):
    """Only the pages whose bytes (contents, fonts, images, whatever their object numbers) no page of the
    other file has are rendered: a rebuild's unchanged parts cost nothing to compare."""
    old = booklet(tmp_path / "old.pdf", FILMS)
    films = list(FILMS)
    films[3] = films[3].replace("two sisters", "three sisters")
    new = booklet(tmp_path / "new.pdf", films, shift=5)
    report, old_pages, new_pages = compare(read_earlier(old), new, old)
    assert report.plates == [4]
    assert [p.index for p in old_pages if p.rendered] == [p.index for p in new_pages if p.rendered] == [3]
    assert old_pages[0].key == new_pages[0].key and old_pages[3].key != new_pages[3].key


def test_a_withdrawn_page_is_removed_and_every_later_page_moves_up_with_its_folio(tmp_path):
    old = booklet(tmp_path / "old.pdf", FILMS)
    new = booklet(tmp_path / "new.pdf", FILMS[:2] + FILMS[3:])
    report, *_ = compare(read_earlier(old), new, old)
    assert [(c.status, c.page, c.old_page, c.differs) for c in report.changes] == [
        ("removed", None, 3, True),
        ("moved", 3, 4, True),  # (its folio changed)
        ("moved", 4, 5, True),
        ("moved", 5, 6, True),
        ("moved", 6, 7, True),
    ]
    assert report.plates == [3, 4, 5, 6]
    text = report.format_text()
    assert "moved (print differently): old 4-7 -> 3-6" in text
    assert "removed: old page 3" in text
    assert "the page count changed from 7 to 6: the imposition changes" in text


def test_pages_without_folios_that_only_move_print_the_same(tmp_path):
    old = booklet(tmp_path / "old.pdf", FILMS, folios=False)
    films = FILMS[:2] + ["A Late Addition. A film added the night before press. Directed by Hugo Lindqvist"]
    new = booklet(tmp_path / "new.pdf", films + FILMS[2:], folios=False)
    report, *_ = compare(read_earlier(old), new, old)
    assert [c.status for c in report.changes] == ["added", *["moved"] * 5]
    assert [c.differs for c in report.of("moved")] == [False] * 5
    assert report.of("added")[0].page == 3
    assert report.plates == [3, 4, 5, 6, 7, 8]  # each position now prints another page
    assert "moved (print the same): old 3-7 -> 4-8" in report.format_text()


def test_the_contact_sheet_shows_old_beside_new_and_goes_when_nothing_changed(tmp_path):
    old = booklet(tmp_path / "old.pdf", FILMS)
    new = booklet(tmp_path / "catalogue.pdf", FILMS[:2] + FILMS[3:])
    report = changes_since(old, read_earlier(old), new, jobs=1)
    sheet = tmp_path / f"catalogue{SHEET_SUFFIX}"
    assert report.sheet == sheet
    # five entries, four to a sheet: the removed page where it was, then the four pages that moved
    assert len(pdfium.PdfDocument(str(sheet))) == 2 and report.to_dict()["contact_sheet"] == str(sheet)
    same = changes_since(new, read_earlier(new), new, jobs=1)
    assert same.unchanged and same.sheet is None and not sheet.exists()


def test_the_json_report(tmp_path):
    old = booklet(tmp_path / "old.pdf", FILMS)
    new = booklet(tmp_path / "new.pdf", FILMS[:2] + FILMS[3:])
    report, *_ = compare(read_earlier(old), new, old)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["plates"] == [3, 4, 5, 6] and data["removed"] == [3] and data["added"] == []
    assert data["moved"][0] == {"page": 3, "old_page": 4, "differs": True}
    assert (data["old_pages"], data["new_pages"], data["page_count_changed"]) == (7, 6, True)


# --- an earlier PDF that cannot be compared ------------------------------------------------------------


def test_an_earlier_pdf_that_cannot_be_compared_is_named_with_what_is_wrong(tmp_path):
    with pytest.raises(ComparisonError) as missing:
        read_earlier(tmp_path / "sent.pdf")
    assert str(missing.value) == (
        f"{tmp_path / 'sent.pdf'}: no such file (--changed-since needs the PDF sent to the printer)"
    )
    (tmp_path / "notes.pdf").write_text("the catalogue, version 2\n")
    with pytest.raises(ComparisonError) as not_pdf:
        read_earlier(tmp_path / "notes.pdf")
    assert str(not_pdf.value) == f"{tmp_path / 'notes.pdf'}: not a PDF file (starts with b'the catalogue, v')"
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(booklet(tmp_path / "plain.pdf", FILMS)) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    with pytest.raises(ComparisonError) as encrypted:
        read_earlier(locked)
    assert str(encrypted.value) == f"{locked}: the PDF is encrypted; compare with an unencrypted file"
    owner_only = tmp_path / "owner.pdf"
    with pikepdf.open(tmp_path / "plain.pdf") as pdf:
        pdf.save(owner_only, encryption=pikepdf.Encryption(user="", owner="secret"))
    with pytest.raises(ComparisonError, match="the PDF is encrypted"):
        read_earlier(owner_only)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(b"%PDF-1.7\n" + b"\x00" * 40)
    with pytest.raises(ComparisonError, match=r"cut.pdf: the PDF is damaged and cannot be read \("):
        read_earlier(cut)
    with pytest.raises(ComparisonError, match="not a file"):
        read_earlier(tmp_path)


@pytest.mark.parametrize("make", ["missing", "not a pdf", "encrypted"])
def test_the_cli_refuses_an_earlier_pdf_before_building_with_one_line(tmp_path, make):
    old = tmp_path / "old.pdf"
    if make == "not a pdf":
        old.write_bytes(b"GIF89a not a catalogue")
    elif make == "encrypted":
        with pikepdf.open(booklet(tmp_path / "plain.pdf", FILMS)) as pdf:
            pdf.save(old, encryption=pikepdf.Encryption(user="pw", owner="pw"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["catalogue", str(ROOT / "data"), "-o", str(out), "--changed-since", str(old)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {old}: "), result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not out.exists()  # refused before the build


def test_json_needs_changed_since(tmp_path):
    result = CliRunner().invoke(cli, ["catalogue", str(ROOT / "data"), "-o", str(tmp_path), "--json"])
    assert result.exit_code == 2 and "--json needs --changed-since OLD.pdf" in result.output


# --- a real catalogue, changed and rebuilt ---------------------------------------------------------------


def _festival(root: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_festival", ROOT / "tools" / "make_festival.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_project(root, films=10, sections=2, venues=2, days=2)


def _texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _title(root: Path, slug: str) -> str:
    import yaml

    film = yaml.safe_load((root / "films" / slug / "film.yaml").read_text(encoding="utf-8"))
    return film["title"]["en"] if isinstance(film["title"], dict) else film["title"]


def _pages_of(texts: list[str], title: str) -> list[int]:
    """The pages (from 1) of a film's own entry: its title, then (after an original title) 'Directed by'."""
    pattern = re.compile(re.escape(title) + r"\s*\r?\n(?:[^\n]*\r?\n)?Directed by")
    return [n for n, text in enumerate(texts, 1) if pattern.search(text)]


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    """A catalogue built and sent to the printer: the project, its output folder (with the part cache) and
    a copy of the PDF as sent."""
    from presskit.build import BuildOptions, build_catalogue

    base = tmp_path_factory.mktemp("sent")
    root = _festival(base / "fest")
    build_catalogue(root, BuildOptions(out_dir=base / "out", jobs=2))
    shutil.copy(base / "out" / "catalogue.pdf", base / "sent.pdf")
    return root, base / "out", base / "sent.pdf"


def _rebuild(sent, tmp_path, change=None, *extra) -> tuple[Path, Path, object]:
    root, out = tmp_path / "fest", tmp_path / "out"
    shutil.copytree(sent[0], root)
    shutil.copytree(sent[1], out)
    if change:
        change(root)
    args = ["-q", "catalogue", str(root), "-o", str(out), "-j", "2", "--changed-since", str(sent[2]), *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return root, out, result


@pytest.mark.slow
def test_a_rebuild_with_nothing_changed_reports_no_page_changed(sent, tmp_path):
    _, out, result = _rebuild(sent, tmp_path)
    pages = len(_texts(sent[2]))
    assert result.stdout == f"no page changed since {sent[2]} ({pages} pages)\n"
    assert not (out / f"catalogue{SHEET_SUFFIX}").exists()


@pytest.mark.slow
def test_a_changed_synopsis_is_the_one_page_of_that_film(sent, tmp_path):
    def edit(root: Path) -> None:
        film = root / "films" / "film-006" / "film.yaml"
        text = film.read_text(encoding="utf-8")
        assert "returns to the family house" in text
        film.write_text(text.replace("returns to the family house", "comes back to the old family house"))

    root, out, result = _rebuild(sent, tmp_path, edit, "--json")
    report = json.loads(result.stdout)
    [page] = _pages_of(_texts(out / "catalogue.pdf"), _title(root, "film-006"))
    assert report["plates"] == [page] and report["changed"] == [page]
    assert report["moved"] == report["added"] == report["removed"] == []
    assert report["contact_sheet"] == str(out / f"catalogue{SHEET_SUFFIX}")
    assert len(pdfium.PdfDocument(report["contact_sheet"])) == 1


@pytest.mark.slow
def test_a_withdrawn_film_is_removed_and_the_pages_after_it_move_up(sent, tmp_path):
    """film-003 (a full page in the first section) withdrawn, with its screenings: its page is removed,
    every later page moves up one and prints differently (its folio), the contents change in place."""

    def withdraw(root: Path) -> None:
        festival = root / "festival.yaml"
        lines = festival.read_text(encoding="utf-8").splitlines(keepends=True)
        festival.write_text("".join(line for line in lines if "film: film-003" not in line), encoding="utf-8")

    old_texts = _texts(sent[2])
    [gone] = _pages_of(old_texts, _title(sent[0], "film-003"))
    root, out, result = _rebuild(sent, tmp_path, withdraw, "--json")
    report = json.loads(result.stdout)
    new_texts = _texts(out / "catalogue.pdf")
    # the withdrawn film's page first; the back matter may re-paginate too (a schedule day's continuation)
    assert report["removed"][0] == gone and all(p > gone for p in report["removed"][1:]), report["removed"]
    moved = report["moved"]
    olds = [m["old_page"] for m in moved]
    assert olds[0] == gone + 1 and olds == sorted(olds)  # every later page moves up
    assert all(m["page"] == m["old_page"] - 1 and m["differs"] for m in moved)
    assert moved[-1]["old_page"] >= len(old_texts) - 1  # every page after it, to the back matter
    contents = [n for n, text in enumerate(new_texts, 1) if re.search(r"(^|\n)Contents\r?\n", text.lstrip())]
    assert contents and set(contents) <= set(report["changed"])  # the contents list the new page numbers
    assert set(report["plates"]) >= {m["page"] for m in moved} | set(report["changed"])
    assert all(p < gone for p in report["changed"])  # changed in place: only pages before the withdrawn one
    sheet = pdfium.PdfDocument(report["contact_sheet"])
    assert len(sheet) == -(-(len(report["changed"]) + len(moved) + len(report["removed"]) + len(report["added"])) // 4)
