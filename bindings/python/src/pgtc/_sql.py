"""Placeholders: ``%s`` and ``%(name)s`` → server-side ``$1 … $n``.

Values are never put into the SQL text; the placeholders are replaced by
PostgreSQL's numbered parameters and the values travel separately.

A small lexer follows PostgreSQL's lexical rules far enough to know what is
SQL and what is not: in ``'…'`` (also ``E'…'`` with backslash escapes, and
``U&'…'``, ``B'…'``, ``X'…'``), ``"…"`` identifiers, ``$tag$…$tag$`` dollar
quotes, ``-- …`` and nested ``/* … */`` comments, ``%s`` and ``%(name)s``
are left as they are.

``%%`` stands for ``%`` everywhere in the text, literals and comments
included, as in psycopg2 (so that text written for it keeps working); a
lone ``%`` inside a literal or comment is kept, while outside them a ``%``
that is not ``%%``, ``%s`` or ``%(name)s`` is an error (write ``%%`` for
the modulo operator).
"""

from __future__ import annotations

import functools
from typing import List, Optional, Tuple

from .errors import ProgrammingError

NONE, POSITIONAL, NAMED = 0, 1, 2


def _is_ident_char(c: str) -> bool:
    return c.isalnum() or c == "_" or c == "$" or ord(c) >= 0x80


def _is_ident_start(c: str) -> bool:
    return c.isalpha() or c == "_" or ord(c) >= 0x80


@functools.lru_cache(maxsize=512)
def parse(sql: str) -> Tuple[str, int, Tuple[str, ...], int]:
    """Convert placeholders in ``sql``.

    Returns (converted SQL, mode, names, count): mode is NONE (no
    placeholder), POSITIONAL (``%s``; count of them) or NAMED (``%(name)s``;
    names in order of first use, each numbered once however often it is
    used). Mixing both styles is a ProgrammingError.
    """
    out: List[str] = []
    n = len(sql)
    i = 0
    positional = 0
    names: List[str] = []
    index = {}

    def copy_percent(j: int) -> int:
        # Inside a literal or comment: %% -> %, any other % stays.
        if j + 1 < n and sql[j + 1] == "%":
            out.append("%")
            return j + 2
        out.append("%")
        return j + 1

    def placeholder_sep() -> str:
        # "abc%s" must not become the identifier "abc$1".
        if out and out[-1] and _is_ident_char(out[-1][-1]):
            return " "
        return ""

    while i < n:
        c = sql[i]
        if c == "%":
            nxt = sql[i + 1] if i + 1 < n else ""
            if nxt == "%":
                out.append("%")
                i += 2
            elif nxt == "s":
                if names:
                    raise ProgrammingError("cannot mix %s and %(name)s placeholders")
                positional += 1
                out.append(f"{placeholder_sep()}${positional}")
                i += 2
            elif nxt == "(":
                close = sql.find(")", i + 2)
                if close < 0 or close + 1 >= n or sql[close + 1] != "s":
                    raise ProgrammingError(
                        f"incomplete placeholder at position {i}: use %(name)s, or %% for %"
                    )
                if positional:
                    raise ProgrammingError("cannot mix %s and %(name)s placeholders")
                name = sql[i + 2 : close]
                if name not in index:
                    names.append(name)
                    index[name] = len(names)
                out.append(f"{placeholder_sep()}${index[name]}")
                i = close + 2
            else:
                raise ProgrammingError(
                    f"unsupported placeholder %{nxt} at position {i}: "
                    "use %s, %(name)s, or %% for a literal %"
                )
        elif c == "'":
            # Standard string; E'...' (escape string) if an E starts the token.
            j = i - 1
            escape = (
                j >= 0
                and sql[j] in "eE"
                and (j == 0 or not _is_ident_char(sql[j - 1]))
            )
            out.append("'")
            i += 1
            while i < n:
                c = sql[i]
                if c == "\\" and escape and i + 1 < n and sql[i + 1] != "%":
                    # \' and \\ do not end the string; a % after the
                    # backslash is still subject to %% (E'\%%' is E'\%').
                    out.append(sql[i : i + 2])
                    i += 2
                elif c == "'":
                    if i + 1 < n and sql[i + 1] == "'":
                        out.append("''")
                        i += 2
                    else:
                        out.append("'")
                        i += 1
                        break
                elif c == "%":
                    i = copy_percent(i)
                else:
                    out.append(c)
                    i += 1
        elif c == '"':
            out.append('"')
            i += 1
            while i < n:
                c = sql[i]
                if c == '"':
                    if i + 1 < n and sql[i + 1] == '"':
                        out.append('""')
                        i += 2
                    else:
                        out.append('"')
                        i += 1
                        break
                elif c == "%":
                    i = copy_percent(i)
                else:
                    out.append(c)
                    i += 1
        elif c == "-" and sql.startswith("--", i):
            # A line comment ends at a newline or a carriage return.
            end = i + 2
            while end < n and sql[end] not in "\n\r":
                end += 1
            i = _copy_span(sql, i, end, out)
        elif c == "/" and sql.startswith("/*", i):
            depth = 0
            j = i
            while j < n:
                if sql.startswith("/*", j):
                    depth += 1
                    j += 2
                elif sql.startswith("*/", j):
                    depth -= 1
                    j += 2
                    if depth == 0:
                        break
                else:
                    j += 1
            i = _copy_span(sql, i, j, out)
        elif c == "$" and not (i > 0 and _is_ident_char(sql[i - 1])):
            tag_end = _dollar_tag_end(sql, i)
            if tag_end is None:
                out.append(c)
                i += 1
            else:
                tag = sql[i:tag_end]
                close = sql.find(tag, tag_end)
                end = n if close < 0 else close + len(tag)
                i = _copy_span(sql, i, end, out)
        else:
            # Copy a run of ordinary characters at once.
            j = i + 1
            while j < n and sql[j] not in "%'\"-/$":
                j += 1
            out.append(sql[i:j])
            i = j
    mode = NAMED if names else POSITIONAL if positional else NONE
    return "".join(out), mode, tuple(names), positional


def _dollar_tag_end(sql: str, i: int) -> Optional[int]:
    """If a dollar-quote opening tag starts at i, the index after it."""
    n = len(sql)
    j = i + 1
    if j < n and sql[j] == "$":
        return j + 1
    if j < n and _is_ident_start(sql[j]):
        j += 1
        while j < n and (sql[j].isalnum() or sql[j] == "_" or ord(sql[j]) >= 0x80):
            j += 1
        if j < n and sql[j] == "$":
            return j + 1
    return None


def _copy_span(sql: str, start: int, end: int, out: List[str]) -> int:
    """Copy sql[start:end] (a literal or comment) turning %% into %."""
    out.append(sql[start:end].replace("%%", "%"))
    return end
