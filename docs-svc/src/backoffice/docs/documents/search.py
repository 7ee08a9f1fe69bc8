"""The full-text index: SQLite FTS5 in the embedded default, PostgreSQL text search in production. Titles
weigh most, then metadata (type, tags, links), then the extracted text. The index is a table of its own,
written in the same transaction as the document."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

SEARCH_TABLE = "document_search"
# FTS5 on SQLite; on PostgreSQL a table with a weighted tsvector of everything and one of the title alone, each with
# a GIN index (see the migration).
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
    "document_id UNINDEXED, title, meta, body, tokenize = 'unicode61 remove_diacritics 2')"
)
WORD = re.compile(r"\w+", re.UNICODE)


def fold(text_: str) -> str:
    """Lower case without accents, so 'Pólicy' finds 'policy' on both databases alike."""
    decomposed = unicodedata.normalize("NFKD", text_.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


async def index(session: AsyncSession, document_id: str, title: str, meta: str, body: str, language: str) -> None:
    """(Re)indexes one document."""
    await session.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE document_id = :id"), {"id": document_id})
    if _sqlite(session):
        await session.execute(
            text(f"INSERT INTO {SEARCH_TABLE} (document_id, title, meta, body) VALUES (:id, :title, :meta, :body)"),
            {"id": document_id, "title": fold(title), "meta": fold(meta), "body": fold(body)},
        )
    else:
        await session.execute(
            text(
                f"INSERT INTO {SEARCH_TABLE} (document_id, title_vector, vector) VALUES (:id, "
                "to_tsvector(CAST(:lang AS regconfig), :title), "
                "setweight(to_tsvector(CAST(:lang AS regconfig), :title), 'A') || "
                "setweight(to_tsvector(CAST(:lang AS regconfig), :meta), 'B') || "
                "setweight(to_tsvector(CAST(:lang AS regconfig), :body), 'C'))"
            ),
            {"id": document_id, "title": fold(title), "meta": fold(meta), "body": fold(body), "lang": language},
        )


async def remove(session: AsyncSession, document_id: str) -> None:
    await session.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE document_id = :id"), {"id": document_id})


def words(query: str) -> list[str]:
    return WORD.findall(fold(query))[:20]


# Ranking (BM25 on SQLite, ts_rank on PostgreSQL) reads every matching document: over the 50,000 documents of a
# common word that is most of a search. So documents with every word in their title come first, then the others;
# within each of these two tiers the matches are ranked by relevance when there are at most RANK_LIMIT of them, and
# shown newest first when there are more (a word that common says little; more words or filters narrow it down).
RANK_LIMIT = 5000


def _fts_match(terms: list[str]) -> str:
    # Each word quoted (no FTS syntax from users), all required; the last may be a prefix.
    return " ".join(f'"{t}"' for t in terms[:-1]) + f' "{terms[-1]}"*'


def _tsquery(terms: list[str]) -> str:
    last = len(terms) - 1
    return " & ".join(f"{t}:*" if i == last else t for i, t in enumerate(terms))


async def ranked(session: AsyncSession, query: str, language: str, n: int) -> list[tuple[str, float]]:
    """Up to ``n`` documents with every word of ``query`` as ``(document_id, score)``, in the order to show them."""
    terms = words(query)
    # each tier: its condition and parameters
    tiers: list[tuple[str, dict[str, Any]]]
    if _sqlite(session):
        anywhere = _fts_match(terms)
        in_title = f"{{title}} : ({anywhere})"
        match = f"{SEARCH_TABLE} MATCH :match"
        tiers = [(match, {"match": in_title}), (match, {"match": f"({anywhere}) NOT ({in_title})"})]
        score, newest = f"-bm25({SEARCH_TABLE}, 0.0, 10.0, 4.0, 1.0)", "rowid"
    else:
        tsquery = "to_tsquery(CAST(:lang AS regconfig), :q)"
        params = {"lang": language, "q": _tsquery(terms)}
        tiers = [
            (f"title_vector @@ {tsquery}", params),
            (f"vector @@ {tsquery} AND NOT (title_vector @@ {tsquery})", params),
        ]
        score = f"ts_rank(vector, {tsquery}, 1)"  # 1: longer documents weigh less
        newest = "document_id"  # UUIDv7: the order documents were filed in
    found: list[tuple[str, float]] = []
    for condition, tier_params in tiers:
        if len(found) >= n:
            break
        many = await session.scalar(
            text(f"SELECT count(*) FROM (SELECT 1 FROM {SEARCH_TABLE} WHERE {condition} LIMIT :cap) AS m"),
            {**tier_params, "cap": RANK_LIMIT + 1},
        )
        order = f"{newest} DESC" if (many or 0) > RANK_LIMIT else f"score DESC, {newest} DESC"
        rows = await session.execute(
            text(
                f"SELECT document_id, {score} AS score FROM {SEARCH_TABLE} WHERE {condition} ORDER BY {order} LIMIT :n"
            ),
            {**tier_params, "n": n - len(found)},
        )
        found += [(str(r[0]), float(r[1])) for r in rows]
    return found


def matching_sql(session: AsyncSession, query: str, language: str) -> tuple[str, dict[str, Any]]:
    """SQL giving the ``document_id`` of every document with all the words (for counting)."""
    terms = words(query)
    if _sqlite(session):
        match = _fts_match(terms)
        return f"SELECT document_id FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match", {"match": match}
    return (
        f"SELECT document_id FROM {SEARCH_TABLE} WHERE vector @@ to_tsquery(CAST(:lang AS regconfig), :anywhere)",
        {"lang": language, "anywhere": _tsquery(terms)},
    )
