"""Safety of the command line: no traceback for a user's mistake, nothing of theirs overwritten.

- :class:`SafeGroup` runs every ``jusim`` command. A file-system error (a folder that cannot be
  written, a full disk) becomes a one-line message naming the path; any other unexpected error
  prints one line saying where the full report was written (a text file in the temporary folder)
  and exits with code 70. Errors the commands report themselves are untouched.
- :func:`claim_folder` and :func:`claim_file` apply the ``--out`` policy before any work starts:
  an existing file is never used as a folder; a folder holding files jusim did not write is
  refused; files jusim wrote before are overwritten only with ``--force``.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import traceback
from collections.abc import Iterable
from pathlib import Path

import typer
import typer.exceptions
from typer.core import TyperGroup

INTERNAL_ERROR = 70  # EX_SOFTWARE


def _reported_by_the_parser() -> tuple[type[BaseException], ...]:
    """Exceptions Typer/Click report themselves (bad options, --help, exits).

    Typer >= 0.2x vendors Click (its exceptions derive from ``TyperException``); older ones use
    Click itself: both are passed through.
    """
    kinds: list[object] = [SystemExit, typer.Exit, typer.Abort]
    kinds.append(getattr(typer.exceptions, "TyperException", None))
    try:
        import click

        kinds += [click.exceptions.Exit, click.ClickException, click.Abort]
    except ImportError:  # pragma: no cover - depends on the Typer version
        pass
    return tuple(k for k in kinds if isinstance(k, type))


PASS_THROUGH = _reported_by_the_parser()


class OutputError(Exception):
    """An ``--out`` (or ``--csv``) the policy refuses; the message says why and what to do."""


def _report(exc: BaseException) -> Path | None:
    """Write the full traceback to a file in the temporary folder; None if that fails too."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        fd, name = tempfile.mkstemp(prefix=f"jusim-error-{stamp}-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"jusim {' '.join(sys.argv[1:])}\n\n")
            f.write("".join(traceback.format_exception(exc)))
        return Path(name)
    except OSError:
        return None


def _say(message: str) -> None:
    from rich.markup import escape

    from jusim.cli import err_console

    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)


def describe_os_error(err: OSError) -> str:
    """``path: reason`` in plain words, e.g. ``sweeps/x/chunks: No space left on device``."""
    reason = err.strerror or str(err)
    where = err.filename if err.filename is not None else ""
    return f"{where}: {reason}" if where else reason


class SafeGroup(TyperGroup):
    """The ``jusim`` command group: turns stray exceptions into one line (see module docstring)."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except PASS_THROUGH:
            raise
        except KeyboardInterrupt:
            _say("interrupted")
            raise typer.Exit(130) from None
        except OutputError as err:
            _say(str(err))
            raise typer.Exit(2) from None
        except OSError as err:
            _say(f"could not read or write {describe_os_error(err)}")
            raise typer.Exit(1) from None
        except Exception as err:  # the last net: one line and a report file
            path = _report(err)
            where = f"the full report is in {path}" if path else "no report could be written"
            _say(f"internal error ({type(err).__name__}: {str(err)[:120]}); {where}")
            raise typer.Exit(INTERNAL_ERROR) from None


RUN_FILES = ("outcomes.parquet", "agencies.parquet", "system.parquet")
"""What ``jusim run --out`` writes."""
COMPARE_FILES = (
    "comparison.csv",
    "comparison.parquet",
    *RUN_FILES,
    "trajectories.png",
    "manifest.json",
    "scenarios",
)
"""What ``jusim compare --out`` writes (``scenarios/``: each arm's resolved scenario)."""
OUTPUT_MARKER = ".jusim-output"
"""A hidden file in every ``--out`` folder of ``run`` and ``compare``: jusim wrote this folder."""
SWEEP_MARKER = ".jusim-sweep"  # jusim/experiment/store.py writes it first in a sweep's folder


def _entries(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if not p.name.startswith(".tmp-") and p.name != OUTPUT_MARKER
    )


def written_by_jusim(folder: Path) -> bool:
    """A folder jusim wrote: a sweep's or an earlier ``--out`` (its hidden marker), or one that
    holds nothing but the files ``run`` or ``compare`` write (from before the marker)."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    names = {p.name for p in folder.iterdir()}
    if names & {OUTPUT_MARKER, SWEEP_MARKER}:
        return True
    return bool(names) and names <= set(COMPARE_FILES)


def claim_folder(out: Path, ours: Iterable[str], force: bool, what: str = "--out") -> Path:
    """Check ``out`` may receive the files named ``ours`` and create it; raise OutputError.

    A new or empty folder is fine; a folder holding only files of these names (an earlier run's)
    needs ``force``; a file, or a folder holding anything else, is refused. Sub-folders jusim
    wrote (``results/rsu`` of an earlier ``jusim run``) are its own and stay as they are.
    """
    ours = set(ours)
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(
                f"{what} {out}: is a file; give a folder (a new one, or one jusim wrote)"
            )
        if out.is_dir():
            present = [n for n in _entries(out) if n in ours]
            foreign = [n for n in _entries(out) if n not in ours and not written_by_jusim(out / n)]
            if foreign:
                raise OutputError(
                    f"{what} {out}: this folder holds files jusim did not write "
                    f"({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}); "
                    "give a new or empty folder"
                )
            if present and not force:
                raise OutputError(
                    f"{what} {out}: holds {', '.join(present)} from an earlier run; "
                    "add --force to overwrite them, or give a new folder"
                )
        out.mkdir(parents=True, exist_ok=True)
        (out / OUTPUT_MARKER).touch()
    except OSError as err:
        raise OutputError(f"{what} {out}: cannot be used ({describe_os_error(err)})") from None
    except ValueError as err:  # e.g. a NUL character in the path
        raise OutputError(f"{what} {out!s:.200}: not a usable path ({err})") from None
    return out


def claim_file(path: Path, force: bool, what: str = "--csv") -> Path:
    """Check a single output file may be written: an existing one only with ``force``."""
    try:
        if path.is_dir():
            raise OutputError(f"{what} {path}: is a folder; give a file name")
        if path.exists() and not force:
            raise OutputError(f"{what} {path}: exists; add --force to overwrite it")
        if not path.parent.is_dir():
            raise OutputError(f"{what} {path}: the folder {path.parent} does not exist")
    except OSError as err:
        raise OutputError(f"{what} {path}: cannot be used ({describe_os_error(err)})") from None
    except ValueError as err:
        raise OutputError(f"{what} {path!s:.200}: not a usable path ({err})") from None
    return path
