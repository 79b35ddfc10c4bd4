"""Where an import's file is: bytes, a path, or a file object (an upload Django spooled to disk).

The readers work on a path, so that no copy of a large upload is held in memory: a path is used
as it is, an upload that Django already wrote to a temporary file is read from there, and
anything else is streamed to a temporary file in chunks.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Union

from django.core.files.base import ContentFile, File

Source = Union[bytes, str, os.PathLike, IO[bytes]]  # noqa: UP007 (a runtime alias)
CHUNK = 1024 * 1024


def _path_of(source) -> str | None:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    temporary = getattr(source, "temporary_file_path", None)
    if temporary is not None:
        return temporary()
    return None


def _rewind(handle) -> None:
    if hasattr(handle, "seek"):
        handle.seek(0)


def size_of(source: Source) -> int:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return len(source)
    path = _path_of(source)
    if path is not None:
        return os.path.getsize(path)
    size = getattr(source, "size", None)
    if size is not None:
        return size
    position = source.tell()
    source.seek(0, os.SEEK_END)
    end = source.tell()
    source.seek(position)
    return end


@contextmanager
def on_disk(source: Source, suffix: str = "") -> Iterator[str]:
    """A path holding the file's bytes, for as long as the ``with`` block lasts."""
    path = _path_of(source)
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=suffix) as spool:
        if isinstance(source, (bytes, bytearray, memoryview)):
            spool.write(source)
        else:
            _rewind(source)
            shutil.copyfileobj(source, spool, CHUNK)
        spool.flush()
        yield spool.name


def sha256_of(source: Source) -> str:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    path = _path_of(source)
    if path is not None:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    else:
        _rewind(source)
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def as_file(source: Source) -> Iterator[File]:
    """The file for Django's storage, which copies it in chunks."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield ContentFile(bytes(source))
        return
    path = _path_of(source)
    if path is not None:
        with open(path, "rb") as handle:
            yield File(handle)
        return
    _rewind(source)
    yield File(source)
