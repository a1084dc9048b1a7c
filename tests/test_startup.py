"""`python -m bot run` on a bad day: a token Telegram rejects (401, and 404 from a wrong
TELEGRAM_API_BASE_URL) stops it with one line and the configuration exit code; a Bot API that
cannot be reached is retried, one line per attempt, until it answers. Nothing of the token is
ever printed, whatever the log level."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web

from bot import exitcodes
from devtools.standin import BotApiStandin

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:AAHs3cr3t-Rejected_token"
SECRET_PART = TOKEN.split(":", 1)[1]
GENEROUS = float(
    os.environ.get("T_GEN", 120.0)
)  # seconds: a limit for a slow machine, never a measure of speed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def env_for(home: Path, api: str, **settings: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DIK_HOME": str(home),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api,
    }
    env.update({k.upper(): v for k, v in settings.items()})
    return env


class BotRun:
    """`python -m bot run` in a subprocess; its stderr read line by line as it comes."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self.stdout = b""
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        async for raw in self.proc.stderr:
            self.lines.append(raw.decode().rstrip("\n"))
            self._changed.set()
        self._changed.set()

    async def wait_line(self, predicate: Callable[[str], bool], what: str) -> str:
        async def seen() -> str:
            while True:
                for line in self.lines:
                    if predicate(line):
                        return line
                if self._reader.done():
                    raise AssertionError(f"exited before {what}:\n" + "\n".join(self.lines))
                self._changed.clear()
                await self._changed.wait()

        try:
            return await asyncio.wait_for(seen(), GENEROUS)
        except TimeoutError:
            raise AssertionError(f"no {what} in {GENEROUS} s:\n" + "\n".join(self.lines)) from None

    def count(self, predicate: Callable[[str], bool]) -> int:
        return sum(1 for line in self.lines if predicate(line))

    async def finish(self) -> int:
        assert self.proc.stdout is not None
        self.stdout = await asyncio.wait_for(self.proc.stdout.read(), GENEROUS)
        code = await asyncio.wait_for(self.proc.wait(), GENEROUS)
        await self._reader
        return code

    @property
    def output(self) -> str:
        return self.stdout.decode() + "\n".join(self.lines)


