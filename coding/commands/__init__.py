"""One module per CLI command group; each exposes `register(app)`. Keep them thin."""
