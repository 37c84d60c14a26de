"""Web push decryption fed what a hostile or broken push service could send: any header text
and any body bytes end in a result or a MastodonPushDecryptError (never another exception), and
reading the Encryption / Crypto-Key headers stays linear in their length."""

import os

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings, strategies as st

from mastodon import Mastodon, push
from mastodon.errors import MastodonError
from mastodon.push import MastodonPushDecryptError, decrypt_push_payload
from test_push import b64url, mastodon_encrypt, mastodon_payload, raw_point

CLIENT = Mastodon(api_base_url="http://127.0.0.1:9", mastodon_version="4.5.0", version_check_mode="created")
PRIVATE, PUBLIC = CLIENT.push_subscription_generate_keys()

SALT = os.urandom(16)
SERVER_KEY = ec.generate_private_key(ec.SECP256R1())
LEGACY_BODY, LEGACY_HEADERS = mastodon_encrypt(mastodon_payload(), PUBLIC, salt=SALT, server_key=SERVER_KEY)
STANDARD_BODY, _ = mastodon_encrypt(mastodon_payload(), PUBLIC, standard=True)
GOOD_ENCRYPTION = f"salt={b64url(SALT)}"
GOOD_CRYPTO_KEY = f"dh={b64url(raw_point(SERVER_KEY))}"

# Every character str.isdigit() accepts: ASCII digits, other scripts' digits (int() reads
# '٤' as 4) and superscript or circled digits (int() refuses '²').
DIGITISH = [chr(code) for code in range(0x110000) if chr(code).isdigit()]
OWS = st.sampled_from(["", " ", "\t", "  "])
SEPARATORS = st.sampled_from([";", ",", "; ", " , ", ";;", ",,", '"', "=", " ", ""])


def _param(pair_and_quoted):
    (name, value), quoted = pair_and_quoted
    return f'{name}="{value}"' if quoted else f"{name}={value}"


RS_VALUES = st.one_of(
    st.text(alphabet=st.sampled_from(DIGITISH), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=6000).map(lambda length: "7" * length),  # past int()'s digit limit
    st.integers(min_value=0, max_value=2 ** 40).map(str),
    st.text(max_size=12),
)
PARAMS = st.tuples(st.one_of(
    st.tuples(st.sampled_from(["salt", "SALT"]),
              st.one_of(st.just(b64url(SALT)), st.binary(max_size=24).map(b64url), st.text(max_size=30))),
    st.tuples(st.sampled_from(["dh", "Dh"]),
              st.one_of(st.just(b64url(raw_point(SERVER_KEY))), st.binary(max_size=80).map(b64url),
                        st.text(max_size=30))),
    st.tuples(st.sampled_from(["rs", "RS"]), RS_VALUES),
    st.tuples(st.sampled_from(["keyid", "p256ecdsa"]), st.text(max_size=12)),
    st.tuples(st.text(max_size=6), st.text(max_size=12)),
), st.booleans()).map(_param)
STRUCTURED_HEADERS = st.lists(st.tuples(PARAMS, SEPARATORS), max_size=6).map(
    lambda items: "".join(param + separator for param, separator in items))
HEADERS = st.one_of(
    st.none(), STRUCTURED_HEADERS, STRUCTURED_HEADERS.map(lambda text: text.encode("utf-8")),
    st.text(max_size=80), st.binary(max_size=80),
)


def _damage(body_position_xor):
    body, position, xor = body_position_xor
    damaged = bytearray(body)
    damaged[position % len(damaged)] ^= xor
    return bytes(damaged)


BODIES = st.one_of(
    st.sampled_from([LEGACY_BODY, STANDARD_BODY]),
    st.binary(max_size=300),
    st.tuples(st.sampled_from([LEGACY_BODY, STANDARD_BODY]), st.integers(min_value=0),
              st.integers(min_value=1, max_value=255)).map(_damage),
)


# Half the time the headers start with a good salt / server key, so that what follows (rs,
# keyid, duplicates, garbage) is read too rather than refused at the first missing piece.
def _often_after(good):
    return st.tuples(st.booleans(), STRUCTURED_HEADERS, HEADERS).map(
        lambda choice: f"{good};{choice[1]}" if choice[0] else choice[2])


ENCRYPTION_HEADERS = _often_after(GOOD_ENCRYPTION)
CRYPTO_KEY_HEADERS = _often_after(GOOD_CRYPTO_KEY)


@settings(max_examples=400, deadline=None)
@given(body=BODIES, encryption=ENCRYPTION_HEADERS, crypto_key=CRYPTO_KEY_HEADERS)
def test_any_headers_and_body_give_a_result_or_a_push_decrypt_error(body, encryption, crypto_key):
    try:
        plaintext = decrypt_push_payload(body, PRIVATE, encryption, crypto_key)
    except MastodonError as error:
        assert isinstance(error, MastodonPushDecryptError)
        assert len(str(error)) < 400
    else:
        assert isinstance(plaintext, bytes)


@settings(max_examples=200, deadline=None)
@given(rs=RS_VALUES)
def test_any_rs_with_a_good_salt_and_server_key_never_leaks_a_raw_exception(rs):
    try:
        decrypt_push_payload(LEGACY_BODY, PRIVATE, f"{GOOD_ENCRYPTION}; rs={rs}", GOOD_CRYPTO_KEY)
    except MastodonError as error:
        assert isinstance(error, MastodonPushDecryptError)


