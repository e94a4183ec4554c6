from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

from .fields import parse_id

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """A page of results; a missing, malformed or out-of-range page number gives a valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class UncountedPage:
    """A page of a list too long to count on every request (the access log): the page's rows
    and whether there are newer or older ones, from one query of `per_page + 1` rows."""

    number: int
    object_list: list[Any]
    has_next: bool
    start_index: int

    def __iter__(self):
        return iter(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.object_list) - 1


def paginate_uncounted(request, queryset, per_page: int = PAGE_SIZE) -> UncountedPage:
    """As `paginate`, without counting the rows: its cost is one page whatever the length of
    the list. A missing or malformed page number gives the first page."""
    number = parse_id(request.GET.get("page")) or 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return UncountedPage(
        number=number,
        object_list=rows[:per_page],
        has_next=len(rows) > per_page,
        start_index=offset + 1,
    )
