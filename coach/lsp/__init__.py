"""`coach lsp`: a language server for scenario files (see docs/editors.md)."""
