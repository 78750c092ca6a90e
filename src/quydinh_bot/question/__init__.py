"""Stage 5, read the question: what was asked, typed however it was typed.

`query` (intent, named documents, provinces, bodies, dates; accents restored, abbreviations expanded),
`asked` (the asked phrase), `shortforms` (phone-style short forms and loose dates), `when` (time
expressions -> a window of due dates), `register` (questions about the task register -> a filter)."""
