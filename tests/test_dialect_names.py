"""The module-level names Mastodon.py 2.x programs import (issue 15, DIALECTS.md rows M1, I2-I5,
I8 for the id type itself, R7's ``Entity.from_json``), and that adding them changed nothing a
Mastodon.py 1.8.1 program sees.

The names come from the interface spec, copied to spec_names_233.json so that the tests run
without it.
"""

import datetime
import importlib
import json
import os
import pickle
import typing

import pytest

from mastodon import AttribAccessDict, Mastodon, types_base
from mastodon.return_types import (
    Account, Dict, List, Marker, Notification, Optional, PaginatableList, Status, Union,
)
from mastodon.types_base import (
    BASE62_ALPHABET, AttribAccessList, Entity, MaybeSnowflakeIdType, base62_to_int, get_type_class,
    int_to_base62, real_issubclass, stringify_type, try_cast, try_cast_recurse,
)

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = json.load(open(os.path.join(HERE, "spec_names_233.json")))
SHARED_API = os.path.join(HERE, "..", "..", "shared", "spec", "api.json")

#: Private machinery of Mastodon.py 2.x's own typed decoder, which this library does differently
#: (ids, dates and unions are cast along mastodon/_casting.py's entity table): not provided.
LEFT_OUT = {
    "mastodon.types_base": {
        "_str_to_type", "_specialized_union_type", "_cached_type_hints", "_get_cached_type_hints",
        "_UNION_DISCRIMINATORS", "_UNION_SPECIALIZATIONS", "_UNION_SPECIALIZATION_DEFAULTS",
    },
}

NAMES = [(module, name) for module, names in SPEC["modules"].items() for name in names
         if name not in LEFT_OUT.get(module, ())]

UTC = datetime.timezone.utc


@pytest.mark.skipif(not os.path.exists(SHARED_API), reason="the interface spec is not beside the project")
def test_the_copy_matches_the_interface_spec():
    tag = json.load(open(SHARED_API))["tags"]["2.3.3"]
    types = tag["types_modules"]

    def listed(section):
        return [item["name"] if isinstance(item, dict) else item
                for key in ("functions", "classes", "constants") for item in section.get(key, [])]

    def module(name):
        section = types[name]
        return [c["name"] for c in section["classes"]] + section["functions"] + section["module_level_names"]

    assert SPEC["modules"] == {
        "mastodon": tag["package_exports"]["__all__"],
        "mastodon.return_types": module("return_types.py"),
        "mastodon.types_base": module("types_base.py"),
        "mastodon.streaming": listed(tag["streaming_module_level"]),
        "mastodon.streaming_websocket": listed(tag["streaming_websocket_module_level"]),
        "mastodon.versions": listed(tag["versions_module_level"]),
        "mastodon.utility": listed(tag["utility_module_level"]),
        "mastodon.errors": [e["name"] for e in tag["exceptions"]],
    }


@pytest.mark.parametrize("module, name", NAMES)
def test_a_name_mastodon_py_2_3_3_defines_exists_in_its_module(module, name):
    assert hasattr(importlib.import_module(module), name)


def test_left_out_names_are_private():
    assert all(name.startswith("_") for names in LEFT_OUT.values() for name in names)


# ---------------------------------------------------------------------------------------------
# M1: entity classes from mastodon.Mastodon, without changing its star import


@pytest.mark.parametrize("name", ["Status", "Account", "InstanceV2", "Notification", "IdType", "PaginatableList"])
def test_m1_from_mastodon_mastodon_import_an_entity_class(name):
    namespace = {}
    exec(f"from mastodon.Mastodon import {name}", namespace)
    assert namespace[name] is getattr(importlib.import_module("mastodon.return_types"), name)


def test_m1_the_star_import_of_mastodon_mastodon_brings_what_it_brought():
    namespace = {}
    exec("from mastodon.Mastodon import *", namespace)
    assert {"Mastodon", "AttribAccessDict", "AttribAccessList", "MastodonError", "api_version"} <= set(namespace)
    assert not {"Status", "Account", "Any", "TYPE_CHECKING", "Optional", "typing"} & set(namespace)


def test_m1_unknown_names_of_mastodon_mastodon_still_raise():
    module = importlib.import_module("mastodon.Mastodon")
    with pytest.raises(AttributeError):
        module.NoSuchThing  # noqa: B018
    with pytest.raises(ImportError):
        exec("from mastodon.Mastodon import NoSuchThing", {})


# ---------------------------------------------------------------------------------------------
# 1.8.1 programs see the same as before


def test_mastodon_utility_keeps_its_1_8_1_containers():
    utility = importlib.import_module("mastodon.utility")
    assert utility.AttribAccessDict is AttribAccessDict
    assert utility.AttribAccessList is AttribAccessList


