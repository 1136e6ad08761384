"""The package's own error types, raised for input that cannot be used at all."""

from __future__ import annotations


class StudysiteError(Exception):
    """Base class for every error the core raises on unusable input."""


class NoteError(StudysiteError):
    """A note that cannot be read or parsed; names the file, line and what to do."""

    def __init__(self, file: str, line: int, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(f"{file}:{line}: {message}")


class ConfigError(StudysiteError):
    """A catalog, manifest or override file that cannot be used."""

    def __init__(self, file: str, line: int, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(f"{file}:{line}: {message}")
