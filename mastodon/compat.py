"""Optional dependencies: each flag says whether the feature that needs it is available."""

try:
    import cryptography  # noqa: F401
    from cryptography.hazmat.backends import default_backend  # noqa: F401
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: F401
    from cryptography.hazmat.primitives import serialization  # noqa: F401
    IMPL_HAS_CRYPTO = True
except ImportError:  # pragma: no cover - depends on the installation
    IMPL_HAS_CRYPTO = False

try:
    import http_ece  # noqa: F401
    IMPL_HAS_ECE = True
except ImportError:  # pragma: no cover
    IMPL_HAS_ECE = False

try:
    import blurhash  # noqa: F401
    IMPL_HAS_BLURHASH = True
except ImportError:  # pragma: no cover
    IMPL_HAS_BLURHASH = False

try:
    import grapheme  # noqa: F401
    IMPL_HAS_GRAPHEME = True
except ImportError:
    IMPL_HAS_GRAPHEME = False

try:
    import magic  # noqa: F401
    IMPL_HAS_MAGIC = True
except ImportError:  # pragma: no cover
    IMPL_HAS_MAGIC = False

try:
    import websockets  # noqa: F401
    IMPL_HAS_WEBSOCKET = True  # WebSocket streaming (the "websocket" extra)
except ImportError:  # pragma: no cover
    IMPL_HAS_WEBSOCKET = False