def test_entity_classes_keep_their_bases():
    assert Status.__mro__ == (Status, AttribAccessDict, dict, object)
    assert list in AttribAccessList.__mro__ and Entity not in AttribAccessList.__mro__


def test_results_still_have_int_ids_and_1_8_1_containers(api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = api.status(1)
    assert type(status.id) is int and type(status.account.id) is int
    assert not isinstance(status.id, MaybeSnowflakeIdType)


def test_a_datetime_max_id_is_still_the_same_snowflake(api, server):
    server.route("GET", "/api/v1/timelines/home", body=[])
    api.timeline_home(max_id=datetime.datetime(2026, 1, 1, tzinfo=UTC))
    assert dict(server.last.query)["max_id"] == "115816896921600000"


# ---------------------------------------------------------------------------------------------
# Entity


def test_every_result_is_an_entity(api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = api.status(1)
    assert isinstance(status, Entity) and isinstance(status.account, Entity)
    assert isinstance(AttribAccessDict(), Entity) and isinstance(PaginatableList(), Entity)
    assert not isinstance({}, Entity) and not isinstance([], Entity)


def test_r7_entity_from_json_rebuilds_the_class(api, server):
    server.fixture("GET_api_v1_statuses_id_200", path="/api/v1/statuses/1")
    status = api.status(1)
    again = Entity.from_json(status.to_json())
    assert type(again) is Status and again == status
    assert Status.from_json(status.to_json()) == status


# ---------------------------------------------------------------------------------------------
# The id type (rows I2-I5, I8)

IDS = ["9", "10", "110248832095206210"]


def test_i2_an_id_equals_and_hashes_as_its_string():
    value = MaybeSnowflakeIdType("117")
    assert isinstance(value, str) and not isinstance(value, int)
    assert value == "117" and value != 117
    assert {"117": "x"}[value] == "x"
    with pytest.raises(KeyError):
        {117: "x"}[value]


def test_i3_ids_order_numerically_also_against_int_and_numeric_str():
    ids = [MaybeSnowflakeIdType(text) for text in reversed(IDS)]
    assert sorted(ids) == IDS and max(ids) == "110248832095206210"
    nine = MaybeSnowflakeIdType("9")
    assert nine < 10 and nine < "10" and "10" > nine and 10 > nine and nine <= 9 and nine >= "9"


def test_i3_base62_ids_order_by_their_time():
    earlier = MaybeSnowflakeIdType(datetime.datetime(2020, 1, 1, tzinfo=UTC), assume_pleroma=True)
    later = MaybeSnowflakeIdType(datetime.datetime(2024, 1, 1, tzinfo=UTC), assume_pleroma=True)
    assert earlier < later and sorted([later, earlier]) == [earlier, later]


@pytest.mark.parametrize("other", ["abc-def", "x y", ""])
def test_i3_an_id_that_is_neither_numeric_nor_base62_refuses_to_order(other):
    with pytest.raises(TypeError):
        MaybeSnowflakeIdType(other) < MaybeSnowflakeIdType("10")  # noqa: B015
    with pytest.raises(TypeError):
        MaybeSnowflakeIdType("10") < other  # noqa: B015
    with pytest.raises(TypeError):
        MaybeSnowflakeIdType("10") < 1.5  # noqa: B015


def test_i4_an_id_is_no_number():
    with pytest.raises(TypeError):
        MaybeSnowflakeIdType("9") + 1


def test_i5_conversions_and_repr():
    value = MaybeSnowflakeIdType("110248832095206210")
    assert int(value) == 110248832095206210 and type(str(value)) is str and str(value) == "110248832095206210"
    assert repr(value) == "110248832095206210"
    assert value._mastopy_type == "MaybeSnowflakeIdType"
    assert pickle.loads(pickle.dumps(value)) == value and type(pickle.loads(pickle.dumps(value))) is MaybeSnowflakeIdType


def test_i5_to_datetime_of_a_snowflake_is_naive_local_time():
    moment = datetime.datetime(2023, 4, 23, 15, 27, 53, tzinfo=UTC)
    value = MaybeSnowflakeIdType(moment)
    assert value.to_datetime() == moment.astimezone().replace(tzinfo=None)
    assert MaybeSnowflakeIdType("not-an-id").to_datetime() is None


def test_i8_an_id_from_a_datetime_is_the_wire_snowflake():
    value = MaybeSnowflakeIdType(datetime.datetime(2026, 1, 1, tzinfo=UTC))
    assert value == "115816896921600000" and type(value) is MaybeSnowflakeIdType
    assert MaybeSnowflakeIdType(115816896921600000) == "115816896921600000"


def test_i8_pleroma_ids_use_the_2_3_3_alphabet_and_go_back_to_their_time():
    assert BASE62_ALPHABET == "0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz"
    moment = datetime.datetime(2026, 1, 1, 12, 30, 15, 250000, tzinfo=UTC)
    value = MaybeSnowflakeIdType(moment, assume_pleroma=True)
    assert value.isalnum() and not value.isdigit()
    assert base62_to_int(value) >> 64 == int(moment.timestamp() * 1000)
    assert value.to_datetime() == moment.astimezone().replace(tzinfo=None)


@pytest.mark.parametrize("number", [0, 1, 61, 62, 3843, 2 ** 127 + 12345])
def test_base62_round_trips(number):
    assert base62_to_int(int_to_base62(number)) == number


def test_base62_digit_values():
    assert int_to_base62(10) == "A" and int_to_base62(36) == "a" and base62_to_int("10") == 62
    with pytest.raises(ValueError):
        base62_to_int("a-b")


# ---------------------------------------------------------------------------------------------
# The casting helpers, on the library's entity table


def test_try_cast_gives_a_dict_its_entity_class_and_its_entity_fields_theirs():
    status = try_cast(Status, {"id": "5", "account": {"id": "1"}, "media_attachments": [{"id": "2"}]})
    assert type(status) is Status and type(status.account) is Account
    assert type(status.media_attachments[0]).__name__ == "MediaAttachment"
    assert status.id == "5"  # field values as given: the decoding of ids and dates is a later step


def test_try_cast_keeps_an_already_cast_entity():
    status = try_cast(Status, {"id": "5"})
    assert try_cast(Status, status) is status and try_cast(AttribAccessDict, status) is status


@pytest.mark.parametrize("t, value, expected", [
    (bool, "TRUE", True), (bool, "false", False), (bool, "yes", False), (bool, 1, True),
    (int, "5", 5), (int, "x", "x"), (str, 5, "5"), (float, "1.5", 1.5),
    (datetime.datetime, "2020-01-02T03:04:05Z", datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)),
    (datetime.datetime, 1577934245, datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)),
    (datetime.datetime, "not a date", None),
    (MaybeSnowflakeIdType, 7, MaybeSnowflakeIdType("7")), (int, None, None), (typing.Any, "x", "x"),
])
def test_try_cast_primitives(t, value, expected):
    result = try_cast(t, value)
    assert result == expected and type(result) is type(expected)


