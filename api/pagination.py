from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 20, up to 100 with `page_size`: the list page's own `page` parameter, same numbering."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
