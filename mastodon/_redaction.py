"""What debug output may show: requests and answers with every secret masked, by field.

Secrets are found by the name of the field that holds them, in request parameters (also inside
``a[b][c]`` form names), JSON answers at any depth and headers. Replacing the client's own token
wherever it appears in text is only a backstop, and only for values long enough to be a secret
(a one-character token must not turn ``mastodon`` into ``mas***odon``). Uploads are summarised
(name, type, size), never dumped.
"""

import json

SECRET_FIELDS = frozenset((
    "access_token", "refresh_token", "client_secret", "password", "token", "code", "code_verifier",
    "id_token", "secret",
    # Web push keys: the subscription's private key material and the server's signing key.
    "p256dh", "auth", "privkey", "pubkey", "server_key",
))
# Personal data (admin answers list users' addresses): masked whole, not even a hint of the ends.
PERSONAL_FIELDS = frozenset(("email", "unconfirmed_email", "ip", "ips", "canonical_email_hash"))
SECRET_HEADERS = frozenset(("authorization", "cookie", "set-cookie", "proxy-authorization"))
MASK = "***"
# Shortest secret shown with a hint of its ends (Mastodon's tokens have 43 characters).
_HINT_FROM = 32
# Shortest value the text backstop replaces: shorter ones are not credentials anyone issues.
_MIN_BACKSTOP = 8
# Debug output shows at most this many characters of a body.
_SHOWN_BODY = 20000


def mask(value):
    """A masked rendering of a secret value: a hint of its ends for values as long as access
    tokens are (to tell two tokens apart in a log), never its middle."""
    if value is None or value == "" or value == b"":
        return value
    text = value.decode("ascii", "replace") if isinstance(value, (bytes, bytearray)) else str(value)
    return MASK if len(text) < _HINT_FROM else text[:3] + MASK + text[-2:]


def _field(name):
    """The innermost field of a form name: ``subscription[keys][auth]`` → ``auth``."""
    name = name.lower()
    if name.endswith("[]"):
        name = name[:-2]
    if name.endswith("]"):
        name = name[name.rfind("[") + 1:-1]
    return name


def masking_for(name):
    """How a field's value is shown: None (as is), or the function that masks it."""
    if not isinstance(name, str):
        return None
    field = _field(name)
    if field in SECRET_FIELDS:
        return mask
    if field in PERSONAL_FIELDS or field.endswith("email"):
        return _hide
    return None


def is_secret_name(name):
    """Whether a parameter name holds a secret or personal data (``password``,
    ``subscription[keys][auth]``, ``email``...)."""
    return masking_for(name) is not None


def _hide(value):
    return value if value is None or value == "" else MASK


def masked_params(params):
    shown = {}
    for key, value in (params or {}).items():
        masking = masking_for(key)
        shown[key] = value if masking is None else (
            [masking(item) for item in value] if isinstance(value, list) else masking(value))
    return shown


def masked_headers(headers):
    shown = {}
    for name, value in dict(headers or {}).items():
        if isinstance(name, str) and name.lower() in SECRET_HEADERS:
            if isinstance(value, str) and value.startswith("Bearer "):
                value = "Bearer " + mask(value[7:])
            else:
                value = mask(value)
        shown[name] = value
    return shown


def summarised_files(files):
    """``{field: (name, mime type, size)}`` for the uploads of a request."""
    summary = {}
    for field, value in (files or {}).items():
        name, data, mime_type = None, value, None
        if isinstance(value, tuple):
            name = value[0] if len(value) > 0 else None
            data = value[1] if len(value) > 1 else None
            mime_type = value[2] if len(value) > 2 else None
        summary[field] = (name, mime_type, _size(data))
    return summary


def _size(data):
    if isinstance(data, (bytes, bytearray, memoryview, str)):
        return len(data)
    try:
        position = data.tell()
        data.seek(0, 2)
        size = data.tell()
        data.seek(position)
        return size
    except (AttributeError, OSError, ValueError):
        return None


def masked_json(value):
    """A decoded JSON value with the values of secret fields masked, at any depth."""
    if isinstance(value, dict):
        shown = {}
        for key, item in value.items():
            masking = masking_for(key)
            shown[key] = masked_json(item) if masking is None else _mask_tree(item, masking)
        return shown
    if isinstance(value, list):
        return [masked_json(item) for item in value]
    return value


def _mask_tree(value, masking):
    # A secret field may hold an object or a list (push ``keys``, admin ``ips``): mask every leaf.
    if isinstance(value, dict):
        return {key: _mask_tree(item, masking) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_tree(item, masking) for item in value]
    return masking(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else value


def shown_body(content, known_secrets=()):
    """The text of an answer for debug output: JSON with its secret fields masked, other text
    shortened; known secrets (the client's token) masked wherever they still appear."""
    if not isinstance(content, (bytes, bytearray)):
        return ""
    try:
        text = json.dumps(masked_json(json.loads(content)), ensure_ascii=False)
    except (ValueError, RecursionError):
        text = content[:_SHOWN_BODY].decode("utf-8", "replace")
    if len(text) > _SHOWN_BODY:
        text = text[:_SHOWN_BODY] + "..."
    return mask_known(text, known_secrets)


def mask_known(text, known_secrets):
    for secret in known_secrets:
        if isinstance(secret, str) and len(secret) >= _MIN_BACKSTOP:
            text = text.replace(secret, mask(secret))
    return text
