"""`quydinh-bot quiz`: formats, files written whole, Vietnamese one-line errors."""
import json
import re

from openpyxl import load_workbook

from quydinh_bot.shells.cli import main


def test_forty_items_over_the_corpus(capsys):
    assert main(["quiz", "-n", "40", "--seed", "7", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 40
    assert len({i["question"] for i in items}) == 40
    assert all(i["type"] in {"lead", "deadline", "figure", "document", "blank", "truefalse"} for i in items)


def test_gift_and_csv_to_stdout(capsys):
    assert main(["quiz", "--doc", "kh-376-2025", "-n", "3", "--seed", "1", "--format", "gift"]) == 0
    out = capsys.readouterr().out
    assert out.count("::Câu ") == 3
    assert main(["quiz", "--doc", "kh-376-2025", "-n", "3", "--seed", "1", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffSTT,")


def test_xlsx_written_to_file(tmp_path, capsys):
    out = tmp_path / "de.xlsx"
    assert main(["quiz", "--doc", "ctr-01-2026", "-n", "5", "--seed", "1", "--types", "deadline", "figure",
                 "--format", "xlsx", "-o", str(out)]) == 0
    ws = load_workbook(out)["Câu hỏi"]
    assert ws.max_row == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["de.xlsx"]  # no temporary file left behind
    assert "Đã ghi 5 câu hỏi" in capsys.readouterr().err


def test_errors_are_one_vietnamese_line(tmp_path, capsys):
    cases = [
        (["quiz", "--format", "docx"], "cần tệp đầu ra"),
        (["quiz", "--doc", "khong-co"], "Không có văn bản mã"),
        (["quiz", "--types", "essay"], "Loại câu hỏi không hợp lệ"),
        (["quiz", "--doc", "ctr-26-2022", "--types", "figure", "-n", "60", "--seed", "1"], "Chỉ tạo được"),
        (["quiz", "-n", "2", "--seed", "1", "-o", str(tmp_path / "khong" / "co.json")], "Không có thư mục"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("Lỗi: ") and message in err and err.count("\n") == 1, err


def test_without_seed_each_run_draws_another_quiz_and_says_its_seed(capsys):
    """No --seed: a seed from a random source, printed so that the quiz can be made again with --seed."""
    runs = []
    for _ in range(2):
        assert main(["quiz", "--doc", "kh-376-2025", "-n", "8", "--format", "json"]) == 0
        out, err = capsys.readouterr()
        seed = int(re.search(r"--seed (\d+)", err).group(1))
        runs.append((seed, json.loads(out)))
    (s1, q1), (s2, q2) = runs
    assert s1 != s2 and q1 != q2
    assert main(["quiz", "--doc", "kh-376-2025", "-n", "8", "--format", "json", "--seed", str(s1)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == q1 and "Hạt ngẫu nhiên" not in err  # with --seed: reproducible, nothing to say
