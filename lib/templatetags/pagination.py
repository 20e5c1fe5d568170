from django import template

register = template.Library()


@register.simple_tag
def page_numbers(page, on_each_side=2, on_ends=1):
    """The page numbers to link to around the current page, with Paginator.ELLIPSIS for the gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends))
