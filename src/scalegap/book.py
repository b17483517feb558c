"""Publishing: assemble the book's source for one client and build it with Jupyter Book 1.x.

The source lives in ``_build/book/`` (never in the shared checkout): the
shared book pages, the executed chapter notebooks, and the consultant's own
notes from ``notes/*.md``.  The HTML goes to ``_build/html/``.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from scalegap import downloads, lean_imports, run_record, static_copies
from scalegap.client import ClientFolder
from scalegap.downloads import Download
from scalegap.errors import ConfigurationError, ExecutionError
from scalegap.fingerprint import code_digest, digest
from scalegap.formats import formats_markdown
from scalegap.resources import book_config, book_dir
from scalegap.run_record import RunRecord, run_record_markdown
from scalegap.settings import Settings

APPENDIX = ("methodology", "formats", "glossary", downloads.PAGE, run_record.PAGE)
#: the folder of the book's source whose content Sphinx copies beside the pages (the tables' files)
EXTRA = "_extra"
BUILD_LOG = "book-build.log"


def client_notes(client: ClientFolder) -> list[Path]:
    """The consultant's commentary pages: non-empty Markdown files in notes/, by name."""
    if not client.notes.is_dir():
        return []
    return sorted(path for path in client.notes.glob("*.md") if path.read_text(encoding="utf-8").strip())


ROOT_CHAPTER = "00_summary"
INTRODUCTION = "intro"


def table_of_contents(chapters: list[str], notes: list[str]) -> dict[str, Any]:
    """The executive summary is the root page (index.html leads to it); the general introduction follows it."""
    root = ROOT_CHAPTER if ROOT_CHAPTER in chapters else INTRODUCTION
    pages = [name for name in chapters if name != root]
    if root != INTRODUCTION:
        pages.insert(0, INTRODUCTION)
    parts = [{"caption": "Assessment", "chapters": [{"file": name} for name in pages]}]
    if notes:
        parts.append({"caption": "Consultant's commentary", "chapters": [{"file": f"notes/{n}"} for n in notes]})
    parts.append({"caption": "Appendix", "chapters": [{"file": name} for name in APPENDIX]})
    return {"format": "jb-book", "root": root, "parts": parts}


def chapter_of(note: Path, chapters: list[str]) -> str | None:
    """The chapter a note belongs in: ``notes/68_conversion_rate.md`` or ``notes/conversion_rate.md``; None for
    a note that matches no chapter (it stays a page of its own)."""
    for chapter in chapters:
        if note.stem in (chapter, chapter.partition("_")[2]):
            return chapter
    return None


COMMENTARY_TITLE = "Consultant's commentary"


def commentary_cell(text: str) -> dict[str, Any]:
    """A note as a Markdown cell: an admonition titled "Consultant's commentary".  Its headings become bold lines
    (an admonition holds no section); ``{glue:text}`` roles in it show the chapter's glued figures."""
    lines = [
        f"**{line.lstrip('#').strip()}**" if line.startswith("#") and line.lstrip("#").startswith(" ") else line
        for line in text.strip().splitlines()
    ]
    body = "\n".join(lines)
    fence = "`" * max(4, longest_backtick_run(body) + 1)
    source = f"{fence}{{admonition}} {COMMENTARY_TITLE}\n:class: scalegap-commentary\n\n{body}\n{fence}\n"
    return {"cell_type": "markdown", "id": "consultant-commentary", "metadata": {}, "source": source}


def longest_backtick_run(text: str) -> int:
    """The longest run of backticks in ``text`` (the commentary's fence must be longer)."""
    longest = current = 0
    for character in text:
        current = current + 1 if character == "`" else 0
        longest = max(longest, current)
    return longest


def book_settings(settings: Settings, logo: str | None = None) -> dict[str, Any]:
    """The book's configuration: the shipped one with the client's title, logo and footer (``branding``)."""
    config: dict[str, Any] = yaml.safe_load(book_config().read_text(encoding="utf-8"))
    branding = settings.branding
    config["title"] = plain_title(branding.title or f"{settings.client.name}: AI rollout assessment")
    config["author"] = branding.consultancy or "scalegap"
    theme = config["sphinx"]["config"]["html_theme_options"]
    if logo:
        config["logo"] = logo
        theme["logo"] = {"text": config["title"]}  # the title beside the logo, which would otherwise replace it
    theme["extra_footer"] = footer(settings)
    config["sphinx"]["config"]["html_extra_path"] = [EXTRA]
    return config


