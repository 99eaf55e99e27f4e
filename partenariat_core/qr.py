"""Join links and their QR codes (segno: pure Python, no image library needed)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno


def join_url(public_url: str, code: str, lang: str | None = None) -> str:
    """What the QR code opens: the participant page, straight onto the session."""
    params = {"session": code}
    if lang and lang != "fr":
        params["lang"] = lang
    return f"{public_url.rstrip('/')}/?{urlencode(params)}"


def qr_png(url: str, scale: int = 12) -> bytes:
    """A PNG big enough to project; error level M survives a projector's glare."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


def qr_svg(url: str, scale: int = 10) -> str:
    return segno.make(url, error="m").svg_inline(scale=scale)
