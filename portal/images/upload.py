"""Checking an uploaded picture and making the copy the portal keeps.

The type is read from the file's content by Pillow, never from its name or
the type the browser claims. Its size in pixels is read from the header and
checked before anything is decoded, so a small file that would open into a
huge picture (a "decompression bomb") is refused without filling the memory.
The picture is then decoded and saved again by Pillow in its own format:
what is kept holds only pixels (no camera, place or other metadata, and
nothing hidden after the picture), turned the right way up, at most
LONG_SIDE pixels on its long side. The file's name is never kept.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO, Any

from PIL import Image, ImageOps, UnidentifiedImageError

from portal.rules import RuleError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 20_000_000
LONG_SIDE = 1600
JPEG_QUALITY = 85
WEBP_QUALITY = 85
# Pillow's format -> (the format it is saved in, its content type). MPO is
# how Pillow names the JPEG many phone cameras write.
FORMATS = {
    "PNG": ("PNG", "image/png"),
    "JPEG": ("JPEG", "image/jpeg"),
    "MPO": ("JPEG", "image/jpeg"),
    "WEBP": ("WEBP", "image/webp"),
}
CONTENT_TYPES = frozenset(content_type for _, content_type in FORMATS.values())

NOT_A_PICTURE = "The file you chose is not a picture the portal can use. Choose a PNG, JPEG or WebP picture"


class ImageRefused(RuleError):
    """An upload that is not a picture the portal accepts, in plain words."""


@dataclass(frozen=True)
class Accepted:
    """The copy to keep: re-encoded bytes, their type and size in pixels."""

    data: bytes
    content_type: str
    width: int
    height: int


def _read(stream: IO[bytes]) -> bytes:
    """At most one byte more than MAX_BYTES, so a bigger file is known to be too big."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        rest = len(data) + len(stream.read())
        raise ImageRefused(
            f"The picture must be 5 MB or smaller. The one you chose is {rest / 1024 / 1024:.1f} MB. "
            "Make it smaller and choose it again"
        )
    return data


def _open(data: bytes) -> Any:
    """The picture's header, read without decoding it; refused when it is not a
    PNG, JPEG or WebP, or bigger than MAX_PIXELS."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "WEBP"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRefused(NOT_A_PICTURE) from None
    if picture.format not in FORMATS:
        raise ImageRefused(NOT_A_PICTURE)
    width, height = picture.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise _too_many_pixels()
    return picture


def _too_many_pixels() -> ImageRefused:
    return ImageRefused(
        "The picture has too many pixels. It must be 20 megapixels or fewer, like 5,000 by 4,000 pixels. "
        "Make it smaller and choose it again"
    )


def _for(kind: str, picture: Any) -> Any:
    """The picture in a mode its format can save."""
    if kind == "JPEG":
        return picture if picture.mode in ("RGB", "L") else picture.convert("RGB")
    if kind == "WEBP":
        return picture if picture.mode in ("RGB", "RGBA") else picture.convert("RGBA")
    return picture if picture.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16") else picture.convert("RGBA")


def accept_upload(upload: Any) -> Accepted:
    """The copy of an uploaded picture (a werkzeug FileStorage, or any object
    with a binary ``stream``) to keep, or ImageRefused saying why not."""
    stream = getattr(upload, "stream", None)
    data = _read(stream) if stream is not None else b""
    if not data:
        raise ImageRefused("The file you chose is empty. Choose a PNG, JPEG or WebP picture")
    picture = _open(data)
    kind, content_type = FORMATS[picture.format]
    try:
        picture.verify()  # checks the file's structure (PNG checksums) without decoding it
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "WEBP"])
            picture.seek(0)  # an animated picture: its first frame
            picture = ImageOps.exif_transpose(picture)  # decodes; turned the way the camera was held
            picture = _for(kind, picture)
            picture.thumbnail((LONG_SIDE, LONG_SIDE))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ImageRefused("The picture could not be read: it may be damaged. Choose another picture") from None
    picture.info = {}  # nothing but pixels: no EXIF, no colour profile, no text
    options: dict[str, Any] = {"JPEG": {"quality": JPEG_QUALITY}, "WEBP": {"quality": WEBP_QUALITY}}.get(kind, {})
    out = io.BytesIO()
    picture.save(out, kind, optimize=kind != "WEBP", **options)
    return Accepted(out.getvalue(), content_type, picture.width, picture.height)
