"""Stage 1, read: a file -> checked text + metadata.

`document` (the `Document` record, the corpus folder, `DocumentError`), `convert` (a received file ->
parser text), readers per format (`plain` with its legacy-encoding repair in `legacy`, `docx`, `pdf`,
`tables`, `pdftable` for task tables flattened out of PDFs), `limits` and `sandbox` (size and
decompression checks; Word/PDF read in a limited child process), `meta` (the header block: kind,
number, date, issuer, province, title)."""
