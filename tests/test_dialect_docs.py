"""docs/dialects.rst stays honest: it lists every row of the spec's DIALECTS.md once, and the rows
it marks implemented are the ones mastodon/_dialect.py says it implements (issue 15)."""

import os
import re

import pytest

from mastodon import _dialect

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = os.path.join(HERE, "..", "docs", "dialects.rst")
SPEC = os.path.join(HERE, "..", "..", "shared", "spec", "DIALECTS.md")
STATUSES = {"implemented", "both dialects", "same in both", "not yet"}


def page_rows():
    """``{row id: status}`` from the page's list-table (four cells per row)."""
    text = open(PAGE, encoding="utf-8").read()
    cells = re.findall(r"^   [* ] - (.*)$", text, re.M)
    rows = [cells[i:i + 4] for i in range(4, len(cells), 4)]  # after the header row
    assert len(rows) > 90 and all(len(row) == 4 for row in rows)
    return [(row[0], row[3]) for row in rows]


def test_every_row_has_one_known_status():
    rows = page_rows()
    assert len({row for row, _ in rows}) == len(rows)
    assert {status for _, status in rows} <= STATUSES


def test_the_rows_marked_implemented_are_those_of_the_dialect_table():
    assert {row for row, status in page_rows() if status == "implemented"} == _dialect.IMPLEMENTED_ROWS


@pytest.mark.skipif(not os.path.exists(SPEC), reason="the interface spec is not beside the project")
def test_the_page_lists_every_row_of_the_spec_in_its_order():
    spec = re.findall(r"^\| ([A-Z][0-9]+) \|", open(SPEC, encoding="utf-8").read(), re.M)
    assert [row for row, _ in page_rows()] == spec


def test_the_page_is_in_the_table_of_contents():
    index = open(os.path.join(HERE, "..", "docs", "index.rst"), encoding="utf-8").read()
    assert re.search(r"^   dialects$", index, re.M)
