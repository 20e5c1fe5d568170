"""Calendar arithmetic the standard library leaves out."""

import calendar


def months_before(moment, months):
    """The same day and time `months` calendar months earlier; the month's last day when it is shorter
    (31 August less 6 months is 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
