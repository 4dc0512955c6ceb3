"""Accent-insensitive search keys for Vietnamese text."""

import unicodedata


def search_key(text: str) -> str:
    """Lower-case ``text`` without diacritics, so "dang ky khai sinh" matches "Đăng ký khai sinh".

    NFD splits most letters from their marks; đ/Đ has no decomposition and is mapped by hand."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
