"""The line-aware plist parser: values, key lines, Apple's quirks and hostile XML."""

from __future__ import annotations

import datetime as dt
import plistlib

import pytest

from checker.errors import InputError
from checker.importers.cms import unwrap_signed
from checker.importers.plist import parse_plist
from tests.importer_helpers import FIX, line_of


def test_same_values_as_plistlib_and_key_lines() -> None:
    path = FIX / "apple" / "hs-ipad-students.mobileconfig"
    parsed = parse_plist(path.read_bytes(), path.name)
    expected = plistlib.loads(path.read_bytes())  # naive UTC datetimes; ours are aware
    expected["PayloadContent"][3]["Installed"] = expected["PayloadContent"][3]["Installed"].replace(
        tzinfo=dt.UTC
    )
    assert parsed.value == expected
    pos = parsed.positions
    assert pos["PayloadContent[0].minLength"] == (line_of(path, "<key>minLength</key>"), 4)
    assert pos["PayloadRemovalDisallowed"][0] == line_of(path, "<key>PayloadRemovalDisallowed</key>")
    assert pos["PayloadContent[1].whitelistedAppBundleIDs[1]"][0] == line_of(path, "com.apple.mobilesafari")
    assert pos["PayloadContent[3]"][0] == line_of(path, "<dict>", 5)  # list items: the element's own line


def test_real_data_and_date_values() -> None:
    path = FIX / "apple" / "hs-ipad-students.mobileconfig"
    payloads = parse_plist(path.read_bytes(), path.name).value["PayloadContent"]
    assert payloads[0]["maxInactivity"] == 5.0 and isinstance(payloads[0]["maxInactivity"], float)
    assert payloads[3]["Token"] == b"secret"
    assert payloads[3]["Installed"] == dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)


def test_plist_version_1_and_two_space_indent() -> None:
    path = FIX / "apple" / "mac-updates-v1.mobileconfig"
    parsed = parse_plist(path.read_bytes(), path.name)
    assert parsed.value["PayloadContent"][0]["AutomaticCheckEnabled"] is True
    assert parsed.positions["PayloadContent[0].AutomaticCheckEnabled"] == (
        line_of(path, "AutomaticCheckEnabled"),
        9,
    )


def test_duplicate_keys_keep_the_last_value_and_are_listed() -> None:
    text = b'<plist version="1.0"><dict>\n<key>a</key><integer>1</integer>\n<key>a</key><integer>2</integer>\n</dict></plist>'
    parsed = parse_plist(text, "dup.plist")
    assert parsed.value == {"a": 2}
    assert parsed.duplicates == [("a", 2, 3)]
    assert parsed.positions["a"][0] == 3


@pytest.mark.parametrize(
    ("name", "line", "says"),
    [
        ("entity-bomb.mobileconfig", 3, "XML DOCTYPE declares entities; k12check never expands XML entities"),
        ("xxe.mobileconfig", 3, "XML DOCTYPE declares entities"),
        ("parameter-entity.mobileconfig", 3, "XML DOCTYPE declares entities"),
        ("truncated.mobileconfig", 23, "ends early"),
        ("binary.plist", 1, "plutil -convert xml1"),
    ],
)
def test_hostile_and_broken_plists_are_one_line_errors(name: str, line: int, says: str) -> None:
    path = FIX / "hostile" / name
    with pytest.raises(InputError) as err:
        parse_plist(path.read_bytes(), name)
    assert err.value.line == line
    assert says in str(err.value)
    assert str(err.value).startswith(f"{name}:{line}: ")
    assert "\n" not in str(err.value)


def test_undeclared_entity_with_external_dtd_is_refused_not_fetched() -> None:
    text = b'<?xml version="1.0"?>\n<!DOCTYPE plist SYSTEM "http://127.0.0.1:9/x.dtd">\n<plist><string>&x;</string></plist>'
    with pytest.raises(InputError, match="undeclared XML entity 'x'"):
        parse_plist(text, "ext.plist")


def test_apple_doctype_without_entities_is_fine() -> None:
    text = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        b'"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><dict><key>k</key><string>&amp;</string></dict></plist>'
    )
    assert parse_plist(text, "ok.plist").value == {"k": "&"}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("<integer>six</integer>", "is not a valid integer"),
        ("<real>1.2.3</real>", "is not a valid real"),
        ("<date>yesterday</date>", "is not a valid date"),
        ("<data>!!!</data>", "is not a valid data"),
        ("<dict><key>a</key></dict>", "key 'a' has no value"),
        ("<dict><string>x</string></dict>", "without a <key>"),
        ("<foo/>", "unknown plist element <foo>"),
    ],
)
def test_bad_values_name_their_line(body: str, says: str) -> None:
    text = f'<plist version="1.0">\n{body}\n</plist>'.encode()
    with pytest.raises(InputError, match=says) as err:
        parse_plist(text, "bad.plist")
    assert err.value.line == 2


def test_hex_integers() -> None:
    assert parse_plist(b"<plist><integer>0x1F</integer></plist>", "h.plist").value == 31


@pytest.mark.parametrize("name", ["signed-der.mobileconfig", "signed-stream.mobileconfig"])
def test_cms_signed_profiles_are_unwrapped(name: str) -> None:
    """DER (30 82, as `openssl smime`) and indefinite-length BER (30 80, `openssl cms -stream`)."""
    signed = (FIX / "apple" / name).read_bytes()
    assert signed[:2] in (b"\x30\x82", b"\x30\x80")
    plain = parse_plist((FIX / "apple" / "mac-updates-v1.mobileconfig").read_bytes(), "plain")
    assert parse_plist(signed, name).value == plain.value


def _tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    head = bytes([n]) if n < 0x80 else b"\x82" + n.to_bytes(2, "big")
    return bytes([tag]) + head + content


def test_cms_chunked_octet_string_is_joined() -> None:
    """BER may split the content into OCTET STRING chunks: they are joined before parsing."""
    xml = b'<?xml version="1.0"?>\n<plist version="1.0"><dict><key>PayloadType</key><string>Configuration</string></dict></plist>'
    chunks = b"".join(_tlv(0x04, xml[i : i + 16]) for i in range(0, len(xml), 16))
    content = b"\x24\x80" + chunks + b"\x00\x00"  # constructed OCTET STRING, indefinite length
    encap = _tlv(
        0x30, _tlv(0x06, b"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01") + b"\xa0\x80" + content + b"\x00\x00"
    )
    signed_data = _tlv(0x30, _tlv(0x02, b"\x01") + _tlv(0x31, b"") + encap)
    der = (
        b"\x30\x80"
        + _tlv(0x06, b"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02")
        + _tlv(0xA0, signed_data)
        + b"\x00\x00"
    )
    assert unwrap_signed(der, "x") == xml
    assert parse_plist(der, "chunked.mobileconfig").value == {"PayloadType": "Configuration"}


def test_signed_without_plist_says_how_to_unwrap() -> None:
    der = b"\x30\x82\x00\x05" + _tlv(0x04, b"abc")
    with pytest.raises(InputError, match="security cms -D -i FILE"):
        parse_plist(der, "s.mobileconfig")
