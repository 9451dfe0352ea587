"""`coach serve`: the app for a room of browsers (server.py). A shell, like coach.tui."""
