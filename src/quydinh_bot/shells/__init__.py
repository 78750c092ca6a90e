"""The shells over the Python API: `cli` (the `quydinh-bot` command), `api` (the HTTP service), `web`
(the staff page it serves), `telegram` (the bot). They call `quydinh_bot`'s public face only
(`Assistant`, `Corpus`, the records and errors), never a stage's modules."""
