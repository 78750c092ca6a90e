"""`quydinh-bot bot` itself (long polling through PTB's run_polling) in a subprocess against the
fake Bot API: it starts, answers, refuses a stranger, and stops cleanly on Ctrl+C."""
import os
import signal
import subprocess
import sys
from pathlib import Path

from fake_bot_api import TOKEN

SRC = Path(__file__).resolve().parents[3] / "src"


def test_bot_command_polls_answers_and_stops_on_interrupt(bot_assistant, fake_api, tmp_path):
    s = bot_assistant.settings
    env = dict(os.environ, PYTHONPATH=str(SRC), QUYDINH_CORPUS_DIR=str(s.corpus_dir),
               QUYDINH_INDEX_DIR=str(s.index_dir),
               QUYDINH_DATA_DIR=str(s.data_dir), QUYDINH_TELEGRAM_TOKEN=TOKEN, QUYDINH_TELEGRAM_API_URL=fake_api.url,
               QUYDINH_TELEGRAM_ALLOWED_USERS="42", QUYDINH_TELEGRAM_ALLOWED_CHATS="", QUYDINH_AUDIT_LOG="",
               QUYDINH_ENV_FILE=str(tmp_path / "none.env"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-m", "quydinh_bot", "bot"], env=env, stderr=subprocess.PIPE,
                            text=True)
    try:
        fake_api.wait(lambda cs: any(c.method == "setMyCommands" for c in cs), timeout=180)
        mark = fake_api.mark()
        fake_api.message(42, "ai chu tri so hoa tai lieu")
        (sent,) = fake_api.wait_sent(1, since=mark)
        assert "Hoàn thành số hóa tài liệu" in sent["text"] and "Nguồn: " in sent["text"]
        mark = fake_api.mark()
        fake_api.message(43, "ai chu tri so hoa tai lieu")
        (sent,) = fake_api.wait_sent(1, since=mark)
        assert "chưa được cấp quyền" in sent["text"] and "43" in sent["text"]
        proc.send_signal(signal.SIGINT)
        err = proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert TOKEN not in err and "so hoa" not in err  # neither the token nor question text in the log
    assert "Traceback" not in err
