"""The order of search results on a real index (FTS5 / PostgreSQL text search): documents with every word in
their title first, each tier best first; a tier with more matches than the ranking limit shows newest first."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from backoffice.docs.app import MIGRATIONS_DIR
from backoffice.docs.documents import search
from backoffice.shared.db import Database
from backoffice.shared.ids import new_id
from backoffice.shared.migrations import upgrade


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database, MIGRATIONS_DIR)
    yield database
    await database.dispose()


async def _index(db: Database, docs: list[tuple[str, str]]) -> list[str]:
    """Indexes (title, body) pairs in this order, the last the newest; returns their ids."""
    ids = []
    async with db.session() as session:
        for title, body in docs:
            ids.append(new_id())  # UUIDv7: later ids are newer
            await search.index(session, ids[-1], title, "report", body, "simple")
    return ids


async def _order(db: Database, query: str, n: int = 50) -> list[str]:
    async with db.session(write=False) as session:
        return [document_id for document_id, _ in await search.ranked(session, query, "simple", n)]


async def test_title_matches_come_first_then_text_matches_best_first(db: Database) -> None:
    ids = await _index(
        db,
        [
            ("Budget review", "numbers"),  # 0: title
            ("Minutes", "the budget budget budget budget was discussed"),  # 1: text, often
            ("Annual budget", "budget budget budget budget budget budget"),  # 2: title, and often in the text
            ("Minutes", "a word on the budget among many other words about other things entirely"),  # 3: text, once
            ("Holiday plan", "nothing relevant"),  # 4: no match
        ],
    )
    order = await _order(db, "budget")
    assert set(order[:2]) == {ids[0], ids[2]}  # the title tier, in its own order of relevance
    assert order[2:] == [ids[1], ids[3]]  # then the text: the word four times in few words before once in many
    assert await _order(db, "budget", n=3) == order[:3]
    assert await _order(db, "budg") == order  # the last word may be a prefix
    assert await _order(db, "budget minutes") == [ids[1], ids[3]]  # every word, in title or text


async def test_beyond_the_ranking_limit_a_tier_shows_newest_first(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await _index(
        db,
        [
            ("Budget budget", "budget budget budget budget budget"),
            ("Budget", "numbers and a few other words"),
            ("Budget", "many other words in a long body of text that goes on and on about other things"),
            ("Minutes", "budget budget budget budget"),
            ("Minutes", "budget"),
        ],
    )
    ranked = await _order(db, "budget")
    assert ranked == [ids[0], ids[1], ids[2], ids[3], ids[4]]  # by relevance, the opposite of newest first
    monkeypatch.setattr(search, "RANK_LIMIT", 1)  # both tiers have more matches than that
    assert await _order(db, "budget") == [ids[2], ids[1], ids[0], ids[4], ids[3]]
    monkeypatch.setattr(search, "RANK_LIMIT", 2)  # three title matches are more; two text matches are not
    assert await _order(db, "budget") == [ids[2], ids[1], ids[0], ids[3], ids[4]]
    monkeypatch.setattr(search, "RANK_LIMIT", 3)
    assert await _order(db, "budget") == ranked
