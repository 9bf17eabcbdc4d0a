"""The mapping file (mapping.toml): its model, `map --check`'s checks, scriptable edits."""
