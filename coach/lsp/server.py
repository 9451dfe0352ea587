"""`coach lsp`: a language server for scenario files over stdio, on pygls.

Thin: every answer comes from coach/lsp/analysis.py, which reuses the loader `coach check`
runs, so an editor shows exactly the diagnostics (codes, positions, did-you-means) the command
line does. Never imports Textual (a test checks).
"""

from __future__ import annotations

import re

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from . import analysis

SOURCE = "coach"
_KINDS = {
    "reference": types.CompletionItemKind.Reference,
    "criterion": types.CompletionItemKind.EnumMember,
    "reflex": types.CompletionItemKind.EnumMember,
    "metric": types.CompletionItemKind.Variable,
    "flag": types.CompletionItemKind.Constant,
}

server = LanguageServer("coach-lsp", __version__)


def _range(line: int, start: int, end: int) -> types.Range:
    return types.Range(types.Position(line, start), types.Position(line, end))


def _text(uri: str) -> str:
    return server.workspace.get_text_document(uri).source


def _name(uri: str) -> str:
    return uri.rsplit("/", 1)[-1] or "scenario.toml"


def publish(uri: str) -> None:
    problems = analysis.diagnose(_text(uri), _name(uri))
    diagnostics = []
    for problem in problems:
        related = None
        if problem.related is not None:
            line, character = problem.related
            related = [types.DiagnosticRelatedInformation(
                types.Location(uri, _range(line, character, character + 1)), "first used here")]
        diagnostics.append(types.Diagnostic(
            range=_range(problem.line, problem.start, problem.end),
            message=problem.message,
            severity=types.DiagnosticSeverity.Error if problem.severity == "error" else types.DiagnosticSeverity.Warning,
            code=problem.code,
            source=SOURCE,
            related_information=related,
            data={"fix": problem.fix} if problem.fix else None,
        ))
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"', "{", " ", "["]))
def completion(ls: LanguageServer, params: types.CompletionParams) -> types.CompletionList:
    found = analysis.complete(_text(params.text_document.uri), params.position.line, params.position.character)
    items = [types.CompletionItem(label=c.label, kind=_KINDS.get(c.kind), detail=c.detail or None) for c in found]
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: LanguageServer, params: types.HoverParams) -> types.Hover | None:
    text = analysis.hover(_text(params.text_document.uri), params.position.line, params.position.character)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: LanguageServer, params: types.DefinitionParams) -> types.Location | None:
    uri = params.text_document.uri
    found = analysis.index(_text(uri))
    node_id = found.id_at(params.position.line, params.position.character)
    if node_id is None or node_id not in found.nodes:
        return None
    span = found.nodes[node_id].definition
    return types.Location(uri, _range(span.line, span.start, span.end))


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: LanguageServer, params: types.ReferenceParams) -> list[types.Location]:
    uri = params.text_document.uri
    found = analysis.index(_text(uri))
    node_id = found.id_at(params.position.line, params.position.character)
    if node_id is None:
        return []
    spans = found.spans_of(node_id, declaration=params.context.include_declaration)
    return [types.Location(uri, _range(s.line, s.start, s.end)) for s in spans]


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: LanguageServer, params: types.PrepareRenameParams) -> types.Range | None:
    found = analysis.index(_text(params.text_document.uri))
    line, character = params.position.line, params.position.character
    for span in (s for node_id in found.nodes for s in found.spans_of(node_id)):
        if span.line == line and span.start <= character <= span.end:
            return _range(span.line, span.start, span.end)
    return None


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: LanguageServer, params: types.RenameParams) -> types.WorkspaceEdit:
    uri = params.text_document.uri
    try:
        spans = analysis.rename(_text(uri), params.position.line, params.position.character, params.new_name)
    except ValueError as refused:
        raise _Refused(str(refused)) from None
    edits = [types.TextEdit(_range(s.line, s.start, s.end), params.new_name) for s in spans]
    return types.WorkspaceEdit(changes={uri: edits})


class _Refused(Exception):
    """A rename the server will not do; pygls sends the message back as the request's error."""


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: LanguageServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    text = _text(params.text_document.uri)
    lines = text.split("\n")
    symbols = []
    for node in analysis.symbols(text):
        end = max(node.end_line, node.definition.line)
        whole = types.Range(types.Position(node.header_line, 0), types.Position(end, len(lines[end]) if end < len(lines) else 0))
        children = []
        for number, (label, line) in enumerate(node.choices):
            following = node.choices[number + 1][1] - 1 if number + 1 < len(node.choices) else end
            children.append(types.DocumentSymbol(
                name=label, kind=types.SymbolKind.Method,
                range=types.Range(types.Position(line, 0), types.Position(max(following, line), 0)),
                selection_range=_range(line, 0, len(lines[line]) if line < len(lines) else 0)))
        symbols.append(types.DocumentSymbol(
            name=node.id, detail=f"{node.kind}: {node.title}" if node.title else node.kind,
            kind=types.SymbolKind.Class if node.kind == "scene" else types.SymbolKind.Event,
            range=whole, selection_range=_range(node.definition.line, node.definition.start, node.definition.end),
            children=children or None))
    return symbols


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_actions(ls: LanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    actions = []
    for diagnostic in params.context.diagnostics:
        fix = diagnostic.data.get("fix") if isinstance(diagnostic.data, dict) else None
        if fix is None:  # a client that does not send `data` back: read it from the message
            match = re.search(r"did you mean `([^`]+)`\?", diagnostic.message)
            fix = match.group(1) if match else None
        if not fix:
            continue
        actions.append(types.CodeAction(
            title=f"Change to `{fix}`", kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
            is_preferred=True, edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(diagnostic.range, fix)]})))
    return actions


def main() -> None:
    server.start_io()
