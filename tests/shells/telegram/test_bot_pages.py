"""The pages a list is turned through: kept per chat, bounded, with small callback data."""
from quydinh_bot.shells.telegram.pages import NEXT, PREVIOUS, PageStore, page_keyboard, parse_page_callback


def _buttons(keyboard) -> dict[str, str]:
    return {b.text: b.callback_data for row in keyboard.inline_keyboard for b in row} if keyboard else {}


def test_lists_are_kept_per_chat_and_bounded():
    store = PageStore(per_chat=3, total=5)
    first = store.add(1, ["a", "b"])
    assert store.get(first, 1).pages == ("a", "b")
    assert store.get(first, 2) is None  # a button forwarded to another chat finds nothing
    tokens = [store.add(1, [str(i)]) for i in range(3)]
    assert store.get(first, 1) is None  # pushed out: three lists a chat
    assert all(store.get(t, 1) for t in tokens)
    others = [store.add(chat, ["x"]) for chat in (2, 3, 4)]
    assert len(store) == 5 and store.get(tokens[0], 1) is None  # five in all, the oldest dropped
    assert all(store.get(t, chat) for t, chat in zip(others, (2, 3, 4)))
    for _ in range(50):
        store.add(9, ["y"])
    assert len(store) == 5


def test_keyboard_and_callback_data():
    assert page_keyboard("tok", 0, 1) is None
    assert _buttons(page_keyboard("tok", 0, 3)) == {NEXT: "p:tok:1"}
    assert _buttons(page_keyboard("tok", 1, 3)) == {PREVIOUS: "p:tok:0", NEXT: "p:tok:2"}
    assert _buttons(page_keyboard("tok", 2, 3)) == {PREVIOUS: "p:tok:1"}
    token = PageStore().add(-1001234567890, ["a"] * 9999)
    data = _buttons(page_keyboard(token, 5000, 9999))
    assert all(len(d.encode()) <= 64 for d in data.values())
    assert parse_page_callback(data[NEXT]) == (token, 5001)
    assert parse_page_callback("p:tok") is None and parse_page_callback("m:tok") is None
    assert parse_page_callback("p:tok:-1") is None and parse_page_callback("p:" + "x" * 60 + ":1") is None