def footer(settings: Settings) -> str:
    """Every page's footer, escaped: who prepared the book, for whom, as of when, and how confidential it is."""
    date = settings.client.assessment_date
    parts = [
        settings.branding.consultancy and f"Prepared by {settings.branding.consultancy}",
        f"for {settings.client.name}",
        date and f"as of {date.day} {date:%B %Y}",
    ]
    said = " ".join(part for part in parts if part).strip()
    return (
        f'<p class="scalegap-footer">{html.escape(said[0].upper() + said[1:])}. '
        f"{html.escape(settings.branding.confidentiality)}</p>"
    )


def logo_file(client: ClientFolder, settings: Settings) -> Path | None:
    """The consultancy's logo in the client folder (``branding.logo``); a one-line error when it is missing."""
    if not settings.branding.logo:
        return None
    path = client.root / settings.branding.logo
    if not path.is_file():
        raise ConfigurationError(
            "the logo named by branding.logo is not in the client folder",
            file=path,
            hint="put the image there, or correct or empty branding.logo in assessment.yml",
        )
    return path


def theme_css(settings: Settings) -> str:
    """The theme's colours from the book's palette (branding.palette), as CSS the book loads after the theme's."""
    from scalegap.present.figures import PALETTE_ROLES, palette_colours  # seaborn: imported only here, once a run

    colours = palette_colours(settings.branding.palette)
    primary, secondary = colours[PALETTE_ROLES["pilot"]], colours[PALETTE_ROLES["rejected"]]
    return (
        "/* written by scalegap from branding.palette */\n"
        'html[data-theme="light"], html[data-theme="dark"] {\n'
        f"  --pst-color-primary: {primary};\n  --pst-color-secondary: {secondary};\n"
        f"  --pst-color-link: {primary};\n  --scalegap-accent: {primary};\n}}\n"
    )


def plain_title(name: str) -> str:
    """The client's name without HTML's special characters.

    The book theme writes the title into the navigation bar unescaped, so the
    characters that could form markup are replaced by look-alikes.
    """
    return name.replace("&", "and").replace("<", "‹").replace(">", "›").replace('"', "”")


