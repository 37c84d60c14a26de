"""Push decryption throughput: ``push_subscription_decrypt_push`` against calling http_ece
directly on the same messages, for legacy ``aesgcm`` and RFC 8291 ``aes128gcm``.

The direct baseline is what a hand-written relay does: parse the headers, build the private
key once, call ``http_ece.decrypt`` and ``json.loads`` the result. Prints decrypts per CPU
second and the ratio (ours / direct; 1.0 = as fast). One run::

    python benchmarks/bench_push.py
"""

import base64
import json
import os
import sys
import time

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mastodon import Mastodon  # noqa: E402

MESSAGES = 200
ROUNDS = 5


def b64url(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def point(key):
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def make_pushes(public, standard):
    """Pushes as Mastodon's web push worker sends them: a fresh server key and salt each."""
    pushes = []
    for number in range(MESSAGES):
        payload = json.dumps({"access_token": "x" * 43, "preferred_locale": "en", "notification_id": 1000 + number,
                              "notification_type": "mention", "icon": "https://example.com/a.png",
                              "title": "someone mentioned you", "body": "hello " * 30}).encode()
        server_key = ec.generate_private_key(ec.SECP256R1())
        salt = os.urandom(16)
        if standard:
            body = http_ece.encrypt(payload, salt=salt, private_key=server_key, dh=public["pubkey"],
                                    auth_secret=public["auth"], version="aes128gcm")
            pushes.append((body, None, None))
        else:
            body = http_ece.encrypt(payload, salt=salt, private_key=server_key, dh=public["pubkey"],
                                    auth_secret=public["auth"], keylabel="P-256", version="aesgcm")
            pushes.append((body, f"salt={b64url(salt)}", f"dh={b64url(point(server_key))};p256ecdsa=AAAA"))
    return pushes


def direct(pushes, private, standard):
    key = ec.derive_private_key(private["privkey"], ec.SECP256R1())
    for body, encryption, crypto_key in pushes:
        if standard:
            plain = http_ece.decrypt(body, private_key=key, auth_secret=private["auth"], version="aes128gcm")
        else:
            salt = unb64url(encryption.split("salt=", 1)[1])
            dh = unb64url(crypto_key.split("dh=", 1)[1].split(";", 1)[0])
            plain = http_ece.decrypt(body, salt=salt, private_key=key, dh=dh, auth_secret=private["auth"],
                                     keylabel="P-256", version="aesgcm")
        json.loads(plain)


def ours(api, pushes, private):
    for body, encryption, crypto_key in pushes:
        api.push_subscription_decrypt_push(body, private, encryption, crypto_key)


def best_rate(function, *args):
    """Decrypts per CPU second, best of ROUNDS (the least disturbed run)."""
    best = 0.0
    for _ in range(ROUNDS):
        start = time.process_time()
        function(*args)
        elapsed = time.process_time() - start
        best = max(best, MESSAGES / elapsed)
    return best


def main():
    api = Mastodon(api_base_url="http://127.0.0.1:9", mastodon_version="4.5.0", version_check_mode="none")
    private, public = api.push_subscription_generate_keys()
    print(f"{'encoding':<10} {'direct/s':>10} {'ours/s':>10} {'ratio':>7}")
    for standard, name in ((False, "aesgcm"), (True, "aes128gcm")):
        pushes = make_pushes(public, standard)
        ours(api, pushes[:5], private)  # warm up both paths
        direct(pushes[:5], private, standard)
        base = best_rate(direct, pushes, private, standard)
        mine = best_rate(ours, api, pushes, private)
        print(f"{name:<10} {base:>10.0f} {mine:>10.0f} {mine / base:>7.2f}")


if __name__ == "__main__":
    main()
