"""How a call's arguments bind to the methods whose signature Mastodon.py 2.x changed (rows S2 to S6).

Those methods keep Mastodon.py 1.8.1's signature (``inspect.signature``, Sphinx and type checkers
see it). :func:`rebinding` wraps them: before the body runs, the client's dialect row binds the
call. Dialect ``"1.8"`` holds :func:`as_given`, which passes the arguments on untouched; dialect
``"2"`` holds :func:`as_2x`, which binds them to Mastodon.py 2.3.3's parameter list
(:data:`SIGNATURES_2X`) and hands them on by name, so ``status_reply(st, "hi", [5])`` means
``media_ids=[5]`` there and ``domain_block()`` raises the TypeError 2.x's binding raises.
"""

import inspect
from typing import Any, Callable, Dict, Tuple, TypeVar, cast

from decorator import decorate

_F = TypeVar("_F", bound=Callable[..., Any])

#: Mastodon.py 2.3.3's parameters (after ``self``) of the methods whose binding differs from
#: 1.8.1's, in order (``shared/spec/api.json``); a trailing ``!`` marks one without a default.
SIGNATURES_2X: Dict[str, Tuple[str, ...]] = {
    # S2: in_reply_to_id is gone, so every later positional moves one slot left; quote_id sits
    # before untag.
    "status_reply": ("to_status!", "status!", "media_ids", "sensitive", "visibility", "spoiler_text",
                     "language", "idempotency_key", "content_type", "scheduled_at", "poll", "quote_id",
                     "untag", "strict_content_type", "quoted_status_id", "quote_approval_policy"),
    # S3: offset comes second.
    "trending_tags": ("limit", "offset", "lang"),
    "trending_statuses": ("limit", "offset", "lang"),
    "trending_links": ("limit", "offset", "lang"),
    # S4 to S6: a parameter 1.8.1 defaulted to None is required.
    "domain_block": ("domain!",),
    "domain_unblock": ("domain!",),
    "admin_delete_domain_block": ("id!",),
    "status_update": ("id!", "status!", "spoiler_text", "sensitive", "media_ids", "poll", "media_attributes",
                      "quote_approval_policy"),
}

_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD
_KEYWORD = inspect.Parameter.KEYWORD_ONLY
_signatures: Dict[Callable[..., Any], inspect.Signature] = {}


def _signature_2x(function: Callable[..., Any]) -> inspect.Signature:
    """2.3.3's parameters of ``function``, then the rest of the library's as keyword-only ones
    (in_reply_to_id of status_reply: a keyword caller keeps what the signature promises).
    Defaults are left out of the binding: the method's own apply."""
    signature = _signatures.get(function)
    if signature is None:
        spec = SIGNATURES_2X[function.__name__]
        names = [name.rstrip("!") for name in spec]
        parameters = [inspect.Parameter(name.rstrip("!"), _POSITIONAL,
                                        default=inspect.Parameter.empty if name.endswith("!") else None)
                      for name in spec]
        own = list(inspect.signature(function).parameters)[1:]  # after self
        parameters += [inspect.Parameter(name, _KEYWORD, default=None) for name in own if name not in names]
        signature = _signatures[function] = inspect.Signature(parameters)
    return signature


def as_given(function: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any]
             ) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
    """Dialect "1.8": the call binds to the method's own (1.8.1's) signature, as written."""
    return args, kwargs


def as_2x(function: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any]
          ) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
    """Dialect "2": bind as Mastodon.py 2.3.3 does and pass everything by name. A call 2.3.3
    refuses raises its TypeError (``missing a required argument: 'domain'``, the text of the
    binding its version decorator does) before anything is sent."""
    return (), dict(_signature_2x(function).bind(*args, **kwargs).arguments)


def rebinding(function: _F) -> _F:
    """Bind the method's arguments as the client's dialect says before its body (and its version
    gate, when this is the outer decorator) runs. The signature seen from outside is unchanged."""
    def call(function: _F, self: Any, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = self._Mastodon__dialect.bind_arguments(function, args, kwargs)
        return function(self, *args, **kwargs)

    # kwsyntax=True: no binding of its own on the way in (dialect "1.8" pays one call).
    return cast(_F, decorate(function, call, kwsyntax=True))
