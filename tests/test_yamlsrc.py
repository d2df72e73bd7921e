"""The strict reader on its own: positions, encodings, and things PyYAML would accept silently."""

from __future__ import annotations

import datetime as dt

from lufa_cli.reading.yamlsrc import MAX_BYTES, read_yaml


def _read(tmp_path, raw: bytes):
    p = tmp_path / "x.yaml"
    p.write_bytes(raw)
    return read_yaml(p, display="x.yaml")


def test_values_and_positions(tmp_path) -> None:
    s = _read(tmp_path, "a: 1\nb:\n  - 2026-03-01\n  - '010'\n  - 文字\nc: true\nd: ~\ne: 1.5\n".encode())
    assert s.ok
    assert s.data == {"a": 1, "b": [dt.date(2026, 3, 1), "010", "文字"], "c": True, "d": None, "e": 1.5}
    assert s.positions[("b", 1)] == (4, 5)
    assert s.key_positions[("c",)] == (6, 1)


def test_bom_and_crlf(tmp_path) -> None:
    s = _read(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    assert s.ok and s.data == {"a": 1, "b": 2}


def test_utf16_refused(tmp_path) -> None:
    s = _read(tmp_path, "a: 1\n".encode("utf-16"))
    assert not s.ok and "UTF-16" in s.diagnostics[0].message


def test_gb18030_refused_with_advice(tmp_path) -> None:
    s = _read(tmp_path, "a: 1\nname: 鲁山县\n".encode("gb18030"))
    (d,) = s.diagnostics
    assert (d.line, d.col) == (2, 11)  # 鲁山 happen to be valid UTF-8 byte pairs; 县 is not
    assert "GBK/GB18030" in d.message and "UTF-8" in d.message
    assert s.data is None  # never mojibake in the data


def test_alias_bomb_is_refused_cheaply(tmp_path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    s = _read(tmp_path, bomb.encode())
    assert not s.ok
    assert any("锚点" in d.message for d in s.diagnostics)


def test_huge_file_refused(tmp_path) -> None:
    s = _read(tmp_path, b"#" * (MAX_BYTES + 1))
    assert not s.ok and "文件过大" in s.diagnostics[0].message


def test_control_character(tmp_path) -> None:
    s = _read(tmp_path, b"a: x\x07y\n")
    assert not s.ok and "控制字符 U+0007" in s.diagnostics[0].message


def test_yaml11_surprises_are_errors(tmp_path) -> None:
    s = _read(tmp_path, b"a: on\nb: Off\nc: 0x1F\nd: 1_000\ne: .nan\n")
    assert [d.line for d in s.diagnostics] == [1, 2, 3, 4, 5]


def test_quoted_values_stay_text(tmp_path) -> None:
    s = _read(tmp_path, b"a: 'no'\nb: \"1:30\"\nc: '2026-3-1'\n")
    assert s.ok and s.data == {"a": "no", "b": "1:30", "c": "2026-3-1"}


def test_keys_are_text(tmp_path) -> None:
    s = _read(tmp_path, b"no: 1\n2: x\n")
    assert s.ok and s.data == {"no": 1, "2": "x"}
