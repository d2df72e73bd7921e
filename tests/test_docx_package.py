"""The .docx package writer: the same bytes zipfile writes, with template parts deflated once."""

from __future__ import annotations

import io
import zipfile

import pytest

from conftest import REPO
from lufa_cli.render import docx_xml
from lufa_cli.render.documents import EXAMPLE_CONTEXTS, compile_docx


def _zipfile_bytes(entries) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buf.getvalue()


@pytest.mark.parametrize("name", sorted(EXAMPLE_CONTEXTS))
def test_package_is_what_zipfile_writes(name) -> None:
    entries = docx_xml.read_package(REPO / "templates" / f"{name}.docx")
    assert docx_xml.write_package(entries) == _zipfile_bytes(entries)
    packed = [(info, docx_xml.pack(data)) for info, data in entries]
    assert docx_xml.write_package(packed) == _zipfile_bytes(entries)


def test_non_ascii_names_and_default_permissions() -> None:
    info = zipfile.ZipInfo("word/媒体.xml", date_time=(2026, 3, 1, 9, 30, 7))
    info.compress_type = zipfile.ZIP_DEFLATED
    entries = [(info, "内容".encode() * 100)]
    out = docx_xml.write_package(entries)
    assert out == _zipfile_bytes(entries)
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert zf.testzip() is None and zf.read("word/媒体.xml") == "内容".encode() * 100


@pytest.mark.parametrize("name", sorted(EXAMPLE_CONTEXTS))
def test_rendered_document_is_a_sound_zip(name) -> None:
    out = compile_docx(REPO / "templates" / f"{name}.docx").render(EXAMPLE_CONTEXTS[name])
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert zf.testzip() is None
        template = zipfile.ZipFile(REPO / "templates" / f"{name}.docx")
        assert zf.namelist() == template.namelist()
