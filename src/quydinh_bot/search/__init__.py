"""Stage 6, search: a read question -> ranked clauses, or a decline with its reason.

`searcher` (the `Searcher`: dense + lexical + coverage ranking), `scope` (what the corpus holds: a
question naming something outside it is declined), `decision` (answer or decline), `figures` (which
figure of a clause a 'how many' question asks for)."""
