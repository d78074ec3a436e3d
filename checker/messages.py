"""Finding messages: Jinja2 templates that always render.

A template reads the evidence and the document (``doc``, ``item``); a document is often
partial, so a field a template reads may be absent.  Templates see a *safe view*: any
absent field, however deep (``doc.sla.support_timezone`` when ``sla`` has no such key,
``item.model`` when there is no item), is :class:`NotStated` — it renders "not stated",
is false in ``if``, iterates as empty, and compares, calls or adds as itself, so no
template can fail on an absent value.  What a user reads is the rule's message or, if
a rule author's template is broken beyond that, the rule's title with the evidence —
never a template error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import ChainableUndefined, Template

from . import msgtemplates

NOT_STATED = "not stated"


class NotStated(ChainableUndefined):
    """An absent field in a template: "not stated" wherever it is used."""

    __slots__ = ()

    def __str__(self) -> str:
        return NOT_STATED

    def __call__(self, *args: Any, **kwargs: Any) -> NotStated:  # type: ignore[override]
        return self

    def _same(self, *args: Any, **kwargs: Any) -> NotStated:
        return self

    def _false(self, other: Any) -> bool:
        return False

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same  # type: ignore[assignment]
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _same  # type: ignore[assignment]
    __mod__ = __rmod__ = __neg__ = __pos__ = _same  # type: ignore[assignment]
    __lt__ = __le__ = __gt__ = __ge__ = _false  # type: ignore[assignment]


def evidence(value: Any) -> str:
    """How evidence reads in a message: null or absent → "not stated", lists joined, dates ISO."""
    if value is None or isinstance(value, NotStated):
        return NOT_STATED
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}" if abs(value) >= 10000 else str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(evidence(v) for v in value) + "]" if value else "none"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


class _SafeEnvironment(msgtemplates.BoundedSandbox):
    """A document mapping shows its fields, never its methods (``c.values`` is the field)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Mapping):
            try:
                return obj[argument]
            except (KeyError, TypeError):
                return self.undefined(obj=obj, name=str(argument))
        return super().getitem(obj, argument)


ENVIRONMENT = _SafeEnvironment(autoescape=False, finalize=evidence, undefined=NotStated)
msgtemplates.bound(ENVIRONMENT)  # sandboxed, size and step bounded


def compile_message(text: str) -> Template:
    return ENVIRONMENT.from_string(text)


def render(template: Template, context: dict[str, Any], *, timed: bool = True) -> str:
    """The message text; raises what the template raises (callers use :data:`on_template_error`).

    ``timed=False`` for the packaged rules (no clock; the size limits stay).
    """
    fact = context.get("fact")
    if callable(fact):  # a fact without a value is "not stated" too, even in arithmetic
        context = {**context, "fact": lambda name: _stated(fact(name), name)}
    return msgtemplates.render(template, context, timed=timed).strip()


def _stated(value: Any, name: str) -> Any:
    return NotStated(name=name) if value is None else value


def title_with_evidence(title: str, context: dict[str, Any]) -> str:
    """What a finding says when its template cannot render: the title and the value found."""
    return f"{title} (got {evidence(context.get('value'))})"


def on_template_error(title: str, context: dict[str, Any], exc: Exception) -> str:
    """What Rule.render shows when a template raises (tests replace it to make failures loud)."""
    return title_with_evidence(title, context)
