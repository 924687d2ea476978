"""Format readers: bytes of one file in, text (and, for corpus files, rows) out.

Each module knows one input format and nothing of the pipeline: `text` (byte decoding),
`html` (a page's main text), `corpus` (CSV / TSV / JSONL / Parquet files holding one report a
row), `docx` and `pdf`. `summarizer.ingest` picks the reader by content and turns what it
returns into `Document`s; `summarizer.recognize` says whether a text is a work report at all.
Readers raise `InputError` with a one-line message without the path, which `ingest` adds.
"""
