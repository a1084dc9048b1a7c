"""A tap is answered first: answerCallbackQuery (with the act's short result) as soon as the act
is decided, before the tapped message's buttons change and before the reply is sent."""

from __future__ import annotations

from devtools.standin.models import JSONDict
from tests.harness import Harness

KADIS = 1002


def _calls_since(h: Harness, start: int) -> list[tuple[str, JSONDict]]:
    return [(method.lower(), params) for method, params, _t in h.standin.calls[start:]]


def _first(calls: list[tuple[str, JSONDict]], method: str, chat: int | None = None) -> int:
    for i, (name, params) in enumerate(calls):
        if name == method.lower() and (chat is None or str(params.get("chat_id")) == str(chat)):
            return i
    raise AssertionError(f"no {method} in {[name for name, _p in calls]}")


async def test_an_approval_is_answered_before_its_buttons_change_and_its_reply(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    start = len(h.standin.calls)
    got = await p["kadis"].tap("✅ Setujui")
    assert "disetujui" in got[-1].text.lower()
    calls = _calls_since(h, start)
    answered = _first(calls, "answerCallbackQuery")
    assert answered < _first(calls, "editMessageReplyMarkup")
    assert answered < _first(calls, "sendMessage", KADIS)
    text = str(calls[answered][1].get("text") or "")
    assert text and "<" not in text and len(text) <= 200
    assert text.split()[0] in got[-1].text  # the reply's first line, shortened


async def test_a_refused_tap_is_answered_first_in_indonesian_and_still_replied(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    message_id, data = h.standin.find_button(KADIS, "✅ Setujui")
    start = len(h.standin.calls)
    got = await p["dinkes"].tap_data(message_id, data)  # not theirs
    calls = _calls_since(h, start)
    answered = _first(calls, "answerCallbackQuery")
    assert answered < _first(calls, "sendMessage", 2001)
    assert "editmessagereplymarkup" not in [name for name, _p in calls]  # nothing changed
    text = str(calls[answered][1].get("text") or "")
    assert "hanya untuk" in text or "bukan untuk Anda" in text, text
    assert text in got[-1].text.replace("<b>", "").replace("</b>", "")


async def test_a_malformed_tap_is_answered_with_its_refusal(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    start = len(h.standin.calls)
    got = await p["kadis"].tap_data(1, "a:xx:yy")
    calls = _calls_since(h, start)
    answered = _first(calls, "answerCallbackQuery")
    assert answered < _first(calls, "sendMessage", KADIS)
    assert "tidak dikenal" in str(calls[answered][1].get("text")), calls[answered]
    assert "tidak dikenal" in got[-1].text
