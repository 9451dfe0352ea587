"""What coach can say about a scenario by playing it: the warnings of `coach check` that need the
engine (reachability, exploration, the teaching lint, setups, passages, the world's clock) and
the explorations saved on disk by file hash. Above the engine; below sessions and the shells."""
