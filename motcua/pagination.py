"""The API's pages (docs/api.md, "Pages").

Every list answers ``PAGE_SIZE`` (50) items a page unless the client asks for another
``page_size``, cut to ``MOTCUA_API_MAX_PAGE_SIZE`` (100 by default, as peers' APIs allow).
Small lists (units, agencies, procedures…) are numbered pages with an exact ``count``."""

from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's numbered pages with ``page_size`` honoured up to the configured maximum."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return int(settings.MOTCUA_API_MAX_PAGE_SIZE)
