"""Stage 2, parse and extract: a document's text -> its clause tree with lead, partners and deadline.

`clauses` (numbered clauses, headings, tables, footnotes), `extract` (who leads, who partners, by when),
`deadlines` (a deadline phrase -> a due date), `links` (a task written twice: prose and table row),
`corpus` (every document parsed: the `Corpus` the register, the index and the quiz read)."""
