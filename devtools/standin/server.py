"""``BotApiStandin``: a local aiohttp server speaking the Telegram Bot API.

PTB is pointed at it with ``base_url=standin.base_url + "/bot"`` and
``base_file_url=standin.base_url + "/file/bot"``. See ``bot/standin/__init__.py`` for an example.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiohttp import web

from devtools.standin.faults import SENDING_METHODS, Fault, FaultPlan, FloodLimiter
from devtools.standin.methods import ApiMethods, Upload
from devtools.standin.models import ApiError, JSONDict

logger = logging.getLogger(__name__)

MAX_UPLOAD = 50 * 1024 * 1024
_INT_FIELDS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "user_id"}
    | {"reply_to_message_id", "message_thread_id", "from_chat_id"}
)
_BOOL_FIELDS = frozenset(
    {"disable_notification", "protect_content", "show_alert", "drop_pending_updates"}
    | {"disable_web_page_preview", "disable_content_type_detection", "has_spoiler"}
    | {"allow_sending_without_reply", "show_caption_above_media", "allow_paid_broadcast"}
)
_JSON_FIELDS = frozenset(
    {"reply_markup", "entities", "caption_entities", "commands", "scope", "allowed_updates"}
    | {"media"}
    | {"link_preview_options", "reply_parameters"}
)
_BAD_GATEWAY = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)

Handler = Callable[[JSONDict, dict[str, Upload]], Awaitable[Any]]


def _coerce(name: str, value: Any) -> Any:
    """Turn a form/query string (or a JSON value) into the type Telegram expects."""
    if name in _JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
    if name in _INT_FIELDS and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value)
    if name in _BOOL_FIELDS and isinstance(value, str):
        return value.lower() in ("true", "1")
    return value


def _json_response(body: JSONDict, status: int = 200) -> web.Response:
    return web.json_response(body, status=status)


class BotApiStandin(ApiMethods):
    """The Bot API stand-in: HTTP server, simulated users, records, faults, flood limits."""

    def __init__(
        self, token: str = "123:TEST", bot_username: str = "dik_test_bot", **kwargs: Any
    ) -> None:
        super().__init__(token, bot_username, **kwargs)
        self.base_url = ""
        #: When True, answer 429 beyond 30 sends/s overall or 1 send/s per chat.
        self.enforce_rate_limits = False
        self.flood = FloodLimiter()
        self._faults = FaultPlan()
        self._runner: web.AppRunner | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._methods: dict[str, Handler] = {
            name.removeprefix("api_"): getattr(self, name)
            for name in dir(self)
            if name.startswith("api_")
        }

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", r"/bot{token:[^/]+}/{method:[^/]+}", self._handle_method)
        app.router.add_get(r"/file/bot{token:[^/]+}/{path:.+}", self._handle_file)
        # handler_cancellation: a long poll whose client went away must not swallow updates.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound_port}"
        self._closing = False
        logger.debug("Bot API stand-in listening on %s", self.base_url)

    async def stop(self) -> None:
        """Wake pending long polls, finish background calls, close the server."""
        self._closing = True
        self._notify()
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def finish_background(self) -> None:
        """Wait for calls still running server-side (``slow`` faults whose client gave up)."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def __aenter__(self) -> BotApiStandin:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- faults ----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        kind: str,
        count: int = 1,
        retry_after: int = 1,
        delay: float = 6.0,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail with ``kind``.

        Kinds: ``"429"`` (with ``parameters.retry_after``), ``"500"``, ``"502"``, ``"drop"``
        (connection closed, call not executed), ``"slow"`` (executed after ``delay`` seconds;
        PTB's default read timeout is 5 s, so the default 6 s makes PTB raise TimedOut while the
        message is still sent).
        """
        self._faults.fail_next(method, kind, count, retry_after, delay)

    def set_fault_rate(
        self,
        rate: float,
        kinds: Iterable[str] = ("429", "500", "502", "drop"),
        seed: int | None = None,
        retry_after: int = 1,
        delay: float = 6.0,
    ) -> None:
        """Random faults on send/edit methods with probability ``rate`` (0 turns them off)."""
        self._faults.set_rate(rate, kinds, seed, retry_after, delay)

    def clear_faults(self) -> None:
        self._faults.clear()

    # -- HTTP ------------------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, Upload]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, Upload] = {}
        if request.method == "POST" and request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise ApiError(400, "Bad Request: JSON body must be an object")
                raw.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                for name, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        files[name] = (value.filename, value.file.read(), value.content_type)
                        value.file.close()  # else left to the GC when a slow call outlives it
                    else:
                        raw[name] = value
        params = {name: _coerce(name, value) for name, value in raw.items()}
        return params, files

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, 401
            )
        method = request.match_info["method"]
        try:
            params, files = await self._read_params(request)
        except ApiError as exc:
            return _json_response(exc.to_json(), exc.error_code)
        except web.HTTPRequestEntityTooLarge:
            return _json_response(
                {"ok": False, "error_code": 413, "description": "Request Entity Too Large"}, 413
            )
        logged = dict(params) | {name: f"<file {up[0]!r}>" for name, up in files.items()}
        self.calls.append((method, logged, time.monotonic()))
        self._notify()  # for wait_until
        handler = self._methods.get(method.lower())
        if handler is None:
            return _json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                404,
            )
        fault = self._faults.take(method)
        if fault is not None:
            self.stats[fault.kind] += 1
            if fault.kind == "slow":
                return await self._slow_call(fault, handler, method, params, files)
            return await self._fault_response(request, fault)
        return await self._execute(handler, method, params, files)

    async def _execute(
        self, handler: Handler, method: str, params: JSONDict, files: dict[str, Upload]
    ) -> web.Response:
        if self.enforce_rate_limits and method.lower() in SENDING_METHODS:
            retry_after = self.flood.check(params.get("chat_id"), time.monotonic())
            if retry_after is not None:
                self.stats["429"] += 1
                return self._too_many(retry_after)
        try:
            result = await handler(params, files)
        except ApiError as exc:
            return _json_response(exc.to_json(), exc.error_code)
        return _json_response({"ok": True, "result": result})

    def _too_many(self, retry_after: int) -> web.Response:
        return _json_response(
            ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            ).to_json(),
            429,
        )

    async def _fault_response(self, request: web.Request, fault: Fault) -> web.StreamResponse:
        if fault.kind == "429":
            return self._too_many(fault.retry_after)
        if fault.kind == "500":
            return _json_response(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"}, 500
            )
        if fault.kind == "502":
            return web.Response(status=502, text=_BAD_GATEWAY, content_type="text/html")
        # "drop": close the connection; handler_cancellation then cancels this handler.
        if request.transport is not None:
            request.transport.close()
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _slow_call(
        self,
        fault: Fault,
        handler: Handler,
        method: str,
        params: JSONDict,
        files: dict[str, Upload],
    ) -> web.Response:
        async def delayed() -> web.Response:
            await asyncio.sleep(fault.delay)
            return await self._execute(handler, method, params, files)

        # Shielded: the call completes even if the client times out and disconnects.
        task = asyncio.create_task(delayed())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return await asyncio.shield(task)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, 401
            )
        stored = self.file_by_path(request.match_info["path"])
        if stored is None:
            return _json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, 404
            )
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )
