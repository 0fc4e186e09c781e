"""Uploaded bytes to a checked Sheet: format by content, every file rule of SPEC."""

from shared.spreadsheet.formats import detect_format
from shared.spreadsheet.reader import read_sheet
from shared.spreadsheet.sheet import MAX_DATA_ROWS, SIZE_LIMITS, FileFormat, Sheet

__all__ = ["MAX_DATA_ROWS", "SIZE_LIMITS", "FileFormat", "Sheet", "detect_format", "read_sheet"]