@contextlib.asynccontextmanager
async def bot_run(home: Path, api: str, **settings: str) -> AsyncIterator[BotRun]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=home,
        env=env_for(home, api, **settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    run = BotRun(proc)
    try:
        yield run
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()


@contextlib.asynccontextmanager
async def answering(status: int) -> AsyncIterator[str]:
    """A server answering every call with `status`: 401 as Telegram does for a revoked
    token; 404 as an HTML page that quotes the path (with the token in it), as a web server
    does when TELEGRAM_API_BASE_URL points at the wrong place."""

    async def handle(request: web.Request) -> web.Response:
        if status == 401:
            body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            return web.json_response(body, status=401)
        return web.Response(status=404, text=f"<h1>404 Not Found</h1> {request.path_qs}")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def assert_no_secret(text: str) -> None:
    assert TOKEN not in text
    assert SECRET_PART not in text
    assert SECRET_PART.replace("-", "%2D") not in text


@pytest.mark.parametrize("status", [401, 404])
@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_a_rejected_token_is_one_line_and_no_restart(
    status: int, level: str, tmp_path: Path
) -> None:
    async with answering(status) as api, bot_run(tmp_path, api, log_level=level) as run:
        code = await run.finish()
    assert code == exitcodes.CONFIG == 78, run.output
    errors = [line for line in run.lines if line.startswith("error")]
    assert errors == [
        "error: token ditolak oleh Telegram: periksa TELEGRAM_BOT_TOKEN "
        f"(dan TELEGRAM_API_BASE_URL={api})"
    ], run.output
    assert "Traceback" not in run.output
    assert_no_secret(run.output)
    if level == "DEBUG":
        assert "/bot<token>/getMe" in run.output  # the call was logged, redacted


async def test_no_network_is_one_line_per_retry_until_the_api_answers(tmp_path: Path) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    unreachable = "Bot API not reachable"
    standin = BotApiStandin(token=TOKEN, bot_username="dik_test_bot")
    async with bot_run(tmp_path, api) as run:
        await run.wait_line(
            lambda line: unreachable in line and "attempt 2 failed" in line, "a second attempt"
        )
        first, second = (line for line in run.lines if unreachable in line)
        assert "retrying in 1 s" in first and "retrying in 2 s" in second  # backing off
        assert "ConnectError" in first
        await standin.start(port=port)  # the network is back
        try:
            await standin.wait_until(
                lambda: any(c[0] == "getUpdates" for c in standin.calls), GENEROUS, "polling"
            )
            assert run.proc.returncode is None  # it kept trying; it did not exit

            await standin.stop()  # and now the network goes away while it polls
            await run.wait_line(
                lambda line: "polling for updates failed" in line and "retrying" in line,
                "a failed poll",
            )
            polls = len(standin.calls)
            await standin.start(port=port)
            await standin.wait_until(
                lambda: any(c[0] == "getUpdates" for c in standin.calls[polls:]),
                GENEROUS,
                "polling again",
            )
        finally:
            await standin.stop()
        run.proc.send_signal(signal.SIGTERM)
        code = await run.finish()
    assert code == exitcodes.OK, run.output
    assert "Traceback" not in run.output
    assert all(line[:4].isdigit() for line in run.lines), run.output  # every line a log line
    assert run.count(lambda line: unreachable in line) >= 2
    assert_no_secret(run.output)


async def test_stopped_while_the_api_is_away(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}"
    async with bot_run(tmp_path, api) as run:
        await run.wait_line(lambda line: "Bot API not reachable" in line, "a first attempt")
        run.proc.send_signal(signal.SIGTERM)
        code = await run.finish()
    assert code == exitcodes.OK, run.output
    assert "stopped before the Bot API answered" in run.lines[-1]
    assert "Traceback" not in run.output


def test_an_unexpected_error_is_printed_without_the_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import cli

    monkeypatch.setenv("DIK_HOME", str(tmp_path))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    (tmp_path / ".env").write_text("WEBHOOK_SECRET=w3bhook-Secret-value-0123456789\n")

    def boom(_args: object) -> int:
        raise RuntimeError(
            f"GET https://api.telegram.org/bot{TOKEN}/getMe with w3bhook-Secret-value-0123456789"
        )

    monkeypatch.setattr(cli, "_command", boom)
    assert cli.main(["office", "list"]) == exitcodes.SOFTWARE
    out, err = capsys.readouterr()
    assert "Traceback" in err and "RuntimeError" in err and "/bot<token>/getMe" in err
    assert "error: unexpected RuntimeError" in err.splitlines()[-1]
    assert_no_secret(out + err)
    assert "w3bhook-Secret-value-0123456789" not in err


def test_a_poll_cut_off_in_ptbs_task_is_one_warning_line() -> None:
    """When the network goes while a long poll is in flight, asyncio reports PTB's polling task
    ("Task exception was never retrieved") with a traceback: it becomes one line."""
    from telegram.error import NetworkError

    from bot.logs import OneLineNetworkFaults

    try:
        raise NetworkError("httpx.ReadError: ")
    except NetworkError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "asyncio",
        logging.ERROR,
        __file__,
        1,
        "Task exception was never retrieved\nfuture: <Task finished>",
        None,
        exc_info,
    )
    assert OneLineNetworkFaults().filter(record)
    text = logging.Formatter("%(levelname)s %(message)s").format(record)
    assert text == (
        "WARNING a request to the Bot API was cut off (NetworkError: httpx.ReadError: ); retrying"
    )
    other = logging.LogRecord(
        "asyncio", logging.ERROR, __file__, 1, "boom", None, (ValueError, ValueError("x"), None)
    )
    assert OneLineNetworkFaults().filter(other) and other.exc_info is not None  # a bug stays
