"""Full-text search. The index: SQLite FTS5 in the embedded default, PostgreSQL text search in production.
Titles weigh most, then metadata (type, tags, links), then the extracted text. The index is a table of its own,
written in the same transaction as the document. The search: the best candidates of the index, kept when the
caller may read them and they pass the filters, with a snippet of their text."""

from __future__ import annotations

import re
import unicodedata

from backoffice.docs.context import Context
from backoffice.docs.documents.audit import audit
from backoffice.docs.documents.models import Document, DocumentVersion
from backoffice.docs.documents.reading import document_read, listed, roles_by_document
from backoffice.docs.documents.schemas import DocumentFilter, Highlight, SearchHit, SearchPage
from backoffice.shared.auth import Principal
from backoffice.shared.errors import Unprocessable
from sqlalchemy import String, column, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import ColumnElement

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
    """Takes one document out of the index."""
    await session.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE document_id = :id"), {"id": document_id})


def words(query: str) -> list[str]:
    """The words of a query as the index keeps them (folded), at most 20."""
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
    tiers: list[tuple[str, dict[str, str]]]
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


def matching_sql(session: AsyncSession, query: str, language: str) -> tuple[str, dict[str, str]]:
    """SQL giving the ``document_id`` of every document with all the words (for counting)."""
    terms = words(query)
    if _sqlite(session):
        match = _fts_match(terms)
        return f"SELECT document_id FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match", {"match": match}
    return (
        f"SELECT document_id FROM {SEARCH_TABLE} WHERE vector @@ to_tsquery(CAST(:lang AS regconfig), :anywhere)",
        {"lang": language, "anywhere": _tsquery(terms)},
    )


# -- the search ---------------------------------------------------------------------------------------------
TOTAL_CAP = 1000  # beyond this a search says "more than 1,000" instead of counting every match
MIN_CANDIDATES = 100  # asked of the index at first: enough for a page of 20 when filters keep a third
MAX_CANDIDATES = 50_000
EXCERPT = 20_000  # characters of a document's text a snippet is looked for in


def snippet(body: str, terms: list[str], width: int = 90) -> str | None:
    """Some ``width`` characters of ``body`` around the first of the terms found in it; None when none is."""
    folded = fold(body)  # same length as the body for accented letters, so positions carry over
    positions = [p for p in (folded.find(t) for t in terms) if p >= 0]
    if not positions:
        return None
    start = max(min(positions) - width // 3, 0)
    piece = " ".join(body[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


def highlights(text_: str, terms: list[str]) -> list[Highlight]:
    """Where the words of a query are in ``text_`` (positions in the text as it is, not folded): a word equal to one
    of the terms, or starting with the last one (the search takes it as the start of a word)."""
    if not terms:
        return []
    whole, prefix = set(terms[:-1]), terms[-1]
    found = []
    for match in WORD.finditer(text_):
        word = fold(match.group())
        if word in whole or word.startswith(prefix):
            found.append(Highlight(start=match.start(), end=match.end()))
    return found


async def _best(
    session: AsyncSession, q: str, language: str, conditions: list[ColumnElement[bool]], wanted: int
) -> list[tuple[Document, float]]:
    """The ``wanted`` best matches that meet the conditions, best first, with their scores: more candidates are
    asked of the index while the page is not full."""
    pool = max(wanted * 3, MIN_CANDIDATES)
    while True:
        candidates = await ranked(session, q, language, pool)
        scores = dict(candidates)
        kept = (
            (await session.scalars(select(Document).where(Document.id.in_(list(scores)), *conditions))).all()
            if scores
            else []
        )
        if len(kept) >= wanted or len(candidates) < pool or pool >= MAX_CANDIDATES:
            break
        pool *= 4
    place = {document_id: n for n, (document_id, _) in enumerate(candidates)}
    return [(doc, scores[doc.id]) for doc in sorted(kept, key=lambda d: place[d.id])]


async def _count(session: AsyncSession, q: str, language: str, conditions: list[ColumnElement[bool]]) -> int:
    """How many documents match and meet the conditions, counted up to one more than ``TOTAL_CAP``."""
    match_sql, match_params = matching_sql(session, q, language)
    matching = text(match_sql).bindparams(**match_params).columns(column("document_id", String)).subquery()
    counted = (
        select(Document.id)
        .join(matching, matching.c.document_id == Document.id)
        .where(*conditions)
        .limit(TOTAL_CAP + 1)
    )
    return await session.scalar(select(func.count()).select_from(counted.subquery())) or 0


async def _hits(session: AsyncSession, rows: list[tuple[Document, float]], terms: list[str]) -> list[SearchHit]:
    """The page's hits: one query each for their current versions (with the start of their text) and roles."""
    ids = [doc.id for doc, _ in rows]
    versions = {
        v.document_id: (v, excerpt)
        for v, excerpt in (
            await session.execute(
                select(DocumentVersion, func.substr(DocumentVersion.text, 1, EXCERPT))
                .join(Document, Document.id == DocumentVersion.document_id)
                .where(DocumentVersion.document_id.in_(ids), DocumentVersion.number == Document.current_version)
                .options(defer(DocumentVersion.text))
            )
        ).all()
    }
    roles = await roles_by_document(session, ids)
    hits = []
    for doc, score in rows:
        version, excerpt = versions[doc.id]
        found = snippet(excerpt or "", terms)
        hits.append(
            SearchHit(
                document=document_read(doc, roles[doc.id], version),
                score=float(score),
                snippet=found,
                title_highlights=highlights(doc.title, terms),
                snippet_highlights=highlights(found, terms) if found else [],
            )
        )
    return hits


async def search_documents(
    session: AsyncSession, user: Principal, ctx: Context, q: str, filters: DocumentFilter, *, limit: int, offset: int
) -> SearchPage:
    """Documents with every word of ``q`` (the last may be the start of a word), best first. The index gives the
    best candidates; filters and access rules keep those the caller may see, taking more candidates while the
    page is not full."""
    terms = words(q)
    if not terms:
        raise Unprocessable("give at least one word to search for", slug="empty-query")
    language = ctx.settings.search_language
    conditions = listed(user, filters, "active")
    rows = (await _best(session, q, language, conditions, offset + limit))[offset : offset + limit]
    total = await _count(session, q, language, conditions)
    items = await _hits(session, rows, terms)
    audit(session, user.user_id, "search", None, None, q=q, results=min(total, TOTAL_CAP))
    return SearchPage(
        items=items, total=min(total, TOTAL_CAP), total_is_exact=total <= TOTAL_CAP, limit=limit, offset=offset
    )
