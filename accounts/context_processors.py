from .timezones import reader_zone_for


def reader_zone(request):
    """The reader's own time zone (profile, else browser), for `{% when %}`."""
    return {"reader_zone": reader_zone_for(request)}
