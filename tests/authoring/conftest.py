"""The authoring screens' tests all edit a copy of the hand-written scenario: one `draft` fixture
for them, kept in tests/tui_helpers.py beside the other TUI helpers."""

from tui_helpers import draft  # noqa: F401  (a fixture: pytest finds it by name)
