"""Stage 7, answer: the Python API every shell calls.

`assistant` (the `Assistant`: questions, register, clauses, quiz, adding and removing documents),
`render` (an answer's first line and its clause in the contract's shape)."""
