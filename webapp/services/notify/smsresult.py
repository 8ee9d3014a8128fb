"""What a send or a status query came to: the one answer every SMS provider gives."""
from dataclasses import dataclass
from datetime import datetime


@dataclass
class Result:
    """What one send (or one status query) came to."""
    outcome: str
    ref: str | None = None
    code: str = ""
    at: datetime | None = None  # the provider's own send time, when a status query found it
    receipt: str | None = None  # a found message's receipt already in: delivered/undelivered
    received_at: datetime | None = None  # when it reached the phone, by the provider's answer