def assemble(
    client: ClientFolder, settings: Settings, executed: list[Path], record: RunRecord, last_build: Path | None = None
) -> Path:
    """The book's source in ``client``'s build folder; each part made from the same inputs as in the build folder
    ``last_build`` (the last good build's, None: none to reuse) is copied from it (:mod:`scalegap.static_copies`)."""
    memo = static_copies.Memo.of(last_build)
    source = client.book_source
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for page in book_dir().iterdir():
        if page.is_file():
            shutil.copy2(page, source / page.name)
        elif page.is_dir():
            shutil.copytree(page, source / page.name)
    chapters = [notebook.stem for notebook in executed]
    every_note = client_notes(client)
    tables: list[Download] = []
    for notebook in executed:
        inside = [
            note.read_text(encoding="utf-8").strip()
            for note in every_note
            if chapter_of(note, chapters) == notebook.stem
        ]
        tables += static_copy(memo, notebook, source, "\n\n".join(inside) or None)
    notes = [note for note in every_note if chapter_of(note, chapters) is None]
    if notes:
        (source / "notes").mkdir()
        for note in notes:
            shutil.copy2(note, source / "notes" / note.name)
    (source / "formats.md").write_text(formats_markdown(), encoding="utf-8")
    (source / f"{downloads.PAGE}.md").write_text(downloads.data_page(tables), encoding="utf-8")
    (source / f"{run_record.PAGE}.md").write_text(run_record_markdown(record), encoding="utf-8")
    logo = logo_file(client, settings)
    if logo is not None:
        shutil.copy2(logo, source / "_static" / f"logo{logo.suffix.lower()}")
    (source / "_static" / "branding.css").write_text(branding_css(memo, settings), encoding="utf-8")
    config = book_settings(settings, f"_static/logo{logo.suffix.lower()}" if logo else None)
    (source / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    toc = table_of_contents(chapters, [note.stem for note in notes])
    (source / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    memo.write(client.build)
    return source


def static_copy(memo: static_copies.Memo, notebook: Path, source: Path, commentary: str | None) -> list[Download]:
    """The chapter's static copy in the book source ``source`` (:func:`write_static_copy`), copied from the last
    build when made from the same notebook, commentary and code; its tables."""
    key = static_copies.chapter_key(notebook, commentary, source.parent)
    reused = static_copies.copy_chapter(memo, notebook.stem, key, source / notebook.name, source / EXTRA, source.parent)
    if reused is not None:
        return reused
    tables = write_static_copy(notebook, source / notebook.name, source / EXTRA, commentary)
    static_copies.remember_chapter(memo, notebook.stem, key, tables)
    return tables


def branding_css(memo: static_copies.Memo, settings: Settings) -> str:
    """:func:`theme_css`, copied from the last build when made from the same palette and code."""
    key = digest({"palette": settings.branding.palette, "code": code_digest()})
    css = memo.reusable("branding", key)
    if not isinstance(css, str):
        css = theme_css(settings)
    memo.made("branding", key, css)
    return css


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def write_static_copy(notebook: Path, target: Path, extra: Path, commentary: str | None = None) -> list[Download]:
    """Copy an executed notebook for the book without live-widget state, each table followed by the links to
    its files (written under ``extra``, which the book publishes beside its pages), with the consultant's
    commentary on it (``notes/<chapter>.md``) at its end; returns the tables' files.

    In static HTML, ipywidgets would need a widget manager from a CDN and would
    render as nothing offline; chapters show precomputed results instead, and
    the live widgets stay in the notebooks in _build/notebooks/.
    """
    import nbformat

    document = nbformat.read(notebook, as_version=4)  # type: ignore[no-untyped-call]  # nbformat has no hints
    document.metadata.pop("widgets", None)
    title = chapter_title(document, notebook.stem)
    taken: set[str] = set()
    made: list[Download] = []
    for cell in document.cells:
        if cell.cell_type == "code":
            cell.outputs = [output for output in cell.outputs if WIDGET_VIEW not in output.get("data", {})]
            for output in cell.outputs:
                page = output.get("data", {}).get("text/html")
                if page:
                    text = "".join(page) if isinstance(page, list) else page
                    linked, tables = downloads.with_downloads(text, notebook.stem, title, extra, taken)
                    output["data"]["text/html"] = linked
                    made += tables
    if commentary and commentary.strip():
        document.cells.append(nbformat.from_dict(commentary_cell(commentary)))  # type: ignore[no-untyped-call]
    nbformat.write(document, target)  # type: ignore[no-untyped-call]
    return made


def chapter_title(document: Any, fallback: str) -> str:
    """The chapter's title: its first Markdown heading of the first level."""
    for cell in document.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return str(line[2:]).strip()
    return fallback


def jupyter_book_command() -> list[str]:
    """jupyter-book's command line, run by this interpreter (whose environment has it, wherever its scripts are),
    without the libraries scalegap never uses (:mod:`scalegap.lean_imports`)."""
    return [sys.executable, "-c", f"{lean_imports.PRELUDE}; from jupyter_book.cli.main import main; sys.exit(main())"]


def build_html(client: ClientFolder) -> Path:
    """Run ``jupyter-book build`` (warnings are errors); returns the book's index.html."""
    shutil.rmtree(client.html, ignore_errors=True)
    log = client.build / BUILD_LOG
    output = client.build / "jupyter-book"  # jupyter-book writes <path-output>/_build/html: inside this build
    command = jupyter_book_command() + [
        "build",
        str(client.book_source),
        "--path-output",
        str(output),
        "--all",
        "-W",
        "--keep-going",
    ]
    with log.open("w", encoding="utf-8") as handle:
        finished = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, check=False)
    if finished.returncode != 0:
        raise ExecutionError(
            f"the book build failed: {last_problem(log)}",
            file=log,
            hint="read the log; a warning in a notes/ page or a chapter fails the build",
        )
    if (output / "_build" / "html").is_dir():
        (output / "_build" / "html").rename(client.html)
    shutil.rmtree(output, ignore_errors=True)
    index = client.html / "index.html"
    if not index.is_file():
        raise ExecutionError("the book build wrote no index.html", file=log)
    return index


def last_problem(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace").splitlines()]
    flagged = [line for line in lines if "WARNING" in line or "ERROR" in line or "Error" in line]
    return (flagged or lines or ["no output"])[-1][:300]
