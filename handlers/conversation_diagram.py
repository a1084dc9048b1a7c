"""A Mermaid state diagram of each chat conversation: `python -m handlers.conversation_diagram`.

The diagrams are drawn from the real `ConversationHandler` objects that `register_all` adds to
an application: their entry points, states and fallbacks, and, for each callback, the states it
can return. Those are read from the callback's own source (`return State.X`,
`return ConversationHandler.END`, a bare `return` that keeps the state, and `return await
_helper(...)`, followed into the helper of the same module); a return the reader cannot follow
stops the generator with the callback's name and line, so a diagram is never silently wrong.
The output is what `docs/conversations/<module>.mmd` holds (a test keeps the two equal).
"""

from __future__ import annotations

import argparse
import ast
import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    DictPersistence,
    MessageHandler,
)

from handlers import register_all
from handlers.context import BotApp, BotContext, Services

END = ConversationHandler.END
#: What a callback returning None (or a bare `return`) does: the conversation stays.
STAY = None
ANY = "any_state"


class UnreadableReturn(Exception):
    """A callback returns something the reader cannot resolve to a state."""


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str


def conversations(app: Any) -> list[ConversationHandler[Any]]:
    """The ConversationHandlers of `app`, in the order they were added."""
    found: list[ConversationHandler[Any]] = []
    for group in sorted(app.handlers):
        found.extend(h for h in app.handlers[group] if isinstance(h, ConversationHandler))
    return found


def registered_conversations() -> list[ConversationHandler[Any]]:
    """The conversations exactly as the bot registers them (no network, no database)."""
    builder = (
        ApplicationBuilder()
        .token("0:diagram")
        .updater(None)
        .context_types(ContextTypes(context=BotContext, bot_data=Services))
        .persistence(DictPersistence())  # a persistent conversation needs one; nothing is read
    )
    app: BotApp = builder.build()  # type: ignore[assignment]
    register_all(app)
    return conversations(app)


def module_of(conv: ConversationHandler[Any]) -> str:
    """The short name of the module whose callbacks the conversation runs (its file name)."""
    callback = getattr(conv.entry_points[0], "callback", None)
    module = getattr(callback, "__module__", None) or conv.name or "conversation"
    return module.rsplit(".", 1)[-1]


