"""The next holder gets one message to act on: the file they act on, the task as its caption and
the buttons on it; the other files of the act come before it as one album (sendMediaGroup)."""

from __future__ import annotations

from tests.harness import Harness

PETUGAS = 1001
SENDS = {"sendmessage", "senddocument", "sendmediagroup", "sendphoto"}


async def test_after_an_approval_the_drafter_gets_one_album_and_one_message_to_act_on(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    before = len(p["petugas"].inbox)
    start = len(h.standin.calls)
    await p["kadis"].tap("✅ Setujui")
    await h.app.bot_data.sender.flush()
    sends = [
        (method.lower(), params)
        for method, params, _t in h.standin.calls[start:]
        if method.lower() in SENDS and str(params.get("chat_id")) == str(PETUGAS)
    ]
    assert [name for name, _p in sends] == ["sendmediagroup", "senddocument"]
    got = p["petugas"].inbox[before:]
    album, task = got[:-1], got[-1]
    assert len(album) >= 2
    assert all(m.document is not None and not m.buttons for m in album)
    assert "ditandatangani" in (album[0].text or "")  # the signed letter, with its notice
    assert task.document is not None  # the file to act on carries the task and its button
    assert "Langkah 2" in (task.text or "")
    assert any(b.text == "📤 Ajukan" for row in task.buttons for b in row)
    names = [m.document.filename for m in got if m.document is not None]
    assert len(set(names)) == len(names)  # every file once


async def test_an_album_refused_by_telegram_stays_owed_and_keeps_the_order(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    before = len(p["petugas"].inbox)
    h.standin.fail_next("sendMediaGroup", "500", count=4)  # every attempt of one flush (ATTEMPTS)
    await p["kadis"].tap("✅ Setujui")
    await h.app.bot_data.sender.idle()
    assert len(p["petugas"].inbox) == before  # the task waits behind its album
    await h.app.bot_data.sender.flush()  # the sweeper's next try
    got = p["petugas"].inbox[before:]
    assert got and all(not m.buttons for m in got[:-1])
    assert any(b.text == "📤 Ajukan" for row in got[-1].buttons for b in row)
