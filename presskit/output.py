"""Writing output files: whole or not at all (a temporary file beside the target, then one rename), and the
files of one product all together or none (`together`): a build that fails leaves every earlier output of
that product as it was."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .edition import Edition
from .errors import PreflightError, environment_error

log = logging.getLogger("presskit")


def temporary_beside(path: Path, suffix: str = ".tmp", data: bytes | None = None) -> Path:
    """A new hidden file in `path`'s folder (created there so that `install` is a rename), holding `data`.
    A full disk or a folder that cannot be written raises OutputError, naming `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise (environment_error(exc, path, writing=True) or exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            if data is not None:
                handle.write(data)
    except BaseException as exc:
        Path(name).unlink(missing_ok=True)
        if isinstance(exc, OSError) and (error := environment_error(exc, path, writing=True)):
            raise error from exc
        raise
    return Path(name)


def install(tmp: Path, path: Path) -> None:
    """The finished temporary file `tmp` (temporary_beside) becomes `path`, in one rename."""
    os.chmod(tmp, 0o644)  # mkstemp creates 0600; output files are ordinary shareable files
    os.replace(tmp, path)


def write_atomic(path: Path, data: bytes, *, output: bool = False) -> None:
    """Write `data` to `path` through a temporary file and a rename: never a half-written file.
    A file that already holds exactly these bytes is left alone (no rewrite, mtime kept). An `output`
    (a product's file, not a cache's) written inside `together` is staged and installed with the others."""
    if isinstance(data, bytes) and path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    tmp = temporary_beside(path, data=data)
    try:
        if output:
            _install_or_stage(tmp, path)
        else:
            install(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- the files of one product, together -------------------------------------------------------------

Staged = list[tuple[Path, Path]]  # (finished temporary file, its target)
_GROUPS: list[Staged] = []  # the open groups, innermost last


@contextmanager
def together() -> Iterator[Staged]:
    """The outputs written inside (write_atomic, write_pdf) are installed when the block ends without an
    error, all of them, or none is: their temporary files are removed and every earlier file stays as it
    was. Nested, the outermost group installs."""
    with held() as group:
        yield group
    if _GROUPS:
        _GROUPS[-1].extend(group)
    else:
        commit(group)


@contextmanager
def held() -> Iterator[Staged]:
    """Like `together`, but what is staged stays staged when the block ends: the caller installs it
    (commit) or removes it (discard), e.g. a worker process hands it to the process that forked it."""
    group: Staged = []
    _GROUPS.append(group)
    try:
        yield group
    except BaseException:
        discard(group)
        raise
    finally:
        del _GROUPS[next(i for i in reversed(range(len(_GROUPS))) if _GROUPS[i] is group)]  # (by identity:
        # two groups holding the same files, or none, are equal lists)


def stage(staged: Staged) -> None:
    """Add files staged elsewhere (a worker's `held` group) to the open group, or install them now."""
    if _GROUPS:
        _GROUPS[-1].extend(staged)
    else:
        commit(staged)


def commit(group: Staged) -> None:
    for tmp, target in group:
        install(tmp, target)


def discard(group: Staged) -> None:
    for tmp, _ in group:
        tmp.unlink(missing_ok=True)
    group.clear()


def _install_or_stage(tmp: Path, target: Path) -> bool:
    """Install `tmp` as `target`, or stage it in the open group; True when staged."""
    if _GROUPS:
        _GROUPS[-1].append((tmp, target))
        return True
    install(tmp, target)
    return False


def write_pdf(data: bytes, target: Path, what: str, edition: Edition, ink: dict | None = None) -> Path:
    """Write a rendered PDF. A print PDF is post-processed for the press (postprocess.finish_print) and
    must pass the preflight before it replaces `target`; `ink` (cache.State.ink) remembers what the
    preflight measured."""
    if edition.is_print:
        from .postprocess import finish_print

        data = finish_print(data, edition, what)
        preflight_print(data, target, edition, what, ink)
    else:
        write_atomic(target, data, output=True)
    log.info("wrote %s", target)
    return target


def preflight_print(
    data: bytes | Path,
    target: Path,
    edition: Edition,
    what: str,
    ink: dict | None = None,
    known_ink: dict | None = None,
    processes: int = 1,
    pages: dict | None = None,
) -> None:
    """Preflight a print PDF (presskit.preflight) and install it as `target` when it passes; on errors
    PreflightError, and `target` is left as it was. `data` is the PDF's bytes (written to a temporary
    file beside `target` for the check), or such a temporary file already written, which is consumed
    (installed or removed). Either way the checked file is the one installed: the bytes are written once.
    `ink` (the build's cache.State.ink) is the ink coverage of each JPEG measured so far, this build or
    the ones before: the preflight decodes only the images it lacks, and adds their coverage to it;
    `known_ink` adds coverages measured while the images were prepared (preflight.jpeg_ink). `processes`:
    how many processes may check a long document's pages (preflight.preflight). `pages` (the build's
    cache.State.pages) remembers each page's findings: only the pages not seen before are checked again."""
    from .preflight import preflight

    target.parent.mkdir(parents=True, exist_ok=True)
    if known_ink:
        ink = ink if ink is not None else {}
        ink.update(known_ink)
    tmp = data if isinstance(data, Path) else temporary_beside(target, ".preflight.pdf", data)
    staged = False
    try:
        started = time.perf_counter()
        report = preflight(tmp, edition.preflight_profile, ink_cache=ink, processes=processes, page_cache=pages)
        seconds, remembered = time.perf_counter() - started, report.remembered
        log.debug("preflight of the %s: %.2f s, %d of %d pages remembered", what, seconds, remembered, report.pages)
        if report.ok:
            if isinstance(data, Path):  # (the caller's file: installed now)
                install(tmp, target)
            else:
                staged = _install_or_stage(tmp, target)
    finally:
        if not staged:
            tmp.unlink(missing_ok=True)
    for finding in report.warnings:
        if finding.check != "image-ppi":  # already reported by images.py, with the file's name
            log.warning("warning: %s, page %s: %s: %s", what, finding.page, finding.check, finding.message)
    if not report.ok:
        raise PreflightError(
            f"the {what} fails the {edition.preflight_profile} preflight; not written\n"
            + report.format_text().replace(str(tmp), str(target))
        )
