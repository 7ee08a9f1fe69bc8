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
# FTS5 on SQLite; on PostgreSQL a table with a weighted tsvector and a GIN index (see the migration).
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
                f"INSERT INTO {SEARCH_TABLE} (document_id, vector) VALUES (:id, "
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


# On PostgreSQL ranking reads every matching tsvector; for words found in very many documents the ranking is done
# among the first documents with the words in their title plus the first with the words anywhere.
PG_RANK_POOL = 5000


def candidates_sql(session: AsyncSession, query: str, language: str) -> tuple[str, dict[str, Any]] | None:
    """SQL giving ``document_id, score`` (higher is better) of the best ``:n`` documents with all the words."""
    terms = words(query)
    if not terms:
        return None
    if _sqlite(session):
        # Each word quoted (no FTS syntax from users), all required; the last may be a prefix.
        match = " ".join(f'"{t}"' for t in terms[:-1]) + f' "{terms[-1]}"*'
        return (
            f"SELECT document_id, -bm25({SEARCH_TABLE}, 0.0, 10.0, 4.0, 1.0) AS score "
            f"FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match ORDER BY score DESC LIMIT :n",
            {"match": match},
        )
    last = len(terms) - 1
    anywhere = " & ".join(f"{t}:*" if i == last else t for i, t in enumerate(terms))
    in_title = " & ".join(f"{t}:*A" if i == last else f"{t}:A" for i, t in enumerate(terms))
    return (
        "WITH pool AS ("
        f"(SELECT document_id FROM {SEARCH_TABLE} WHERE vector @@ to_tsquery(CAST(:lang AS regconfig), :title) "
        "LIMIT :pool) UNION "
        f"(SELECT document_id FROM {SEARCH_TABLE} WHERE vector @@ to_tsquery(CAST(:lang AS regconfig), :anywhere) "
        "LIMIT :pool)) "
        f"SELECT s.document_id, ts_rank_cd(s.vector, to_tsquery(CAST(:lang AS regconfig), :anywhere)) AS score "
        f"FROM {SEARCH_TABLE} s JOIN pool ON pool.document_id = s.document_id ORDER BY score DESC LIMIT :n",
        {"lang": language, "title": in_title, "anywhere": anywhere, "pool": PG_RANK_POOL},
    )


def matching_sql(session: AsyncSession, query: str, language: str) -> tuple[str, dict[str, Any]]:
    """SQL giving the ``document_id`` of every document with all the words (for counting)."""
    terms = words(query)
    if _sqlite(session):
        match = " ".join(f'"{t}"' for t in terms[:-1]) + f' "{terms[-1]}"*'
        return f"SELECT document_id FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match", {"match": match}
    last = len(terms) - 1
    anywhere = " & ".join(f"{t}:*" if i == last else t for i, t in enumerate(terms))
    return (
        f"SELECT document_id FROM {SEARCH_TABLE} WHERE vector @@ to_tsquery(CAST(:lang AS regconfig), :anywhere)",
        {"lang": language, "anywhere": anywhere},
    )
