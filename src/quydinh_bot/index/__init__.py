"""Stage 4, index: clauses -> a versioned search index on disk, and the corpus changed with it.

`build` (per-document parts + a manifest per version, switched atomically; loading and checking),
`parts` (one document's immutable share), `bm25` (lexical scores), `accents` and `grams` (accent
restoration from the corpus's n-grams), `journal` (corpus and index changed together, crash-safe),
`ingest` (adding and removing documents, rebuilding)."""
