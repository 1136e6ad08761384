"""Routing: decide which catalog page every section (and stray block) of every note lands on."""
