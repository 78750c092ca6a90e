"""Vietnamese text and the names it uses, shared by every stage: normalising and folding text
(`text`: NFC, one tone placement, accents off for keys, markup stripped, pyvi segmentation) and the
gazetteer of Party and state bodies and their abbreviations (`bodies`). Imports nothing of the pipeline."""
