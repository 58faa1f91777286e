"""Portal views of the course library: catalogue, lessons, player, tests, trainers'
uploads and the study audit, one module each."""


def int_or(value, default=0):
    """`value` as an int (a query parameter, a header), else `default`."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
