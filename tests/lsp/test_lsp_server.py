"""`coach lsp` driven as an editor drives it: a real server process over stdio, pygls's client.

pygls's own LanguageClient is used rather than pytest-lsp: it is already installed with the
server, and these tests need only requests and the diagnostics notifications.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "good" / "minimal.toml"
URI = "file:///tmp/coach-lsp-test/minimal.toml"
TIMEOUT = 30


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("coach-lsp-test", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.arrived = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(client: Client, params: types.PublishDiagnosticsParams) -> None:
            client.diagnostics[params.uri] = params.diagnostics
            client.arrived.set()

    async def wait_for_diagnostics(self) -> list[types.Diagnostic]:
        await asyncio.wait_for(self.arrived.wait(), TIMEOUT)
        self.arrived.clear()
        return self.diagnostics[URI]


@pytest.fixture
async def client():
    client = Client()
    await client.start_io(sys.executable, "-m", "coach", "lsp")
    await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        process_id=None, root_uri=None, capabilities=types.ClientCapabilities())), TIMEOUT)
    client.initialized(types.InitializedParams())
    yield client
    await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
    client.exit(None)
    await asyncio.wait_for(client.stop(), TIMEOUT)


def _open(client: Client, text: str) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=URI, language_id="toml", version=1, text=text)))


def _position(text: str, needle: str, offset: int = 1) -> types.Position:
    before = text[: text.index(needle) + offset]
    return types.Position(before.count("\n"), len(before) - before.rfind("\n") - 1)


async def test_diagnostics_on_open_and_on_change_with_codes_ranges_and_a_quick_fix(client: Client) -> None:
    good = MINIMAL.read_text()
    _open(client, good)
    # minimal.toml is two decisions long, so only the teaching lint's W121 may speak (issue 11).
    assert [d.code for d in await client.wait_for_diagnostics()] in ([], ["W121", "W121"])
    bad = good.replace('goto = "contained"', 'goto = "contaned"')
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        [types.TextDocumentContentChangeWholeDocument(text=bad)]))
    [diagnostic] = await client.wait_for_diagnostics()
    assert diagnostic.code == "C012" and diagnostic.source == "coach"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert "did you mean `contained`?" in diagnostic.message
    line = bad.split("\n")[diagnostic.range.start.line]
    assert line[diagnostic.range.start.character : diagnostic.range.end.character] == "contaned"

    actions = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(URI), diagnostic.range, types.CodeActionContext(diagnostics=[diagnostic]))), TIMEOUT)
    [action] = actions
    [edit] = action.edit.changes[URI]
    assert edit.new_text == "contained" and edit.range == diagnostic.range


async def test_a_duplicate_id_points_at_the_first_as_a_related_location(client: Client) -> None:
    text = MINIMAL.read_text().replace('id = "review"', 'id = "triage"')
    _open(client, text)
    diagnostics = await client.wait_for_diagnostics()
    duplicate = next(d for d in diagnostics if d.code == "C011")
    [related] = duplicate.related_information
    first = _position(text, 'id = "triage"', 6)
    assert related.location.range.start == first


async def test_completion_of_targets_criteria_reflexes_and_condition_names(client: Client) -> None:
    text = MINIMAL.read_text()
    _open(client, text)
    await client.wait_for_diagnostics()

    async def labels(needle: str, offset: int) -> set[str]:
        result = await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
            types.TextDocumentIdentifier(URI), _position(text, needle, offset))), TIMEOUT)
        return {item.label for item in result.items}

    assert {"pager", "triage", "review", "contained", "froze"} <= await labels('goto = "triage"', 8)
    assert {"pager", "contained"} <= await labels('on_timeout = "froze"', 14)
    assert {"monitoring", "failure"} == await labels("score = { monitoring = 2", 10)
    assert "launch-gate" in await labels('reflex = "launch-gate"', 10)
    assert {"precision", "rolled_back"} <= await labels('when = "precision', 8)
    assert "precision" in await labels("effects = { precision", 12)


async def test_hover_definition_references_and_rename(client: Client) -> None:
    text = MINIMAL.read_text()
    _open(client, text)
    await client.wait_for_diagnostics()
    document = types.TextDocumentIdentifier(URI)

    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        document, _position(text, "monitoring = 3", 2))), TIMEOUT)
    assert "Quality owned after launch" in hover.contents.value
    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        document, _position(text, 'reflex = "launch-gate"', 12))), TIMEOUT)
    assert "Quality is a launch gate" in hover.contents.value
    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        document, _position(text, "precision < 0.9", 2))), TIMEOUT)
    assert "range 0..1" in hover.contents.value

    at_goto = _position(text, 'goto = "froze"', 9)
    location = await asyncio.wait_for(client.text_document_definition_async(types.DefinitionParams(document, at_goto)), TIMEOUT)
    assert location.range.start == _position(text, 'id = "froze"', 6)

    found = await asyncio.wait_for(client.text_document_references_async(types.ReferenceParams(
        text_document=document, position=at_goto, context=types.ReferenceContext(include_declaration=True))), TIMEOUT)
    assert len(found) == text.count('"froze"')

    edit = await asyncio.wait_for(client.text_document_rename_async(types.RenameParams(
        document, at_goto, "frozen")), TIMEOUT)
    edits = edit.changes[URI]
    assert len(edits) == text.count('"froze"') and {e.new_text for e in edits} == {"frozen"}
    lines = text.split("\n")
    assert {lines[e.range.start.line][e.range.start.character : e.range.end.character] for e in edits} == {"froze"}


async def test_document_symbols_are_the_scene_outline(client: Client) -> None:
    text = MINIMAL.read_text()
    _open(client, text)
    await client.wait_for_diagnostics()
    symbols = await asyncio.wait_for(client.text_document_document_symbol_async(types.DocumentSymbolParams(
        types.TextDocumentIdentifier(URI))), TIMEOUT)
    assert [s.name for s in symbols] == ["pager", "triage", "review", "contained", "froze"]
    pager = symbols[0]
    assert pager.detail == "scene: The alert fires"
    assert [c.name for c in pager.children] == ["choice 1: Roll back to last week's model", "choice 2: Wait for Thursday's weekly review"]


def test_the_server_never_imports_textual() -> None:
    import subprocess

    script = "import sys, coach.lsp.server, coach.lsp.command\nassert 'textual' not in sys.modules\n"
    assert subprocess.run([sys.executable, "-c", script], capture_output=True).returncode == 0
