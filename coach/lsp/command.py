"""The `coach lsp` command. Never imports Textual."""

from __future__ import annotations

import click


@click.command()
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default; editors often pass it).")
def lsp(stdio: bool) -> None:
    """Run the scenario language server over stdio, for an editor.

    Diagnostics as you type (the same as `coach check`), completion of ids, criteria, reflexes,
    metrics and flags, hover, go to definition, references, rename, the scene outline and a
    quick fix for each did-you-mean. docs/editors.md sets it up in VS Code, Neovim and Helix.

    \b
    Example (Helix, in languages.toml):
      [language-server.coach]
      command = "coach"
      args = ["lsp"]
    """
    try:
        from .server import main
    except ModuleNotFoundError as missing:
        raise click.ClickException(f"coach lsp needs {missing.name}; install it with `pip install pygls`") from None
    main()
