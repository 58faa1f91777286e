import logging
import re

# An 18-character resident ID number anywhere in a log line.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_id_numbers(text: str) -> str:
    """`text` with every resident ID number in it masked (first 6, last 4 shown)."""
    return ID_NUMBER.sub(lambda m: f"{m[1]}********{m[2]}", text)


class MaskIdNumbersFilter(logging.Filter):
    """Keep ID numbers out of logs: show the first 6 and last 4 characters only."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
