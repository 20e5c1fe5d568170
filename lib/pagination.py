from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _


def paginate(request, object_list, per_page=20, count=None):
    """The page asked for by the `page` parameter, and a French notice when it had to be corrected.

    A wrong page number is not worth an error page: the nearest page is shown with an explanation.
    `count`, the number of objects when it is already known, saves the paginator's COUNT query.
    """
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count
    raw = request.GET.get("page", "").strip()
    try:
        return paginator.page(raw or 1), None
    except PageNotAnInteger:
        notice = _("« %(page)s » n'est pas un numéro de page : voici la première page.")
        return paginator.page(1), notice % {"page": raw}
    except EmptyPage:
        if int(raw) < 1:
            notice = _("La page %(page)s n'existe pas : voici la première page.")
            return paginator.page(1), notice % {"page": raw}
        notice = _("La page %(page)s n'existe pas : voici la dernière page.")
        return paginator.page(paginator.num_pages), notice % {"page": raw}