# --- what a callback returns ------------------------------------------------------------------
def _function_node(func: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef:
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node


def _returns(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Return]:
    """The function's own return statements in source order (not those of a function defined
    inside it)."""
    found: list[ast.Return] = []
    todo: list[ast.AST] = list(node.body)
    while todo:
        item = todo.pop()
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(item, ast.Return):
            found.append(item)
        todo.extend(ast.iter_child_nodes(item))
    return sorted(found, key=lambda r: (r.lineno, r.col_offset))


def _resolve(expr: ast.expr, scope: dict[str, Any]) -> Any:
    """A dotted name (`State.DATE`, `ConversationHandler.END`) looked up in the module."""
    if isinstance(expr, ast.Name):
        if expr.id not in scope:
            raise LookupError(expr.id)
        return scope[expr.id]
    if isinstance(expr, ast.Attribute):
        return getattr(_resolve(expr.value, scope), expr.attr)
    raise LookupError(ast.dump(expr))


def _values(expr: ast.expr | None, scope: dict[str, Any], seen: frozenset[Any]) -> list[Any]:
    """The states one returned expression may be: a name, `a if c else b`, `TABLE[key]` (every
    value of a module-level table), `await helper(...)` (what the helper returns)."""
    if isinstance(expr, ast.Await):
        expr = expr.value
    if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
        return [STAY]
    if isinstance(expr, ast.IfExp):
        return [*_values(expr.body, scope, seen), *_values(expr.orelse, scope, seen)]
    if isinstance(expr, ast.Call):
        return list(outcomes(_resolve(expr.func, scope), seen))
    if isinstance(expr, ast.Subscript):
        table = _resolve(expr.value, scope)
        if not isinstance(table, Mapping):
            raise TypeError(f"{ast.unparse(expr.value)} is not a table")
        return list(table.values())
    return [_resolve(expr, scope)]


def outcomes(func: Callable[..., Any], _seen: frozenset[Any] = frozenset()) -> tuple[Any, ...]:
    """What `func` may return, in source order: a state, END, or STAY (None)."""
    func = inspect.unwrap(func)
    if func in _seen:  # a helper that calls itself adds nothing new
        return ()
    scope = getattr(func, "__globals__", {})
    found: dict[Any, None] = {}
    for ret in _returns(_function_node(func)):
        try:
            found.update(dict.fromkeys(_values(ret.value, scope, _seen | {func})))
        except (LookupError, AttributeError, TypeError, OSError) as exc:
            where = f"{func.__module__}.{func.__qualname__}"
            raise UnreadableReturn(
                f"{where}, line {ret.lineno - 1 + func.__code__.co_firstlineno}: cannot tell "
                f"which state `return {ast.unparse(ret.value) if ret.value else ''}` gives "
                f"({exc}); return State.X, ConversationHandler.END or a helper's result"
            ) from exc
    return tuple(found)


# --- labels ---------------------------------------------------------------------------------
def _state_name(state: Any) -> str:
    if isinstance(state, Enum):
        return state.name
    return f"S{state}"


def readable_pattern(pattern: Any) -> str:
    """A callback-data pattern as a short text: `^a:\\d+:(no|url):\\d+$` -> `a:N:no/url:N`."""
    text = getattr(pattern, "pattern", pattern)
    if not isinstance(text, str):
        return getattr(text, "__name__", type(text).__name__)
    text = text.removeprefix("^").removesuffix("$")
    text = text.replace(r"\d+", "N").replace("[a-z]+", "*").replace("[a-z]", "*")
    text = re.sub(r"\[([a-z]+)\]", lambda m: "/".join(m.group(1)), text)
    return re.sub(r"\(([^()]*)\)", r"\1", text).replace("|", "/")


def readable_filter(flt: Any) -> str:
    """`filters.TEXT & ~filters.COMMAND` -> `text and not command`."""
    text = str(flt)
    while True:
        shorter = re.sub(r"<inverted ([^<>]*)>", r"not \1", text)
        if shorter == text:
            break
        text = shorter
    return text.replace("filters.", "").replace("<", "").replace(">", "").lower()


def trigger(handler: BaseHandler[Any, Any, Any]) -> str:
    """What starts `handler`: a button's callback data, a message, a command."""
    if isinstance(handler, CallbackQueryHandler):
        return f"button {readable_pattern(handler.pattern)}"
    if isinstance(handler, CommandHandler):
        return " ".join(f"/{c}" for c in sorted(handler.commands))
    if isinstance(handler, MessageHandler):
        return readable_filter(handler.filters)
    return type(handler).__name__


def _label(handler: BaseHandler[Any, Any, Any]) -> str:
    name = getattr(handler.callback, "__name__", "callback")
    return _safe(f"{name} ({trigger(handler)})")


def _safe(text: str) -> str:
    """Mermaid ends a transition's text at `;` and reads `#` as an entity."""
    return text.replace(";", ",").replace("#", "")


# --- the diagram ----------------------------------------------------------------------------
def edges(conv: ConversationHandler[Any]) -> list[Edge]:
    """Every transition: entry points from the start, each state's handlers, the fallbacks."""
    found: list[Edge] = []

    def add(source: str, handler: BaseHandler[Any, Any, Any]) -> None:
        for result in outcomes(handler.callback):
            if result is STAY:
                target = source if source not in ("[*]", ANY) else "[*]"
            elif result == END:
                target = "[*]"
            elif result in conv.states:
                target = _state_name(result)
            else:
                raise UnreadableReturn(
                    f"{handler.callback.__qualname__} of conversation {conv.name!r} returns "
                    f"{result!r}, which is none of its states"
                )
            found.append(Edge(source, target, _label(handler)))

    for handler in conv.entry_points:
        add("[*]", handler)
    for state, handlers in conv.states.items():
        for handler in handlers:
            add(_state_name(state), handler)
    for handler in conv.fallbacks:
        add(ANY, handler)
    return found


def mermaid(conv: ConversationHandler[Any]) -> str:
    """The state diagram of `conv` as Mermaid text (deterministic: same handlers, same text)."""
    flags = [
        f"{flag}" for flag in ("persistent", "allow_reentry", "per_message") if getattr(conv, flag)
    ]
    lines = [
        "%% Generated from the ConversationHandler by `python -m handlers.conversation_diagram`:",
        "%% do not edit by hand.",
        f"%% conversation {conv.name!r} in handlers.{module_of(conv)}"
        + (f" ({', '.join(flags)})" if flags else ""),
        "stateDiagram-v2",
    ]
    for state in conv.states:
        lines.append(f"    state {_state_name(state)}")
    if conv.fallbacks:
        lines.append(f'    state "any state" as {ANY}')
    for edge in dict.fromkeys(edges(conv)):
        lines.append(f"    {edge.source} --> {edge.target}: {edge.label}")
    if conv.allow_reentry:
        lines.append(f"    note right of {ANY}: an entry point also starts over from any state")
    return "\n".join(lines) + "\n"


def diagrams(convs: Sequence[ConversationHandler[Any]]) -> dict[str, str]:
    """File name -> Mermaid text, one per conversation."""
    out: dict[str, str] = {}
    for conv in convs:
        name = f"{module_of(conv)}.mmd"
        if name in out:  # two conversations of one module: the second is named by its name
            name = f"{module_of(conv)}.{conv.name}.mmd"
        out[name] = mermaid(conv)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m handlers.conversation_diagram", description=__doc__
    )
    p.add_argument("--out", type=Path, help="a folder to write <module>.mmd into (else stdout)")
    args = p.parse_args(argv)
    try:
        files = diagrams(registered_conversations())
    except UnreadableReturn as exc:
        print(exc, file=sys.stderr)
        return 1
    for name, text in files.items():
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / name).write_text(text, encoding="utf-8")
            print(args.out / name)
        else:
            sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