TOKENS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8)
VALUES = st.text(alphabet="ABCXYZabcxyz0123456789-_=+/", max_size=12)


@settings(max_examples=200, deadline=None)
@given(entries=st.lists(st.dictionaries(TOKENS, VALUES, min_size=1, max_size=4), max_size=4),
       layout=st.tuples(OWS, OWS, OWS, st.booleans()))
def test_header_parser_reads_back_what_was_written(entries, layout):
    before, around, after, quoted = layout
    header = ",".join(
        ";".join(f"{before}{name.upper()}{around}={around}" + (f'"{value}"' if quoted else value) + after
                 for name, value in entry.items())
        for entry in entries)
    assert push._header_entries(header, "Encryption") == entries
    assert push._header_entries(header.encode("latin-1"), "Encryption") == entries


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), STRUCTURED_HEADERS))
def test_header_parser_gives_lower_case_token_names_for_any_text(text):
    for entry in push._header_entries(text, "Crypto-Key"):
        assert entry
        for name, value in entry.items():
            assert name and name == name.lower() and set(name) <= push._TOKEN_CHARS
            assert isinstance(value, str) and ";" not in value and "," not in value


# --- the record size ---------------------------------------------------------------------------

@pytest.mark.parametrize("rs, message", [
    ("²", "rs is not a number"),
    ("①", "rs is not a number"),
    ("٤٠٩٦", "rs is not a number"),  # Arabic-Indic 4096, which int() would accept
    ("4０96", "rs is not a number"),  # a fullwidth zero
    ("9" * 5000, "rs must be between 3 and 4294967295"),  # past int()'s 4300-digit limit
    ("0" * 5000 + "1" * 11, "rs must be between"),
    ("4294967296", "rs must be between"),
    ("0", "rs must be between"),
    ("2", "rs must be between"),
], ids=["superscript", "circled", "arabic-indic", "fullwidth", "5000-digits", "zeros-then-11-digits",
        "2**32", "zero", "two"])
def test_rs_must_be_ascii_digits_within_the_record_size_range(rs, message):
    with pytest.raises(MastodonPushDecryptError, match=message) as info:
        decrypt_push_payload(LEGACY_BODY, PRIVATE, f"{GOOD_ENCRYPTION};rs={rs}", GOOD_CRYPTO_KEY)
    assert len(str(info.value)) < 200


def test_superscript_rs_through_the_client_method_is_a_push_decrypt_error():
    with pytest.raises(MastodonPushDecryptError, match="rs is not a number"):
        CLIENT.push_subscription_decrypt_push(LEGACY_BODY, PRIVATE, f"{GOOD_ENCRYPTION};rs=²", GOOD_CRYPTO_KEY)


def test_crypto_key_entry_is_chosen_by_the_encryption_keyid():
    decoy = b64url(raw_point(ec.generate_private_key(ec.SECP256R1())))
    crypto_key = f'keyid="decoy";dh={decoy}, keyid="p256dh";{GOOD_CRYPTO_KEY}'
    notification = CLIENT.push_subscription_decrypt_push(
        LEGACY_BODY, PRIVATE, f'keyid="p256dh"; {GOOD_ENCRYPTION}', crypto_key)
    assert notification == mastodon_payload()


def test_parameter_names_are_ascii_tokens_before_lower_casing():
    # The Kelvin sign lower-cases to an ASCII 'k'; it must not make a 'keyid'.
    assert push._header_entries("\u212aeyid=x; salt=y", "Encryption") == [{"salt": "y"}]


# --- a megabyte of hostile header --------------------------------------------------------------

MEGABYTE = 1_000_000
HOSTILE_HEADERS = {
    "letters": "a" * MEGABYTE,
    "dashes": "-" * MEGABYTE,
    "letters-then-spaces": "a" * (MEGABYTE // 2) + " " * (MEGABYTE // 2),
    "a=": "a=" * (MEGABYTE // 2),
    "a=;": "a=;" * (MEGABYTE // 3),
    "quotes": '"' * MEGABYTE,
    "semicolons": ";" * MEGABYTE,
    "commas": "," * MEGABYTE,
    "equals": "=" * MEGABYTE,
    "long-salt": "salt=" + "A" * MEGABYTE,
    "long-dh": "dh=" + "A" * MEGABYTE,
    "long-rs": GOOD_ENCRYPTION + ";rs=" + "9" * MEGABYTE,
}


@pytest.mark.timeout(5)
@pytest.mark.parametrize("which", ["Encryption", "Crypto-Key"])
@pytest.mark.parametrize("shape", sorted(HOSTILE_HEADERS))
def test_megabyte_hostile_header_is_refused_quickly_with_a_short_message(shape, which):
    hostile = HOSTILE_HEADERS[shape]
    encryption, crypto_key = (hostile, GOOD_CRYPTO_KEY) if which == "Encryption" else (GOOD_ENCRYPTION, hostile)
    with pytest.raises(MastodonPushDecryptError) as info:
        decrypt_push_payload(LEGACY_BODY, PRIVATE, encryption, crypto_key)
    assert len(str(info.value)) < 200
