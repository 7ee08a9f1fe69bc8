"""Benchmark of document search: 100,000 documents of generated text indexed, then ten queries.

For each database (SQLite with FTS5, PostgreSQL with a GIN-indexed tsvector), side by side:
  * indexing: the documents, their versions and their index rows written in batches (the text already
    extracted: this measures the index, not PDF parsing), in documents per second;
  * search: ten queries (common and rare words, several words, a prefix), each run 5 times through the
    service's own search function with an HR user's visibility rules, first page of 20 with snippets;
    p50 and p95 of the 50 latencies.

Prints a table, writes bench/results/docs_search.json and the table into docs/PERFORMANCE.md.
Settings: BENCH_POSTGRES_URL, BENCH_DOCUMENTS (default 100,000).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from backoffice.docs.app import MIGRATIONS_DIR
from backoffice.docs.context import Context
from backoffice.docs.documents import search
from backoffice.docs.documents.models import Document, DocumentRole, DocumentVersion
from backoffice.docs.documents.schemas import DocumentFilter
from backoffice.docs.documents.search import search_documents
from backoffice.docs.settings import DocsSettings
from backoffice.docs.storage import LocalStorage
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database, utcnow
from backoffice.shared.migrations import upgrade
from report import publish, scratch_postgres
from sqlalchemy import insert, text

DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "100000"))
BATCH = 2000
HR = Principal("bench", frozenset({"hr"}), None, "bench", datetime(2100, 1, 1, tzinfo=UTC))
COMMON = [
    "invoice",
    "payment",
    "contract",
    "employee",
    "salary",
    "overtime",
    "policy",
    "report",
    "meeting",
    "supplier",
    "order",
    "delivery",
    "warehouse",
    "training",
    "safety",
    "equipment",
    "laptop",
    "account",
    "access",
    "leave",
    "holiday",
    "budget",
    "quarter",
    "annual",
    "review",
    "manager",
    "team",
    "customer",
    "project",
    "deadline",
    "approval",
    "signature",
    "amendment",
    "termination",
    "warning",
    "complaint",
    "insurance",
    "pension",
    "tax",
    "expense",
    "travel",
    "office",
    "phone",
    "message",
    "schedule",
    "shift",
    "vacation",
    "benefit",
    "bonus",
    "audit",
    "compliance",
    "risk",
]
QUERIES = [
    "invoice",
    "overtime policy",
    "contract amendment signature",
    "warehou",
    "pension insurance",
    "quarterly",
    "laptop access account",
    "zephyrine",
    "budget review manager",
    "termination warning complaint",
]
TYPES = ["contract", "letter", "report", "invoice", "memo"]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words = COMMON + ["quarterly", "zephyrine"] + [f"term{n}" for n in range(20000)]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    weights[words.index("zephyrine")] = 0.00002  # a rare word
    return words, weights


def rows(start: int, count: int, rng: random.Random, words: list[str], weights: list[float]) -> Any:
    now = utcnow()
    docs, versions, roles, index = [], [], [], []
    for n in range(start, start + count):
        doc_id = f"bench-{n:07d}"
        title = " ".join(rng.choices(words[:60], k=4)).capitalize()
        body = " ".join(rng.choices(words, weights=weights, k=150))
        doc_type = TYPES[n % len(TYPES)]
        docs.append(
            {
                "id": doc_id,
                "title": title,
                "type": doc_type,
                "tags": json.dumps([doc_type]),
                "folder_id": None,
                "owner_user_id": "someone",
                "employee_id": f"e{n % 5000}",
                "supplier_id": None,
                "ticket_id": None,
                "current_version": 1,
                "status": "active",
                "legal_hold": False,
                "copied_from_document_id": None,
                "copied_from_version": None,
                "source_event_id": None,
                "created_at": now,
                "updated_at": now,
                "trashed_at": None,
            }
        )
        versions.append(
            {
                "id": f"v-{doc_id}",
                "document_id": doc_id,
                "number": 1,
                "storage_key": None,
                "filename": f"{n}.txt",
                "content_type": "text/plain",
                "size": len(body),
                "sha256": "0" * 64,
                "text": body,
                "created_at": now,
                "created_by": "bench",
            }
        )
        roles.append({"document_id": doc_id, "role": "hr" if n % 2 else "payroll"})
        index.append({"id": doc_id, "title": search.fold(title), "meta": doc_type, "body": search.fold(body)})
    return docs, versions, roles, index


async def bench_one(backend: str, url: str, files: Path) -> dict[str, Any]:
    db = Database(url, pool_size=4)
    settings = DocsSettings(env="test")
    ctx = Context(settings=settings, storage=LocalStorage(files))
    rng = random.Random(7)
    words, weights = vocabulary(rng)
    try:
        await upgrade(db, MIGRATIONS_DIR)
        if db.is_sqlite:
            insert_index = text(
                "INSERT INTO document_search (document_id, title, meta, body) VALUES (:id, :title, :meta, :body)"
            )
        else:
            insert_index = text(
                "INSERT INTO document_search (document_id, title_vector, vector) VALUES (:id, "
                "to_tsvector('simple', :title), "
                "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :meta), 'B') || "
                "setweight(to_tsvector('simple', :body), 'C'))"
            )
        started = time.perf_counter()
        for start in range(0, DOCUMENTS, BATCH):
            docs, versions, roles, index = rows(start, min(BATCH, DOCUMENTS - start), rng, words, weights)
            async with db.session() as session:
                await session.execute(insert(Document), docs)
                await session.execute(insert(DocumentVersion), versions)
                await session.execute(insert(DocumentRole), roles)
                await session.execute(insert_index, index)
        indexed_s = time.perf_counter() - started
        async with db.session() as session:
            await session.execute(text("ANALYZE"))
        latencies: dict[str, list[float]] = {q: [] for q in QUERIES}
        totals: dict[str, int] = {}
        for _ in range(5):
            for query in QUERIES:
                began = time.perf_counter()
                async with db.session() as session:
                    page = await search_documents(session, HR, ctx, query, DocumentFilter(), limit=20, offset=0)
                latencies[query].append((time.perf_counter() - began) * 1000)
                totals[query] = page.total
    finally:
        await db.dispose()
    every = sorted(ms for values in latencies.values() for ms in values)
    row = {
        "backend": backend,
        "documents": DOCUMENTS,
        "index_s": round(indexed_s, 1),
        "docs_per_s": round(DOCUMENTS / indexed_s),
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(every[int(len(every) * 0.95) - 1], 1),
        "per_query": {
            q: {"hits": totals[q], "median_ms": round(statistics.median(v), 1)} for q, v in latencies.items()
        },
    }
    print(
        f"  {backend:8}: indexed {DOCUMENTS:,} in {indexed_s:.1f} s; search p50 {row['p50_ms']} ms, "
        f"p95 {row['p95_ms']} ms",
        flush=True,
    )
    return row


async def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="backoffice-bench-docs-"))
    results = [await bench_one("sqlite", f"sqlite+aiosqlite:///{tmp}/docs.db", tmp / "files")]
    async with scratch_postgres("bo_bench_docs") as url:
        if url is not None:
            results.append(await bench_one("postgres", url, tmp / "files"))
    lines = [
        "| database | documents | indexing (s) | documents/s | search p50 (ms) | search p95 (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['backend']} | {r['documents']:,} | {r['index_s']:.1f} | {r['docs_per_s']:,} "
            f"| {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |"
        )
    detail = [
        "",
        "| query | " + " | ".join(f"{r['backend']} hits / median ms" for r in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    for q in QUERIES:
        detail.append(
            f"| `{q}` | "
            + " | ".join(f"{r['per_query'][q]['hits']:,} / {r['per_query'][q]['median_ms']:.1f}" for r in results)
            + " |"
        )
    publish(
        "docs_search", f"Document search over {DOCUMENTS:,} documents", "\n".join(lines + detail), {"results": results}
    )


if __name__ == "__main__":
    asyncio.run(main())
