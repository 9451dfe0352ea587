"""The learner's machine, above the scenario format: the settings file and the strict small TOML
files it shares with themes (decoded with the scenario loader's messages), who is playing, and
the scenario library found on disk (built-in, the user's own, shared folders and packages)."""
