"""Any export as a file on disk, never as bytes in memory (issue 27): the sheets' rows stream from
the database (yield_per) through openpyxl's write-only mode or the csv writer into a temporary
file, which the web then streams out in blocks (web/downloads.download_sheets)."""
import io
import tempfile
from typing import IO

from .exports import Sheet, write_csv, write_xlsx

SPOOL_IN_MEMORY = 256 * 1024  # small files never touch the disk


def spool(fmt: str, sheets: list[Sheet], progress=None) -> IO[bytes]:
    """The finished .xlsx (every sheet) or .csv (the first sheet), rewound; closing deletes it."""
    fh = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        if fmt == "csv":
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
            write_csv(text, sheets[0], progress)
            text.flush()
            text.detach()  # the binary file stays open for the download
        else:
            write_xlsx(fh, sheets, progress)
        fh.seek(0)
        return fh
    except BaseException:
        fh.close()
        raise
