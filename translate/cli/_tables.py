"""The one table layout of the CLI: short values stay whole at 80 columns (CI logs, pipes).

A pipe or a CI log is 80 columns wide to rich. A boxed table spends three characters a column
on rules and padding, and when its columns still do not fit rich squeezes every column evenly,
cutting a number, a language code or a status word across lines or to "…". Here a table has no
vertical rules (``box.SIMPLE_HEAD``) and one space between columns (two for side-by-side text),
and each column is one of two kinds: :func:`short_col` (numbers, codes, ids, severity and status
words: never wrapped, so always whole) or :func:`text_col` (free text: wrapped at spaces, a word
folded only when it is wider than the column). A command lays its table out so that its short
columns fit in 80; ``tests/test_tables.py`` renders every command's table at that width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rich.table import Column, Table

__all__ = ["compact_table", "short_col", "text_col"]

Justify = Literal["left", "center", "right"]


def short_col(header: str, *, justify: Justify = "left", style: str | None = None) -> Column:
    """A column of short values (a number, code, id, status): never wrapped, never cut."""
    from rich.table import Column

    return Column(header, justify=justify, style=style or "", no_wrap=True)


def text_col(
    header: str,
    *,
    ratio: int | None = None,
    min_width: int | None = 10,
    max_width: int | None = None,
) -> Column:
    """A column of free text: wraps at spaces and folds only a word wider than itself.

    ``min_width`` keeps it readable when short columns take most of the width (make it the
    longest name it shows, so that a name is never folded); ``ratio`` shares the width left
    among several text columns (``expand`` tables).
    """
    from rich.table import Column

    return Column(header, overflow="fold", ratio=ratio, min_width=min_width, max_width=max_width)


def compact_table(
    *columns: Column,
    title: Any = None,
    caption: Any = None,
    gap: int = 1,
    show_lines: bool = False,
    expand: bool = False,
) -> Table:
    """A table with no vertical rules and ``gap`` spaces between columns (1 or 2: use 2 where
    several text columns stand side by side, so that their lines do not run together);
    ``show_lines`` puts a blank line between rows."""
    from rich import box
    from rich.table import Table

    return Table(
        *columns,
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        collapse_padding=gap < 2,
        pad_edge=False,
        show_edge=False,
        show_lines=show_lines,
        expand=expand,
    )
