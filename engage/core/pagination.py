from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """A page of results; a missing, malformed or out-of-range page number gives a valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