def test_try_cast_recurse_walks_generic_types():
    page = try_cast_recurse(PaginatableList[Status], [{"id": "1"}, {"id": "2"}])
    assert type(page) is PaginatableList and [type(item) for item in page] == [Status, Status]
    listed = try_cast_recurse(Optional[List[Status]], [{"id": "1"}])
    assert type(listed) is list and type(listed[0]) is Status
    markers = try_cast_recurse(Dict[str, Marker], {"home": {"last_read_id": "3"}})
    assert type(markers["home"]) is Marker
    assert try_cast_recurse(Optional[Status], None) is None
    assert try_cast_recurse(List[int], ["1", "x"]) == [1, "x"]


def test_try_cast_recurse_picks_the_union_member_that_knows_the_keys():
    chosen = try_cast_recurse(Union[Account, Notification], {"type": "mention", "status": {"id": "1"}})
    assert type(chosen) is Notification and type(chosen.status) is Status


def test_try_cast_takes_a_type_named_in_text():
    assert type(try_cast("Status", {"id": "1"})) is Status
    assert try_cast("NoSuchType", {"id": "1"}) == {"id": "1"}


@pytest.mark.parametrize("t, text", [
    (Status, "Status"), (PaginatableList[Status], "PaginatableList[Status]"),
    (Optional[Status], "Optional[Status]"), (Union[Status, Account], "Union[Status, Account]"),
    (Dict[str, Marker], "Dict[str, Marker]"), (List[int], "List[int]"), (None, "None"),
])
def test_stringify_type(t, text):
    assert stringify_type(t) == text


def test_get_type_class_and_real_issubclass():
    assert get_type_class(Status) is Status and get_type_class(Optional[Status]) is Status
    assert get_type_class(List[Status]) is list and get_type_class(Union[Status, Account]) is None
    assert real_issubclass(PaginatableList[Status], list) and real_issubclass(Status, AttribAccessDict)
    assert not real_issubclass(1, int) and not real_issubclass(Union[Status, Account], Status)


def test_the_types_base_aliases_are_those_of_return_types():
    from mastodon import return_types
    for name in ("IdType", "PrimitiveIdType", "PathOrFile", "WebpushCryptoParamsPubkey", "WebpushCryptoParamsPrivkey"):
        assert getattr(types_base, name) is getattr(return_types, name)
    assert types_base.EntityList[Status] == AttribAccessList[Status]


def test_mastodon_class_still_builds():
    assert Mastodon.get_supported_version() == "3.5.5"
